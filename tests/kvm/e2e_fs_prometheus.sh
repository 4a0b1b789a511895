#!/usr/bin/env bash
# The file systems' metrics through a real Prometheus (Debian's), which
# scrapes the demo VM every second while wrk drives its file server:
# the VM has the generated site as a tar disk (/site on vda) and a host
# folder shared over 9P (/data), where each request appends a line to
# the access log.  wrk reads /site/index.html for WRK_SECONDS (5) s;
# then PromQL must see both sides move, as for a real service:
#   rate(vfs_read_bytes_total{mountpoint="/site"}) > 0   (tarfs),
#   rate(blk_read_bytes_total{device="vda"}) > 0         (the disk),
#   rate(vfs_written_bytes_total{mountpoint="/data"}) > 0 (the log, 9P),
# the log's lines cover the requests, and every scrape during the load
# succeeded.  vfs_size_bytes{mountpoint="/data"} must match the host's
# own df of the shared folder within 1% (the 9P server's statfs, which
# a thread of the mount refreshes so a scrape never waits for it).
# Queries are evaluated 1.5 s after the load ends over a window from
# 2.5 s before it began (about nine 1 s scrapes).  Prometheus runs on a
# free loopback port with a throw-away TSDB and is stopped by PID.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
. scripts/prometheus.sh
. tests/lib/promql.sh
WRK_SECONDS=${WRK_SECONDS:-5}

work="$E2E_TMP/kvm_fs_prom.$$"
mkdir -p "$work/data"
trap 'rm -rf "$work"; _vmt_cleanup' EXIT
bash scripts/mksite.sh "$work"
VM_DISKS=("$work/site.tar")
VM_SHARES=("$work/data:data")
vmt_boot || { finish; exit 1; }

web=$(free_port)
prom_start "$work/prom" "127.0.0.1:$VMT_MPORT" "$web"
rc=$?
vmt_track "$PROM_PID"
if [ $rc -eq 0 ]; then
  pass "prometheus is ready on 127.0.0.1:$web"
else
  fail "prometheus is ready" "log follows"
  tail -n 20 "$work/prom/prometheus.log" | sed 's/^/     /'
  finish
  exit 1
fi


sleep 3  # a few scrapes first
t_load=$(date +%s.%N)
# A 10 s timeout: slirp drops SYNs beyond its backlog of one, and a
# connection retried after 1 s and 3 s is QEMU's delay, not the guest's.
wrk -t2 -c8 -d"${WRK_SECONDS}s" --timeout 10s \
  "http://127.0.0.1:$VMT_FPORT/site/index.html" \
  >"$work/wrk.out" 2>&1
rc=$?
t_end=$(date +%s.%N)
sed 's/^/     wrk| /' "$work/wrk.out"
reqs=$(awk '/requests in/ { print $1; exit }' "$work/wrk.out")
if [ $rc = 0 ] && [ -n "$reqs" ] && [ "$reqs" -gt 0 ] &&
   ! grep -q 'Non-2xx\|Socket errors' "$work/wrk.out"; then
  pass "wrk read /site/index.html: $reqs requests, no errors"
else
  fail "wrk loaded the file server" "status $rc, '${reqs}' requests"
  reqs=0
fi

sleep 2  # the scrapes after the load land; the log is flushed
at=$(awk -v t="$t_end" 'BEGIN { printf "%.3f", t + 1.5 }')
win=$(awk -v a="$t_load" -v b="$at" 'BEGIN { printf "%d", b - a + 2.5 }')
prom_expect "tarfs reads moved" \
  "rate(vfs_read_bytes_total{mountpoint=\"/site\"}[${win}s])" '>' 0 "$at"
prom_expect "the disk's reads moved" \
  "rate(blk_read_bytes_total{device=\"vda\"}[${win}s])" '>' 0 "$at"
prom_expect "the share's writes moved (the access log)" \
  "rate(vfs_written_bytes_total{mountpoint=\"/data\"}[${win}s])" '>' 0 "$at"
prom_expect "the log's lines cover the load" \
  "increase(fileserver_log_lines_total[${win}s])" '>=' $((reqs / 2)) "$at"
prom_expect "every scrape during the load succeeded" \
  "min_over_time(up[${win}s])" '==' 1 "$at"
echo "     site reads $(prom_value "rate(vfs_read_bytes_total{mountpoint=\"/site\"}[${win}s])" "$at") B/s, disk $(prom_value "rate(blk_read_bytes_total{device=\"vda\"}[${win}s])" "$at") B/s, share writes $(prom_value "rate(vfs_written_bytes_total{mountpoint=\"/data\"}[${win}s])" "$at") B/s, log rotations $(prom_value 'fileserver_log_rotations_total')"
lines=$(cat "$work"/data/access.log* 2>/dev/null | wc -l)
check "the host folder holds the log's lines ($lines)" test "$lines" -ge $((reqs / 2))
big=$(find "$work/data" -name 'access.log*' -size +1024k | head -n 1)
check "no log file passed 1 MiB (rotation)" test -z "$big"

# The share's size against the host's df of the folder.
vsize=$(prom_value 'vfs_size_bytes{mountpoint="/data"}')
hsize=$(df -B1 --output=size "$work/data" | tail -n 1 | tr -d ' ')
if awk -v a="$vsize" -v b="$hsize" 'BEGIN {
     if (a !~ /^[0-9.eE+]+$/ || b + 0 <= 0) exit 1
     d = a - b; if (d < 0) d = -d; exit !(d <= b * 0.01) }'; then
  pass "vfs_size_bytes{mountpoint=\"/data\"} $vsize matches df's $hsize within 1%"
else
  fail "vfs_size_bytes of /data matches df" "$vsize against $hsize"
fi
vavail=$(prom_value 'vfs_avail_bytes{mountpoint="/data"}')
havail=$(df -B1 --output=avail "$work/data" | tail -n 1 | tr -d ' ')
echo "     avail: vfs_avail_bytes $vavail, df $havail"

if grep -qi 'level=error' "$work/prom/prometheus.log"; then
  fail "prometheus logged no errors"
  grep -i 'level=error' "$work/prom/prometheus.log" | head -n 5 | sed 's/^/     /'
else
  pass "prometheus logged no errors"
fi
vmt_alive "the VM is still running, no panic on its console"
finish
