#!/usr/bin/env bash
# Every image at the minimum memory README.md states for it (the
# "Minimum memory" table; keep the two in step): the kernel test images
# pass all their cases, helloworld prints its line, the shell answers
# store commands, and the demo serves /metrics (promtool-clean, every
# ukmon component up) and its file server under a short wrk load with no
# error.  Then the demo below its minimum, in 32 KiB steps down from it:
# at each size it either still does its whole job or says what is
# missing, never silently; and at some size it boots far enough for the
# exporter to report the failed component itself, as
# ukmon_component_up{component="fileserver"} 0.  The scan ends where the
# exporter itself no longer starts (the console must say so).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
. tests/lib/promlint.sh

# image:minimum, as in README.md.
TEST_MINS="libc-test:2M ukstore-test:2M ukprom-enc-test:2M plat-store-test:2M
  lwip-test:4352K sched-test:10M alloc-test:10M plat-test:16M"
HELLO_MIN=2M
SHELL_MIN=2M
DEMO_MIN_K=4736
work="$E2E_TMP/kvm_minmem.$$"
mkdir -p "$work"
trap 'rm -rf "$work"; _vmt_cleanup' EXIT

for tm in $TEST_MINS; do
  img=build/kvm/${tm%%:*}.elf mem=${tm#*:}
  QEMU_MEM=$mem QEMU_TIMEOUT=120 bash scripts/qemu-test.sh "$img" \
    >"$work/out" 2>&1
  rc=$?
  res=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/out" | tail -n 1)
  if [ $rc -eq 0 ] && [ -n "$res" ]; then
    pass "${tm%%:*} at -m $mem: $res"
  else
    fail "${tm%%:*} at -m $mem" "status $rc, ${res:-no result line}"
    grep -E 'FAIL|PANIC|qemu-test' "$work/out" | head -n 5 | sed 's/^/     /'
  fi
done

QEMU_MEM=$HELLO_MIN QEMU_TIMEOUT=30 bash scripts/qemu-test.sh \
  build/kvm/helloworld.elf >"$work/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q 'Hello from ukmon' "$work/out"; then
  pass "helloworld at -m $HELLO_MIN prints its line and exits 0"
else
  fail "helloworld at -m $HELLO_MIN" "status $rc"
fi

QEMU_MEM=$SHELL_MIN QEMU_TIMEOUT=30 \
  QEMU_INPUT=$'store ls\nstore cat uksched/threads\nexit 3\n' \
  bash scripts/qemu-test.sh build/kvm/shell.elf >"$work/out" 2>&1
rc=$?
tr -d '\r' <"$work/out" | sed 's/^> //' >"$work/shell"
if [ $rc -eq 3 ] && grep -qx 'uksched/' "$work/shell" &&
   grep -qx '2' "$work/shell" && grep -qx 'bye' "$work/shell"; then
  pass "shell at -m $SHELL_MIN answers store ls and store cat"
else
  fail "shell at -m $SHELL_MIN" "status $rc"
  tail -n 5 "$work/shell" | sed 's/^/     /'
fi

# ---- the demo at its minimum: the whole job ----
if VM_MEM=${DEMO_MIN_K}K vmt_boot; then
  vmt_scrape_ok "demo at -m ${DEMO_MIN_K}K: /metrics answers 200"
  curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" >"$work/scrape"
  if promlint "$work/scrape" >"$work/lint" 2>&1; then
    pass "its exposition is promtool-clean"
  else
    fail "its exposition is promtool-clean" "$(head -n 3 "$work/lint")"
  fi
  up=$(grep -c '^ukmon_component_up{.*} 1$' "$work/scrape")
  failed=$(awk '$1 == "ukmon_components_failed" { print $2 }' "$work/scrape")
  if [ "$up" = 4 ] && [ "$failed" = 0 ]; then
    pass "network, exporter, storage and file server are up"
  else
    fail "every component up" "$up up, $failed failed"
  fi
  wrk -t2 -c8 -d2s "http://127.0.0.1:$VMT_FPORT/1k.bin" >"$work/wrk" 2>&1
  n=$(awk '/requests in/ { print $1 }' "$work/wrk")
  if [ "${n:-0}" -gt 100 ] && ! grep -qE 'Non-2xx|Socket errors' "$work/wrk"
  then
    pass "the file server served $n requests under wrk -c8 without an error"
  else
    fail "the file server under wrk -c8" "$(grep -E 'requests in|Non-2xx|Socket' "$work/wrk" | tr '\n' ' ')"
  fi
  v=$(vmt_metric ukalloc_failures_total)
  if [ "$v" = 0 ]; then pass "no allocation failed (ukalloc_failures_total 0)"
  else fail "no allocation failed" "ukalloc_failures_total = '$v'"; fi
  vmt_alive "the demo at its minimum still runs, no panic"
  vm_stop
fi

# ---- below the minimum: never silent ----
# boot_below SIZE_K: boots the demo with SIZE_K KiB; sets BOOTED to 1
# when the exporter came up, 0 otherwise (its console in $VM_LOG).
boot_below() {
  VMT_MPORT=$(vm_free_port)
  VMT_FPORT=$(vm_free_port)
  # shellcheck disable=SC2086
  if VM_MEM=${1}K VM_READY_TIMEOUT=10 vm_start build/kvm/demo.elf \
      "$VMT_MPORT" "$VMT_FPORT" $VMT_STATIC 2>/dev/null; then
    BOOTED=1
  else
    BOOTED=0
  fi
}

seen_gauge=0
size=$((DEMO_MIN_K - 32))
while [ $size -ge $((DEMO_MIN_K - 1024)) ]; do
  boot_below $size
  if [ $BOOTED = 0 ]; then
    # The exporter could not start: the console must say what failed.
    if grep -q 'ukmon: .* failed to start' "$VM_LOG"; then
      pass "at ${size}K the exporter cannot start, and the console says so: $(grep -m1 'failed to start' "$VM_LOG" | sed 's/^error: //')"
    else
      fail "at ${size}K the console names what failed" "console follows"
      sed 's/^/     /' "$VM_LOG" | tail -n 8
    fi
    vm_stop
    break
  fi
  curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" >"$work/scrape"
  down=$(grep '^ukmon_component_up{.*} 0$' "$work/scrape" |
    sed 's/.*component="\([^"]*\)".*/\1/' | tr '\n' ' ')
  failed=$(awk '$1 == "ukmon_components_failed" { print $2 }' "$work/scrape")
  if [ -n "$down" ]; then
    if [ "${failed:-0}" -ge 1 ] &&
       grep -q "ukmon: ${down%% *} failed to start" "$VM_LOG"; then
      pass "at ${size}K the metrics show ${down% } down (ukmon_component_up 0, ukmon_components_failed $failed) and the console says so"
      seen_gauge=1
    else
      fail "at ${size}K a failed component is counted and named on the console" "down: $down, failed: $failed"
    fi
  else
    # All up: it must then serve, or count what it refused.
    code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
      "http://127.0.0.1:$VMT_FPORT/hello.txt")
    nomem=$(vmt_metric fileserver_no_memory_total)
    if [ "$code" = 200 ] && [ "$failed" = 0 ]; then
      echo "     at ${size}K everything is still up"
    elif [ "$code" = 503 ] && [ "${nomem:-0}" -ge 1 ]; then
      echo "     at ${size}K every part is up but the file server answers 503, counted (fileserver_no_memory_total $nomem)"
    else
      fail "at ${size}K the demo works or says what is missing" "file server $code, every component reported up"
    fi
  fi
  vm_stop
  size=$((size - 32))
done
if [ $seen_gauge = 1 ]; then
  pass "below its minimum the demo reported a failed component in its metrics"
else
  fail "below its minimum the demo reported a failed component in its metrics" "never between $((DEMO_MIN_K - 32))K and ${size}K"
fi
finish
