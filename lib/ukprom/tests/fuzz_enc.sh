#!/usr/bin/env bash
# Runs the encoder fuzzer (build/fuzz/fuzz-enc) for about 20 s
# (FUZZ_SECONDS) from a few seeds.  Prints "1 passed, 0 failed" when it
# finds nothing, "0 passed, 1 failed" (and the crash's log) otherwise.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$top/build/fuzz/fuzz-enc
secs=${FUZZ_SECONDS:-20}
if [ ! -x "$bin" ]; then
  echo "fuzz_enc: $bin missing (make fuzz)"
  echo "0 passed, 1 failed"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/art"
# text, 2 folders "eth0" and "a\"b", then a few chunk sizes
printf '\x00\x02\x04eth0' >"$work/corpus/1"
head -c 300 /dev/zero | tr '\0' '\001' >>"$work/corpus/1"
printf '\x01\x03\x03a"b' >"$work/corpus/2"
head -c 600 /dev/urandom >>"$work/corpus/2" 2>/dev/null || true
printf '\x01\x00' >"$work/corpus/3"
if "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 \
    -artifact_prefix="$work/art/" "$work/corpus" >"$work/log" 2>&1; then
  grep -E '^Done|stat::number_of_executed_units' "$work/log" | tail -n 1
  echo "1 passed, 0 failed"
  exit 0
fi
tail -n 40 "$work/log"
echo "0 passed, 1 failed"
exit 1
