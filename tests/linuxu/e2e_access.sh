#!/usr/bin/env bash
# The exporter's access control on the linuxu demo, with curl and a real
# Prometheus.  --allow: a client from 127.0.0.2 is reset before any
# answer while 127.0.0.1 is served, and the refusal is counted.  --auth:
# no credentials, a wrong password or a wrong user get 401 with a Basic
# challenge, the right ones 200 on every route, and Prometheus's
# basic_auth scrape config scrapes through it
# (tests/lib/prometheus_scrape.sh with PROM_BASIC_AUTH).  Malformed
# settings stop the demo with status 2.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/linuxu/demo.sh
PW=s3cret
HASH=$(printf %s "$PW" | sha256sum | cut -d' ' -f1)

# code ARGS...: prints curl's HTTP status for ARGS (000 without one).
code() {
  curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$@"
}

expect_code() {  # NAME WANT ARGS...
  local name=$1 want=$2 got
  shift 2
  got=$(code "$@")
  if [ "$got" = "$want" ]; then pass "$name: $got"
  else fail "$name" "got '$got', want $want"; fi
}

stopped() {
  stop_demo
  local rc=$?
  if [ $rc = 0 ]; then pass "demo stops with status 0"
  else fail "demo stops with status 0" "status $rc"; tail -n 20 "$DEMO_LOG"; fi
}

for bad in "--allow 10.0.0.1/8" "--allow 127.0.0.1/33" "--auth prom" \
    "--auth prom:abcd" "--auth :$HASH"; do
  # shellcheck disable=SC2086
  "$DEMO_BIN" --listen 127.0.0.1:0 $bad >"$E2E_TMP/access.$$.log" 2>&1
  rc=$?
  if [ $rc = 2 ] && grep -q 'allow or --auth' "$E2E_TMP/access.$$.log"; then
    pass "refuses $bad (status 2)"
  else
    fail "refuses $bad" "status $rc"; cat "$E2E_TMP/access.$$.log"
  fi
  rm -f "$E2E_TMP/access.$$.log"
done

if start_demo --allow 127.0.0.1/32,10.0.0.0/8; then
  pass "demo starts with --allow 127.0.0.1/32,10.0.0.0/8"
  url="http://127.0.0.1:$DEMO_PORT/metrics"
  expect_code "allowed client (127.0.0.1)" 200 "$url"
  out=$(curl -s --max-time 5 --interface 127.0.0.2 "$url" 2>&1)
  rc=$?
  # Reset at once: curl sees it as a failed connect (7), a failed send
  # of the request (55: the reset came between the handshake and the
  # request) or a failed receive (56), depending on when it looks.
  if { [ $rc = 7 ] || [ $rc = 55 ] || [ $rc = 56 ]; } && [ -z "$out" ]; then
    pass "client from 127.0.0.2 is reset, nothing answered (curl status $rc)"
  else
    fail "client from 127.0.0.2 is reset" "curl status $rc, '$out'"
  fi
  curl -s --max-time 5 --interface 127.0.0.2 "$url" >/dev/null 2>&1
  at_least "refusals counted" ukprom_denied_connections_total 2
  stopped
else
  fail "demo starts with --allow"
fi

if start_demo --auth "prom:$HASH"; then
  pass "demo starts with --auth prom:<sha256 of the password>"
  url="http://127.0.0.1:$DEMO_PORT"
  expect_code "no credentials" 401 "$url/metrics"
  hdr=$(curl -s --max-time 5 -D - -o /dev/null "$url/metrics" |
    tr -d '\r' | grep -i '^WWW-Authenticate:')
  if [ "$hdr" = 'WWW-Authenticate: Basic realm="ukmon", charset="UTF-8"' ]
  then pass "401 carries the Basic challenge"
  else fail "401 carries the Basic challenge" "'$hdr'"; fi
  expect_code "wrong password" 401 -u "prom:s3cres" "$url/metrics"
  expect_code "wrong user" 401 -u "Prom:$PW" "$url/metrics"
  expect_code "no credentials on /store/" 401 "$url/store/"
  expect_code "right credentials" 200 -u "prom:$PW" "$url/metrics"
  expect_code "right credentials on /store/ukprom/" 200 -u "prom:$PW" \
    "$url/store/ukprom/"
  n=$(curl -s --max-time 5 -u "prom:$PW" "$url/metrics" |
    awk '$1 == "ukprom_http_errors_total{code=\"401\"}" { print $2 }')
  if [ "$n" = 5 ]; then pass "401s counted: $n"
  else fail "401s counted" "'$n', want 5"; fi
  log="$E2E_TMP/access_prom.$$.log"
  PROM_BASIC_AUTH="prom:$PW" bash tests/lib/prometheus_scrape.sh \
    127.0.0.1 "$DEMO_PORT" 'demo_ticks_total > 0' \
    'ukprom_scrapes_total{format="openmetrics"} > 0' >"$log" 2>&1
  sed '$d' "$log"
  absorb "$log" "Prometheus with basic_auth"
  rm -f "$log"
  stopped
else
  fail "demo starts with --auth"
fi
finish
