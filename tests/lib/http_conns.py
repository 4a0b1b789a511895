#!/usr/bin/env python3
"""Connection-pressure tests against an exporter.

usage: http_conns.py HOST PORT idle [N [GRACE_S [BOUND_S]]]
       http_conns.py HOST PORT overflow LIMIT [GRACE_S]

idle: opens N (64) connections, half of which never send anything and
half stall in the middle of a request line, waits a little more than the
server's eviction grace (GRACE_S, 1 s), then shows that a scrape on a new
connection is answered (200) within BOUND_S (1 s): idle or slow clients
cannot starve the exporter.

overflow: for a server started with a connection limit of LIMIT, holds
LIMIT idle connections, opens more at once and expects 503 on each extra
one (no idle connection is old enough to evict yet); the held connections
still get 200; after the grace a new scrape succeeds by evicting an idle
one, and after closing everything scrapes succeed again (the server
recovers).

Knows nothing of what the exporter publishes; prints "N passed, N failed"
last.
"""
import os
import socket
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


def idle(host, port, args, t):
    n = int(args[0]) if args else 64
    grace = float(args[1]) if len(args) > 1 else 1.0
    bound = float(args[2]) if len(args) > 2 else 1.0
    conns = open_idle(host, port, n)
    t.check("opened %d idle connections" % n, len(conns) == n,
            "only %d connected" % len(conns))
    for c in conns[1::2]:
        c.send(b"GET /metr")  # a request that never finishes
    time.sleep(grace + 0.3)

    def scrape():
        resp, dt = timed_scrape(host, port)
        print("     scrape with %d idle/stalled connections: %d in %.1f ms"
              % (len(conns), resp.status, dt * 1e3), flush=True)
        return (resp.status == 200 and dt < bound,
                "status %d after %.3f s (bound %.1f s)"
                % (resp.status, dt, bound))
    t.run("scrape answered promptly past the grace", scrape)
    # A second one right away: eviction keeps working, not just once.
    t.run("second scrape answered promptly", scrape)
    for c in conns:
        c.close()
    t.run("scrape after closing them", lambda: (
        timed_scrape(host, port)[0].status == 200, "not 200"))


def overflow(host, port, args, t):
    limit = int(args[0])
    grace = float(args[1]) if len(args) > 1 else 1.0
    extra = limit + 2
    held = open_idle(host, port, limit)
    t.check("held %d idle connections" % limit, len(held) == limit,
            "only %d connected" % len(held))
    time.sleep(0.05)  # let the server accept them before the extras
    t_start = time.monotonic()
    statuses = []
    extras = []
    for _ in range(extra):
        try:
            c = Conn(host, port, timeout=3.0)
        except OSError as e:
            statuses.append(str(e))
            continue
        extras.append(c)
        c.send(get("/metrics"))
    for c in extras:
        try:
            statuses.append(c.read_response().status)
        except Exception as e:  # reset or close without an answer
            statuses.append(type(e).__name__)
        c.close()
    elapsed = time.monotonic() - t_start
    print("     extra connections got: %s (%.0f ms)"
          % (statuses, elapsed * 1e3), flush=True)
    t.check("%d extra connections over the limit get 503" % extra,
            statuses == [503] * extra and elapsed < grace,
            "got %s in %.3f s" % (statuses, elapsed))

    def held_served():
        got = []
        for c in held:
            c.send(get("/metrics"))
            got.append(c.read_response().status)
        return got == [200] * limit, "held connections got %s" % got
    t.run("held connections are still served", held_served)

    time.sleep(grace + 0.3)

    def evicts():
        resp, dt = timed_scrape(host, port)
        return (resp.status == 200,
                "status %d after %.3f s" % (resp.status, dt))
    t.run("after the grace a new scrape evicts an idle one", evicts)
    for c in held:
        c.close()
    time.sleep(0.2)

    def recovered():
        got = [timed_scrape(host, port)[0].status for _ in range(limit + 2)]
        return got == [200] * (limit + 2), "got %s" % got
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
