#!/usr/bin/env bash
# The batch image when its push fails: nothing listening (connection
# refused), a server that never answers (tests/lib/push_server.py), one
# that answers 400.  Each time the image still exits with the job's own
# status, within the documented bound (ukprom.push_timeout_ms, 2000 ms
# by default), and its console says why the push failed.
#
# The bound is checked twice, each with a generous margin (this bounds
# a hang; it is not a benchmark): the final push's duration measured in
# the VM ("batch: final push failed after N ms") must be at most the
# bound + 1000 ms, and QEMU's whole life must exceed that of a run that
# pushes successfully by at most the bound + 5000 ms.  Prints the
# figures.
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
. tests/lib/pushgateway.sh
. apps/batch/tests/batch_lib.sh
E2E_TMP=${E2E_TMP:-build/e2e}
mkdir -p "$E2E_TMP"
work=$(mktemp -d "$E2E_TMP/batch_fail.XXXXXX")
srv=
trap 'pg_stop; [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

[ -f "$BATCH_IMG" ] || { fail "$BATCH_IMG exists" "make $BATCH_IMG"; finish; exit 1; }
batch_initrd "$work"
/usr/bin/python3 tests/lib/push_server.py >"$work/ports" 2>"$work/server.log" &
srv=$!
for _ in $(seq 100); do [ -s "$work/ports" ] && break; sleep 0.05; done
read -r sport _ <"$work/ports"
[ -n "$sport" ] || { fail "push_server.py starts"; finish; exit 1; }

# The baseline: the same image pushing successfully.
if pg_start "$work"; then :; else fail "prometheus-pushgateway starts"; finish; exit 1; fi
batch_run "$work/base.log" uk.hostname=batch-ok \
  "ukprom.push=10.0.2.2:$PG_PORT/metrics/job/batch"
base=$BATCH_MS
if [ "$BATCH_STATUS" = 0 ] && grep -q '(HTTP 200)$' "$work/base.log"; then
  pass "baseline: a successful push, QEMU's life $base ms"
else
  fail "baseline: a successful push" "status $BATCH_STATUS"
fi
pg_stop

# fail_case NAME BOUND_MS WANT_STATUS WHY WORDS...: boots the image with
# WORDS and checks status, bounds and the console's reason (grep -E).
fail_case() {
  local name=$1 bound=$2 want=$3 why=$4 log ms extra
  shift 4
  log="$work/$(echo "$name" | tr -c 'a-z0-9' _).log"
  batch_run "$log" "$@"
  ms=$(batch_push_ms "$log")
  extra=$((BATCH_MS - base))
  echo "     figure: $name: final push ${ms:-?} ms in the VM, QEMU's life $BATCH_MS ms ($extra ms over the baseline), bound $bound ms"
  check "$name: exits with the job's status $want (got $BATCH_STATUS)" \
    [ "$BATCH_STATUS" = "$want" ]
  if [ -n "$ms" ] && [ "$ms" -le $((bound + 1000)) ]; then
    pass "$name: the final push gave up after $ms ms (bound $bound + 1000)"
  else
    fail "$name: the final push gave up within the bound" "'$ms' ms"
  fi
  check "$name: QEMU lived $extra ms longer than the baseline (at most $bound + 5000)" \
    [ "$extra" -le $((bound + 5000)) ]
  if grep -Eq "^error: ukprom: push to 10\.0\.2\.2:[0-9]+/metrics/job/[^ ]* failed after [0-9]+ ms: $why" "$log"; then
    pass "$name: the console says why: $(grep '^error: ukprom: push' "$log" | sed 's/^error: //')"
  else
    fail "$name: the console says why" "want '$why'"
    sed 's/^/     /' "$log" | tail -n 10
  fi
}

dead=$(free_port)
fail_case "connection refused" 2000 0 "connection refused" \
  uk.hostname=batch-f1 "ukprom.push=10.0.2.2:$dead/metrics/job/batch"
fail_case "a server that never answers" 2000 0 \
  "timed out after 2000 ms waiting for the response" \
  uk.hostname=batch-f2 "ukprom.push=10.0.2.2:$sport/metrics/job/hang"
fail_case "never answers, ukprom.push_timeout_ms=500" 500 0 \
  "timed out after 500 ms waiting for the response" \
  uk.hostname=batch-f3 "ukprom.push=10.0.2.2:$sport/metrics/job/hang" \
  ukprom.push_timeout_ms=500
fail_case "a server answering 400" 2000 0 \
  "HTTP 400 Test Status: push refused by the test server" \
  uk.hostname=batch-f4 "ukprom.push=10.0.2.2:$sport/metrics/job/status-400"
fail_case "a failing job whose push never answers" 2000 1 \
  "timed out after 2000 ms waiting for the response" \
  uk.hostname=batch-f5 "ukprom.push=10.0.2.2:$sport/metrics/job/hang" \
  batch.in=/initrd/missing
finish
