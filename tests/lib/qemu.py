#!/usr/bin/env python3
"""QEMU command lines for the Python tests and benchmarks.

scripts/qemu.sh is the one place that knows how a kvm image is booted;
qemu_cmd() asks it for the command line (--print) and returns it as a
list, so a benchmark can start QEMU itself without a shell in between
(whose start-up would count in a boot time).
"""
import os
import shlex
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def qemu_cmd(img, append=None, fwd=(), mem=None, serial="stdio",
             exit_device=True, extra=(), disks=(), shares=(), machine=None):
    """The argv that boots img: fwd is a list of (host, guest) TCP ports
    forwarded from 127.0.0.1 (a virtio-net NIC on QEMU's user network);
    append is the kernel command line; disks are files given as
    virtio-blk disks (vda, vdb...), shares (dir, tag) pairs given as
    virtio-9p shares; machine is pc or microvm (None: qemu.sh's default,
    $UKMON_MACHINE or microvm)."""
    args = ["bash", os.path.join(TOP, "scripts", "qemu.sh"), "--print",
            "--serial", serial]
    if machine:
        args += ["--machine", machine]
    if mem:
        args += ["-m", mem]
    for h, g in fwd:
        args += ["--fwd", "%d:%d" % (h, g)]
    for d in disks:
        args += ["--disk", d]
    for d, t in shares:
        args += ["--share", "%s:%s" % (d, t)]
    if not exit_device:
        args.append("--no-exit-device")
    args.append(img)
    if append:
        args.append(append)
    cmd = shlex.split(subprocess.run(args, check=True, capture_output=True,
                                     text=True).stdout)
    return cmd + list(extra)
