#!/usr/bin/env bash
# The exporter benchmark: ukprom (build/linuxu/bench-server) against
# prometheus-cpp's pull exposer (build/linuxu/bench-peer-promcpp), both
# serving the same bench set of 2*N series (N=10000: bench_counter_total
# and bench_gauge for id 0..N-1) on loopback.  For each it checks the
# series count, times COUNT keep-alive scrapes with scrape-lat (median and
# p99) and takes the server's CPU time per scrape from utime+stime in
# /proc/<pid>/stat across those scrapes (and more, until 50 clock ticks
# have passed), then prints both side by side
# with the ratio prometheus-cpp / ukprom (the goal is >= 10x less server
# CPU per scrape; latencies are printed too, with the host's load).
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
  scrapes=$COUNT
  # Clock ticks are coarse (1/CLK_TCK s): keep scraping until at least
  # 50 have passed, so the CPU figure is good to a few percent.
  while [ $((t1 - t0)) -lt 50 ] && [ "$scrapes" -lt $((COUNT * 20)) ]; do
    "$B/scrape-lat" 127.0.0.1 "$port" "$COUNT" >/dev/null || exit 1
    scrapes=$((scrapes + COUNT))
    t1=$(cpu_ticks "$pid")
  done
  echo "  $name: $out"
  echo "  $name: $((t1 - t0)) CPU ticks over $scrapes scrapes"
  for kv in $out; do R[$name.${kv%%=*}]=${kv#*=}; done
  R[$name.cpu_ms]=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$scrapes" \
    'BEGIN { printf "%.4f", d * 1000 / hz / n }')
}

p1=$(free_port)
start "$B/bench-server" "$p1"
uk_pid=${pids[-1]}
p2=$(free_port)
start "$B/bench-peer-promcpp" "$p2"
cpp_pid=${pids[-1]}

echo "bench set: N=$N ($((2 * N)) series), $COUNT keep-alive scrapes each"
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure ukprom "$uk_pid" "$p1"
measure promcpp "$cpp_pid" "$p2"
# For reference: ukprom in OpenMetrics (prometheus-cpp 1.0 has only text).
om=$("$B/scrape-lat" 127.0.0.1 "$p1" "$COUNT" \
  'application/openmetrics-text;version=1.0.0') || exit 1
echo "  ukprom (OpenMetrics): $om"

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
row "min latency (ms)" min_us 1000
row "median latency (ms)" median_us 1000
row "p99 latency (ms)" p99_us 1000
row "server CPU per scrape (ms)" cpu_ms 1
# The verdict goes by server CPU per scrape: wall-clock latency on a
# loaded 2-CPU host mostly measures how long each server waits for a CPU
# (see the load average above), CPU time measures the work.
cpu_x=$(awk -v a="${R[ukprom.cpu_ms]}" -v b="${R[promcpp.cpu_ms]}" \
  'BEGIN { printf "%.1f", (a > 0 ? b / a : 1e9) }')
lat_x=$(awk -v a="${R[ukprom.median_us]}" -v b="${R[promcpp.median_us]}" \
  'BEGIN { printf "%.1f", (a > 0 ? b / a : 1e9) }')
if awk -v c="$cpu_x" 'BEGIN { exit !(c >= 10) }'; then
  echo "goal met: ukprom costs ${cpu_x}x less server CPU per scrape" \
    "(>= 10x); median latency ${lat_x}x lower"
else
  echo "goal NOT met: ukprom costs only ${cpu_x}x less server CPU per" \
    "scrape (< 10x); median latency ${lat_x}x lower"
fi
