#!/bin/bash
# Runs the request-parser fuzzer (build/fuzz/fuzz-http) for about 20 s
# from a small seed corpus of valid and invalid heads, credentials
# (Authorization values, the target's own among them) and allow-lists.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-http
printf 'GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: text/plain\r\n\r\n' \
	>"$FUZZ_CORPUS/1"
printf 'HEAD http://h/store/x%%20y?q HTTP/1.0\nConnection: keep-alive\n\n' \
	>"$FUZZ_CORPUS/2"
printf 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n'\
'Transfer-Encoding: chunked\r\n\r\nGET / HTTP/1.1\r\n' >"$FUZZ_CORPUS/3"
printf '\r\nOPTIONS * HTTP/1.1\r\nHost:\r\nX: \xc3\xa9\r\n\r\n' \
	>"$FUZZ_CORPUS/4"
printf 'GET /metrics HTTP/1.1\r\nHost: a\r\nAuthorization: Basic Zno6cHc=\r\n\r\n' \
	>"$FUZZ_CORPUS/5"
printf 'GET / HTTP/1.1\r\nHost: a\r\nAuthorization: basic   Zno6cHd4\r\n'\
'Authorization: Basic\r\n\r\n' >"$FUZZ_CORPUS/6"
printf '10.0.2.2/32,127.0.0.0/8,0.0.0.0/0' >"$FUZZ_CORPUS/7"
printf 'Zm9vYmFy' >"$FUZZ_CORPUS/8"
fuzz_run 20 9000
