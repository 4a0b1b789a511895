#!/usr/bin/env python3
"""Runs one of tests/lib's Python protocol tests with paced connects.

usage: paced.py SCRIPT ARGS...

QEMU's user network listens on a forwarded host port with a backlog of
one, so connects made back to back overflow the host's accept queue; the
kernel drops those SYNs and the client only retries a second (then
three) seconds later, which makes a test slow and, past its connect
timeout, flaky for reasons that have nothing to do with the guest.  This
wrapper makes every new httpclient.Conn wait a few milliseconds after it
connects, then runs SCRIPT unchanged as __main__ with ARGS.  Its exit
status and output are SCRIPT's.
"""
import os
import runpy
import sys
import time

PACE_S = float(os.environ.get("CONNECT_PACE_S", "0.006"))


def main():
    if len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    script = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.dirname(script))
    import httpclient  # noqa: E402  (found next to SCRIPT)

    plain_init = httpclient.Conn.__init__

    def paced_init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        time.sleep(PACE_S)

    httpclient.Conn.__init__ = paced_init
    sys.argv = [script] + sys.argv[2:]
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
