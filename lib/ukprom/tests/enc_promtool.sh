#!/usr/bin/env bash
# Validates the encoder's output with Prometheus' own tools.  promtool
# 2.42's "check metrics" parses and lints only the text format: it must
# print nothing but its CamelCase warning about the node_exporter names
# that have CamelCase parts (node_memory_MemTotal_bytes...), which are
# those names exactly; each is expected by name, and any other line fails.
# For OpenMetrics, "promtool tsdb
# create-blocks-from openmetrics" runs Prometheus' OpenMetrics parser over
# a whole body (including "# EOF"); backfilling needs timestamps, so one
# is appended to every sample line first, and every sample must land.
set -u
cd "$(dirname "$0")/../../.."
dump=build/asan/enc-dump
pass=0; fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

if [ ! -x "$dump" ] || ! command -v promtool >/dev/null; then
  ko "needs $dump and promtool"
  finish
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$dump" text >"$tmp/text" || ko "enc-dump text"
lint=$(promtool check metrics <"$tmp/text" 2>&1); rc=$?
camel="metric names should be written in 'snake_case' not 'camelCase'"
expected=$(printf '%s\n' node_memory_HugePages_Total node_memory_MemTotal_bytes \
  node_netstat_Tcp_InSegs | sed "s/\$/ $camel/")
# Exit 3 is "lint problems found"; a parse error is another code.
if [ "$lint" = "$expected" ] && [ $rc -eq 3 ]; then
  ok "text: promtool check metrics warns only of the 3 node CamelCase names ($(grep -vc '^#' "$tmp/text") samples)"
else
  ko "text: promtool check metrics (exit $rc): $(diff <(echo "$expected") <(echo "$lint"))"
fi
grep -vE '^(# (HELP|TYPE) )?(node|process)_' "$tmp/text" >"$tmp/text_own"
lint=$(promtool check metrics <"$tmp/text_own" 2>&1); rc=$?
if [ $rc -eq 0 ] && [ -z "$lint" ]; then
  ok "text: without the node names promtool is silent"
else
  ko "text: promtool check metrics without the node names (exit $rc): $lint"
fi

"$dump" text 1 >"$tmp/text1"
if cmp -s "$tmp/text" "$tmp/text1"; then ok "text: 1-byte chunks give the same body"
else ko "text: 1-byte chunks differ"; fi

"$dump" openmetrics 3 >"$tmp/om" || ko "enc-dump openmetrics"
if [ "$(tail -n 1 "$tmp/om")" = "# EOF" ] && [ "$(grep -c '^# EOF$' "$tmp/om")" = 1 ]; then
  ok "openmetrics: ends with one # EOF"
else
  ko "openmetrics: # EOF missing or repeated"
fi

awk '/^#/ { print; next } { print $0 " 1700000000" }' "$tmp/om" >"$tmp/om_ts"
nsamples=$(grep -vc '^#' "$tmp/om")
out=$(promtool tsdb create-blocks-from openmetrics "$tmp/om_ts" "$tmp/db" 2>&1); rc=$?
got=$(awk 'length($1) == 26 && $1 ~ /^[0-9A-Z]+$/ { n += $5 } END { print n + 0 }' <<<"$out")
if [ $rc -eq 0 ] && [ "$got" = "$nsamples" ]; then
  ok "openmetrics: Prometheus' parser reads all $nsamples samples"
else
  ko "openmetrics: parser (exit $rc, $got of $nsamples samples): $out"
fi

# The checks must be able to fail: a broken body is refused.
printf '# TYPE x counter\nx_total{a="1} 1 5\n# EOF\n' >"$tmp/bad"
if promtool tsdb create-blocks-from openmetrics "$tmp/bad" "$tmp/db2" >/dev/null 2>&1; then
  ko "openmetrics: a malformed body was accepted"
else
  ok "openmetrics: a malformed body is refused"
fi
finish
