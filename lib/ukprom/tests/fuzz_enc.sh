#!/usr/bin/env bash
# Runs the encoder fuzzer (build/fuzz/fuzz-enc) for about 20 s from a few
# seeds: text with a one-label folder "eth0" and a three-label folder
# "a\"b" valued "/data", then chunk sizes.  A folder's input starts with
# its kind byte (bit 0: three labels, bit 1: valued), name and value.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-enc
printf '\x00\x02\x00\x04eth0\x00' >"$FUZZ_CORPUS/1"
head -c 300 /dev/zero | tr '\0' '\001' >>"$FUZZ_CORPUS/1"
printf '\x03\x03a"b\x05/data' >>"$FUZZ_CORPUS/1"
head -c 300 /dev/zero | tr '\0' '\002' >>"$FUZZ_CORPUS/1"
printf '\x01\x03\x01\x03a"b\x00' >"$FUZZ_CORPUS/2"
head -c 600 /dev/urandom >>"$FUZZ_CORPUS/2" 2>/dev/null || true
printf '\x01\x00' >"$FUZZ_CORPUS/3"
fuzz_run 20 4096
