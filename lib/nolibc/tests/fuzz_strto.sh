#!/bin/bash
# Runs the strto*/strtod/snprintf differential fuzzer
# (build/fuzz/fuzz-nolibc) for about 10 s: nolibc (with uknum) and glibc
# must never differ.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-nolibc
printf '\x01  -0x7fffffffffffffff' >"$FUZZ_CORPUS/1"
printf '\x11+18446744073709551616z' >"$FUZZ_CORPUS/2"
printf '\x25zzzzzzzzzzzzzzzzzzzz' >"$FUZZ_CORPUS/3"
printf '\x0b\t0b101' >"$FUZZ_CORPUS/4"
printf '\x01 -2.2250738585072011e-308' >"$FUZZ_CORPUS/5"
printf '\x02+0x1.fffffffffffff8p-1023' >"$FUZZ_CORPUS/6"
printf '\x03 9007199254740993.000000000000000000001e0' >"$FUZZ_CORPUS/7"
printf '\x04nan(0x123)' >"$FUZZ_CORPUS/8"
printf '\x05-Infinity' >"$FUZZ_CORPUS/9"
printf '\x06 1e-324' >"$FUZZ_CORPUS/10"
printf '\x07 .00000000000000000000000000000000000001e38' >"$FUZZ_CORPUS/11"
fuzz_run 10 300
