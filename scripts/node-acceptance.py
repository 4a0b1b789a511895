#!/usr/bin/python3
"""Does standard Linux tooling work unchanged on a ukmon VM?

Runs every query of scripts/dashboards/node-acceptance.tsv (Grafana's
"Node Exporter Full" in its two default rows, its template variables,
the node-mixin's alerts that apply to a unikernel and their signals)
against a Prometheus that scrapes the VM, the way Grafana would:

  - the template variables first, in order: label_values(SELECTOR,
    LABEL) asks the series API for SELECTOR over the window and takes the
    label's values, sorted; "job" must offer --job (default "node"),
    "nodename" and "node" take their first value, as Grafana does on a
    fresh load;
  - then every query with $job, $nodename, $node and $__rate_interval
    substituted (the rate interval is Grafana's for a datasource whose
    scrape interval is the target's: four scrape intervals, at least
    --min-rate-interval), evaluated as query_range over the last --window
    seconds, one step a second, as a panel would draw it.

An entry passes as its "expect" field says (the data file describes
them); a query that errors always fails.  Prints one line per entry and
"N passed, N failed" last; exits 1 if any failed, 2 if Prometheus cannot
be reached.

Usage: scripts/node-acceptance.py [--prom URL] [--job JOB] [--window S]
       [--file TSV] [--verbose]
The Prometheus defaults to make run's (UKMON_PROM_PORT, 9090).
"""

import argparse
import math
import os
import re
import sys
import time

from promapi import PromError, api

HERE = os.path.dirname(os.path.abspath(__file__))


def read_entries(path):
    """The data file's entries: [(kind, source, title, expect, query)]."""
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                raise SystemExit("%s:%d: want 5 tab-separated fields, got %d"
                                 % (path, n, len(fields)))
            out.append(tuple(fields))
    return out


def substitute(query, values):
    """QUERY with Grafana's variables replaced, longest names first (so
    $nodename is not read as $node followed by "name")."""
    for name in sorted(values, key=len, reverse=True):
        query = query.replace("${%s}" % name, values[name])
        query = query.replace("$" + name, values[name])
    return query


def scrape_interval(base, job):
    """The scrape interval of JOB's first target, in seconds (15 if none)."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    try:
        for t in api(base, "targets", {"state": "active"})["activeTargets"]:
            if t["labels"].get("job") == job:
                m = re.fullmatch(r"([0-9.]+)(ms|s|m|h)", t.get("scrapeInterval", ""))
                if m:
                    return float(m.group(1)) * units[m.group(2)]
    except (PromError, KeyError):
        pass
    return 15.0


def label_values(base, selector, label, start, end):
    """Grafana's label_values(SELECTOR, LABEL): sorted distinct values."""
    data = api(base, "series", {"match[]": selector, "start": "%.3f" % start,
                                "end": "%.3f" % end})
    return sorted({s[label] for s in data if label in s})


def summarize(result):
    """(number of series, finite values, last finite value or None) of a
    query_range result."""
    finite, last = 0, None
    for s in result:
        for _, v in s["values"]:
            v = float(v)
            if math.isfinite(v):
                finite += 1
                last = v
    return len(result), finite, last


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prom", default="http://127.0.0.1:%s"
                    % os.environ.get("UKMON_PROM_PORT", "9090"))
    ap.add_argument("--job", default="node")
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--min-rate-interval", type=float, default=4)
    ap.add_argument("--file", default=os.path.join(HERE, "dashboards",
                                                     "node-acceptance.tsv"))
    ap.add_argument("--verbose", action="store_true",
                    help="print each query as run")
    a = ap.parse_args()
    base = a.prom.rstrip("/")
    entries = read_entries(a.file)
    try:
        api(base, "query", {"query": "vector(1)"})
    except PromError as e:
        print("node-acceptance: cannot query Prometheus at %s: %s" % (base, e),
              file=sys.stderr)
        return 2

    end = time.time()
    start = end - a.window
    rate = max(a.min_rate_interval, 4 * scrape_interval(base, a.job))
    values = {"__rate_interval": "%ds" % math.ceil(rate)}
    print("     $__rate_interval = %s (4 scrape intervals)" % values["__rate_interval"])
    passed = failed = 0

    def report(ok, what, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   %s: %s" % (what, detail))
        else:
            failed += 1
            print("FAIL %s: %s" % (what, detail))

    for kind, source, title, expect, query in entries:
        what = "%s %s / %s" % (kind, source, title)
        if kind == "var":
            m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", query.strip())
            if not m:
                report(False, what, "not a label_values() query: " + query)
                continue
            q = substitute(m.group(1), values)
            try:
                vals = label_values(base, q, m.group(2), start, end)
            except PromError as e:
                report(False, what, "%s: %s" % (q, e))
                continue
            if title == "job":
                pick = a.job if a.job in vals else None
            else:
                pick = vals[0] if vals else None
            if pick is None:
                report(False, what, "%s offers %s, want %s" % (
                    query, vals or "nothing", a.job if title == "job" else "a value"))
                values[title] = "__unresolved_%s__" % title
            else:
                values[title] = pick
                report(True, what, "$%s = %s (of %s)" % (title, pick, ", ".join(vals)))
            continue

        q = substitute(query, values)
        if a.verbose:
            print("     %s" % q)
        try:
            if expect == "quiet":
                res = api(base, "query", {"query": q, "time": "%.3f" % end})["result"]
            else:
                res = api(base, "query_range", {"query": q, "start": "%.3f" % start,
                                                "end": "%.3f" % end, "step": "1"})["result"]
        except PromError as e:
            report(False, what, "%s: %s" % (q, e))
            continue
        if expect == "quiet":
            if res:
                firing = ", ".join("{%s} %s" % (",".join("%s=%s" % kv for kv in sorted(
                    s["metric"].items()) if kv[0] not in ("job",)), s["value"][1])
                    for s in res[:3])
                report(False, what, "would fire on a healthy VM: " + firing)
            else:
                report(True, what, "evaluates, does not fire")
            continue
        n, finite, last = summarize(res)
        if n == 0:
            report(False, what, "no data: " + q)
        elif finite == 0 and expect != "data-or-nan":
            report(False, what, "only NaN or Inf in %d series: %s" % (n, q))
        elif finite == 0:
            report(True, what, "NaN in %d series (none of the thing, as Linux "
                   "without it)" % n)
        else:
            report(True, what, "%d series, last %.6g" % (n, last))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
