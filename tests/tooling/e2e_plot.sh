#!/usr/bin/env bash
# make plot against a real make run: the demo VM (with its disk and
# share) scraped by Prometheus for about 15 s under a little file-server
# load, then scripts/plot.py draws its six plots (cpu, memory, network,
# filesystem, disk, scrape), each a non-empty PNG with data and exit
# status 0; they are kept in build/tooling/plots/ to look at.  A job
# with no series still gets six PNGs, each saying "no data" on stderr,
# and exit status 1; an unreachable Prometheus is exit status 2 with a
# message naming it.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/tooling/node_vm.sh
trap 'rm -rf "$NVM_WORK"; _vmt_cleanup' EXIT
PLOTS="cpu memory network filesystem disk scrape"
OUT=build/tooling/plots

nvm_start || { finish; exit 1; }
for _ in 1 2 3 4 5; do nvm_load; sleep 2; done
nvm_scrapes 12 && pass "Prometheus holds 12 scrapes of the VM" ||
  fail "Prometheus holds 12 scrapes of the VM"
nvm_load
sleep 2

# png_ok NAME FILE: passes if FILE is a non-empty PNG.
png_ok() {
  if [ -s "$2" ] && file "$2" | grep -q 'PNG image data'; then
    pass "$1: $(file -b "$2" | cut -d, -f1-2), $(stat -c %s "$2") bytes"
  else
    fail "$1" "$(file "$2" 2>&1)"
  fi
}

rm -rf "$OUT"
/usr/bin/python3 scripts/plot.py --prom "$NVM_PROM" --minutes 2 \
  --out "$OUT" >"$NVM_WORK/plot.out" 2>&1
rc=$?
sed 's/^/     | /' "$NVM_WORK/plot.out"
[ $rc = 0 ] && pass "make plot exits 0" || fail "make plot exits 0" "status $rc"
for p in $PLOTS; do
  png_ok "$p.png" "$OUT/$p.png"
  if grep -q "$p.png: [0-9]* series" "$NVM_WORK/plot.out"; then
    pass "$p.png has data: $(grep -o "$p.png: [0-9]* series" "$NVM_WORK/plot.out")"
  else
    fail "$p.png has data" "$(grep "$p.png" "$NVM_WORK/plot.out")"
  fi
done
[ -s "$OUT/index.html" ] && pass "index.html shows them on one page" ||
  fail "index.html shows them on one page"

# A job that has no series: six placeholders, each said.
/usr/bin/python3 scripts/plot.py --prom "$NVM_PROM" --minutes 2 \
  --job no_such_job --out "$NVM_WORK/empty" >"$NVM_WORK/empty.out" 2>&1
rc=$?
[ $rc = 1 ] && pass "no data: exit status 1" ||
  fail "no data: exit status 1" "status $rc"
for p in $PLOTS; do
  png_ok "no data: $p.png is still drawn" "$NVM_WORK/empty/$p.png"
  grep -q "$p.png: no data for " "$NVM_WORK/empty.out" &&
    pass "no data: $p.png says so" || fail "no data: $p.png says so"
done

# No Prometheus at all.
port=$(free_port)
/usr/bin/python3 scripts/plot.py --prom "http://127.0.0.1:$port" \
  --out "$NVM_WORK/none" >"$NVM_WORK/none.out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "cannot query Prometheus at http://127.0.0.1:$port" "$NVM_WORK/none.out"; then
  pass "no Prometheus: exit status 2, says where it looked"
else
  fail "no Prometheus: exit status 2, says where it looked" "status $rc: $(cat "$NVM_WORK/none.out")"
fi
vmt_alive "the VM is still running, no panic on its console"
finish
