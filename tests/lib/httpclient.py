"""Minimal raw-socket HTTP/1.1 client for the end-to-end tests.

The protocol tests talk to an exporter with hand-written bytes, so that a
malformed request reaches the server exactly as written (no client library
would send one).  This module opens a connection, sends bytes, and reads
back one response (status, headers, body: Content-Length, chunked or up to
close), with a deadline.  It targets HOST PORT only, so the same tests
run against linuxu processes and against the kvm VM through QEMU's
hostfwd.  Standard library only.
"""
import socket
import time


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (lower-case name, value)
        self.body = body

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None


class Conn:
    """One TCP connection with a read buffer and a per-call deadline."""

    def __init__(self, host, port, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.timeout = timeout

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        """Sends data; returns False if the peer reset or closed first."""
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no response in time")
        self.sock.settimeout(left)
        try:
            d = self.sock.recv(65536)
        except ConnectionResetError:
            d = b""
        except socket.timeout:
            raise TimeoutError("no response in time")
        if not d:
            return False
        self.buf += d
        return True

    def _line(self, deadline):
        while b"\n" not in self.buf:
            if not self._fill(deadline):
                raise EOFError("connection closed mid-line")
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def _exact(self, n, deadline):
        while len(self.buf) < n:
            if not self._fill(deadline):
                raise EOFError("connection closed mid-body")
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self, head_only=False, timeout=None):
        """Reads one response.  head_only: the request was HEAD."""
        deadline = time.monotonic() + (timeout or self.timeout)
        line = self._line(deadline).decode("latin-1")
        parts = line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError("bad status line %r" % line)
        status = int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = []
        while True:
            h = self._line(deadline).decode("latin-1")
            if not h:
                break
            k, _, v = h.partition(":")
            headers.append((k.strip().lower(), v.strip()))
        resp = Response(status, reason, headers, b"")
        if head_only or status in (204, 304) or 100 <= status < 200:
            return resp
        te = resp.header("transfer-encoding")
        cl = resp.header("content-length")
        if te and "chunked" in te.lower():
            body = b""
            while True:
                size = int(self._line(deadline).split(b";")[0], 16)
                if size == 0:
                    while self._line(deadline):
                        pass
                    break
                body += self._exact(size, deadline)
                self._line(deadline)
            resp.body = body
        elif cl is not None:
            resp.body = self._exact(int(cl), deadline)
        else:
            while self._fill(deadline):
                pass
            resp.body, self.buf = self.buf, b""
        return resp

    def closed_by_peer(self, timeout=2.0):
        """True if the peer closes (EOF or reset) within timeout."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                if not self._fill(deadline):
                    return True
        except TimeoutError:
            return False
        except OSError:
            return True


def request(host, port, data, head_only=False, timeout=5.0):
    """Sends data on a fresh connection and returns (response, conn)."""
    c = Conn(host, port, timeout)
    c.send(data)
    return c.read_response(head_only=head_only), c


def get(path="/metrics", host="x", accept=None, extra=""):
    """Builds a GET request with Host (and Accept) as bytes."""
    r = "GET %s HTTP/1.1\r\nHost: %s\r\n" % (path, host)
    if accept:
        r += "Accept: %s\r\n" % accept
    return (r + extra + "\r\n").encode("latin-1")


class Tally:
    """Counts results and prints the closing "N passed, N failed" line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print("ok   %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + detail if detail else ""),
                  flush=True)
        return cond

    def run(self, name, fn):
        """Runs fn() -> (cond, detail), counting an exception as a failure."""
        try:
            cond, detail = fn()
        except Exception as e:  # a test must report, never crash
            cond, detail = False, "%s: %s" % (type(e).__name__, e)
        return self.check(name, cond, detail)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0
