#!/usr/bin/python3
"""make plot: PNG plots of a running make run, drawn by gnuplot.

Asks the Prometheus of make run (http://127.0.0.1:$UKMON_PROM_PORT,
default 9090) for the node_exporter-compatible series of job "node" over
the last minutes (query_range), writes each plot's data as a
tab-separated file and a gnuplot script under build/plots/, and runs
gnuplot on it: cpu.png (CPU time by mode, stacked, in % of all cores),
memory.png (used, cache + buffers, free, stacked, MiB), network.png
(receive and transmit per device, KiB/s), filesystem.png (space used per
mount point, %), disk.png (read and written per disk, KiB/s) and
scrape.png (Prometheus' scrape duration, ms), plus index.html showing
them all on one page.  Every plot has a title, axis labels with units
and a legend.

A plot whose queries return nothing is still drawn, saying "no data" and
the query, and is named on stderr; the exit status is then 1.  Exit
status 2: Prometheus cannot be reached or gnuplot failed.

Usage: scripts/plot.py [--prom URL] [--minutes M] [--job JOB]
                       [--instance HOST:PORT] [--out DIR]
Environment: UKMON_PROM_PORT (as make run), UKMON_PLOT_MINUTES (15).
"""

import argparse
import math
import os
import subprocess
import sys
import textwrap
import time

from promapi import PromError, api

# Each plot: file name, title, y label, y scale (a divisor), fixed y
# range or None, stacked or lines, and its queries as (legend, PromQL)
# pairs.  {sel} is the job (and instance) selector, {w} the rate window.
# The legend is a format string over the series' labels; with several
# instances, each series is prefixed with its instance and nothing is
# stacked.
MIB = 1024 * 1024
PLOTS = [
    dict(name="cpu", title="CPU time by mode", ylabel="% of CPU time (all cores)",
         scale=1, yrange=(0, 100), stack=True,
         order=["user", "system", "irq", "softirq", "iowait", "nice",
                "steal", "idle"],
         queries=[("{mode}",
                   "sum by (instance, mode) (rate(node_cpu_seconds_total{{{sel}}}[{w}]))"
                   " / on (instance) group_left"
                   " count by (instance) (node_cpu_seconds_total{{{sel},mode=\"idle\"}}) * 100")]),
    dict(name="memory", title="Memory: used, cache + buffers, free",
         ylabel="MiB", scale=MIB, yrange=None, stack=True,
         queries=[("used",
                   "node_memory_MemTotal_bytes{{{sel}}} - node_memory_MemFree_bytes{{{sel}}}"
                   " - (node_memory_Cached_bytes{{{sel}}} + node_memory_Buffers_bytes{{{sel}}}"
                   " + node_memory_SReclaimable_bytes{{{sel}}})"),
                  ("cache + buffers",
                   "node_memory_Cached_bytes{{{sel}}} + node_memory_Buffers_bytes{{{sel}}}"
                   " + node_memory_SReclaimable_bytes{{{sel}}}"),
                  ("free", "node_memory_MemFree_bytes{{{sel}}}")]),
    dict(name="network", title="Network traffic per device", ylabel="KiB/s",
         scale=1024, yrange=None, stack=False,
         queries=[("{device} receive",
                   "rate(node_network_receive_bytes_total{{{sel},device!=\"lo\"}}[{w}])"),
                  ("{device} transmit",
                   "rate(node_network_transmit_bytes_total{{{sel},device!=\"lo\"}}[{w}])")]),
    dict(name="filesystem", title="File-system space used per mount point",
         ylabel="% of size used", scale=1, yrange=(0, 105), stack=False,
         queries=[("{mountpoint} ({fstype} on {device})",
                   "100 * (1 - node_filesystem_avail_bytes{{{sel},fstype!=\"\"}}"
                   " / (node_filesystem_size_bytes{{{sel},fstype!=\"\"}} > 0))")]),
    dict(name="disk", title="Disk I/O per device", ylabel="KiB/s",
         scale=1024, yrange=None, stack=False,
         queries=[("{device} read",
                   "rate(node_disk_read_bytes_total{{{sel}}}[{w}])"),
                  ("{device} written",
                   "rate(node_disk_written_bytes_total{{{sel}}}[{w}])")]),
    dict(name="scrape", title="Scrape duration (Prometheus to the VM's /metrics)",
         ylabel="ms", scale=0.001, yrange=None, stack=False,
         queries=[("{instance}", "scrape_duration_seconds{{{sel}}}")]),
]


def scrape_interval(base, job):
    """The scrape interval of JOB's targets in seconds (15 if unknown)."""
    try:
        for t in api(base, "targets", {"state": "active"})["activeTargets"]:
            if t["labels"].get("job") == job and t.get("scrapeInterval"):
                s = t["scrapeInterval"]
                units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
                for u in ("ms", "s", "m", "h"):
                    if s.endswith(u) and s[:-len(u)].replace(".", "").isdigit():
                        return float(s[:-len(u)]) * units[u]
    except (PromError, KeyError):
        pass
    return 15.0


def fmt_legend(template, labels):
    """Fills TEMPLATE with LABELS; a missing label reads "?"."""
    class Missing(dict):
        def __missing__(self, key):
            return "?"
    return template.format_map(Missing(labels))


def fetch(base, plot, sel, w, start, end, step):
    """Runs PLOT's queries; returns [(legend, instance, {t: value}, query
    number)]."""
    out = []
    for qn, (legend, q) in enumerate(plot["queries"]):
        expr = q.format(sel=sel, w=w)
        data = api(base, "query_range", {
            "query": expr, "start": "%.3f" % start, "end": "%.3f" % end,
            "step": "%g" % step})
        for s in data["result"]:
            pts = {}
            for t, v in s["values"]:
                v = float(v)
                if math.isfinite(v):
                    pts[float(t)] = v / plot["scale"]
            if pts:
                out.append((fmt_legend(legend, s["metric"]),
                            s["metric"].get("instance", ""), pts, qn))
    return out


def gp_str(s):
    """S as a gnuplot double-quoted string."""
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"%s"' % s.replace("\n", "\\n")


def order_key(plot, s):
    """Stacking order: the plot's "order" list, then its queries' order,
    then by name."""
    legend, _, _, qn = s
    order = plot.get("order", [])
    return (order.index(legend) if legend in order else len(order), qn,
            legend)


def write_plot(plot, series, outdir, subtitle, exprs):
    """Writes NAME.tsv and NAME.gp for PLOT and runs gnuplot on them."""
    name = plot["name"]
    png = os.path.join(outdir, name + ".png")
    tsv = os.path.join(outdir, name + ".tsv")
    lines = [
        "set terminal pngcairo size 1000,520 font 'sans,10' noenhanced",
        "set output %s" % gp_str(png),
        "set title %s" % gp_str(plot["title"] + "\n" + subtitle),
        "set datafile separator '\\t'",
        "set xdata time", "set timefmt '%s'", "set format x '%H:%M:%S'",
        "set xlabel 'time (UTC)'",
        "set ylabel %s" % gp_str(plot["ylabel"]),
        "set grid", "set key outside right top box opaque",
        "set border 3", "set tics nomirror",
    ]
    if plot["yrange"]:
        lines.append("set yrange [%g:%g]" % plot["yrange"])
    else:
        lines.append("set yrange [0:*]")
    if not series:
        wrapped = [ln for e in exprs for ln in textwrap.wrap(e, 110)]
        lines += ["unset xdata", "unset key", "set xrange [0:1]",
                  "set yrange [0:1]", "unset xtics", "unset ytics",
                  "set label 1 %s at graph 0.5, 0.55 center font 'sans,16'"
                  % gp_str("no data"),
                  "set label 2 %s at graph 0.5, 0.42 center font 'sans,9'"
                  % gp_str("\n".join(wrapped)),
                  "plot 2 notitle"]
        open(tsv, "w").close()
    else:
        instances = sorted({s[1] for s in series})
        stack = plot["stack"] and len(instances) == 1
        if len(instances) > 1:
            series = [("%s %s" % (inst, leg), inst, pts, qn)
                      for leg, inst, pts, qn in series]
        series.sort(key=lambda s: order_key(plot, s))
        if stack:
            # The legend reads top down as the stack does.
            lines.append("set key invert")
        times = sorted(set().union(*(s[2] for s in series)))
        with open(tsv, "w") as f:
            f.write("# time\t" + "\t".join(s[0] for s in series) + "\n")
            for t in times:
                row, acc = ["%.3f" % t], 0.0
                for _, _, pts, _ in series:
                    v = pts.get(t)
                    if stack:
                        acc += v if v is not None else 0.0
                        v = acc
                    row.append("NaN" if v is None else "%.6g" % v)
                f.write("\t".join(row) + "\n")
        terms = []
        for i, (legend, _, _, _) in enumerate(series):
            col = i + 2
            if stack:
                lower = "(0)" if i == 0 else "%d" % (col - 1)
                terms.append("%s using 1:%s:%d with filledcurves"
                             " fillstyle solid 0.6 border title %s"
                             % (gp_str(tsv), lower, col, gp_str(legend)))
            else:
                terms.append("%s using 1:%d with lines linewidth 2 title %s"
                             % (gp_str(tsv), col, gp_str(legend)))
        lines.append("plot " + ", \\\n     ".join(terms))
    gp = os.path.join(outdir, name + ".gp")
    with open(gp, "w") as f:
        f.write("\n".join(lines) + "\n")
    r = subprocess.run(["gnuplot", gp], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.getsize(png):
        raise RuntimeError("gnuplot %s: %s" % (gp, r.stderr.strip()))
    return png


def write_index(outdir, pngs, subtitle):
    """index.html: every plot on one page, like a dashboard."""
    with open(os.path.join(outdir, "index.html"), "w") as f:
        f.write("<!doctype html><meta charset=utf-8><title>ukmon plots</title>"
                "<h3 style='font-family:sans-serif'>ukmon: %s</h3>\n" % subtitle)
        for p in pngs:
            f.write("<img src='%s' style='width:49%%'>\n" % os.path.basename(p))


def main():
    sys.stdout.reconfigure(line_buffering=True)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    port = os.environ.get("UKMON_PROM_PORT", "9090")
    ap.add_argument("--prom", default="http://127.0.0.1:%s" % port)
    ap.add_argument("--minutes", type=float,
                    default=float(os.environ.get("UKMON_PLOT_MINUTES", "15")))
    ap.add_argument("--job", default="node")
    ap.add_argument("--instance", default="")
    ap.add_argument("--out", default="build/plots")
    a = ap.parse_args()

    base = a.prom.rstrip("/")
    sel = 'job="%s"' % a.job
    if a.instance:
        sel += ',instance="%s"' % a.instance
    end = time.time()
    start = end - a.minutes * 60
    step = max(1, round(a.minutes * 60 / 500))
    si = scrape_interval(base, a.job)
    # Grafana's $__rate_interval: at least four scrapes, and a step more
    # than one.
    w = "%ds" % max(math.ceil(4 * si), math.ceil(step + si))
    try:
        api(base, "query", {"query": "vector(1)"})
    except PromError as e:
        print("plot: cannot query Prometheus at %s (is make run running? "
              "UKMON_PROM_PORT=%s): %s" % (base, port, e), file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    subtitle = "job %s%s, last %g min" % (
        a.job, ", " + a.instance if a.instance else "", a.minutes)
    pngs, empty = [], []
    for plot in PLOTS:
        exprs = [q.format(sel=sel, w=w) for _, q in plot["queries"]]
        try:
            series = fetch(base, plot, sel, w, start, end, step)
            rated = any("{w}" in q for _, q in plot["queries"])
            png = write_plot(plot, series, a.out, subtitle +
                             (", rates over %s" % w if rated else ""), exprs)
        except (PromError, RuntimeError) as e:
            print("plot: %s: %s" % (plot["name"], e), file=sys.stderr)
            return 2
        pngs.append(png)
        if series:
            print("plot: %s: %d series" % (png, len(series)))
        else:
            empty.append(plot["name"])
            print("plot: %s: no data for %s" % (png, " and ".join(exprs)),
                  file=sys.stderr)
    write_index(a.out, pngs, subtitle)
    print("plot: all plots on one page: %s" % os.path.join(a.out, "index.html"))
    if empty:
        print("plot: no data for %d of %d plots: %s"
              % (len(empty), len(PLOTS), " ".join(empty)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
