#!/usr/bin/env bash
# The exporter's HTTP protocol tests of tests/lib against the demo VM,
# through QEMU's hostfwd, with the exporter limited to 8 connections by
# the boot option ukprom.max_conns=8 (and its head deadline moved to a
# minute by ukprom.head_timeout_ms, which is checked): every bad request
# on a raw socket
# gets its status (http_bad_requests.py), 64 idle and stalled connections
# cannot starve a scrape (http_conns.py idle), and at the limit newcomers
# replace silent connections at once and get 503 only while every slot
# is busy answering, then everything recovers (http_conns.py overflow).
# Connects are paced by tests/kvm/paced.py: QEMU's forwarded port has a
# listen backlog of one (see there).  Afterwards the exporter's own
# counters must account for what it refused, a normal scrape must still
# succeed and the VM must still run with a clean console.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
LIMIT=8

vmt_boot $VMT_STATIC ukprom.max_conns=$LIMIT ukprom.head_timeout_ms=60000 ||
  { finish; exit 1; }

# The head deadline follows its boot option: an unfinished request is
# still open after 3 s (the default, 2 s, would have answered 408).
if /usr/bin/python3 - "$VMT_MPORT" <<'PY'
import sys, time
sys.path.insert(0, "tests/lib")
from httpclient import Conn
c = Conn("127.0.0.1", int(sys.argv[1]), timeout=5.0)
c.send(b"GET /metrics HTTP/1.1\r\nHo")
sys.exit(1 if c.closed_by_peer(timeout=3.0) or c.buf else 0)
PY
then pass "ukprom.head_timeout_ms=60000: an unfinished request is kept 3 s"
else fail "ukprom.head_timeout_ms=60000: an unfinished request is kept 3 s"
fi

sub() {  # NAME SCRIPT ARGS...: a tests/lib Python test, paced, folded in
  local name=$1 log="$E2E_TMP/kvm_protocol.$$.log"
  shift
  echo "--- $name"
  /usr/bin/python3 tests/kvm/paced.py "$@" >"$log" 2>&1
  sed '$d' "$log"
  absorb "$log" "$name"
  rm -f "$log"
}

sub bad_requests tests/lib/http_bad_requests.py 127.0.0.1 "$VMT_MPORT"
vmt_at_least "400s counted" 'ukprom_http_errors_total{code="400"}' 13
vmt_at_least "404s counted" 'ukprom_http_errors_total{code="404"}' 2
vmt_at_least "405s counted" 'ukprom_http_errors_total{code="405"}' 2
vmt_at_least "414 counted" 'ukprom_http_errors_total{code="414"}' 1
vmt_at_least "431 counted" 'ukprom_http_errors_total{code="431"}' 1
vmt_scrape_ok "a scrape succeeds after the bad requests"

sub idle tests/lib/http_conns.py 127.0.0.1 "$VMT_MPORT" idle 64
vmt_at_least "idle connections were evicted" \
  ukprom_evicted_connections_total 1

sub overflow tests/lib/http_conns.py 127.0.0.1 "$VMT_MPORT" overflow \
  "$LIMIT"
vmt_at_least "newcomers over the limit evicted silent connections" \
  ukprom_evicted_connections_total $((LIMIT + 2))
vmt_at_least "newcomers while every slot answered were rejected" \
  ukprom_rejected_connections_total $((LIMIT + 2))
vmt_at_least "rejections were answered 503" \
  'ukprom_http_errors_total{code="503"}' $((LIMIT + 2))

vmt_scrape_ok "a normal scrape succeeds at the end (the VM survived)"
# The workload beside the exporter still answers too.
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$VMT_FPORT/hello.txt")
if [ "$code" = 200 ]; then pass "the file server still answers"
else fail "the file server still answers" "got '$code'"; fi
vmt_alive "the VM is still running, no panic on its console"
finish
