#!/usr/bin/env python3
"""Connection pressure on the demo VM: held and idle connections.

usage: vm_conns.py held HOST MPORT FPORT N [HOLD_S [exporter|fileserver]]
       vm_conns.py idle HOST FPORT N

held: opens N connections to the exporter (MPORT; or to the file server,
FPORT), each sending a partial request head ("GET /metrics ... X-a: ")
and holding it, a few ms apart (QEMU's forwarded port accepts one
connection per main-loop turn, see paced.py), keeps them HOLD_S (3)
seconds more, then closes them.  All the while, every 0.25 s, a probe
scrapes /metrics and fetches /hello.txt from the file server on fresh
connections: each must be answered 200 within 2 s, and
lwip_tcp_pcb_headroom in every scrape must stay above 0.  What the held
connections got (503, reset, nothing) is printed.

idle: opens N connections to the file server, half of them silent and
half stalled in the middle of a request line, then a GET on a new
connection must be answered 200 within 2 s; the file server evicts the
idle ones for it.

Prints "N passed, N failed" last.
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from httpclient import Conn, Tally, get, request  # noqa: E402

PACE_S = float(os.environ.get("CONNECT_PACE_S", "0.006"))
BOUND_S = 2.0
PARTIAL = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-a: "


def timed_get(host, port, path):
    """(status or error name, seconds, body) of one GET on a new conn."""
    t0 = time.monotonic()
    try:
        resp, c = request(host, port, get(path), timeout=BOUND_S)
        c.close()
        return resp.status, time.monotonic() - t0, resp.body
    except Exception as e:  # timeouts, resets: the probe's result
        return type(e).__name__, time.monotonic() - t0, b""


def headroom(body):
    for line in body.decode("latin-1").splitlines():
        if line.startswith("lwip_tcp_pcb_headroom "):
            return float(line.split()[1])
    return None


class Prober(threading.Thread):
    """Scrapes and fetches every 0.25 s until stopped."""

    def __init__(self, host, mport, fport):
        super().__init__(daemon=True)
        self.host, self.mport, self.fport = host, mport, fport
        self.stop = threading.Event()
        self.scrapes = []   # (status, seconds, headroom)
        self.fetches = []   # (status, seconds)

    def run(self):
        while not self.stop.is_set():
            st, dt, body = timed_get(self.host, self.mport, "/metrics")
            self.scrapes.append((st, dt, headroom(body) if st == 200
                                 else None))
            st, dt, _ = timed_get(self.host, self.fport, "/hello.txt")
            self.fetches.append((st, dt))
            self.stop.wait(0.25)


def fate(c):
    """What a held connection got: its status, a reset, EOF, or nothing."""
    try:
        return str(c.read_response(timeout=0.05).status)
    except TimeoutError:
        return "nothing"
    except EOFError:
        return "closed"
    except OSError:
        return "reset"
    except ValueError:
        return "garbage"


def held(host, args, t):
    mport, fport, n = int(args[0]), int(args[1]), int(args[2])
    hold = float(args[3]) if len(args) > 3 else 3.0
    target = args[4] if len(args) > 4 else "exporter"
    port = mport if target == "exporter" else fport
    p = Prober(host, mport, fport)
    p.start()
    conns, errors = [], 0
    for _ in range(n):
        try:
            c = Conn(host, port, timeout=BOUND_S)
            c.send(PARTIAL)
            conns.append(c)
        except OSError:
            errors += 1
        time.sleep(PACE_S)
    time.sleep(hold)
    p.stop.set()
    p.join()
    fates = {}
    for c in conns:
        f = fate(c)
        fates[f] = fates.get(f, 0) + 1
        c.close()
    print("     %d held connections (%d failed to connect) got: %s"
          % (len(conns), errors, ", ".join("%s %d" % kv
                                           for kv in sorted(fates.items()))),
          flush=True)
    rooms = [h for _, _, h in p.scrapes if h is not None]
    worst = max([dt for _, dt, _ in p.scrapes] + [0])
    print("     %d scrapes: %s, slowest %.0f ms; headroom min %s max %s"
          % (len(p.scrapes), summary([s for s, _, _ in p.scrapes]),
             worst * 1e3, min(rooms) if rooms else "-",
             max(rooms) if rooms else "-"), flush=True)
    worst = max([dt for _, dt in p.fetches] + [0])
    print("     %d file server GETs: %s, slowest %.0f ms"
          % (len(p.fetches), summary([s for s, _ in p.fetches]),
             worst * 1e3), flush=True)
    t.check("%d connections held on the %s port" % (n, target),
            len(conns) == n, "%d failed to connect" % errors)
    t.check("every scrape answered 200 within %.0f s" % BOUND_S,
            p.scrapes and all(s == 200 and dt < BOUND_S
                              for s, dt, _ in p.scrapes),
            summary([s for s, _, _ in p.scrapes]))
    t.check("every file server GET answered 200 within %.0f s" % BOUND_S,
            p.fetches and all(s == 200 and dt < BOUND_S
                              for s, dt in p.fetches),
            summary([s for s, _ in p.fetches]))
    t.check("the PCB headroom never reached 0",
            rooms and min(rooms) > 0,
            "min %s" % (min(rooms) if rooms else "never read"))


def summary(statuses):
    counts = {}
    for s in statuses:
        counts[str(s)] = counts.get(str(s), 0) + 1
    return ", ".join("%s x%d" % kv for kv in sorted(counts.items()))


def idle(host, args, t):
    fport, n = int(args[0]), int(args[1])
    conns = []
    for i in range(n):
        try:
            c = Conn(host, fport, timeout=BOUND_S)
        except OSError:
            break
        if i % 2:
            c.send(b"GET /hello.t")  # a request line that never ends
        conns.append(c)
        time.sleep(PACE_S)
    t.check("opened %d idle connections to the file server" % n,
            len(conns) == n, "only %d connected" % len(conns))

    def fetch():
        st, dt, body = timed_get(host, fport, "/hello.txt")
        print("     GET with %d idle connections: %s in %.1f ms"
              % (len(conns), st, dt * 1e3), flush=True)
        return (st == 200 and dt < BOUND_S and body.startswith(b"Hello"),
                "%s after %.3f s" % (st, dt))
    t.run("a GET is answered within %.0f s" % BOUND_S, fetch)
    t.run("and another one", fetch)
    for c in conns:
        c.close()


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("held", "idle"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    t = Tally()
    try:
        (held if sys.argv[1] == "held" else idle)(sys.argv[2], sys.argv[3:],
                                                  t)
    except (OSError, socket.error) as e:
        t.check("connection test", False, str(e))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
