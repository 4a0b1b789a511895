#!/usr/bin/env bash
# Each kind of allocator misuse must end the program with a panic
# (UK_PLAT_CRASH_STATUS 126 and "assertion failed" on the console).
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$top/build/asan/alloc-crash
if [ ! -x "$bin" ]; then
  echo "crash.sh: $bin missing (make tests)"; echo "0 passed, 1 failed"; exit 1
fi
. "$top/tests/lib/tally.sh"
run() {
  local mode=$1 want=$2 out rc
  out=$("$bin" "$mode" 2>&1); rc=$?
  if [ "$rc" -eq "$want" ] && { [ "$want" -eq 0 ] ||
       grep -q 'PANIC .*assertion failed' <<<"$out"; }; then
    pass "alloc-crash $mode (status $rc)"
  else
    fail "alloc-crash $mode" "status $rc, want $want"; echo "$out" | tail -3
  fi
}
run ok 0
for m in double double_large interior interior_small wild; do run "$m" 126; done
finish
