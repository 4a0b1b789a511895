#!/usr/bin/env bash
# Runs every benchmark script given on the command line (BENCH_SCRIPTS of
# the fragments) in turn.  Each prints its own figures; a benchmark is a
# measurement, not a test, so a failing one is reported and the others
# still run.
set -u
cd "$(dirname "$0")/.."
rc=0
for b in "$@"; do
  echo "=== $b"
  case "$b" in
    *.py) /usr/bin/python3 "$b" || { echo "benchmark $b failed"; rc=1; } ;;
    *) bash "$b" || { echo "benchmark $b failed"; rc=1; } ;;
  esac
  echo
done
exit $rc
