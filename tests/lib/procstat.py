#!/usr/bin/env python3
"""Host-side figures of a process (QEMU, Prometheus) for the benchmarks:
CPU time from the scheduler's per-thread statistics (nanoseconds, finer
than clock ticks) and resident memory."""
import os


def cpu_ns(pid):
    """On-CPU ns of all of pid's threads (0 once it is gone)."""
    total = 0
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return 0
    for t in tasks:
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def rss_bytes(pid):
    """Resident set size of pid, in bytes (0 once it is gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
