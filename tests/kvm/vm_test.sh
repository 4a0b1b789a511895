# Shared setup of the kvm end-to-end tests (sourced after tests/lib/
# tally.sh, from the top of the tree; not run on its own).  Each test
# boots its own demo VM through scripts/vm.sh with both guest ports
# forwarded to free loopback ports, and an EXIT trap stops, by PID, the
# VM and every helper process the test registered, so an interrupted or
# failing test leaves nothing behind.
#
#   vmt_boot [append words...]   boots $VMT_IMG with those boot options
#       (none: a static address; the single word "dhcp": no options, so
#       the guest asks QEMU's DHCP server); sets VMT_MPORT (the exporter)
#       and VMT_FPORT (the file server) on 127.0.0.1 and counts a pass
#       or a failure; returns non-zero if it did not boot.
#   vmt_track PID                kill PID on exit too.
#   vmt_alive NAME               passes if the VM still runs and its
#       console shows no panic or assertion.
#   vmt_scrape_ok NAME           passes if a plain scrape gets 200.
#   vmt_metric SERIES            prints SERIES' value from a scrape.
E2E_TMP=${E2E_TMP:-build/e2e}
export E2E_TMP
mkdir -p "$E2E_TMP"
. scripts/vm.sh
VMT_IMG=${VMT_IMG:-build/kvm/demo.elf}
VMT_STATIC="net.ip=10.0.2.15/24 net.gw=10.0.2.2"
VM_LOG="$E2E_TMP/kvm.$$.console"
VMT_PIDS=()

_vmt_cleanup() {
  local p
  for p in "${VMT_PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null
  done
  for p in "${VMT_PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null && sleep 0.2 && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  vm_stop
  rm -f "$VM_LOG" "$VM_LOG.qemu"
}
trap _vmt_cleanup EXIT
trap 'exit 1' INT TERM

vmt_track() {
  VMT_PIDS+=("$1")
}

vmt_boot() {
  local t0 t1
  if [ ! -f "$VMT_IMG" ]; then
    fail "VM image $VMT_IMG exists" "make $VMT_IMG"
    return 1
  fi
  VMT_MPORT=$(vm_free_port)
  VMT_FPORT=$(vm_free_port)
  while [ "$VMT_FPORT" = "$VMT_MPORT" ]; do VMT_FPORT=$(vm_free_port); done
  # shellcheck disable=SC2086
  [ $# -eq 0 ] && set -- $VMT_STATIC
  [ "$*" = dhcp ] && set --
  t0=$(date +%s.%N)
  if ! VM_READY_TIMEOUT=${VM_READY_TIMEOUT:-30} \
      vm_start "$VMT_IMG" "$VMT_MPORT" "$VMT_FPORT" "$@" 2>"$E2E_TMP/kvm.$$.err"; then
    fail "VM boots (${*:-DHCP})" "console follows"
    sed 's/^/     /' "$E2E_TMP/kvm.$$.err"
    rm -f "$E2E_TMP/kvm.$$.err"
    return 1
  fi
  rm -f "$E2E_TMP/kvm.$$.err"
  t1=$(date +%s.%N)
  pass "VM boots (${*:-DHCP}): exporter on 127.0.0.1:$VMT_MPORT, file server on 127.0.0.1:$VMT_FPORT after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
}

vmt_alive() {
  if [ -n "$VM_PID" ] && kill -0 "$VM_PID" 2>/dev/null &&
     ! grep -Eqi 'panic|assert|fault|exception' "$VM_LOG"; then
    pass "$1"
  else
    fail "$1" "VM gone or console shows a crash"
    sed 's/^/     /' "$VM_LOG" "$VM_LOG.qemu" | tail -n 20
  fi
}

vmt_scrape_ok() {
  local code
  code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$VMT_MPORT/metrics")
  if [ "$code" = 200 ]; then pass "$1"; else fail "$1" "got '$code'"; fi
}

vmt_metric() {
  curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" |
    awk -v s="$1" '$1 == s { print $2; exit }'
}

# vmt_at_least NAME SERIES MIN: passes if SERIES is >= MIN.
vmt_at_least() {
  local v
  v=$(vmt_metric "$2")
  if [ -n "$v" ] && awk -v v="$v" -v m="$3" 'BEGIN { exit !(v >= m) }'; then
    pass "$1 ($2 = $v)"
  else
    fail "$1" "$2 = '${v}', want >= $3"
  fi
}
