#!/usr/bin/env bash
# File systems in the VM, end to end through the demo's file server:
#   - boots the demo with a generated site as a tar disk (vda, mounted
#     read-only on /site), a host folder shared over virtio-9p with tag
#     "data" (read-write on /data) and a 256 KiB ramfs on /tmp from the
#     boot line (vfs.mount=tmpfs:/tmp:ramfs:size=256k);
#   - GET from /site byte for byte; PUT to /data checked on the host byte
#     for byte, replaced, renamed in the guest (WebDAV MOVE), read back,
#     deleted, each checked on the host; a file the host writes is read
#     by the guest; the access log appears in the host folder;
#   - /tmp filled until the ramfs is full: 507 (ENOSPC), counted, the VM
#     still serves, and space comes back after a DELETE;
#   - refusals: 413 beyond demo.put_max, 403 for the image's files and
#     the read-only /site, 400 for every path traversal attempt (".."
#     plain and encoded, "%2f", "%00", in the target and in MOVE's
#     Destination), a host symbolic link out of the share leads nowhere,
#     and nothing outside the share appears on the host;
#   - the mounts' devices and types in the metrics (vda/tarfs, data/9p,
#     ramfs for "/"), the disk's and the share's counters moving;
#   - a second VM with a corrupt archive on vda (the default /site) and a
#     disk cut short of its archive on vdb (vfs.mount=vdb:/cut:tarfs):
#     each refused with a console line saying why, the storage component
#     down in the metrics, the rest served.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh

work="$E2E_TMP/kvm_fs.$$"
mkdir -p "$work/data"
trap 'rm -rf "$work"; _vmt_cleanup' EXIT
bash scripts/mksite.sh "$work"
site=$work/site

VM_DISKS=("$work/site.tar")
VM_SHARES=("$work/data:data")
# shellcheck disable=SC2086
vmt_boot $VMT_STATIC vfs.mount=tmpfs:/tmp:ramfs:size=256k demo.put_max=1M ||
  { finish; exit 1; }
u=http://127.0.0.1:$VMT_FPORT

# code ARGS...: the status curl gets.
code() { curl -s --max-time 20 --path-as-is -o /dev/null -w '%{http_code}' "$@"; }
# expect_code NAME WANT ARGS...
expect_code() {
  local name=$1 want=$2 got
  shift 2
  got=$(code "$@")
  if [ "$got" = "$want" ]; then pass "$name: $want"
  else fail "$name" "got $got, want $want"; fi
}

for m in "vda on /site (tarfs, ro)" "data on /data (9p, rw)" \
    "tmpfs on /tmp (ramfs, rw)" "ramfs on / (ramfs, rw)"; do
  check "console: $m" grep -qF "demo: $m" "$VM_LOG"
done

# ---- reads from the disk ----
curl -s --max-time 20 -o "$work/got" "$u/site/docs/blob.bin"
check "GET /site/docs/blob.bin: the disk's bytes" cmp -s "$work/got" \
  "$site/docs/blob.bin"
curl -s --max-time 20 -o "$work/got" "$u/site/"
check "GET /site/: its index.html" cmp -s "$work/got" "$site/index.html"
expect_code "a folder without index.html" 404 "$u/site/docs"

# ---- writes into the share ----
head -c 300000 /dev/urandom >"$work/up"
expect_code "PUT /data/up.bin (300 KB)" 201 -T "$work/up" "$u/data/up.bin"
check "the host has its bytes" cmp -s "$work/data/up.bin" "$work/up"
head -c 1000 /dev/urandom >"$work/up2"
expect_code "PUT over it" 204 -T "$work/up2" "$u/data/up.bin"
check "the host has the new bytes" cmp -s "$work/data/up.bin" "$work/up2"
check "no temporary file left" test -z "$(ls -A "$work/data" | grep put)"
expect_code "MOVE /data/up.bin to /data/sub/..." 404 -X MOVE \
  -H "Destination: /data/nodir/moved.bin" "$u/data/up.bin"
expect_code "MOVE /data/up.bin to /data/moved.bin" 201 -X MOVE \
  -H "Destination: $u/data/moved.bin" "$u/data/up.bin"
check "the host sees the rename" test ! -e "$work/data/up.bin"
check "under the new name, same bytes" cmp -s "$work/data/moved.bin" \
  "$work/up2"
curl -s --max-time 20 -o "$work/got" "$u/data/moved.bin"
check "GET /data/moved.bin reads it back" cmp -s "$work/got" "$work/up2"
expect_code "MOVE across mounts (EXDEV)" 502 -X MOVE \
  -H "Destination: /tmp/x" "$u/data/moved.bin"
expect_code "DELETE /data/moved.bin" 204 -X DELETE "$u/data/moved.bin"
check "the host sees it gone" test ! -e "$work/data/moved.bin"
expect_code "DELETE it again" 404 -X DELETE "$u/data/moved.bin"
echo "written by the host" >"$work/data/fromhost.txt"
curl -s --max-time 20 -o "$work/got" "$u/data/fromhost.txt"
check "a file the host wrote is read by the guest" cmp -s "$work/got" \
  "$work/data/fromhost.txt"
sleep 1.5  # the access log is written every second
check "the access log is in the host folder" grep -q \
  '"PUT /data/up.bin HTTP/1.1" 201 0 300000' "$work/data/access.log"
check "with the DELETE" grep -q '"DELETE /data/moved.bin HTTP/1.1" 204' \
  "$work/data/access.log"

# ---- a full file system ----
head -c 100000 /dev/urandom >"$work/f100k"
codes=""
for i in 1 2 3 4; do
  codes="$codes $(code -T "$work/f100k" "$u/tmp/f$i")"
done
case "$codes" in
  " 201 201 507"*) pass "/tmp (256 KiB) takes two 100 KB files, then 507:$codes" ;;
  *) fail "/tmp fills up with 507 (ENOSPC)" "codes:$codes" ;;
esac
v=$(vmt_metric fileserver_server_errors_total)
check "the 507s are counted (fileserver_server_errors_total $v)" \
  test "${v:-0}" -ge 2
expect_code "the VM still serves" 200 "$u/hello.txt"
expect_code "DELETE /tmp/f1" 204 -X DELETE "$u/tmp/f1"
expect_code "space came back: PUT /tmp/f5" 201 -T "$work/f100k" "$u/tmp/f5"

# ---- refusals ----
head -c 1100000 /dev/zero >"$work/big"
expect_code "PUT beyond demo.put_max" 413 -T "$work/big" "$u/data/big"
check "nothing written" test ! -e "$work/data/big"
expect_code "PUT over an image file" 403 -T "$work/up2" "$u/hello.txt"
expect_code "PUT into the read-only /site" 403 -T "$work/up2" "$u/site/x"
expect_code "DELETE an image file" 403 -X DELETE "$u/hello.txt"
expect_code "PUT without a body length" 411 -X PUT -H 'Content-Length:' \
  -H 'Transfer-Encoding:' "$u/data/x"
for t in "/../../etc/passwd" "/site/../../etc/passwd" \
    "/site/%2e%2e/%2e%2e/etc/passwd" "/site/%2E%2E/index.html" \
    "/data/..%2f..%2fetc%2fpasswd" "/data/%2e%2e%2fescape" \
    "/data/a%00.txt" "/%00" "/data/.%2e/x" "/data/sub/../x"; do
  expect_code "GET $t" 400 "$u$t"
done
expect_code "PUT /data/%2e%2e/escape.txt" 400 -T "$work/up2" \
  "$u/data/%2e%2e/escape.txt"
expect_code "PUT /data/..%2fescape.txt" 400 -T "$work/up2" \
  "$u/data/..%2fescape.txt"
expect_code "MOVE to /data/../escape.txt" 400 -X MOVE \
  -H "Destination: /data/../escape.txt" "$u/data/fromhost.txt"
expect_code "MOVE to %2e%2e" 400 -X MOVE \
  -H "Destination: $u/data/%2e%2e/escape.txt" "$u/data/fromhost.txt"
check "nothing escaped the share on the host" test -z \
  "$(ls "$work" | grep escape)"
ln -s / "$work/data/root"
ln -s .. "$work/data/up"
expect_code "a host link to / leads nowhere" 404 "$u/data/root/etc/passwd"
expect_code "a host link to .. leads nowhere" 404 "$u/data/up/site.tar"
expect_code "an unknown method" 405 -X PATCH "$u/data/x"

# ---- metrics ----
curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" >"$work/m"
for s in 'vfs_device_info{mountpoint="/site",value="vda"} 1' \
    'vfs_fstype_info{mountpoint="/site",value="tarfs"} 1' \
    'vfs_device_info{mountpoint="/data",value="data"} 1' \
    'vfs_fstype_info{mountpoint="/data",value="9p"} 1' \
    'vfs_device_info{mountpoint="/",value="ramfs"} 1' \
    'vfs_fstype_info{mountpoint="/tmp",value="ramfs"} 1' \
    'vfs_readonly{mountpoint="/site"} 1' 'vfs_readonly{mountpoint="/data"} 0' \
    'ukmon_component_up{component="storage"} 1'; do
  check "metric: $s" grep -qxF "$s" "$work/m"
done
for s in 'blk_read_bytes_total{device="vda"}' \
    'vfs_read_bytes_total{mountpoint="/site"}' \
    'vfs_written_bytes_total{mountpoint="/data"}' \
    'vfs_read_bytes_total{mountpoint="/data"}'; do
  v=$(awk -v s="$s" '$1 == s { print $2 }' "$work/m")
  check "$s moved ($v)" test "${v:-0}" -gt 0
done
vmt_alive "the VM is still running, no panic on its console"
vm_stop

# ---- bad disks ----
cp "$work/site.tar" "$work/corrupt.tar"
# The second header (about.html): its name changes, its checksum not.
printf 'X' | dd of="$work/corrupt.tar" bs=1 seek=$((512 + 3)) conv=notrunc 2>/dev/null
head -c 20480 "$work/site.tar" >"$work/cut.tar"  # blob.bin's data cut
VM_DISKS=("$work/corrupt.tar" "$work/cut.tar")
VM_SHARES=()
# shellcheck disable=SC2086
if vmt_boot $VMT_STATIC vfs.mount=vdb:/cut:tarfs; then
  u=http://127.0.0.1:$VMT_FPORT
  check "console: the corrupt archive is refused, with why and where" \
    grep -q '^error: tarfs: /site: bad header checksum at offset 512' "$VM_LOG"
  check "console: the short disk says what it lacks" grep -q \
    '^error: tarfs: /cut: member at offset [0-9]* needs [0-9]* bytes, the backing ends at 20480' \
    "$VM_LOG"
  grep '^error: tarfs' "$VM_LOG" | sed 's/^/     /'
  check "the storage component is down in the metrics" test \
    "$(vmt_metric 'ukmon_component_up{component="storage"}')" = 0
  expect_code "nothing of the corrupt disk is served" 404 "$u/site/index.html"
  expect_code "the image's files are" 200 "$u/hello.txt"
  vmt_alive "the VM runs on, no panic on its console"
fi
finish
