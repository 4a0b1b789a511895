#!/usr/bin/env bash
# The standard node alerts of make run (scripts/rules/node-alerts.yml):
# promtool finds the file valid, and its unit tests
# (tests/tooling/node-alerts.test.yml) pass: a healthy VM fires nothing;
# memory high, a file system filling up, network errors and high CPU
# fire after their "for"; InstanceDown fires after its minute and not
# before.  A test that fails shows promtool's expected/got diff.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
RULES=scripts/rules/node-alerts.yml
TESTS=tests/tooling/node-alerts.test.yml
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# run NAME CMD...: passes if CMD exits 0; shows its output otherwise.
run() {
  local name=$1
  shift
  if "$@" >"$out" 2>&1; then
    pass "$name"
  else
    fail "$name" "output follows"
    sed 's/^/     /' "$out" | head -n 60
  fi
}

run "promtool check rules $RULES" promtool check rules "$RULES"
n=$(grep -c '^ *- alert:' "$RULES")
if grep -q "SUCCESS: $n rules found" "$out"; then
  pass "promtool found all $n alerts"
else
  fail "promtool found all $n alerts" "$(tail -n 1 "$out")"
fi
run "promtool test rules $TESTS" promtool test rules "$TESTS"

# Every alert of the file has a case in the unit tests, at least the
# healthy VM's "fires nothing".
for a in $(sed -n 's/^ *- alert: *//p' "$RULES" | sort -u); do
  if grep -q "alertname: $a[,}]\|alertname: $a\$" "$TESTS"; then
    pass "alert $a is tested"
  else
    fail "alert $a is tested" "no alert_rule_test names it"
  fi
done
finish
