#!/bin/bash
# Runs the request-parser fuzzer (build/fuzz/fuzz-http) for about 20 s
# from a small seed corpus of valid and invalid heads.  Prints
# "1 passed, 0 failed" when it finds nothing, "0 passed, 1 failed" else.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$top/build/fuzz/fuzz-http
secs=${FUZZ_SECONDS:-20}
if [ ! -x "$bin" ]; then
	echo "fuzz_http: $bin missing (make fuzz)"
	echo "0 passed, 1 failed"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/art"
printf 'GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: text/plain\r\n\r\n' \
	>"$work/corpus/1"
printf 'HEAD http://h/store/x%%20y?q HTTP/1.0\nConnection: keep-alive\n\n' \
	>"$work/corpus/2"
printf 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n'\
'Transfer-Encoding: chunked\r\n\r\nGET / HTTP/1.1\r\n' >"$work/corpus/3"
printf '\r\nOPTIONS * HTTP/1.1\r\nHost:\r\nX: \xc3\xa9\r\n\r\n' \
	>"$work/corpus/4"
if "$bin" -max_total_time="$secs" -max_len=9000 -timeout=10 \
	-artifact_prefix="$work/art/" "$work/corpus" \
	>"$work/log" 2>&1; then
	tail -n 3 "$work/log" | grep -E 'Done|stat' || true
	echo "1 passed, 0 failed"
	exit 0
fi
tail -n 40 "$work/log"
for f in "$work"/art/*; do
	[ -e "$f" ] && { echo "crash input:"; od -c "$f" | head -20; }
done
echo "0 passed, 1 failed"
exit 1
