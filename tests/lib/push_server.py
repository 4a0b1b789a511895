#!/usr/bin/env python3
"""HTTP servers that misbehave on purpose, for ukprom's push client.

One threaded server on 127.0.0.1; what it does with a request depends on
the first segment of the request's path, or, for a Pushgateway path
(/metrics/job/<job>/...), on the job's name ("/metrics/job/hang",
"/metrics/job/status-400"), so one process serves every case of a test
run, unit tests and images alike:

  /ok/...          reads the whole chunked body, checks the request head
                   (POST, HTTP/1.1, Transfer-Encoding: chunked, the
                   text format's Content-Type) and answers 200 with the
                   body's length in the reason phrase ("200 got N
                   bytes"); a bad head or body gets 400 saying why
  /status/NNN/...  reads the body, answers NNN with a short text body
  (/status-NNN)    ("push refused by the test server")
  /reset/...       reads the head, then resets the connection
  /hang/...        reads the body and never answers (until the client
                   goes away)
  /slow/...        reads the body, then sends a 200 head one byte every
                   100 ms
  /partial/...     reads the body, sends "HTTP/1.1 20" and closes
  /garbage/...     reads the body, answers "SSH-2.0-OpenSSH_9.2" and closes
  /close/...       reads the body and closes without a word
  /early/...       reads the head only, answers 413 at once, shuts its
                   side and reads what still comes (a lingering close),
                   as a server refusing a big body does
  /continue/...    sends "100 Continue" first, then acts as /ok
  /longhead/...    answers 200 with 16 KiB of header fields

A second socket listens with a full backlog (the server itself holds the
connections that fill it): SYNs to it are dropped, so connecting to it
times out.

Prints "PORT BLACKHOLE_PORT" on its first line of stdout once both
listen, then serves until killed (or until --seconds pass).
"""
import argparse
import socket
import struct
import sys
import threading
import time

CT = b"text/plain; version=0.0.4; charset=utf-8"


class BadRequest(Exception):
    pass


def read_head(conn, buf):
    """Reads up to the blank line; returns (head bytes, rest)."""
    while b"\r\n\r\n" not in buf:
        data = conn.recv(65536)
        if not data:
            raise BadRequest("closed before the end of the head")
        buf += data
        if len(buf) > 65536:
            raise BadRequest("head too long")
    head, rest = buf.split(b"\r\n\r\n", 1)
    return head, rest


def read_chunked(conn, buf):
    """Reads a chunked body; returns (body, rest)."""
    body = b""
    while True:
        while b"\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                raise BadRequest("closed inside the body")
            buf += data
        line, buf = buf.split(b"\r\n", 1)
        try:
            size = int(line.split(b";")[0], 16)
        except ValueError:
            raise BadRequest("bad chunk size line %r" % line[:40])
        while len(buf) < size + 2:
            data = conn.recv(65536)
            if not data:
                raise BadRequest("closed inside a chunk")
            buf += data
        if buf[size:size + 2] != b"\r\n":
            raise BadRequest("chunk of %d bytes not followed by CRLF" % size)
        if size == 0:
            return body, buf[2:]
        body += buf[:size]
        buf = buf[size + 2:]


def fields(head):
    lines = head.split(b"\r\n")
    out = {}
    for ln in lines[1:]:
        name, _, value = ln.partition(b":")
        out[name.strip().lower()] = value.strip()
    return lines[0], out


def check_request(head):
    line, f = fields(head)
    parts = line.split(b" ")
    if len(parts) != 3 or parts[0] != b"POST" or parts[2] != b"HTTP/1.1":
        raise BadRequest("bad request line %r" % line[:60])
    if f.get(b"transfer-encoding") != b"chunked":
        raise BadRequest("not chunked")
    if f.get(b"content-type") != CT:
        raise BadRequest("content type %r" % f.get(b"content-type"))
    if b"host" not in f:
        raise BadRequest("no Host")


def answer(conn, status, reason, body=b""):
    conn.sendall(b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" %
                 (status, reason, len(body), body))


def wait_gone(conn):
    """Reads until the client closes or resets."""
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    conn.close()


def handle(conn):
    conn.settimeout(30)
    try:
        head, rest = read_head(conn, b"")
        target = head.split(b"\r\n")[0].split(b" ")[1:2]
        seg = target[0].split(b"/") if target else [b""]
        seg += [b""] * 4
        word = seg[1]
        if seg[1] == b"metrics" and seg[2] == b"job":
            word = seg[3]
        mode, _, arg = word.partition(b"-")
        if not arg and seg[2].isdigit():
            arg = seg[2]
        if mode == b"reset":
            reset(conn)
            return
        if mode == b"early":
            answer(conn, 413, b"Payload Too Large", b"too big\n")
            conn.shutdown(socket.SHUT_WR)
            wait_gone(conn)
            conn.close()
            return
        if mode == b"continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            check_request(head)
            body, rest = read_chunked(conn, rest)
        except BadRequest as e:
            answer(conn, 400, b"Bad Request", str(e).encode() + b"\n")
            conn.close()
            return
        if mode in (b"ok", b"continue"):
            answer(conn, 200, b"got %d bytes" % len(body))
        elif mode == b"status":
            code = int(arg) if arg.isdigit() else 500
            answer(conn, code, b"Test Status",
                   b"push refused by the test server\nsecond line\n")
        elif mode == b"hang":
            wait_gone(conn)
        elif mode == b"slow":
            for b in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                conn.sendall(bytes([b]))
                time.sleep(0.1)
        elif mode == b"partial":
            conn.sendall(b"HTTP/1.1 20")
        elif mode == b"garbage":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        elif mode == b"close":
            pass
        elif mode == b"longhead":
            conn.sendall(b"HTTP/1.1 200 OK\r\n" +
                         b"X-Filler: " + b"x" * 16384 + b"\r\n\r\n")
        else:
            answer(conn, 404, b"Not Found", b"unknown mode\n")
        conn.close()
    except BadRequest:
        conn.close()
    except OSError:
        conn.close()


def serve(lsock):
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def blackhole():
    """A listener whose accept queue is full: SYNs to it are dropped."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    port = s.getsockname()[1]
    held = []
    # Fill the queue: connections complete until it is full, then the
    # kernel drops SYNs (the next connect would time out).
    for _ in range(8):
        c = socket.socket()
        c.settimeout(0.3)
        try:
            c.connect(("127.0.0.1", port))
            held.append(c)
        except OSError:
            c.close()
            break
    return s, held, port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=600)
    args = ap.parse_args()
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    bh, held, bport = blackhole()
    print(lsock.getsockname()[1], bport, flush=True)
    threading.Thread(target=serve, args=(lsock,), daemon=True).start()
    time.sleep(args.seconds)
    del bh, held


if __name__ == "__main__":
    sys.exit(main())
