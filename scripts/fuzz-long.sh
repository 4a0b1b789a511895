#!/usr/bin/env bash
# make fuzz-long: runs each libFuzzer target given (build/fuzz/NAME, all
# of the tree's by default) for FUZZ_SECONDS (600) each, one after the
# other, keeping its corpus in build/fuzz-corpus/NAME/ so that each run
# starts where the last one stopped.  A target's seeds and input size
# limit are those of its make-check script (the one that calls
# "fuzz_setup NAME"), run with the kept corpus (FUZZ_CORPUS_DIR) and the
# long time; a target without such a script runs from its corpus alone
# with libFuzzer's defaults.  Crash inputs are kept in
# build/fuzz-corpus/NAME.crashes/.  Prints each target's outcome and
# "N passed, N failed" last.
#
# Usage: scripts/fuzz-long.sh build/fuzz/NAME...
set -u
cd "$(dirname "$0")/.."
. tests/lib/tally.sh
export FUZZ_SECONDS=${FUZZ_SECONDS:-600}
corpora=build/fuzz-corpus
[ $# -gt 0 ] || set -- build/fuzz/*
for bin in "$@"; do
  name=$(basename "$bin")
  dir=$corpora/$name
  mkdir -p "$dir" "$dir.crashes"
  before=$(find "$dir" -type f | wc -l)
  script=$(grep -rlE --include='*.sh' "^fuzz_setup $name\$" lib apps \
    drivers plat tests 2>/dev/null | head -n 1)
  log=$corpora/$name.log
  echo "--- $name: ${FUZZ_SECONDS} s${script:+ (seeds of $script)}"
  if [ -n "$script" ]; then
    FUZZ_CORPUS_DIR=$dir FUZZ_ARTIFACTS=$dir.crashes bash "$script" \
      >"$log" 2>&1
  elif "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
      -artifact_prefix="$dir.crashes/" "$dir" >"$log" 2>&1; then
    echo "1 passed, 0 failed" >>"$log"
  else
    echo "0 passed, 1 failed" >>"$log"
  fi
  grep -E '^Done|stat::' "$log" | tail -n 1 | sed 's/^/     /'
  after=$(find "$dir" -type f | wc -l)
  echo "     corpus: $before -> $after inputs in $dir"
  absorb "$log" "$name"
  if grep -qE '^0 passed, 1 failed' "$log"; then
    echo "     FAIL $name: see $log and $dir.crashes/"
    tail -n 20 "$log" | sed 's/^/     | /'
  fi
done
finish
