# PromQL checks for the end-to-end tests that run a real Prometheus
# (sourced after tests/lib/tally.sh and scripts/prometheus.sh, once
# prom_start has set PROM_API):
#
#   prom_expect NAME EXPR CMP BOUND [TIME]
#       passes when the value of the instant query EXPR (prom_value) is
#       a number and CMP (">", ">=" or "==") BOUND holds; fails with the
#       value otherwise ("none" for an empty result).
#   prom_target_up NAME
#       waits up to 10 s for the first target to be up with an empty
#       lastError, then passes or fails with its state.

prom_expect() {
  local v
  v=$(prom_value "$2" "${5:-}")
  if awk -v v="$v" -v b="$4" -v c="$3" 'BEGIN {
       if (v !~ /^[-+0-9.eE]+$/) exit 1
       if (c == ">") exit !(v + 0 > b + 0)
       if (c == ">=") exit !(v + 0 >= b + 0)
       exit !(v + 0 == b + 0) }'; then
    pass "$1: $2 = $v"
  else
    fail "$1" "$2 = $v, want $3 $4"
  fi
}

prom_target_up() {
  local state health lasterr dur
  for _ in $(seq 40); do
    state=$(prom_target_state)
    case "$state" in "up ''"*) break ;; esac
    sleep 0.25
  done
  read -r health lasterr dur <<<"$state"
  if [ "$health" = up ] && [ "$lasterr" = "''" ]; then
    pass "$1: target up, empty lastError (last scrape ${dur}s)"
  else
    fail "$1: target up with an empty lastError" "$state"
  fi
}
