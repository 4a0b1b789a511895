#!/usr/bin/env bash
# The demo's file server with QEMU's -initrd: boots build/kvm/demo.elf
# with a tar archive as initrd and fetches its files, the whole module as
# /initrd, and a built-in file, through a loopback host forward.
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
check "html file from the tar" get /index2.html "$tmp/a"
check "its content" cmp -s "$tmp/a" "$tmp/site/index2.html"
check "100 KB binary in a subfolder" get /docs/blob.bin "$tmp/b"
check "its content" cmp -s "$tmp/b" "$tmp/site/docs/blob.bin"
check "the whole module as /initrd" get /initrd "$tmp/c"
check "its content" cmp -s "$tmp/c" "$tmp/site.tar"
check "built-in files still served" get /hello.txt "$tmp/d"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fport/docs")
check "a folder is not a file (404)" test "$code" = 404
finish
