#!/usr/bin/env bash
# Runs the encoder fuzzer (build/fuzz/fuzz-enc) for about 20 s from a few
# seeds: text with folders "eth0" and "a\"b", then chunk sizes.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-enc
printf '\x00\x02\x04eth0' >"$FUZZ_CORPUS/1"
head -c 300 /dev/zero | tr '\0' '\001' >>"$FUZZ_CORPUS/1"
printf '\x01\x03\x03a"b' >"$FUZZ_CORPUS/2"
head -c 600 /dev/urandom >>"$FUZZ_CORPUS/2" 2>/dev/null || true
printf '\x01\x00' >"$FUZZ_CORPUS/3"
fuzz_run 20 4096
