#!/usr/bin/env bash
# The encoder benchmark: encodes the bench set (20,000 series by default;
# BENCH_N folders) into a 16 KiB buffer again and again and prints the
# cost per series next to a naive snprintf("%.17g") rendering of the same
# values, and the allocations made while encoding (must be 0); then the
# scale table (bench-enc --scale): encoder ns per series, the store's
# bytes per series and folder add and remove costs at 20k, 100k and 1M
# series, with PASS/MISS for per-series costs flat within 20%.
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory -s build/linuxu/bench-enc >/dev/null
build/linuxu/bench-enc "${BENCH_N:-10000}"
exec build/linuxu/bench-enc --scale
