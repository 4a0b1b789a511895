# Shared helpers for the end-to-end test scripts (sourced, not run).
# check NAME CMD...  runs CMD and counts it as passed or failed;
# pass/fail NAME [DETAIL] count directly; finish prints the closing
# "N passed, N failed" line and returns non-zero on any failure.
# free_port prints a loopback TCP port that was free a moment ago
# (tests/lib/ports.sh).

T_PASSED=0
T_FAILED=0

pass() {
  T_PASSED=$((T_PASSED + 1))
  echo "ok   $1"
}

fail() {
  T_FAILED=$((T_FAILED + 1))
  echo "FAIL $1${2:+: $2}"
}

check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# Folds another test's closing line into our totals.
absorb() {
  local line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -z "$line" ]; then
    fail "$2" "no result line"
    return
  fi
  p=${line%% passed*}
  f=${line#*, }
  f=${f%% failed*}
  T_PASSED=$((T_PASSED + p))
  T_FAILED=$((T_FAILED + f))
}

finish() {
  echo "$T_PASSED passed, $T_FAILED failed"
  [ "$T_FAILED" -eq 0 ]
}

. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"
