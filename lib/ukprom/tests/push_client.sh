#!/usr/bin/env bash
# ukprom's push client against servers that misbehave on purpose: starts
# tests/lib/push_server.py (one server whose behaviour each request picks
# by its path, and a listener with a full backlog), then runs the ASan
# and the TSan builds of test-ukprom-client against it and adds up their
# results.  The server is stopped, by PID, on exit.
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
work=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

/usr/bin/python3 tests/lib/push_server.py >"$work/ports" 2>"$work/server.log" &
srv=$!
for _ in $(seq 100); do
  [ -s "$work/ports" ] && break
  sleep 0.05
done
read -r port blackhole <"$work/ports" || true
if [ -z "${blackhole:-}" ]; then
  fail "push_server.py starts" "$(cat "$work/server.log")"
  finish
  exit 1
fi
pass "push_server.py listens on 127.0.0.1:$port (full backlog on $blackhole)"
for v in asan tsan; do
  t=build/$v/test-ukprom-client
  if [ ! -x "$t" ]; then
    fail "$t exists" "make $t"
    continue
  fi
  UKP_TEST_PORT=$port UKP_TEST_BLACKHOLE=$blackhole "$t" >"$work/$v.out" 2>&1
  rc=$?
  sed "s/^/     $v| /" "$work/$v.out"
  absorb "$work/$v.out" "$t"
  # A crash after its last case would still print a closing line.
  [ $rc -eq 0 ] || fail "$t exits with status 0" "status $rc"
done
finish
