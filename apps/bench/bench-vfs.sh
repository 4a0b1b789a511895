#!/usr/bin/env bash
# The cost of the VFS's metrics: bench-vfs (see bench_vfs.c) built as
# usual and with VFS_METRICS=0 (in build/vfs-nometrics), run twice each
# in ABAB order, the best of each printed side by side with the
# difference.
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory -s build/linuxu/bench-vfs >/dev/null
make --no-print-directory -s BUILD=build/vfs-nometrics VFS_METRICS=0 \
  build/vfs-nometrics/linuxu/bench-vfs >/dev/null
on=$(mktemp); off=$(mktemp)
trap 'rm -f "$on" "$off"' EXIT
for r in 1 2; do
  build/linuxu/bench-vfs "${BENCH_N:-200000}" >>"$on"
  build/vfs-nometrics/linuxu/bench-vfs "${BENCH_N:-200000}" >>"$off"
done
echo "VFS calls on a ramfs, ns per call (best of 2 x 7 runs):"
printf '%-14s %10s %10s %10s\n' call metrics none difference
awk -F'  +' '
  NR == FNR { if (!($1 in a) || $2 + 0 < a[$1]) a[$1] = $2 + 0;
              if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } next }
  { if (!($1 in b) || $2 + 0 < b[$1]) b[$1] = $2 + 0 }
  END { for (i = 0; i < n; i++) { k = order[i];
        printf "%-14s %10.1f %10.1f %+9.1f%%\n", k, a[k], b[k],
               100 * (a[k] - b[k]) / b[k] } }' "$on" "$off"
