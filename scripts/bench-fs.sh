#!/usr/bin/env bash
# File system benchmarks of the demo VM (build/kvm/demo.elf), each with
# its peer in the same run (scripts/bench_fs.py does the measuring):
#   - sequential read throughput of a 16 MiB file over one connection
#     (wrk -t1 -c1): from /site (tarfs over virtio-blk: the file in a tar
#     archive that is the VM's disk), from /data (9pfs: the folder shared
#     over virtio-9p), and the same file served from the same folder by
#     the host's own nginx (Debian's) on loopback with a generated
#     minimal nginx.conf; rounds in rotation; MB/s and the ratios.  The
#     demo runs with demo.accesslog=0 here (nginx logs nothing either).
#   - the cost of the VFS metrics, the demo against the same demo built
#     with VFS_METRICS=0 (into build/vfs-nometrics), on a read-heavy
#     load: wrk -t2 -c8 on /1k.bin (the root ramfs) and on
#     /site/index.html (tarfs on the disk):
#       * in requests per second, both VMs loaded at the same moment
#         (the host's load is shared and bursty: it then hits both
#         alike), which VM is named first alternating (ABBA); beside it
#         the same comparison between two VMs of the same image (A/A),
#         the method's noise floor; the loss is "within 1%", "not
#         resolved" (within 2 standard errors of the larger of the two
#         spreads) or missed;
#       * in guest instructions per request, under QEMU's -icount
#         shift=0 (the guest's clock then counts instructions, so the
#         threads' CPU time in uksched is their instruction count, which
#         the host's load does not change), runs ABBA: the figure that
#         resolves 1% on a loaded host.
# Everything lives in build/bench-fs (the 16 MiB file is generated once).
# Environment: BENCH_FS_ROUNDS (3), BENCH_FS_SEQ_S (8), BENCH_FS_PAIRS
# (8), BENCH_FS_ICOUNT_PAIRS (3), BENCH_FS_WRK_S (3), BENCH_FS_WRK
# ("-t2 -c8"), BENCH_FS_ONLY=cost (skips the sequential reads).  Only
# 127.0.0.1 is contacted; every QEMU and nginx started is stopped, by
# PID, on exit.
set -u
cd "$(dirname "$0")/.."
for t in qemu-system-x86_64 wrk nginx curl; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
    { echo "bench-fs: $t is missing (scripts/deps.sh)" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin"
make --no-print-directory -s build/kvm/demo.elf >/dev/null || exit 1
# The second image: the same sources with the VFS's metrics compiled
# out, in its own build folder (lwIP's sources shared with build/).
mkdir -p build/vfs-nometrics
[ -e build/vfs-nometrics/lwip ] || ln -s ../lwip build/vfs-nometrics/lwip
make --no-print-directory -s BUILD=build/vfs-nometrics VFS_METRICS=0 \
  build/vfs-nometrics/kvm/demo.elf >/dev/null || exit 1
dir=build/bench-fs
mkdir -p "$dir/nginx"
bash scripts/mksite.sh "$dir" 16 || exit 1
/usr/bin/python3 scripts/bench_fs.py build/kvm/demo.elf \
  build/vfs-nometrics/kvm/demo.elf "$dir/site" "$dir/site.tar" "$dir/nginx"
