#!/usr/bin/env bash
# A real Prometheus scrapes an exporter: usage
#   prometheus_scrape.sh HOST PORT [PROMQL...]
#
# Starts Debian's prometheus on a free 127.0.0.1 port with a generated
# config scraping HOST:PORT/metrics every second and a throw-away TSDB
# (under $E2E_TMP, default build/e2e), lets it scrape for a few seconds,
# then checks through its HTTP API that the target is "up" with an empty
# lastError, that "up == 1" and that every PROMQL expression given returns
# at least one series (the caller names what it publishes: this script
# knows nothing of the exporter).  With PROM_BASIC_AUTH=USER:PASSWORD in
# the environment Prometheus scrapes with HTTP basic authentication.
# Prometheus is always stopped, by its PID, on exit.  Prints "N passed,
# N failed" last.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tally.sh"
[ $# -ge 2 ] || { echo "usage: $0 HOST PORT [PROMQL...]" >&2; exit 2; }
host=$1 port=$2
shift 2
tmp=${E2E_TMP:-build/e2e}
mkdir -p "$tmp"
work=$(mktemp -d "$tmp/prometheus.XXXXXX")
. "$here/../../scripts/prometheus.sh"
cleanup() {
  if [ -n "$PROM_PID" ]; then
    kill "$PROM_PID" 2>/dev/null
    wait "$PROM_PID" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

web=$(free_port)
auth=${PROM_BASIC_AUTH:-}
if prom_start "$work" "$host:$port" "$web" ${auth:+"${auth%%:*}" "${auth#*:}"}; then
  pass "prometheus is ready on 127.0.0.1:$web"
else
  fail "prometheus is ready" "log follows"
  sed 's/^/     /' "$work/prometheus.log" | tail -n 20
  finish
  exit 1
fi
api=$PROM_API
target_state() { prom_target_state; }

# Several scrapes happen first, so "up" means it stayed up, not got lucky.
sleep 4
state=
for _ in $(seq 20); do
  state=$(target_state)
  case "$state" in up*) break ;; esac
  sleep 0.5
done
echo "     target: $state"
read -r health lasterr dur <<<"$state"
if [ "$health" = up ] && [ "$lasterr" = "''" ]; then
  pass "target is up with an empty lastError (scrape took ${dur}s)"
else
  fail "target is up with an empty lastError" "$state"
fi

# query EXPR: prints the number of series in the result (or an error).
query() {
  curl -s --max-time 3 --data-urlencode "query=$1" "$api/query" |
    /usr/bin/python3 -c 'import json, sys
try:
    d = json.load(sys.stdin)
    if d.get("status") != "success":
        print("error:", d.get("error"))
    else:
        r = d["data"]["result"]
        print(len(r), " ".join(
            "{" + ",".join("%s=%s" % kv for kv in sorted(s["metric"].items())
                           if kv[0] not in ("job", "instance")) + "}"
            for s in r[:3]))
except Exception as e:
    print("error:", e)'
}

# A result can lag the scrape that produced it by a moment (ingestion,
# a late scrape on a loaded host): an empty answer is asked again for up
# to 5 s before it counts as a failure.
for q in 'up == 1' 'scrape_samples_scraped > 0' "$@"; do
  for _ in $(seq 10); do
    res=$(query "$q")
    case "${res%% *}" in 0|''|*[!0-9]*) sleep 0.5 ;; *) break ;; esac
  done
  n=${res%% *}
  case "$n" in
    ''|*[!0-9]*) fail "query '$q' returns series" "$res" ;;
    0) fail "query '$q' returns series" "empty result" ;;
    *) pass "query '$q' returns $n series: ${res#* }" ;;
  esac
done

if grep -qi 'level=error' "$work/prometheus.log"; then
  fail "prometheus logged no errors"
  grep -i 'level=error' "$work/prometheus.log" | head -n 5 | sed 's/^/     /'
else
  pass "prometheus logged no errors"
fi
finish
