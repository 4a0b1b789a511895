#!/usr/bin/env bash
# Runs every test given on the command line and sums their closing
# "N passed, N failed" lines into one final line of the same form.
#   path          a linuxu test program, run as is
#   kvm:path.elf  a kernel test image, booted under QEMU
#   *.sh / *.py   a test script, run from the top of the tree
# A test that crashes, times out or prints no closing line counts as one
# failure, so a broken test can never make the total look better.
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
logdir=build/check
mkdir -p "$logdir"
tp=0; tf=0; failed=()
for t in "$@"; do
  name=${t#kvm:}; name=${name//\//_}
  log="$logdir/$name.log"
  case "$t" in
    kvm:*) cmd=(bash scripts/qemu-test.sh "${t#kvm:}") ;;
    *.py) cmd=(/usr/bin/python3 "$t") ;;
    *.sh) cmd=(bash "$t") ;;
    *) cmd=("$t") ;;
  esac
  start=$(date +%s.%N)
  timeout -k 10 600 "${cmd[@]}" >"$log" 2>&1
  rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    p=0; f=1
  else
    p=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
    f=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/' <<<"$line")
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  fi
  tp=$((tp + p)); tf=$((tf + f))
  if [ "$f" -ne 0 ]; then
    failed+=("$t")
    echo "FAIL $t (exit $rc, ${secs}s): ${line:-no result line}"
    echo "---- last lines of $log"
    tail -n 30 "$log" | sed 's/^/    /'
  else
    echo "ok   $t (${secs}s): $line"
  fi
done
[ ${#failed[@]} -ne 0 ] && echo "failed: ${failed[*]}"
echo "$tp passed, $tf failed"
[ "$tf" -eq 0 ]
