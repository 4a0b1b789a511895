#!/usr/bin/env python3
"""Scraping many instances (make bench): boots BENCH_FLEET_N (8) demo VMs
on this host and prints, in one run:

  - each VM's QEMU host CPU while idle and unscraped, then while a real
    Prometheus scrapes all of them, as % of one core: every 1 s (as make
    run and make fleet do) and every 15 s (a common production interval;
    BENCH_FLEET_INTERVALS sets the list);
  - Prometheus's own CPU over the same window, and its scrape durations
    (scrape_duration_seconds per target, median and max);
  - each VM's memory: QEMU's resident set, and the guest heap in use
    (ukalloc_in_use_bytes from its own /metrics).

The monitoring's cost is the VMs' extra CPU while scraped plus
Prometheus's CPU; the goal is that a 2-core host carries 8 monitored idle
VMs with under 2% of one core in total for the monitoring, judged at
each interval.  Idle and scraped windows are BENCH_FLEET_WINDOW seconds
(20), and at least four scrape intervals.  Only 127.0.0.1 is
contacted; every process started is stopped on exit.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
from ports import free_port  # noqa: E402
from procstat import cpu_ns, rss_bytes  # noqa: E402
from qemu import qemu_cmd  # noqa: E402

N = int(os.environ.get("BENCH_FLEET_N", "8"))
WINDOW = float(os.environ.get("BENCH_FLEET_WINDOW", "20"))
INTERVALS = os.environ.get("BENCH_FLEET_INTERVALS", "1 15").split()
IMG = os.path.join(TOP, "build", "kvm", "demo.elf")
APPEND = "net.ip=10.0.2.15/24 net.gw=10.0.2.2"
procs = []


def on_signal(sig, frame):
    raise SystemExit(1)


def get(url, timeout=3):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def metric(text, name):
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def boot(i, tmp):
    mport, fport = free_port(), free_port()
    cmd = qemu_cmd(IMG, "uk.hostname=ukmon-%d %s" % (i, APPEND),
                   fwd=[(mport, 9100), (fport, 8080)],
                   serial="file:%s/vm%d.log" % (tmp, i))
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    return {"i": i, "p": p, "mport": mport}


def wait_ready(vm, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            vm["metrics"] = get("http://127.0.0.1:%d/metrics" % vm["mport"])
            return True
        except OSError:
            time.sleep(0.2)
    return False


def window(vms, extra=(), secs=WINDOW):
    """Per-VM and extra PIDs' CPU, % of one core, over secs seconds."""
    pids = [vm["p"].pid for vm in vms] + list(extra)
    c0 = [cpu_ns(p) for p in pids]
    t0 = time.monotonic()
    time.sleep(secs)
    dt = time.monotonic() - t0
    c1 = [cpu_ns(p) for p in pids]
    return [100.0 * (b - a) / 1e9 / dt for a, b in zip(c0, c1)]


def start_prometheus(tmp, vms, interval):
    port = free_port()
    d = os.path.join(tmp, "prom" + interval)
    os.makedirs(d)
    with open(os.path.join(d, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: %ss\n  scrape_timeout: %ss\n"
                "scrape_configs:\n  - job_name: fleet\n    static_configs:\n"
                "      - targets: [%s]\n" % (interval, interval, ", ".join(
                    "'127.0.0.1:%d'" % vm["mport"] for vm in vms)))
    # scripts/prometheus.sh starts it, as for make run and make fleet.
    sh = subprocess.Popen(
        ["bash", "-c", '. scripts/prometheus.sh && prom_start_config '
         '"$1" "$2" && echo "$PROM_PID" && wait', "_", d, str(port)],
        cwd=TOP, stdout=subprocess.PIPE, text=True)
    procs.append(sh)
    line = sh.stdout.readline().strip()
    if not line:
        raise SystemExit("bench-fleet: Prometheus did not start (%s)" % d)
    return sh, int(line), "http://127.0.0.1:%d/api/v1" % port


def query(api, q):
    r = json.loads(get(api + "/query?" + urllib.parse.urlencode({"query": q})))
    return {x["metric"].get("instance"): float(x["value"][1])
            for x in r["data"]["result"]}


def report(tmp, vms, idle, interval):
    """Scraped every interval seconds: the figures and the verdict."""
    secs = max(WINDOW, 4 * float(interval))
    sh, prom_pid, api = start_prometheus(tmp, vms, interval)
    time.sleep(3)  # its start-up, and the first scrapes
    both = window(vms, [prom_pid], secs)
    scraped, prom_cpu = both[:N], both[N]
    dur = query(api, 'scrape_duration_seconds{job="fleet"}')
    ups = query(api, 'up{job="fleet"}')
    print("scraped every %s s by one Prometheus (window %.0f s):" %
          (interval, secs))
    print("  %-8s %10s %12s %10s %11s %12s" % (
        "vm", "idle CPU", "scraped CPU", "scrape", "QEMU RSS", "guest heap"))
    for vm, a, b in zip(vms, idle, scraped):
        inst = "127.0.0.1:%d" % vm["mport"]
        text = get("http://127.0.0.1:%d/metrics" % vm["mport"])
        heap = metric(text, "ukalloc_in_use_bytes")
        print("  %-8s %9.2f%% %11.2f%% %8.2f ms %8.1f MB %9.0f KB" % (
            "ukmon-%d" % vm["i"], a, b, 1e3 * dur.get(inst, float("nan")),
            rss_bytes(vm["p"].pid) / 1e6, (heap or 0) / 1e3))
    d = sorted(dur.values())
    vm_extra = sum(scraped) - sum(idle)
    total = vm_extra + prom_cpu
    print("  targets up: %d of %d" % (int(sum(ups.values())), N))
    if d:
        print("  Prometheus scrape duration: median %.2f ms, max %.2f ms" %
              (1e3 * statistics.median(d), 1e3 * d[-1]))
    print("  QEMU CPU, all %d VMs: idle %.2f%%, scraped %.2f%% of one core "
          "(+%.2f%%)" % (N, sum(idle), sum(scraped), vm_extra))
    print("  Prometheus's own CPU: %.2f%% of one core" % prom_cpu)
    print("  monitoring %d idle VMs every %s s: %.2f%% of one core in total "
          "(VMs' extra + Prometheus; goal < 2%%): %s" % (
              N, interval, total, "MET" if total < 2 else "MISSED"))
    subprocess.run(["kill", "-TERM", str(prom_pid)])
    sh.wait(10)


def main():
    signal.signal(signal.SIGTERM, on_signal)
    if not os.path.exists(IMG):
        print("bench-fleet: %s is missing (make kvm)" % IMG)
        return 1
    tmp = tempfile.mkdtemp(prefix="bench-fleet.")
    try:
        vms = [boot(i + 1, tmp) for i in range(N)]
        for vm in vms:
            if not wait_ready(vm):
                print("bench-fleet: ukmon-%d did not answer" % vm["i"])
                return 1
        time.sleep(1)
        idle = window(vms)
        print("%d demo VMs; idle window %.0f s: QEMU CPU %.2f%% of one core "
              "in all" % (N, WINDOW, sum(idle)))
        for interval in INTERVALS:
            report(tmp, vms, idle, interval)
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        subprocess.run(["pkill", "-f", "prometheus --config.file=%s" % tmp])
        for p in procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
