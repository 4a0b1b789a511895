# Starts and stops the demo VM under QEMU with user networking, its guest
# ports forwarded to loopback (sourced by scripts/run.sh and the kvm
# end-to-end tests; not run on its own).
#
#   vm_start IMAGE METRICS_PORT FILE_PORT [append words...]
#       boots IMAGE with hostfwd 127.0.0.1:METRICS_PORT -> guest 9100 and
#       127.0.0.1:FILE_PORT -> guest 8080, serial output in $VM_LOG, and
#       waits for the exporter's "listening" line, then for the file
#       server's (or a line saying a part failed to start), since the
#       file server starts after the mounts.  Sets VM_PID.  Returns
#       non-zero (and shows the log) if the VM dies or is not ready in
#       $VM_READY_TIMEOUT seconds (default 60).  $VM_INITRD, when set,
#       is passed as QEMU's -initrd.
#   vm_stop        stops the VM (SIGTERM, then SIGKILL).
#   vm_free_port   prints a free loopback TCP port (free_port).
# VM_MEM sets the guest RAM (default 64M); VM_QEMU_ARGS (an array) adds
# scripts/qemu.sh options; VM_DISKS and VM_SHARES (arrays of FILE and of
# DIR:TAG) give the VM virtio-blk disks (vda, vdb...) and 9P shares:
#   VM_DISKS=(build/run/site.tar) VM_SHARES=(build/run/data:data)
VM_LOG=${VM_LOG:-build/vm.log}
VM_PID=
. "$(dirname "${BASH_SOURCE[0]}")/../tests/lib/ports.sh"

vm_free_port() {
  free_port
}

vm_start() {
  local img=$1 mport=$2 fport=$3 i
  shift 3
  mkdir -p "$(dirname "$VM_LOG")"
  : >"$VM_LOG"
  local devs=() d
  for d in ${VM_DISKS[@]+"${VM_DISKS[@]}"}; do devs+=(--disk "$d"); done
  for d in ${VM_SHARES[@]+"${VM_SHARES[@]}"}; do devs+=(--share "$d"); done
  bash "$(dirname "${BASH_SOURCE[0]}")/qemu.sh" -m "${VM_MEM:-64M}" \
    --serial "file:$VM_LOG" --fwd "$mport:9100" --fwd "$fport:8080" \
    ${VM_INITRD:+--initrd "$VM_INITRD"} ${devs[@]+"${devs[@]}"} \
    ${VM_QEMU_ARGS[@]+"${VM_QEMU_ARGS[@]}"} \
    "$img" "$@" </dev/null >>"$VM_LOG.qemu" 2>&1 &
  VM_PID=$!
  for i in $(seq $((${VM_READY_TIMEOUT:-60} * 20))); do
    if grep -q '^\(ukprom: listening\|ukprom: disabled\)' "$VM_LOG" &&
       grep -q '^demo: file server on\|ukmon: fileserver failed to start' "$VM_LOG"; then
      return 0
    fi
    if ! kill -0 "$VM_PID" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  echo "the VM did not become ready; its console:" >&2
  sed 's/^/    /' "$VM_LOG" "$VM_LOG.qemu" >&2
  vm_stop
  return 1
}

vm_stop() {
  local i
  [ -n "$VM_PID" ] || return 0
  kill -TERM "$VM_PID" 2>/dev/null
  for i in $(seq 50); do
    kill -0 "$VM_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$VM_PID" 2>/dev/null
  wait "$VM_PID" 2>/dev/null
  VM_PID=
}
