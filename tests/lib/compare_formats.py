#!/usr/bin/env python3
"""Compares a text 0.0.4 and an OpenMetrics scrape of the same exporter.

usage: compare_formats.py TEXT_FILE OPENMETRICS_FILE

Both formats must describe the same metric families with the same help:
a text counter "x_total" is the OpenMetrics counter "x", a text gauge
"x_info" with an OpenMetrics info family "x" is that info family, and
every other family keeps its name and type.  Prints one line per
difference (nothing when they agree) and exits 1 if there was any.
"""
import sys


def families(path):
    fams = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            parts = line.split(" ", 3)
            if len(parts) >= 4 and parts[0] == "#" and parts[1] in (
                    "TYPE", "HELP"):
                f = fams.setdefault(parts[2], {})
                f[parts[1]] = parts[3]
    return fams


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    text, om = families(sys.argv[1]), families(sys.argv[2])
    errors = []
    seen = set()
    for name, f in sorted(text.items()):
        typ = f.get("TYPE", "untyped")
        if typ == "counter" and name.endswith("_total"):
            want, want_type = name[:-6], "counter"
        elif typ == "gauge" and name.endswith("_info") and \
                om.get(name[:-5], {}).get("TYPE") == "info":
            want, want_type = name[:-5], "info"
        elif typ == "untyped":
            want, want_type = name, "unknown"
        else:
            want, want_type = name, typ
        g = om.get(want)
        if g is None:
            errors.append("text family %s (%s) has no OpenMetrics family %s"
                          % (name, typ, want))
            continue
        seen.add(want)
        if g.get("TYPE", "unknown") != want_type:
            errors.append("%s: text type %s, OpenMetrics type %s"
                          % (name, typ, g.get("TYPE")))
        if f.get("HELP") != g.get("HELP"):
            errors.append("%s: help differs: %r vs %r"
                          % (name, f.get("HELP"), g.get("HELP")))
    for name in sorted(set(om) - seen):
        errors.append("OpenMetrics family %s is missing from text" % name)
    for e in errors[:50]:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
