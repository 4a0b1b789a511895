#!/usr/bin/env bash
# The exporter benchmark: ukprom (build/linuxu/bench-server) against
# prometheus-cpp's pull exposer (build/linuxu/bench-peer-promcpp), both
# serving the same bench set of 2*N series (N=10000: bench_counter_total
# and bench_gauge for id 0..N-1) on loopback.  For each it checks the
# series count, times COUNT keep-alive scrapes with scrape-lat (median and
# p99) and takes the server's CPU time per scrape from utime+stime in
# /proc/<pid>/stat across those scrapes, then prints both side by side
# with the ratio prometheus-cpp / ukprom (the goal is >= 10x).
# Environment: BENCH_N (10000), BENCH_SCRAPES (200).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh   # free_port
N=${BENCH_N:-10000}
COUNT=${BENCH_SCRAPES:-200}
B=build/linuxu
make -s --no-print-directory "$B/bench-server" "$B/bench-peer-promcpp" \
  "$B/scrape-lat" || { echo "cannot build the benchmark programs"; exit 1; }

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

start() {  # BIN PORT: starts BIN N PORT and waits until it serves
  "$1" "$N" "$2" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do
    curl -sf --max-time 5 -o /dev/null "http://127.0.0.1:$2/metrics" &&
      return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "$1 did not start serving on port $2"
  exit 1
}

cpu_ticks() {  # PID: utime + stime (all threads), in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

hz=$(getconf CLK_TCK)
declare -A R
measure() {  # NAME PID PORT
  local name=$1 pid=$2 port=$3 series out t0 t1
  series=$(curl -s --max-time 30 "http://127.0.0.1:$port/metrics" |
    grep -Ec '^bench_(counter_total|gauge)\{id="[0-9]+"\} ')
  R[$name.series]=$series
  if [ "$series" -ne $((2 * N)) ]; then
    echo "$name serves $series bench series, expected $((2 * N))"
    exit 1
  fi
  "$B/scrape-lat" 127.0.0.1 "$port" 10 >/dev/null || exit 1  # warm up
  t0=$(cpu_ticks "$pid")
  out=$("$B/scrape-lat" 127.0.0.1 "$port" "$COUNT") || exit 1
  t1=$(cpu_ticks "$pid")
  echo "  $name: $out cpu_ticks=$((t1 - t0))"
  for kv in $out; do R[$name.${kv%%=*}]=${kv#*=}; done
  R[$name.cpu_ms]=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$COUNT" \
    'BEGIN { printf "%.3f", d * 1000 / hz / n }')
}

p1=$(free_port)
start "$B/bench-server" "$p1"
uk_pid=${pids[-1]}
p2=$(free_port)
start "$B/bench-peer-promcpp" "$p2"
cpp_pid=${pids[-1]}

echo "bench set: N=$N ($((2 * N)) series), $COUNT keep-alive scrapes each"
measure ukprom "$uk_pid" "$p1"
measure promcpp "$cpp_pid" "$p2"

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1fx", b / a;
    else printf "inf" }'
}
row() {  # LABEL KEY UNIT-DIVISOR
  local a b
  a=$(awk -v v="${R[ukprom.$2]}" -v d="$3" 'BEGIN { printf "%.3f", v / d }')
  b=$(awk -v v="${R[promcpp.$2]}" -v d="$3" 'BEGIN { printf "%.3f", v / d }')
  printf "%-26s %14s %16s %10s\n" "$1" "$a" "$b" "$(ratio "$a" "$b")"
}
echo
printf "%-26s %14s %16s %10s\n" "" ukprom prometheus-cpp "cpp/ukprom"
printf "%-26s %14s %16s\n" "series" "${R[ukprom.series]}" \
  "${R[promcpp.series]}"
printf "%-26s %14s %16s\n" "body bytes" "${R[ukprom.bytes]}" \
  "${R[promcpp.bytes]}"
row "median latency (ms)" median_us 1000
row "p99 latency (ms)" p99_us 1000
row "server CPU per scrape (ms)" cpu_ms 1
cpu_x=$(awk -v a="${R[ukprom.cpu_ms]}" -v b="${R[promcpp.cpu_ms]}" \
  'BEGIN { print (a > 0 ? b / a : 1e9) }')
lat_x=$(awk -v a="${R[ukprom.median_us]}" -v b="${R[promcpp.median_us]}" \
  'BEGIN { print (a > 0 ? b / a : 1e9) }')
if awk -v c="$cpu_x" -v l="$lat_x" 'BEGIN { exit !(c >= 10 && l >= 10) }'
then
  echo "goal met: ukprom is >= 10x faster per scrape (CPU and latency)"
else
  echo "goal NOT met: ukprom is ${cpu_x}x (CPU), ${lat_x}x (median latency)"
fi
