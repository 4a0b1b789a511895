#!/usr/bin/env bash
# The VFS in the kernel: writes a tar archive (GNU tar's default format,
# with a long name), boots build/kvm/vfs-test.elf with it as QEMU's
# -initrd and takes the image's own "N passed, N failed" (see
# test_vfs_kvm.c for what it checks).
set -u
cd "$(dirname "$0")/../../.."
img=build/kvm/vfs-test.elf
if [ ! -f "$img" ]; then
  echo "vfs_kvm.sh: $img missing (make kvm)"; echo "0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/dir/sub" "$tmp/root/emptydir" "$tmp/root/long"
printf 'hello from the initrd\n' >"$tmp/root/hello.txt"
/usr/bin/python3 -c '
import sys
sys.stdout.buffer.write(bytes((7 * i + 3) % 251 for i in range(100000)))
' >"$tmp/root/dir/sub/blob.bin"
printf 'long name\n' >"$tmp/root/long/$(printf 'x%.0s' $(seq 120)).txt"
tar -C "$tmp/root" -cf "$tmp/initrd.tar" .
QEMU_EXTRA="-initrd $tmp/initrd.tar" bash scripts/qemu-test.sh "$img"
