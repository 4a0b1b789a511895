#!/usr/bin/env bash
# End-to-end test of the store console: boots build/kvm/shell.elf under
# QEMU with COM1 on stdio, pipes commands into it and checks the answers
# and the exit status.  QEMU only feeds the UART as fast as the guest
# reads it, so the whole script can be written at once.  The first command
# is the very first byte sent: none may be lost while the console starts.
set -u
cd "$(dirname "$0")/../.."
img=build/kvm/shell.elf
. tests/lib/tally.sh
if [ ! -f "$img" ]; then
  echo "no $img (make build/kvm/shell.elf)"
  echo "0 passed, 1 failed"
  exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The rest of the input waits until the shell has answered the first
# part and so waits for more: the idle thread has then run before its
# time is read (with all the input there at once it might never run).
{ printf 'help\nstore ls\nstore ls /uksched/\nstore cat uksched/threads\nstore cat uksched/main/switches\n'
  for _ in $(seq 300); do
    grep -q 'store cat uksched/main/switches' "$out" 2>/dev/null && break
    sleep 0.1
  done
  sleep 0.1
  printf 'store cat uksched/idle/cpu_seconds\nstore cat uksched\nstore ls uksched/threads\nstore cat uksched/nope\nstore ls nolib\nfrobnicate\nexit 3\n'; } |
  timeout -k 5 60 bash scripts/qemu.sh "$img" >"$out" 2>&1
rc=$?
tr -d '\r' <"$out" | sed 's/^/  | /'
# Everything the guest printed after the prompt, one line per answer.
has() { grep -qFx -- "$1" <(tr -d '\r' <"$out" | sed 's/^> //'); }
check "exit status 3 ((3 << 1) | 1 = 7)" test "$rc" -eq 7
check "banner" has "ukmon shell: type help"
check "help" has "  store ls [PATH]   list libraries, or a library's entries and folders"
check "ls lists uksched" has "uksched/"
check "ls lists uklock" has "uklock/"
check "ls uksched: main folder" has "main/"
check "ls uksched: idle folder" has "idle/"
check "ls uksched: static entries" has "context_switches"
check "cat threads = 2 (main, idle)" has "2"
check "cat main/switches is a number" \
  grep -qE '^(> )?[0-9]+$' <(tr -d '\r' <"$out" | sed -n '/store cat uksched\/main\/switches/,+1p' | tail -n 1)
check "cat idle/cpu_seconds is positive" \
  grep -qE '^(> )?0\.[0-9]*[1-9][0-9]*$|^[1-9]' <(tr -d '\r' <"$out" | sed -n '/store cat uksched\/idle\/cpu_seconds/,+1p' | tail -n 1)
check "cat of a library shows its entries" grep -qE '^(> )?idle_seconds [0-9.]+$' <(tr -d '\r' <"$out")
check "ls of an entry" has "store ls: uksched/threads: not a directory (-20)"
check "cat of a missing path" has "store cat: uksched/nope: no such path (-2)"
check "ls of a missing library" has "store ls: nolib: no such path (-2)"
check "unknown command" has "unknown command: frobnicate (try help)"
check "bye" has "bye"
finish
