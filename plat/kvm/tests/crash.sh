#!/usr/bin/env bash
# How kvm images end, seen from the host: an application's return value
# becomes QEMU's status; exceptions print a register dump and a backtrace
# and end with the crash status (126), distinct from any result; panics
# print a backtrace too.  Also boots plat-test with -m 16M and a known
# command line (argv splitting, options, quoting, the heap in 16 MiB).
# Needs build/kvm/plat-crash.elf and build/kvm/plat-test.elf (make kvm).
set -u
cd "$(dirname "$0")/../../.."
crash=build/kvm/plat-crash.elf
ptest=build/kvm/plat-test.elf
. tests/lib/tally.sh
out=$(mktemp)
trap 'rm -f "$out"' EXIT

ok() { pass "$1"; }
ko() { fail "$1"; sed 's/^/    | /' "$out" | tail -n 25; }

# boot NAME WANT_STATUS IMAGE APPEND [grep patterns that must match...]
boot() {
  local name=$1 want=$2 img=$3 app=$4 rc pat
  shift 4
  QEMU_TIMEOUT=${QEMU_TIMEOUT:-60} bash scripts/qemu-test.sh "$img" "$app" \
    >"$out" 2>&1
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    ko "$name: status $rc, expected $want"
    return 1
  fi
  for pat in "$@"; do
    if ! grep -Eq -- "$pat" "$out"; then
      ko "$name: no line matching '$pat'"
      return 1
    fi
  done
  ok "$name (status $rc)"
}

# The faulting RIP must resolve to the function that faulted.
rip_in() {
  local fn=$1 rip
  rip=$(grep -Eo 'RIP=0x[0-9a-f]+' "$out" | head -n 1 | cut -d= -f2)
  if [ -n "$rip" ] && addr2line -f -e "$crash" "$rip" | head -n 1 |
      grep -qx "$fn"; then
    ok "RIP $rip is in $fn"
  else
    ko "RIP '$rip' is not in $fn"
  fi
}

# The backtrace must list at least n frames.
frames_min() {
  local n=$1 got
  got=$(grep -Ec '^  #[0-9]+ 0x[0-9a-f]+' "$out")
  if [ "$got" -ge "$n" ]; then
    ok "backtrace has $got frames (>= $n)"
  else
    ko "backtrace has $got frames, expected >= $n"
  fi
}

dump=('RIP=0x' 'RSP=0x' 'RFLAGS=0x' 'RAX=0x' 'R15=0x' 'backtrace')

boot "exit=3 becomes the status" 3 "$crash" "exit=3" "mode 'exit=3'"
boot "exit=0 becomes success" 0 "$crash" "exit=0"
boot "exit=125" 125 "$crash" "exit=125"

boot "ud2: invalid opcode" 126 "$crash" "ud2" 'EXCEPTION 6 \(#UD' \
  "${dump[@]}" && { rip_in crash_leaf; frames_min 4; }
boot "NULL read: page fault at 0" 126 "$crash" "null" \
  'EXCEPTION 14 \(#PF' 'CR2=0x0000000000000000' "${dump[@]}" &&
  rip_in crash_leaf
boot "divide by zero" 126 "$crash" "div0" 'EXCEPTION 0 \(#DE' \
  "${dump[@]}" && rip_in crash_leaf
boot "non-canonical address: #GP" 126 "$crash" "gp" \
  'EXCEPTION 13 \(#GP' "${dump[@]}"
boot "boot stack overflow hits the guard page" 126 "$crash" "stack" \
  'EXCEPTION 8 \(#DF' 'RIP=0x'
boot "panic prints a backtrace" 126 "$crash" "panic" \
  'PANIC .*crash.c:[0-9]+: crash test: panic' 'backtrace' &&
  frames_min 3
boot "failed assertion" 126 "$crash" "assert" \
  'assertion failed: zero == 1' 'backtrace'

# Bytes on QEMU's stdin reach the guest through COM1 and IRQ 4: they
# are sent once the guest waits for them.
send_when_waiting() {
  local i
  for i in $(seq 1 300); do
    grep -q 'waiting for input' "$out" 2>/dev/null && break
    sleep 0.1
  done
  printf 'ping42'
  sleep 1
}
name="COM1 input raises IRQ 4"
send_when_waiting | QEMU_STDIN=inherit QEMU_TIMEOUT=60 \
  bash scripts/qemu-test.sh "$ptest" console_input kvmtest.input=ping42 \
  >"$out" 2>&1
rc=${PIPESTATUS[1]}
if [ "$rc" -eq 0 ] && grep -q "read 'ping42' with [1-9]" "$out"; then
  ok "$name"
else
  ko "$name (status $rc)"
fi

# Without isa-debug-exit the kernel says so and halts: QEMU keeps running
# (it is stopped here once the line is out, or after 30 s).
name="no debug-exit device: reported, then halted"
timeout 30 bash scripts/qemu.sh --no-exit-device "$crash" exit=7 \
  </dev/null >"$out" 2>&1 &
qpid=$!
for _ in $(seq 1 300); do
  grep -q 'halted' "$out" && break
  kill -0 "$qpid" 2>/dev/null || break
  sleep 0.1
done
sleep 0.5
if kill -0 "$qpid" 2>/dev/null; then running=1; else running=0; fi
kill "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
if [ "$running" -eq 1 ] &&
    grep -q 'exit status 7 (no isa-debug-exit device): halted' "$out"; then
  ok "$name"
else
  ko "$name (QEMU running: $running)"
fi

# All plat-test cases (the empty first word is a filter matching all)
# in 16 MiB of RAM with words, quotes and options on the line.
QEMU_MEM=16M boot "plat-test in 16 MiB with a command line" 0 "$ptest" \
  '"" second "third word" kvmtest.other=x=y "kvmtest.args=|second|third word|x.y=1" -- x.y=1' \
  'argv\[1\.\.\] = \|second\|third word\|x\.y=1' \
  '^ok +memmap_heap' '^ok +cmdline_boot_args' '^[0-9]+ passed, 0 failed'
if grep -q 'heap \[' "$out"; then
  echo "    $(grep 'heap \[' "$out")"
fi

finish
