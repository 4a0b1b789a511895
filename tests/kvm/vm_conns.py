#!/usr/bin/env python3
"""Connection pressure on the demo VM: held and idle connections.

usage: vm_conns.py held HOST MPORT FPORT N [HOLD_S [exporter|fileserver]]
       vm_conns.py idle HOST FPORT N
       vm_conns.py stuck HOST FPORT PATH NSLOW NEXTRA [QLEN]

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

stuck: NSLOW clients (one per worker) GET PATH, a file far larger than
the buffers on the way, with a small receive buffer, and never read, so
every worker is stuck sending; then NEXTRA more connections GET
/hello.txt: those beyond the file server's queue (QLEN, 16) must get 503
within 1 s, the queued ones 200 once the stuck sends have timed out (a
send call that makes no progress for 5 s: 5 to 10 s).

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


def stuck(host, args, t):
    fport, path, nslow, nextra = (int(args[0]), args[1], int(args[2]),
                                  int(args[3]))
    qlen = int(args[4]) if len(args) > 4 else 16
    slow = []
    for _ in range(nslow):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(BOUND_S)
        s.connect((host, fport))
        s.sendall(get(path))  # and never read the answer
        slow.append(s)
        time.sleep(PACE_S)
    time.sleep(0.5)  # every worker is now stuck sending
    t0 = time.monotonic()
    extras = []
    for _ in range(nextra):
        c = Conn(host, fport, timeout=10.0)
        c.send(get("/hello.txt"))
        extras.append(c)
        time.sleep(PACE_S)
    got = [None] * nextra

    def read(i):
        try:
            r = extras[i].read_response(timeout=15.0)
            got[i] = (r.status, time.monotonic() - t0)
        except Exception as e:  # a test must report, never crash
            got[i] = (type(e).__name__, time.monotonic() - t0)
        extras[i].close()
    readers = [threading.Thread(target=read, args=(i,))
               for i in range(nextra)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    for s in slow:
        s.close()
    n503 = [dt for st, dt in got if st == 503]
    n200 = [dt for st, dt in got if st == 200]
    print("     %d readers stuck on %s; %d more connections got: %s; 503s "
          "within %.0f ms, 200s after %.1f-%.1f s"
          % (nslow, path, nextra, summary([st for st, _ in got]),
             max(n503 + [0]) * 1e3, min(n200 or [0]), max(n200 or [0])),
          flush=True)
    t.check("with every worker stuck sending, the %d beyond the queue of %d "
            "get 503 at once" % (nextra - qlen, qlen),
            len(n503) == nextra - qlen and max(n503 + [0]) < 1.0,
            summary([st for st, _ in got]))
    t.check("the %d queued are answered 200 once the stuck sends time out"
            % qlen, len(n200) == qlen and max(n200 + [0]) < 13.0,
            summary([st for st, _ in got]))


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("held", "idle", "stuck"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    t = Tally()
    try:
        {"held": held, "idle": idle, "stuck": stuck}[sys.argv[1]](
            sys.argv[2], sys.argv[3:], t)
    except (OSError, socket.error) as e:
        t.check("connection test", False, str(e))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
