# Starts Debian's Prometheus (sourced by scripts/run.sh, scripts/fleet.sh
# and the end-to-end tests; not run on its own).
#
#   prom_start DIR TARGET WEBPORT [USER PASSWORD]
#       writes DIR/prometheus.yml (job "node", the name node_exporter's
#       consoles, dashboards and alerts select on; 1 s interval; one
#       static target; the standard node alerts of PROM_RULES; with USER
#       and PASSWORD, scraped with HTTP basic authentication) and starts
#       it as prom_start_config does.
#   prom_start_config DIR WEBPORT
#       starts prometheus on the DIR/prometheus.yml already written, with
#       its TSDB in DIR/data, listening on 127.0.0.1:WEBPORT, logging to
#       DIR/prometheus.log, serving Debian's example consoles
#       (/consoles/node-overview.html?instance=HOST:PORT and the rest of
#       PROM_CONSOLES, with the libraries of PROM_CONSOLE_LIBS).  Sets
#       PROM_PID and PROM_API (the /api/v1 URL).  Returns 0 once it
#       answers /-/ready, 1 if it died or did not within 10 s (the caller
#       stops it by PROM_PID either way).
#   prom_target_state
#       prints "health 'lastError' lastScrapeDuration" of the first
#       active target ("none 'why' 0" if there is none yet).
#   prom_value EXPR [TIME]
#       prints the value of the first sample of the instant query EXPR
#       (at TIME, a Unix time, when given) through PROM_API, or "none"
#       (an empty result) or "error: why".
PROM_PID=
PROM_API=
PROM_JOB=node
PROM_RULES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/rules/node-alerts.yml
# Where Debian's prometheus package puts the consoles of the upstream
# tarball (node.html, node-overview.html, node-cpu.html, node-disk.html,
# prometheus*.html) and their template libraries.
PROM_CONSOLES=/usr/share/doc/prometheus/examples/consoles
PROM_CONSOLE_LIBS=/usr/share/doc/prometheus/examples/console_libraries

prom_start() {
  local dir=$1 target=$2 web=$3 user=${4:-} pw=${5:-}
  mkdir -p "$dir"
  cat >"$dir/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - '$PROM_RULES'
scrape_configs:
  - job_name: $PROM_JOB
    static_configs:
      - targets: ['$target']
YML
  if [ -n "$user" ]; then
    printf '%s' "$pw" >"$dir/password"
    cat >>"$dir/prometheus.yml" <<YML
    basic_auth:
      username: '$user'
      password_file: '$(cd "$dir" && pwd)/password'
YML
  fi
  prom_start_config "$dir" "$web"
}

prom_start_config() {
  local dir=$1 web=$2 i
  prometheus --config.file="$dir/prometheus.yml" \
    --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$web" \
    --web.console.templates="$PROM_CONSOLES" \
    --web.console.libraries="$PROM_CONSOLE_LIBS" \
    --log.level=warn >"$dir/prometheus.log" 2>&1 &
  PROM_PID=$!
  PROM_API="http://127.0.0.1:$web/api/v1"
  for i in $(seq 100); do
    curl -sf --max-time 1 "http://127.0.0.1:$web/-/ready" >/dev/null &&
      return 0
    kill -0 "$PROM_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

prom_target_state() {
  curl -s --max-time 2 "$PROM_API/targets?state=active" |
    /usr/bin/python3 -c 'import json, sys
try:
    t = json.load(sys.stdin)["data"]["activeTargets"][0]
    print(t["health"], repr(t["lastError"]), t["lastScrapeDuration"])
except Exception as e:
    print("none", repr(str(e)), 0)'
}

prom_value() {
  local args=(--data-urlencode "query=$1")
  [ -n "${2:-}" ] && args+=(--data-urlencode "time=$2")
  curl -s --max-time 5 "${args[@]}" "$PROM_API/query" |
    /usr/bin/python3 -c 'import json, sys
try:
    d = json.load(sys.stdin)
    if d.get("status") != "success":
        print("error:", d.get("error"))
    elif not d["data"]["result"]:
        print("none")
    else:
        print(d["data"]["result"][0]["value"][1])
except Exception as e:
    print("error:", e)'
}
