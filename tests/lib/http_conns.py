#!/usr/bin/env python3
"""Connection-pressure tests against an exporter.

usage: http_conns.py HOST PORT idle [N]
       http_conns.py HOST PORT overflow LIMIT

idle: opens N (64) connections, half of which never send anything and
half stall in the middle of a request line, then shows that scrapes on
new connections are answered (200) at once, twice in a row: idle or slow
clients cannot starve the exporter.

overflow: for a server started with a connection limit of LIMIT.  First
LIMIT silent connections hold every slot and LIMIT + 2 newcomers each get
200 on a connection they keep open: each replaced the oldest silent
connection (all of which the server reset), and the last two the oldest
idle newcomer.  Then LIMIT connections are kept busy being answered
(pipelined scrapes never read, behind a tiny receive buffer): now every
newcomer gets 503 with Retry-After, readable even after sending a 64 KiB
request, and the busy ones are left alone.  After closing everything,
scrapes succeed again (the server recovers).

Knows nothing of what the exporter publishes; prints "N passed, N failed"
last.
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from httpclient import Conn, Tally, get, request  # noqa: E402


def open_idle(host, port, n):
    conns = []
    for _ in range(n):
        try:
            conns.append(Conn(host, port, timeout=2.0))
        except OSError:
            break
    return conns


def timed_scrape(host, port, timeout=5.0):
    t0 = time.monotonic()
    resp, conn = request(host, port, get("/metrics"), timeout=timeout)
    dt = time.monotonic() - t0
    conn.close()
    return resp, dt


def established(c):
    """Whether c's connection is still established (Linux TCP_INFO)."""
    try:
        info = c.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    except OSError:
        return False
    return struct.unpack("B", info[:1])[0] == 1


def idle(host, port, args, t):
    n = int(args[0]) if args else 64
    conns = open_idle(host, port, n)
    t.check("opened %d idle connections" % n, len(conns) == n,
            "only %d connected" % len(conns))
    for c in conns[1::2]:
        c.send(b"GET /metr")  # a request that never finishes

    def scrape():
        resp, dt = timed_scrape(host, port)
        print("     scrape with %d idle/stalled connections: %d in %.1f ms"
              % (len(conns), resp.status, dt * 1e3), flush=True)
        return resp.status == 200, "status %d" % resp.status
    t.run("scrape answered at once", scrape)
    # A second one right away: eviction keeps working, not just once.
    t.run("second scrape answered at once", scrape)
    for c in conns:
        c.close()
    t.run("scrape after closing them", lambda: (
        timed_scrape(host, port)[0].status == 200, "not 200"))


def busy(host, port, n):
    """A connection kept in the middle of being answered: n pipelined
    scrapes that are never read, behind a tiny receive buffer."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    s.settimeout(5.0)
    s.connect((host, port))
    s.sendall(get("/metrics") * n)
    s.recv(1, socket.MSG_PEEK)  # the answer has started
    c = Conn.__new__(Conn)
    c.sock, c.buf, c.timeout = s, b"", 5.0
    return c


def overflow(host, port, args, t):
    limit = int(args[0])
    extra = limit + 2
    held = open_idle(host, port, limit)
    t.check("held %d silent connections" % limit, len(held) == limit,
            "only %d connected" % len(held))
    time.sleep(0.05)  # let the server accept them before the newcomers
    statuses, newcomers = [], []
    for _ in range(extra):
        try:
            c = Conn(host, port, timeout=3.0)
            newcomers.append(c)
            c.send(get("/metrics"))
            statuses.append(c.read_response().status)
        except Exception as e:  # reset or close without an answer
            statuses.append(type(e).__name__)
    print("     newcomers got: %s" % statuses, flush=True)
    t.check("%d newcomers over the limit get 200 at once" % extra,
            statuses == [200] * extra, "got %s" % statuses)
    gone = [c.closed_by_peer(timeout=2.0) for c in held]
    t.check("the %d silent connections were reset to make room" % limit,
            all(gone), "%d of %d closed" % (sum(gone), limit))
    t.check("the two oldest newcomers, idle, made room for the last two",
            [c.closed_by_peer(timeout=0.5) for c in newcomers[:3]] ==
            [True, True, False], "")
    for c in held + newcomers:
        c.close()
    time.sleep(0.2)

    # Enough answers (6 MiB each) to fill every buffer on the way
    # (loopback sockets autotune to megabytes, and so do QEMU's), but few
    # request bytes: a server cannot be expected to buffer the unread
    # requests of many connections (a VM's lwIP has 384 KiB of receive
    # buffers for all; a dozen KiB each is fine).
    size = len(timed_scrape(host, port)[0].body)
    n = max(50, min(2000, (6 << 20) // max(size, 1)))
    busy_conns = []
    try:
        for _ in range(limit):
            busy_conns.append(busy(host, port, n))
    except OSError as e:
        t.check("%d connections kept busy" % limit, False, str(e))
    statuses = []
    for i in range(extra):
        try:
            c = Conn(host, port, timeout=3.0)
            if i == 0:  # a large request: the 503 must still be readable
                c.send(get("/metrics", extra="X-Big: %s\r\n" % ("x" * 65536)))
            else:
                c.send(get("/metrics"))
            r = c.read_response()
            statuses.append(r.status if r.header("retry-after") == "1"
                            else "%d without Retry-After" % r.status)
            c.close()
        except Exception as e:
            statuses.append(type(e).__name__)
    print("     newcomers while all slots answer: %s" % statuses, flush=True)
    t.check("%d newcomers get 503 while every slot is answering, the "
            "first after a 64 KiB request" % extra,
            statuses == [503] * extra, "got %s" % statuses)
    alive = [established(c) for c in busy_conns]
    t.check("connections being answered are never evicted", all(alive),
            "%d of %d still open" % (sum(alive), len(alive)))
    for c in busy_conns:
        c.close()
    time.sleep(0.2)

    def recovered():
        got = [timed_scrape(host, port)[0].status for _ in range(extra)]
        return got == [200] * extra, "got %s" % got
    t.run("scrapes succeed again after closing", recovered)


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in ("idle", "overflow") or \
            (sys.argv[3] == "overflow" and len(sys.argv) < 5):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    host, port = sys.argv[1], int(sys.argv[2])
    t = Tally()
    try:
        (idle if sys.argv[3] == "idle" else overflow)(host, port,
                                                      sys.argv[4:], t)
    except (OSError, socket.error) as e:
        t.check("connection test", False, str(e))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
