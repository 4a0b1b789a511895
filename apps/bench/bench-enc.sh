#!/usr/bin/env bash
# The encoder benchmark: encodes the bench set (20,000 series by default;
# BENCH_N folders) into a 16 KiB buffer again and again and prints the
# cost per series next to a naive snprintf("%.17g") rendering of the same
# values, and the allocations made while encoding (must be 0).
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory -s build/linuxu/bench-enc >/dev/null
exec build/linuxu/bench-enc "${BENCH_N:-10000}"
