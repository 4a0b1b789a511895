#!/usr/bin/env python3
"""Bad HTTP requests against an exporter: usage http_bad_requests.py HOST PORT.

Each case goes on a fresh raw socket, exactly as written, and must get its
status code (400 malformed request line or header, 400 missing Host in
HTTP/1.1, 404 unknown path, 405 with "Allow: GET, HEAD" for POST, 414 for
a 3000-byte URI, 431 for 10 KiB of headers).  Afterwards a normal scrape
must still succeed, so no bad request can wedge the server.  Knows nothing
of what the exporter publishes; prints "N passed, N failed" last.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from httpclient import Tally, get, request  # noqa: E402

CASES = [
    # (name, raw request, expected status)
    ("garbage request line", b"HELLO\r\n\r\n", 400),
    ("request line without version", b"GET /metrics\r\n\r\n", 400),
    ("bad version HTTP/2.0", b"GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n",
     400),
    ("lower-case version", b"GET /metrics http/1.1\r\nHost: x\r\n\r\n", 400),
    ("two spaces in request line",
     b"GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("control byte in target",
     b"GET /met\x01rics HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("header without colon",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", 400),
    ("space before colon",
     b"GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    ("obsolete line folding",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  b\r\n\r\n", 400),
    ("control byte in header value",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\x07b\r\n\r\n", 400),
    ("bare CR in request", b"GET /metrics HTTP/1.1\rHost: x\r\n\r\n", 400),
    ("missing Host in HTTP/1.1", b"GET /metrics HTTP/1.1\r\n\r\n", 400),
    ("two Host fields",
     b"GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    ("unknown path", get("/nope"), 404),
    ("unknown path below /metrics", get("/metrics/x"), 404),
    ("POST", b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
     b"\r\n", 405),
    ("PUT", b"PUT /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
     b"\r\n", 405),
    ("3000-byte URI", get("/" + "a" * 2999), 414),
    ("10 KiB of headers",
     get("/metrics", extra="".join("X-Filler-%03d: %s\r\n" % (i, "v" * 88)
                                   for i in range(104))), 431),
]


def one(host, port, data, want, check_allow):
    resp, conn = request(host, port, data)
    conn.close()
    detail = "got %d %s" % (resp.status, resp.reason)
    ok = resp.status == want
    if ok and check_allow:
        allow = resp.header("allow")
        ok = allow is not None and \
            [m.strip() for m in allow.split(",")] == ["GET", "HEAD"]
        detail += ", Allow: %r" % allow
    return ok, detail


def scrape(host, port):
    resp, conn = request(host, port, get("/metrics"))
    conn.close()
    return (resp.status == 200 and b"# TYPE " in resp.body,
            "got %d, %d bytes" % (resp.status, len(resp.body)))


def http10_no_host(host, port):
    resp, conn = request(host, port, b"GET /metrics HTTP/1.0\r\n\r\n")
    conn.close()
    return resp.status == 200, "got %d" % resp.status


def head(host, port):
    resp, conn = request(host, port, get("/metrics").replace(b"GET", b"HEAD",
                                                              1),
                         head_only=True)
    # A HEAD response carries no body: nothing more may arrive.
    extra = conn.buf
    conn.sock.settimeout(0.3)
    try:
        extra += conn.sock.recv(65536)
    except OSError:
        pass
    conn.close()
    return (resp.status == 200 and not extra,
            "got %d, %d stray bytes" % (resp.status, len(extra)))


def main():
    if len(sys.argv) != 3:
        print("usage: http_bad_requests.py HOST PORT", file=sys.stderr)
        return 2
    host, port = sys.argv[1], int(sys.argv[2])
    t = Tally()
    for name, data, want in CASES:
        t.run("%s -> %d" % (name, want),
              lambda: one(host, port, data, want, want == 405))
    t.run("HTTP/1.0 without Host -> 200", lambda: http10_no_host(host, port))
    t.run("HEAD /metrics -> 200 without body", lambda: head(host, port))
    t.run("normal scrape still works", lambda: scrape(host, port))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
