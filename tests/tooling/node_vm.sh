# Shared setup of the tooling tests that need a VM (sourced after
# tests/lib/tally.sh, from the top of the tree; not run on its own): the
# demo VM as make run boots it (the generated site on a tar disk, a
# folder shared over 9P) and Debian's Prometheus as make run starts it
# (job "node", 1 s scrapes, the node alerts, the consoles), on free
# loopback ports; both are stopped, by PID, on exit (tests/kvm/vm_test.sh).
#
#   nvm_start     boots both, counts a pass or a failure, and returns
#                 non-zero if either did not start.  Sets NVM_WORK (a
#                 scratch folder), NVM_PROM (Prometheus' base URL),
#                 NVM_INSTANCE (the VM's instance label) and the VMT_*
#                 ports.
#   nvm_load      a few file-server reads from the disk and a write to
#                 the share, so that the disk, file-system and network
#                 series move.
#   nvm_scrapes N waits until Prometheus holds N samples of up for the
#                 VM (at most 3 N s); returns non-zero if it did not.
. tests/kvm/vm_test.sh
. scripts/prometheus.sh

nvm_start() {
  NVM_WORK="$E2E_TMP/tooling.$$"
  rm -rf "$NVM_WORK"
  mkdir -p "$NVM_WORK/data"
  bash scripts/mksite.sh "$NVM_WORK" >/dev/null || {
    fail "scripts/mksite.sh"; return 1; }
  VM_DISKS=("$NVM_WORK/site.tar")
  VM_SHARES=("$NVM_WORK/data:data")
  vmt_boot || return 1
  NVM_INSTANCE="127.0.0.1:$VMT_MPORT"
  local web
  web=$(free_port)
  prom_start "$NVM_WORK/prom" "$NVM_INSTANCE" "$web"
  local rc=$?
  vmt_track "$PROM_PID"
  NVM_PROM="http://127.0.0.1:$web"
  if [ $rc -ne 0 ]; then
    fail "prometheus starts (job $PROM_JOB, rules, consoles)" "log follows"
    tail -n 20 "$NVM_WORK/prom/prometheus.log" | sed 's/^/     /'
    return 1
  fi
  pass "prometheus starts on $NVM_PROM (job $PROM_JOB, rules, consoles)"
}

nvm_load() {
  local f
  for f in index.html about.html docs/guide.html style.css; do
    curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$VMT_FPORT/site/$f"
  done
  curl -s --max-time 5 -o /dev/null -T scripts/mksite.sh \
    "http://127.0.0.1:$VMT_FPORT/data/mksite.sh"
}

nvm_scrapes() {
  local want=$1 n i
  for i in $(seq $((want * 6))); do
    n=$(curl -s --max-time 2 --data-urlencode \
      "query=count_over_time(up{instance=\"$NVM_INSTANCE\"}[1m])" \
      "$NVM_PROM/api/v1/query" |
      /usr/bin/python3 -c 'import json, sys
try:
    print(json.load(sys.stdin)["data"]["result"][0]["value"][1])
except Exception:
    print(0)')
    [ "${n%.*}" -ge "$want" ] 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
