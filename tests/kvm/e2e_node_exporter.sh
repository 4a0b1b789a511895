#!/usr/bin/env bash
# The real node_exporter reads our procfs.  Boots the demo VM with a tar
# disk (vda), reads /metrics, copies the VM's /proc and /sys files over
# HTTP (GET /proc/..., /sys/...) into a temporary tree, reads /metrics
# again, and runs Debian's prometheus-node-exporter on the copy
# (--path.procfs, --path.sysfs) with only the meminfo, stat, cpu,
# loadavg, netdev, netstat, sockstat, vmstat, diskstats and filefd
# collectors.  Then:
#   - every series it emits for them (its own node_scrape_collector_*,
#     go_*, process_* and promhttp_* aside) is in ukmon's /metrics with
#     the same name and labels, and its value lies between the two
#     /metrics reads (so constants agree exactly, and counters within
#     their movement);
#   - promtool check metrics finds no error in ukmon's /metrics, and its
#     only complaints are the expected ones about Linux's CamelCase
#     names, listed by name (node_memory_*, node_netstat_*...);
#   - the CPU modes of /proc/stat add up to /proc/uptime (within 1%, or
#     the 10 ms truncation of each mode's ticks, whichever is larger).
# The VM must survive.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
. tests/lib/promlint.sh

NE=${NODE_EXPORTER:-prometheus-node-exporter}
if ! command -v "$NE" >/dev/null || ! command -v promtool >/dev/null; then
  fail "prometheus-node-exporter and promtool installed" \
    "run bash scripts/deps.sh as root"
  finish
  exit 1
fi

work="$E2E_TMP/node_exporter.$$"
rm -rf "$work"
mkdir -p "$work/site"
echo "hello" >"$work/site/index.html"
tar -C "$work/site" -cf "$work/site.tar" index.html
VM_DISKS=("$work/site.tar")
trap '_vmt_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

vmt_boot || { finish; exit 1; }
url="http://127.0.0.1:$VMT_MPORT"
# Some disk traffic, so diskstats has figures.
curl -s --max-time 10 -o /dev/null "http://127.0.0.1:$VMT_FPORT/site/index.html"

FILES="stat meminfo loadavg vmstat uptime net/dev net/snmp net/netstat
  net/sockstat diskstats sys/fs/file-nr self/mountinfo 1/mountinfo mounts
  self/stat self/status self/limits version cpuinfo"
ATTRS="operstate mtu address carrier speed type"

curl -s --max-time 10 "$url/metrics" >"$work/m1.txt"
# One connection for all the files, so the figures move as little as
# possible between them.
args=()
for f in $FILES; do
  mkdir -p "$(dirname "$work/proc/$f")"
  args+=(-o "$work/proc/$f" "$url/proc/$f")
done
curl -sf --max-time 10 "${args[@]}"
rc=$?
devs=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' "$work/proc/net/dev" 2>/dev/null)
args=()
for d in $devs; do
  mkdir -p "$work/sys/class/net/$d"
  for a in $ATTRS; do
    args+=(-o "$work/sys/class/net/$d/$a" "$url/sys/class/net/$d/$a")
  done
done
[ ${#args[@]} -gt 0 ] && { curl -sf --max-time 10 "${args[@]}" || rc=$?; }
curl -s --max-time 10 "$url/metrics" >"$work/m2.txt"
if [ "$rc" -eq 0 ] && [ -n "$devs" ]; then
  pass "procfs and sysfs copied over HTTP ($(echo $FILES | wc -w) files, devices: $(echo $devs))"
else
  fail "procfs and sysfs copied over HTTP" "curl status $rc, devices '$devs'"
fi

# node_exporter on the copy, on a free loopback port.
port=$(free_port)
"$NE" --web.listen-address="127.0.0.1:$port" \
  --path.procfs="$work/proc" --path.sysfs="$work/sys" \
  --path.rootfs="$work" --collector.disable-defaults \
  --collector.meminfo --collector.stat --collector.cpu \
  --collector.loadavg --collector.netdev --no-collector.netdev.netlink \
  --collector.netstat --collector.sockstat --collector.vmstat \
  --collector.diskstats --collector.filefd \
  >"$work/ne.log" 2>&1 &
ne_pid=$!
vmt_track "$ne_pid"
for _ in $(seq 50); do
  curl -s --max-time 2 -o "$work/ne.txt" "http://127.0.0.1:$port/metrics" && break
  sleep 0.1
done
kill -TERM "$ne_pid" 2>/dev/null
if [ -s "$work/ne.txt" ]; then pass "node_exporter ran on the copy"
else fail "node_exporter ran on the copy" "$(tail -n 5 "$work/ne.log")"; fi

# Every collector succeeded (a parse error shows as success 0).
bad=$(grep -E '^node_scrape_collector_success\{' "$work/ne.txt" | grep -v ' 1$')
if [ -z "$bad" ] && grep -q '^node_scrape_collector_success' "$work/ne.txt"; then
  pass "node_exporter parsed every file (10 collectors succeeded)"
else
  fail "node_exporter parsed every file" "$bad $(grep -i 'err' "$work/ne.log" | head -n 3)"
fi

/usr/bin/python3 - "$work/ne.txt" "$work/m1.txt" "$work/m2.txt" <<'EOF' >"$work/cmp.txt"
import re, sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

def series(path):
    out = {}
    for line in open(path):
        if line.startswith('#') or not line.strip():
            continue
        m = SAMPLE.match(line)
        if not m:
            continue
        labels = tuple(sorted(LABEL.findall(m.group(2) or '')))
        out[(m.group(1), labels)] = float(m.group(3))
    return out

ne, m1, m2 = (series(p) for p in sys.argv[1:4])
skip = re.compile(r'^(node_scrape_collector_|node_exporter_|go_|process_|promhttp_)')
# Instantaneous states, neither constant nor counting: the threads that
# run or block at each read.  Checked for presence, and for sense below.
state = {'node_procs_running', 'node_procs_blocked'}
checked = missing = off = 0
for (name, labels), v in sorted(ne.items()):
    if skip.match(name):
        continue
    checked += 1
    key = (name, labels)
    text = name + '{' + ','.join('%s="%s"' % l for l in labels) + '}'
    if key not in m1 or key not in m2:
        missing += 1
        print('MISSING %s' % text)
        continue
    lo, hi = min(m1[key], m2[key]), max(m1[key], m2[key])
    if name in state:
        lo, hi = (1 if name == 'node_procs_running' else 0), 1e9
    if not lo <= v <= hi:
        off += 1
        print('VALUE %s node_exporter %r, ukmon %r then %r' %
              (text, v, m1[key], m2[key]))
print('SUMMARY %d %d %d' % (checked, missing, off))
EOF
read -r _ n_checked n_missing n_off < <(grep '^SUMMARY' "$work/cmp.txt")
if [ "${n_checked:-0}" -gt 100 ] && [ "${n_missing:-1}" -eq 0 ]; then
  pass "all $n_checked series node_exporter emits are in ukmon's /metrics, same names and labels"
else
  fail "node_exporter's series are in ukmon's /metrics" \
    "${n_checked:-0} checked, ${n_missing:-?} missing: $(grep '^MISSING' "$work/cmp.txt" | head -n 5 | tr '\n' ' ')"
fi
if [ "${n_off:-1}" -eq 0 ] && [ "${n_checked:-0}" -gt 0 ]; then
  pass "their values agree (constants exactly, counters within the movement between reads)"
else
  fail "node_exporter's values agree with ukmon's" \
    "$(grep '^VALUE' "$work/cmp.txt" | head -n 5 | tr '\n' ' ')"
fi

# promtool: no errors; warnings only the expected CamelCase ones.
promtool check metrics <"$work/m1.txt" >"$work/lint.txt" 2>&1
camel=$(grep -c -E "$PROMLINT_EXPECTED" "$work/lint.txt")
if unexpected=$(promlint "$work/m1.txt"); then
  pass "promtool check metrics: no error, only the $camel expected camelCase warnings (tests/lib/promlint.sh)"
else
  fail "promtool check metrics" "$(head -n 5 <<<"$unexpected")"
fi

# The modes add up to the time since boot: once the time before the
# scheduler started (the boot itself) is below 1% of it.
for _ in $(seq 200); do
  up=$(curl -s --max-time 2 "$url/proc/uptime" | awk '{ print int($1) }')
  [ "${up:-0}" -ge 12 ] && break
  sleep 0.1
done
curl -sf --max-time 10 -o "$work/proc/stat" "$url/proc/stat" \
  -o "$work/proc/uptime" "$url/proc/uptime"
read -r _ u n s i w q sq st _ <"$work/proc/stat"
up=$(awk '{ print $1 }' "$work/proc/uptime")
if awk -v a="$((u + n + s + i + w + q + sq + st))" -v up="$up" 'BEGIN {
    sum = a / 100; tol = up / 100; if (tol < 0.05) tol = 0.05
    d = sum - up; if (d < 0) d = -d
    printf "     CPU modes %.2f s, uptime %.2f s\n", sum, up
    exit !(d <= tol) }'; then
  pass "CPU modes add up to the uptime (within 1%)"
else
  fail "CPU modes add up to the uptime" "user $u system $s idle $i irq $q softirq $sq"
fi

vmt_alive "VM still running, no crash on its console"
finish
