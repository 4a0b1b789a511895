#!/usr/bin/env bash
# Allocator exhaustion under load: the demo VM booted with
# ukalloc.fail_every=N (every Nth allocation fails once its components
# are up) while wrk drives the file server and curl scrapes /metrics
# every 0.2 s, alternately in the text format (promtool check metrics)
# and in OpenMetrics (tests/lib/check_openmetrics.py).  The VM must keep
# running with a clean console; every scrape must be complete and
# parseable or a 503; ukalloc_failures_total must count the failures
# (about one allocation in N); the file server answers its requests 200
# or, when its header allocation fails, 503 (counted by
# fileserver_no_memory_total), and still serves afterwards.  Run with
# N = 7 (some allocations fail) and N = 1 (every one does); the figures
# are printed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
. tests/lib/promlint.sh
WRK_SECONDS=${WRK_SECONDS:-4}
work="$E2E_TMP/kvm_alloc.$$"
mkdir -p "$work"
trap 'rm -rf "$work"; _vmt_cleanup' EXIT

# scrape_check I: scrape number I (even: text, odd: OpenMetrics); prints
# "ok", "503" or what was wrong.
scrape_check() {
  local accept=() f="$work/scrape.$1" code
  [ $(($1 % 2)) -eq 1 ] && accept=(-H 'Accept: application/openmetrics-text')
  code=$(curl -s --max-time 5 "${accept[@]}" -o "$f" -w '%{http_code}' \
    "http://127.0.0.1:$VMT_MPORT/metrics")
  case "$code" in
  200)
    if [ $(($1 % 2)) -eq 0 ]; then
      promlint "$f" >"$f.lint" 2>&1 &&
        echo ok || echo "text: $(head -n 1 "$f.lint")"
    else
      /usr/bin/python3 tests/lib/check_openmetrics.py "$f" >"$f.lint" 2>&1 &&
        echo ok || echo "openmetrics: $(head -n 1 "$f.lint")"
    fi ;;
  503) echo 503 ;;
  *) echo "status '$code'" ;;
  esac
  rm -f "$f" "$f.lint"
}

# run N: one VM with ukalloc.fail_every=N under load.
run() {
  local n=$1 i=0 ok=0 s503=0 bad=0 res wrk_pid f0 a0 f1 a1 req rq0 rq1
  local nm0 nm1 non2xx code
  echo "--- ukalloc.fail_every=$n"
  # shellcheck disable=SC2086
  vmt_boot $VMT_STATIC ukalloc.fail_every=$n || return
  if grep -q "one allocation in $n fails" "$VM_LOG"; then
    pass "the console says one allocation in $n fails"
  else
    fail "the console announces ukalloc.fail_every"
  fi
  f0=$(vmt_metric ukalloc_failures_total)
  a0=$(vmt_metric ukalloc_allocs_total)
  rq0=$(vmt_metric fileserver_requests_total)
  nm0=$(vmt_metric fileserver_no_memory_total)
  wrk -t2 -c8 -d"${WRK_SECONDS}s" "http://127.0.0.1:$VMT_FPORT/1k.bin" \
    >"$work/wrk" 2>&1 &
  wrk_pid=$!
  vmt_track $wrk_pid
  while kill -0 $wrk_pid 2>/dev/null; do
    res=$(scrape_check $i)
    case "$res" in
    ok) ok=$((ok + 1)) ;;
    503) s503=$((s503 + 1)) ;;
    *) bad=$((bad + 1)); echo "     scrape $i: $res" ;;
    esac
    i=$((i + 1))
    sleep 0.2
  done
  wait $wrk_pid
  f1=$(vmt_metric ukalloc_failures_total)
  a1=$(vmt_metric ukalloc_allocs_total)
  rq1=$(vmt_metric fileserver_requests_total)
  nm1=$(vmt_metric fileserver_no_memory_total)
  req=$(awk '/requests in/ { print $1 }' "$work/wrk")
  non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk")
  echo "     $i scrapes: $ok complete and parseable, $s503 answered 503, $bad bad"
  echo "     wrk: ${req:-?} requests, ${non2xx:-0} of them 503; file server: $((rq1 - rq0)) served, $((nm1 - nm0)) refused for memory"
  echo "     allocator: $((f1 - f0)) failed, $((a1 - a0)) succeeded"
  if [ $bad -eq 0 ] && [ $ok -gt 0 ]; then
    pass "every scrape complete and parseable or 503 ($ok ok, $s503 503)"
  else
    fail "every scrape complete and parseable or 503" "$bad bad, $ok ok"
  fi
  if [ $((f1 - f0)) -gt 0 ] &&
     awk -v f=$((f1 - f0)) -v a=$((a1 - a0)) -v n="$n" \
       'BEGIN { r = f / (f + a); exit !(r > 0.8 / n && r < 1.2 / n + 0.01) }'
  then
    pass "ukalloc_failures_total counted $((f1 - f0)) failures, one allocation in about $n"
  else
    fail "ukalloc_failures_total counts one allocation in $n" "$((f1 - f0)) failed, $((a1 - a0)) succeeded"
  fi
  if [ "${req:-0}" -gt 0 ] && [ $((nm1 - nm0)) -gt 0 ] &&
     [ "${non2xx:-0}" -le $((nm1 - nm0)) ]; then
    pass "the file server answered wrk throughout, its 503s counted as no_memory"
  else
    fail "the file server answered wrk, its 503s counted" "wrk ${req:-none}, non-2xx ${non2xx:-0}, no_memory $((nm1 - nm0))"
  fi
  if grep -qE 'Socket errors: connect [1-9]|timeout [1-9]' "$work/wrk"; then
    fail "no connection failed or timed out" "$(grep 'Socket errors' "$work/wrk")"
  else
    pass "no connection failed or timed out under wrk"
  fi
  if [ "$n" -gt 1 ]; then
    for _ in 1 2 3; do
      code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
        "http://127.0.0.1:$VMT_FPORT/hello.txt")
      [ "$code" = 200 ] && break
    done
    if [ "$code" = 200 ]; then pass "the file server still serves afterwards"
    else fail "the file server still serves afterwards" "got '$code'"; fi
  fi
  up=$(vmt_metric 'ukmon_components_failed')
  if [ "$up" = 0 ]; then pass "every component still reported up"
  else fail "every component still reported up" "ukmon_components_failed = '$up'"; fi
  vmt_alive "the VM still runs, no panic on its console"
  vm_stop
}

run 7
run 1
finish
