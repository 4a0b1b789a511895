#!/bin/bash
# Runs the strto*/snprintf differential fuzzer (build/fuzz/fuzz-nolibc)
# for about 10 s: nolibc and glibc must never differ.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-nolibc
printf '\x01  -0x7fffffffffffffff' >"$FUZZ_CORPUS/1"
printf '\x11+18446744073709551616z' >"$FUZZ_CORPUS/2"
printf '\x25zzzzzzzzzzzzzzzzzzzz' >"$FUZZ_CORPUS/3"
printf '\x0b\t0b101' >"$FUZZ_CORPUS/4"
fuzz_run 10 300
