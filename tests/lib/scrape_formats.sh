#!/usr/bin/env bash
# Scrapes an exporter in both exposition formats with curl and checks them
# with Prometheus's own tools: usage scrape_formats.sh HOST PORT.
#
# Text 0.0.4 (no Accept, and "Accept: text/plain"): status 200, the exact
# Content-Type, and "promtool check metrics" silent (no error, no lint
# warning).  OpenMetrics 1.0.0 (a plain OpenMetrics Accept and the one
# Prometheus 2.42 sends): status 200, the exact Content-Type, our
# structural checker (check_openmetrics.py: # EOF last, metadata order,
# suffixes, histograms...) and Prometheus's OpenMetrics parser, run by
# "promtool tsdb create-blocks-from openmetrics" on a timestamped copy,
# which must accept every sample.  Both formats must list the same
# families with the same help (compare_formats.py).  Knows nothing of what the exporter
# publishes; prints "N passed, N failed" last.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tally.sh"
. "$here/promlint.sh"
[ $# -eq 2 ] || { echo "usage: $0 HOST PORT" >&2; exit 2; }
host=$1 port=$2
url="http://$host:$port/metrics"
work=$(mktemp -d "${E2E_TMP:-/tmp}/scrape_formats.XXXXXX")
trap 'rm -rf "$work"' EXIT

CT_TEXT='text/plain; version=0.0.4; charset=utf-8'
CT_OM='application/openmetrics-text; version=1.0.0; charset=utf-8'
PROM_ACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

# fetch NAME ACCEPT: body in $work/NAME, headers in $work/NAME.h; prints code
fetch() {
  local name=$1 accept=$2
  local args=(-s --max-time 10 -o "$work/$name" -D "$work/$name.h"
    -w '%{http_code}')
  [ -n "$accept" ] && args+=(-H "Accept: $accept")
  curl "${args[@]}" "$url"
}

content_type() {
  grep -i '^content-type:' "$work/$1.h" | head -n 1 | cut -d: -f2- |
    sed -e 's/^ *//' -e 's/\r$//'
}

expect_scrape() {  # NAME ACCEPT CT
  local code ct
  code=$(fetch "$1" "$2")
  if [ "$code" = 200 ]; then pass "$1: status 200"
  else fail "$1: status 200" "got $code"; return 1; fi
  ct=$(content_type "$1")
  if [ "$ct" = "$3" ]; then pass "$1: Content-Type $3"
  else fail "$1: Content-Type" "got '$ct'"; fi
}

promtool_lint() {  # NAME
  local out
  if out=$(promlint "$work/$1"); then
    pass "$1: promtool check metrics is silent (but node_exporter's camelCase names)"
  else
    fail "$1: promtool check metrics"
    head -n 20 <<<"$out" | sed 's/^/     /'
  fi
}

om_checks() {  # NAME
  local out rc samples
  out=$(/usr/bin/python3 "$here/check_openmetrics.py" "$work/$1" \
    --timestamped "$work/$1.ts" 2>&1)
  rc=$?
  if [ $rc -eq 0 ]; then pass "$1: OpenMetrics structure"
  else fail "$1: OpenMetrics structure"; head -n 20 <<<"$out" |
    sed 's/^/     /'; fi
  if [ "$(tail -c 6 "$work/$1")" = '# EOF' ] ||
     [ "$(tail -n 1 "$work/$1")" = '# EOF' ]; then
    pass "$1: '# EOF' is the last line"
  else
    fail "$1: '# EOF' is the last line" "got '$(tail -n 1 "$work/$1")'"
  fi
  samples=$(grep -vc '^#' "$work/$1")
  out=$(promtool tsdb create-blocks-from openmetrics "$work/$1.ts" \
    "$work/$1.tsdb" 2>&1)
  rc=$?
  # The block table's NUM SAMPLES column must count every sample line.
  got=$(awk 'NR > 1 && $1 ~ /^[0-9A-Z]+$/ { n += $5 } END { print n + 0 }' \
    <<<"$out")
  if [ $rc -eq 0 ] && [ "$got" = "$samples" ]; then
    pass "$1: Prometheus's OpenMetrics parser takes all $samples samples"
  else
    fail "$1: Prometheus's OpenMetrics parser" \
      "exit $rc, $got of $samples samples"
    head -n 10 <<<"$out" | sed 's/^/     /'
  fi
}

if expect_scrape text "" "$CT_TEXT"; then promtool_lint text; fi
if expect_scrape text_accept "text/plain" "$CT_TEXT"; then promtool_lint text_accept; fi
if expect_scrape om "application/openmetrics-text; version=1.0.0" "$CT_OM"
then
  om_checks om
fi
if expect_scrape om_prometheus "$PROM_ACCEPT" "$CT_OM"; then
  om_checks om_prometheus
fi

# Both formats describe the same families (names mapped, same help).
if [ -s "$work/text" ] && [ -s "$work/om" ]; then
  out=$(/usr/bin/python3 "$here/compare_formats.py" "$work/text" \
    "$work/om" 2>&1)
  if [ $? -eq 0 ]; then pass "text and OpenMetrics hold the same families"
  else fail "text and OpenMetrics hold the same families"
    head -n 20 <<<"$out" | sed 's/^/     /'; fi
fi

# HEAD carries the same headers and no body.
code=$(curl -s --max-time 10 -I -o "$work/head.h" -w '%{http_code}' "$url")
ct=$(grep -i '^content-type:' "$work/head.h" | cut -d: -f2- |
  sed -e 's/^ *//' -e 's/\r$//')
if [ "$code" = 200 ] && [ "$ct" = "$CT_TEXT" ]; then pass "HEAD: 200, text"
else fail "HEAD" "got $code '$ct'"; fi

finish
