#!/bin/bash
# Runs the region allocator fuzzer (build/fuzz/fuzz-alloc) for about
# 10 s: random allocate/free/realloc sequences checked for invariants.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-alloc
printf '\xc1\x10\x00\x00\xc2\x00\x10\x03\x41\x00\x20\x02\x81\x40\x00\x7b' \
	>"$FUZZ_CORPUS/1"
fuzz_run 10 2048
