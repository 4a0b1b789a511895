#!/usr/bin/env bash
# The demo's file server with QEMU's -initrd: boots build/kvm/demo.elf
# with a tar archive as initrd, which the demo mounts on /initrd (tarfs,
# read in place), and fetches its files through a loopback host forward,
# byte for byte; a built-in file is still served, a folder is not a file,
# and the mount shows in the metrics with its device and type.
set -u
cd "$(dirname "$0")/../../.."
. scripts/vm.sh
. tests/lib/tally.sh
tmp=$(mktemp -d)
trap 'vm_stop; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/site/docs"
echo '<h1>from the initrd</h1>' >"$tmp/site/index2.html"
head -c 100000 /dev/urandom >"$tmp/site/docs/blob.bin"
tar -C "$tmp/site" -cf "$tmp/site.tar" .
VM_LOG=$tmp/vm.log VM_INITRD=$tmp/site.tar
mport=$(free_port); fport=$(free_port)
if ! vm_start build/kvm/demo.elf "$mport" "$fport" \
    net.ip=10.0.2.15/24 net.gw=10.0.2.2; then
  echo "0 passed, 1 failed"; exit 1
fi
get() { curl -sf -m 10 -o "$2" "http://127.0.0.1:$fport$1"; }
check "html file from the tar" get /initrd/index2.html "$tmp/a"
check "its content" cmp -s "$tmp/a" "$tmp/site/index2.html"
check "100 KB binary in a subfolder" get /initrd/docs/blob.bin "$tmp/b"
check "its content" cmp -s "$tmp/b" "$tmp/site/docs/blob.bin"
check "built-in files still served" get /hello.txt "$tmp/d"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fport/initrd/docs")
check "a folder is not a file (404)" test "$code" = 404
curl -s -m 10 "http://127.0.0.1:$mport/metrics" >"$tmp/m"
check "the mount's device is the initrd" grep -q \
  '^vfs_device_info{mountpoint="/initrd",value="initrd"} 1$' "$tmp/m"
check "its type is tarfs" grep -q \
  '^vfs_fstype_info{mountpoint="/initrd",value="tarfs"} 1$' "$tmp/m"
check "it is read-only" grep -q '^vfs_readonly{mountpoint="/initrd"} 1$' \
  "$tmp/m"
check "its reads are counted" awk '$1 == "vfs_read_bytes_total{mountpoint=\"/initrd\"}" && $2 >= 100025 { ok = 1 } END { exit !ok }' "$tmp/m"
finish
