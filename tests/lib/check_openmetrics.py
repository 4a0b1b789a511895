#!/usr/bin/env python3
"""Structural checker for an OpenMetrics 1.0 exposition.

usage: check_openmetrics.py FILE [--timestamped OUT]

Checks what promtool 2.42 cannot (it has no OpenMetrics lint): the text
ends with "# EOF"; every family's metadata (TYPE, HELP, UNIT, each at
most once) precedes its samples; families are contiguous and unique; each
sample name fits its family's type (counter -> _total/_created, info ->
_info, histogram -> _bucket/_count/_sum/_created, gauge/unknown -> the
name itself); a unit is a suffix of the family name; names, labels and
escapes are well formed; no series repeats; histograms have ascending le
bounds ending in +Inf, non-decreasing cumulative counts and _count equal
to the +Inf bucket.  Prints one line per problem (nothing when clean) and
exits 1 if there was any.

With --timestamped OUT it also writes a copy with a fixed timestamp on
every sample, which "promtool tsdb create-blocks-from openmetrics" needs
to run Prometheus's own OpenMetrics parser over the exposition.
"""
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "gaugehistogram", "stateset",
         "info", "summary", "unknown"}
SUFFIXES = {
    "counter": ["_total", "_created"],
    "gauge": [""],
    "unknown": [""],
    "info": ["_info"],
    "stateset": [""],
    "histogram": ["_bucket", "_count", "_sum", "_created"],
    "gaugehistogram": ["_bucket", "_gcount", "_gsum"],
    "summary": ["", "_count", "_sum", "_created"],
}


def parse_value(s):
    if s in ("NaN", "+Inf", "-Inf"):
        return float(s.replace("+", ""))
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s):
        raise ValueError("bad number %r" % s)
    return float(s)


def parse_labels(s, i):
    """Parses {a="b",...} from s[i] == '{'; returns (dict, index after)."""
    labels = {}
    i += 1
    while True:
        if s[i] == "}":
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise ValueError("bad label name at %d" % i)
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise ValueError("expected =\" after label %s" % name)
        i += 2
        val = []
        while s[i] != '"':
            if s[i] == "\\":
                esc = s[i + 1]
                if esc not in 'n"\\':
                    raise ValueError("bad escape \\%s" % esc)
                val.append("\n" if esc == "n" else esc)
                i += 2
            else:
                if s[i] == "\n":
                    raise ValueError("raw newline in label value")
                val.append(s[i])
                i += 1
        i += 1
        if name in labels:
            raise ValueError("label %s repeated" % name)
        labels[name] = "".join(val)
        if s[i] == ",":
            i += 1
            if s[i] == "}":
                raise ValueError("trailing comma in labels")
        elif s[i] != "}":
            raise ValueError("expected , or } after label value")


def parse_sample(line):
    m = NAME.match(line)
    if not m:
        raise ValueError("bad metric name")
    name = m.group(0)
    i = m.end()
    labels = {}
    if i < len(line) and line[i] == "{":
        labels, i = parse_labels(line, i)
    rest = line[i:]
    if not rest.startswith(" ") or rest.startswith("  "):
        raise ValueError("expected one space before the value")
    rest = rest[1:]
    exemplar = None
    if " # " in rest:
        rest, exemplar = rest.split(" # ", 1)
    parts = rest.split(" ")
    if len(parts) not in (1, 2):
        raise ValueError("bad value/timestamp %r" % rest)
    value = parse_value(parts[0])
    return name, labels, value, len(parts) == 2, exemplar


class Checker:
    def __init__(self):
        self.errors = []
        self.families = {}  # name -> dict(type, help, unit, samples)
        self.order = []
        self.cur = None

    def err(self, lineno, msg):
        self.errors.append("line %d: %s" % (lineno, msg))

    def family(self, name):
        if self.cur is not None and self.cur["name"] == name:
            return self.cur
        if name in self.families:
            return None
        f = {"name": name, "type": "unknown", "meta": set(), "series": {},
             "samples": 0}
        self.families[name] = f
        self.order.append(name)
        self.cur = f
        return f

    def meta(self, lineno, line):
        parts = line.split(" ", 3)
        if len(parts) < 3 or parts[1] not in ("TYPE", "HELP", "UNIT"):
            self.err(lineno, "unknown comment %r" % line)
            return
        kind, name = parts[1], parts[2]
        text = parts[3] if len(parts) > 3 else ""
        if not NAME.fullmatch(name):
            self.err(lineno, "bad family name %r" % name)
        f = self.family(name)
        if f is None:
            self.err(lineno, "family %s is not contiguous" % name)
            return
        if f["samples"]:
            self.err(lineno, "%s of %s after its samples" % (kind, name))
        if kind in f["meta"]:
            self.err(lineno, "%s of %s repeated" % (kind, name))
        f["meta"].add(kind)
        if kind == "TYPE":
            if text not in TYPES:
                self.err(lineno, "unknown type %r" % text)
            f["type"] = text
        elif kind == "UNIT":
            if text and not name.endswith("_" + text):
                self.err(lineno, "unit %s is not a suffix of %s"
                         % (text, name))
        elif kind == "HELP":
            if re.search(r'\\[^n"\\]', text):
                self.err(lineno, "bad escape in HELP of %s" % name)

    def sample(self, lineno, line):
        try:
            name, labels, value, _, _ = parse_sample(line)
        except (ValueError, IndexError) as e:
            self.err(lineno, "%s: %r" % (e, line))
            return
        f = self.cur
        base = None
        if f is not None:
            for suf in SUFFIXES[f["type"]]:
                if name == f["name"] + suf:
                    base = suf
                    break
        if base is None:
            self.err(lineno, "sample %s does not belong to family %s"
                     % (name, f["name"] if f else None))
            return
        f["samples"] += 1
        if f["type"] in ("counter", "histogram") and base in (
                "_total", "_count", "_bucket") and value < 0:
            self.err(lineno, "negative %s" % name)
        key = (name, tuple(sorted(labels.items())))
        if key in f["series"]:
            self.err(lineno, "series repeated: %s" % line)
        f["series"][key] = value
        if f["type"] == "histogram":
            self.hist_sample(lineno, f, base, labels, value)

    def hist_sample(self, lineno, f, base, labels, value):
        rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        h = f.setdefault("hist", {}).setdefault(
            rest, {"les": [], "counts": [], "count": None, "sum": None})
        if base == "_bucket":
            if "le" not in labels:
                self.err(lineno, "bucket without le")
                return
            le = parse_value(labels["le"])
            if h["les"] and le <= h["les"][-1]:
                self.err(lineno, "le not ascending")
            if h["counts"] and value < h["counts"][-1]:
                self.err(lineno, "cumulative count decreases")
            h["les"].append(le)
            h["counts"].append(value)
        elif base == "_count":
            h["count"] = value
        elif base == "_sum":
            h["sum"] = value

    def finish(self):
        for name in self.order:
            f = self.families[name]
            if not f["samples"]:
                self.errors.append("family %s has no samples" % name)
            for rest, h in f.get("hist", {}).items():
                if not h["les"] or not math.isinf(h["les"][-1]):
                    self.errors.append("%s%s: no +Inf bucket" % (name, rest))
                elif h["count"] != h["counts"][-1]:
                    self.errors.append("%s%s: _count %s != +Inf bucket %s"
                                       % (name, rest, h["count"],
                                          h["counts"][-1]))
                if h["sum"] is None:
                    self.errors.append("%s%s: no _sum" % (name, rest))


def check(text):
    c = Checker()
    if not (text.endswith("# EOF\n") or text.endswith("# EOF")):
        c.errors.append("does not end with # EOF")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        if line == "# EOF":
            if n != len(lines):
                c.err(n, "# EOF before the end")
            continue
        if not line:
            c.err(n, "empty line")
        elif line.startswith("#"):
            c.meta(n, line)
        else:
            c.sample(n, line)
    c.finish()
    return c


def timestamped(text, ts="1700000000"):
    out = []
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            if " # " in line:
                head, ex = line.split(" # ", 1)
                line = "%s %s # %s" % (head, ts, ex)
            else:
                line = "%s %s" % (line, ts)
        out.append(line)
    return "\n".join(out)


def main():
    if len(sys.argv) not in (2, 4):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as fh:
        text = fh.read()
    c = check(text)
    for e in c.errors[:50]:
        print(e)
    if len(sys.argv) == 4 and sys.argv[2] == "--timestamped":
        with open(sys.argv[3], "w", encoding="utf-8") as fh:
            fh.write(timestamped(text))
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
