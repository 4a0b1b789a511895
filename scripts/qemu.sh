#!/usr/bin/env bash
# The one QEMU launcher: every test, benchmark and `make run` boots a kvm
# image through it, so the machine, the console, the exit device and the
# network are set up in one place.  It execs qemu-system-x86_64 (the PID a
# caller gets is QEMU's own).
#
#   scripts/qemu.sh [options] IMAGE [append words...]
#
# Options:
#   --machine M      pc (i440FX with PCI: virtio-*-pci devices) or microvm
#                    (no PCI, no firmware tables: virtio-*-device on
#                    virtio-mmio, which QEMU lists on the kernel command
#                    line); default $UKMON_MACHINE, else microvm
#   -m SIZE          guest RAM (default $QEMU_MEM, else 64M)
#   --serial SPEC    QEMU's -serial (default stdio; file:PATH for a log)
#   --fwd HOST:GUEST forward 127.0.0.1:HOST to the guest's TCP port GUEST
#                    (repeatable); gives the guest a virtio-net NIC on
#                    QEMU's user network
#   --net            that NIC without any forward
#   --initrd FILE    QEMU's -initrd (a PVH module)
#   --disk FILE      a virtio-blk disk over FILE, raw format
#                    (repeatable: vda, vdb... in order)
#   --share DIR:TAG  DIR as a virtio-9p share with mount tag TAG
#                    (security_model=none; repeatable)
#   --no-exit-device leave out isa-debug-exit (the guest then halts)
#   --print          print the command line (shell-quoted) instead of
#                    running it
#   -- ARGS...       more QEMU arguments, as they are
# Environment: UKMON_MACHINE (see --machine), QEMU_MEM (see -m),
# QEMU_EXTRA (more QEMU arguments, split on blanks), UKMON_NETDEV_OPTS
# (more options of the user network, e.g. hostname=NAME: the host name
# its DHCP server hands out).
#
# -nodefaults leaves out what QEMU adds unasked: under pc a VGA card and
# an e1000 NIC with their option ROMs, which the BIOS initialises at every
# boot (a third of -M pc's start-up); for the same reason virtio-net-pci
# gets no option ROM (romfile=: its network-boot firmware, which SeaBIOS
# would run, costing tens of ms).
#
# microvm is QEMU's minimal machine: no PCI, no BIOS tables, qboot as
# firmware; it keeps the 8259 PICs, the PIT, the CMOS RTC and COM1, which
# the kvm platform uses as under pc.  acpi=off makes QEMU describe its
# virtio-mmio devices as virtio_mmio.device=<size>@<base>:<irq> words
# appended to the kernel command line (with ACPI it puts them in tables
# only) and keeps their interrupts on the legacy lines 5..12 (no second
# IOAPIC); x-option-roms=off drops the option ROMs, whose loading is
# part of QEMU's start-up (qboot boots the PVH kernel itself).  Its
# virtio-mmio devices use the legacy register layout unless
# `-global virtio-mmio.force-legacy=false` is given (both work).
#
# The guest's exit status reaches QEMU's as (status << 1) | 1 through
# isa-debug-exit; scripts/qemu-test.sh decodes it.
set -u
mem=${QEMU_MEM:-64M}
machine=${UKMON_MACHINE:-microvm}
serial=stdio
exitdev=1
print=0
fwds=()
net=0
initrd=
disks=()
shares=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -m) mem=$2; shift 2 ;;
    --machine) machine=$2; shift 2 ;;
    --serial) serial=$2; shift 2 ;;
    --fwd) fwds+=("$2"); net=1; shift 2 ;;
    --net) net=1; shift ;;
    --initrd) initrd=$2; shift 2 ;;
    --disk) disks+=("$2"); shift 2 ;;
    --share)
      case "$2" in
        *:?*) shares+=("$2") ;;
        *) echo "qemu.sh: --share wants DIR:TAG, got $2" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --no-exit-device) exitdev=0; shift ;;
    --print) print=1; shift ;;
    --) shift; extra+=("$@"); set --; break ;;
    -*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: scripts/qemu.sh [options] IMAGE [append words...]" >&2
  exit 2
fi
img=$1; shift
case "$machine" in
  pc) mopt=pc; bus=pci; nicrom=,romfile= ;;
  microvm) mopt=microvm,acpi=off,x-option-roms=off; bus=device; nicrom= ;;
  *) echo "qemu.sh: --machine wants pc or microvm, got $machine" >&2
     exit 2 ;;
esac
args=(qemu-system-x86_64 -M "$mopt" -nodefaults -display none
      -serial "$serial" -monitor none -m "$mem" -no-reboot)
[ "$exitdev" = 1 ] && args+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "$net" = 1 ]; then
  nd=user,id=n0${UKMON_NETDEV_OPTS:+,$UKMON_NETDEV_OPTS}
  for f in "${fwds[@]}"; do
    nd+=",hostfwd=tcp:127.0.0.1:${f%%:*}-:${f#*:}"
  done
  args+=(-netdev "$nd" -device "virtio-net-$bus,netdev=n0$nicrom")
fi
[ -n "$initrd" ] && args+=(-initrd "$initrd")
# QEMU's option syntax doubles a comma inside a value.
i=0
for d in "${disks[@]}"; do
  args+=(-drive "file=${d//,/,,},if=none,id=disk$i,format=raw"
         -device "virtio-blk-$bus,drive=disk$i")
  i=$((i + 1))
done
i=0
for sh in "${shares[@]}"; do
  dir=${sh%:*}
  tag=${sh##*:}
  args+=(-fsdev "local,id=fs$i,path=${dir//,/,,},security_model=none"
         -device "virtio-9p-$bus,fsdev=fs$i,mount_tag=${tag//,/,,}")
  i=$((i + 1))
done
args+=(-kernel "$img")
[ $# -gt 0 ] && args+=(-append "$*")
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && args+=(${QEMU_EXTRA})
args+=("${extra[@]}")
if [ "$print" = 1 ]; then
  printf '%q ' "${args[@]}" | sed 's/ $//'
  echo
  exit 0
fi
exec "${args[@]}"
