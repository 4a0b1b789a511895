#!/bin/bash
# Runs the strto*/snprintf differential fuzzer (build/fuzz/fuzz-nolibc)
# for about 10 s from a few seeds.  Prints "1 passed, 0 failed" when
# nolibc and glibc never differed, "0 passed, 1 failed" else.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$top/build/fuzz/fuzz-nolibc
secs=${FUZZ_SECONDS:-10}
if [ ! -x "$bin" ]; then
	echo "fuzz_strto: $bin missing (make fuzz)"
	echo "0 passed, 1 failed"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/art"
printf '\x01  -0x7fffffffffffffff' >"$work/corpus/1"
printf '\x11+18446744073709551616z' >"$work/corpus/2"
printf '\x25zzzzzzzzzzzzzzzzzzzz' >"$work/corpus/3"
printf '\x0b\t0b101' >"$work/corpus/4"
if "$bin" -max_total_time="$secs" -max_len=300 -timeout=10 \
	-artifact_prefix="$work/art/" "$work/corpus" >"$work/log" 2>&1; then
	grep -E '^Done' "$work/log" || true
	echo "1 passed, 0 failed"
	exit 0
fi
tail -n 30 "$work/log"
for f in "$work"/art/*; do
	[ -e "$f" ] && { echo "input:"; od -c "$f" | head -10; }
done
echo "0 passed, 1 failed"
exit 1
