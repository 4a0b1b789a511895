#!/bin/bash
# Runs the region allocator fuzzer (build/fuzz/fuzz-alloc) for about
# 10 s.  Prints "1 passed, 0 failed" when no invariant broke, else
# "0 passed, 1 failed" and the input.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$top/build/fuzz/fuzz-alloc
secs=${FUZZ_SECONDS:-10}
if [ ! -x "$bin" ]; then
	echo "fuzz_region: $bin missing (make fuzz)"
	echo "0 passed, 1 failed"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/art"
printf '\xc1\x10\x00\x00\xc2\x00\x10\x03\x41\x00\x20\x02\x81\x40\x00\x7b' \
	>"$work/corpus/1"
if "$bin" -max_total_time="$secs" -max_len=2048 -timeout=10 \
	-artifact_prefix="$work/art/" "$work/corpus" >"$work/log" 2>&1; then
	grep -E '^Done' "$work/log" || true
	echo "1 passed, 0 failed"
	exit 0
fi
tail -n 30 "$work/log"
for f in "$work"/art/*; do
	[ -e "$f" ] && { echo "input:"; od -An -tx1 "$f" | head -10; }
done
echo "0 passed, 1 failed"
exit 1
