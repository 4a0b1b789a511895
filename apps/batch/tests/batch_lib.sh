# Shared by the batch image's tests (sourced from the top of the tree,
# after tests/lib/tally.sh): an initrd with an input file, and a run of
# build/kvm/batch.elf under QEMU with a NIC on the user network (the
# guest reaches the host's loopback as 10.0.2.2).
#
#   batch_initrd DIR     writes DIR/input (about 140 KB of the tree's
#                        text) and DIR/initrd.tar holding it; sets
#                        BATCH_INPUT_SIZE
#   batch_run LOG WORDS...  boots the image with the initrd and those
#                        boot options (a static address is added),
#                        console in LOG; sets BATCH_STATUS (the guest's
#                        exit status; 124 on timeout, 125 without one)
#                        and BATCH_MS (QEMU's wall time, ms); with
#                        BATCH_SHARE=DIR set, DIR is shared over 9P
#                        (tag data) and mounted on /data
#   batch_push_ms LOG    the in-VM duration of the final push, from
#                        "batch: final push ... after N ms"
BATCH_IMG=${BATCH_IMG:-build/kvm/batch.elf}
BATCH_INITRD=
BATCH_INPUT_SIZE=0

batch_initrd() {
  mkdir -p "$1"
  cat README.md DEVELOPERS.md lib/ukprom/*.c lib/ukstore/*.c 2>/dev/null |
    head -c 140000 >"$1/input"
  BATCH_INPUT_SIZE=$(stat -c %s "$1/input")
  tar -C "$1" -cf "$1/initrd.tar" input
  BATCH_INITRD=$1/initrd.tar
}

batch_run() {
  local log=$1 t0 t1 rc share=()
  shift
  [ -n "${BATCH_SHARE:-}" ] && share=(--share "$BATCH_SHARE:data")
  t0=$(date +%s%N)
  timeout -k 5 120 bash scripts/qemu.sh --net --initrd "$BATCH_INITRD" \
    "${share[@]}" \
    --serial "file:$log" "$BATCH_IMG" net.ip=10.0.2.15/24 net.gw=10.0.2.2 \
    ${share:+vfs.mount=data:/data:9p} "$@" </dev/null >"$log.qemu" 2>&1
  rc=$?
  t1=$(date +%s%N)
  BATCH_MS=$(( (t1 - t0) / 1000000 ))
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    BATCH_STATUS=124
  elif [ $((rc % 2)) -eq 1 ]; then
    BATCH_STATUS=$(( (rc - 1) / 2 ))
  else
    BATCH_STATUS=125
  fi
}

batch_push_ms() {
  sed -n 's/^batch: final push [a-z]* after \([0-9]*\) ms$/\1/p' "$1" |
    tail -n 1
}
