#!/usr/bin/env python3
"""A scraper under a connection-exhaustion attack, against an exporter.

usage: http_attack.py HOST PORT ATTACK [options]

ATTACK is one of
  none        the scraper alone (the baseline of a benchmark)
  churn:N     N connections each send an unfinished request head
              ("GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nX-a: ") and hold;
              every PERIOD s all are closed and N fresh ones opened
  trickle:N   N connections send the same unfinished head, then one more
              byte every PERIOD s each; one the server drops is replaced
              at once, so N are always held, and is itself held open,
              silently, until the end (a peer that never closes its end:
              the server must not keep state for it)

Meanwhile a scraper opens a fresh connection once a second (every
--interval s), sends GET /metrics and reads the whole response (200
within --timeout counts as a success).  The attacker runs in its own process, so that it never
delays the scraper's clock.

options:
  --seconds S      how long (20)
  --period S       the attacker's period (0.5)
  --pace S         pause after each attacker connect (0; the kvm tests
                   need a few ms: QEMU's forwarded port has a listen
                   backlog of one, see tests/kvm/paced.py)
  --timeout S      the scraper's deadline per scrape (2)
  --interval S     time between the starts of two scrapes (1)
  --auth USER:PW   the scraper sends HTTP basic credentials
  --min-ok K       test mode: passes if at least K scrapes got 200
                   (prints "N passed, N failed" last)
  --json           benchmark mode: prints one JSON line with the figures

Knows nothing of what the exporter publishes; standard library only.
"""
import base64
import json
import multiprocessing
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from httpclient import Conn, Tally, get  # noqa: E402

PARTIAL = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-a: "


def _open(host, port, pace):
    """One attacker connection with the unfinished head sent, or None."""
    try:
        s = socket.create_connection((host, port), timeout=1.0)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(PARTIAL)
        s.setblocking(False)
    except OSError:
        s = None
    if pace:
        time.sleep(pace)
    return s


def _close(s):
    try:
        s.close()
    except OSError:
        pass


def _alive(s):
    """Whether the server still holds s open (no EOF, no reset)."""
    try:
        return s.recv(4096) != b""  # data: a 408 on its way to a close
    except BlockingIOError:
        return True
    except OSError:
        return False


DEAD_MAX = 600  # dropped connections held open (file descriptors)


def attacker(host, port, kind, n, period, pace, until, counts):
    held, dead = [], []
    opened = 0
    while time.monotonic() < until:
        t0 = time.monotonic()
        if kind == "churn":
            for s in held:
                _close(s)
            held = []
        else:
            keep = []
            for s in held:
                try:
                    if not _alive(s):
                        raise OSError
                    s.send(b"a")
                    keep.append(s)
                except OSError:
                    dead.append(s)
            held = keep
            while len(dead) > DEAD_MAX:
                _close(dead.pop(0))
        while len(held) < n and time.monotonic() < until:
            s = _open(host, port, pace)
            if s is None:
                break
            held.append(s)
            opened += 1
        counts.value = opened
        left = period - (time.monotonic() - t0)
        if left > 0:
            time.sleep(min(left, max(0.0, until - time.monotonic())))
    for s in held + dead:
        _close(s)
    counts.value = opened


def scrape(host, port, timeout, auth):
    """One scrape on a fresh connection: (status or error name, seconds)."""
    extra = ""
    if auth:
        extra = "Authorization: Basic %s\r\n" % \
            base64.b64encode(auth.encode()).decode()
    t0 = time.monotonic()
    c = None
    try:
        c = Conn(host, port, timeout=timeout)
        c.send(get("/metrics", extra=extra))
        left = timeout - (time.monotonic() - t0)
        if left <= 0:
            raise TimeoutError("no response in time")
        status = c.read_response(timeout=left).status
    except Exception as e:  # reset, timeout, refused: a failed scrape
        status = type(e).__name__
    finally:
        if c:
            c.close()
    return status, time.monotonic() - t0


def percentile(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, int(round(q / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    host, port, attack = args[0], int(args[1]), args[2]
    opts = {"--seconds": "20", "--period": "0.5", "--pace": "0",
            "--timeout": "2", "--interval": "1", "--auth": "",
            "--min-ok": ""}
    flags = set()
    i = 3
    while i < len(args):
        if args[i] == "--json":
            flags.add("json")
            i += 1
        elif args[i] in opts and i + 1 < len(args):
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            print("bad option %s" % args[i], file=sys.stderr)
            return 2
    kind, _, n = attack.partition(":")
    if kind not in ("none", "churn", "trickle") or \
            (kind != "none" and not n.isdigit()):
        print("bad attack %r" % attack, file=sys.stderr)
        return 2
    n = int(n or 0)
    seconds = float(opts["--seconds"])
    timeout = float(opts["--timeout"])

    counts = multiprocessing.Value("l", 0)
    start = time.monotonic()
    until = start + seconds
    proc = None
    if kind != "none":
        proc = multiprocessing.Process(
            target=attacker, args=(host, port, kind, n,
                                   float(opts["--period"]),
                                   float(opts["--pace"]), until + 0.5,
                                   counts), daemon=True)
        proc.start()
        time.sleep(1.0)  # let the attack reach its steady state
    interval = float(opts["--interval"])
    results = []
    t_next = time.monotonic()
    while len(results) < int(round(seconds / interval)):
        now = time.monotonic()
        if now < t_next:
            time.sleep(t_next - now)
        results.append(scrape(host, port, timeout, opts["--auth"]))
        t_next += interval
    if proc:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
    ok = [dt for st, dt in results if st == 200]
    lat = [dt for _, dt in results]
    fig = {"attack": attack, "scrapes": len(results), "ok": len(ok),
           "ratio": len(ok) / float(len(results)),
           "p50_ms": percentile(lat, 50) * 1e3,
           "p99_ms": percentile(lat, 99) * 1e3,
           "attacker_connects": counts.value}
    others = sorted(set(str(st) for st, _ in results if st != 200))
    print("     %s: %d/%d scrapes got 200, latency p50 %.1f ms, p99 %.1f "
          "ms, %d attacker connections%s"
          % (attack, len(ok), len(results), fig["p50_ms"], fig["p99_ms"],
             counts.value, "; other outcomes: " + ", ".join(others)
             if others else ""), flush=True)
    if "json" in flags:
        print(json.dumps(fig), flush=True)
    if opts["--min-ok"]:
        t = Tally()
        want = int(opts["--min-ok"])
        t.check("%s: at least %d of %d scrapes get 200"
                % (attack, want, len(results)), len(ok) >= want,
                "only %d" % len(ok))
        return t.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
