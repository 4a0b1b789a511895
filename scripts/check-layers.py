#!/usr/bin/env python3
"""Checks the build's layering against what the sources include.

The fragments (Makefile.uk) declare each library's dependencies once
(foo_DEPS, foo_DEPS-host, foo_DEPS-kvm).  This test reads them through
"make build-graph", then, for each platform kind (host, kvm), resolves
every #include of every library file and program source the way the
compiler would (quoted includes next to the file first, then the kind's
include path) and fails when:

  - a file of library L includes a header owned by library M, and M is
    neither L nor in the closure of L's declared dependencies;
  - a program's source includes a header of a library outside the closure
    of the program's LIBS;
  - the dependency graph has a cycle;
  - a fragment names a library that does not exist.

Headers in the top-level include/ folder are contracts with no owner
(counter, wait, thread, plat/...), and the C library's headers (the
host's, or nolibc's on kvm) are everyone's.  A header's owner is the
library whose include folder holds it, or, for a private header, the
library whose sources sit in the same folder.  Test folders (tests/,
fuzz/) belong to the programs that list them; a program that compiles a
library's own source file (a parser under a fuzzer) may include that
library's headers.

It prints the libraries bottom up (each one's level is one more than its
highest dependency's) and closes with "N passed, N failed".
"""
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("host", "kvm")
LIBC = "nolibc"   # the C library on kvm: everyone's, like the host's libc
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def build_graph():
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", TOP,
                          "build-graph"], capture_output=True, text=True,
                         check=True).stdout
    libs, progs = {}, []
    for line in out.splitlines():
        f = line.split("|")
        if f[0] == "lib":
            name = f[1]
            libs[name] = {
                "deps": {"": f[2].split(), "host": f[3].split(),
                         "kvm": f[4].split()},
                "srcs": {"": f[5].split(), "host": f[6].split(),
                         "kvm": f[7].split()},
                "incs": {"": f[8].split(), "host": f[9].split(),
                         "kvm": f[10].split()},
            }
        elif f[0] == "prog":
            progs.append((f[1], f[2], f[3].split(), f[4].split()))
    return libs, progs


def kind_of(variant):
    return "kvm" if variant == "kvm" else "host"


def deps(libs, name, kind):
    d = libs[name]["deps"]
    return d[""] + d[kind]


def closure(libs, names, kind):
    seen, todo = set(), list(names)
    while todo:
        n = todo.pop()
        if n in seen or n not in libs:
            continue
        seen.add(n)
        todo.extend(deps(libs, n, kind))
    return seen


def find_cycle(libs, kind):
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in deps(libs, n, kind):
            if d not in libs:
                continue
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                c = visit(d)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(libs):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def is_test_path(path):
    parts = path.split(os.sep)
    return "tests" in parts or "fuzz" in parts


class Owners:
    """Maps a header path to the libraries that own it, for one kind."""

    def __init__(self, libs, kind):
        self.incdirs = ["include"]
        self.dir_owner = {}     # include folder -> library
        self.src_owner = {}     # source folder -> libraries
        for name, lib in libs.items():
            for d in lib["incs"][""] + lib["incs"][kind]:
                if d not in self.incdirs:
                    self.incdirs.append(d)
                self.dir_owner[d] = name
            for s in lib["srcs"][""] + lib["srcs"][kind]:
                self.src_owner.setdefault(os.path.dirname(s), set()).add(name)

    def resolve(self, src, quoted, header):
        cands = []
        if quoted:
            cands.append(os.path.normpath(os.path.join(os.path.dirname(src),
                                                       header)))
        cands += [os.path.join(d, header) for d in self.incdirs]
        for c in cands:
            if os.path.isfile(os.path.join(TOP, c)):
                return c
        return None

    def owners(self, path):
        best = None
        for d, lib in self.dir_owner.items():
            if path.startswith(d.rstrip("/") + "/"):
                if best is None or len(d) > len(best[0]):
                    best = (d, lib)
        if best:
            return {best[1]}
        if is_test_path(path):
            return set()
        return self.src_owner.get(os.path.dirname(path), set())


def includes(path, cache={}):
    if path not in cache:
        try:
            with open(os.path.join(TOP, path), errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        cache[path] = INCLUDE_RE.findall(text)
    return cache[path]


def tracked(path):
    return not path.startswith("build/")


def lib_files(libs, name, kind, own):
    """A library's own files: its sources and the headers it owns."""
    lib = libs[name]
    files = [s for s in lib["srcs"][""] + lib["srcs"][kind] if tracked(s)]
    for d in lib["incs"][""] + lib["incs"][kind]:
        if not tracked(d):
            continue
        for root, _, names in os.walk(os.path.join(TOP, d)):
            for n in names:
                if n.endswith(".h"):
                    files.append(os.path.relpath(os.path.join(root, n), TOP))
    for s in list(files):
        folder = os.path.dirname(s)
        if own.src_owner.get(folder, set()) and name in own.src_owner[folder]:
            for n in os.listdir(os.path.join(TOP, folder)):
                p = os.path.join(folder, n)
                if n.endswith(".h") and p not in files:
                    files.append(p)
    return files


def check_files(files, allowed, own, what, problems):
    for src in files:
        for q, h in includes(src):
            path = own.resolve(src, q == '"', h)
            if path is None:
                continue    # a system header
            owners = own.owners(path) - {LIBC}
            if owners and not owners & allowed:
                problems.append("%s: %s includes %s (%s), not among its "
                                "dependencies" % (what, src, path,
                                                  "/".join(sorted(owners))))


def levels(libs, kind):
    memo = {}

    def lv(n):
        if n not in memo:
            memo[n] = 0
            ds = [d for d in deps(libs, n, kind) if d in libs]
            memo[n] = 1 + max((lv(d) for d in ds), default=-1)
        return memo[n]

    return {n: lv(n) for n in libs}


def main():
    libs, progs = build_graph()
    passed = failed = 0

    def report(name, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            print("ok   %s" % name)

    # Every name a fragment uses exists.
    problems = []
    for name, lib in libs.items():
        for k in ("", "host", "kvm"):
            for d in lib["deps"][k]:
                if d not in libs:
                    problems.append("%s_DEPS%s names unknown library %s" %
                                    (name, "-" + k if k else "", d))
    for variant, prog, plibs, _ in progs:
        for d in plibs:
            if d not in libs:
                problems.append("%s (%s) links unknown library %s" %
                                (prog, variant, d))
    report("every library named in a fragment exists", problems)

    for kind in KINDS:
        cyc = find_cycle(libs, kind)
        report("no dependency cycle (%s)" % kind,
               ["cycle: " + " -> ".join(cyc)] if cyc else [])

    for kind in KINDS:
        own = Owners(libs, kind)
        problems = []
        for name in sorted(libs):
            lib = libs[name]
            if not (lib["srcs"][""] or lib["srcs"][kind] or
                    lib["incs"][""] or lib["incs"][kind]):
                continue
            allowed = closure(libs, [name], kind)
            check_files(lib_files(libs, name, kind, own), allowed, own,
                        "library %s" % name, problems)
        report("libraries include only what they declare (%s)" % kind,
               problems)

    for kind in KINDS:
        own = Owners(libs, kind)
        problems = []
        for variant, prog, plibs, srcs in progs:
            if kind_of(variant) != kind:
                continue
            allowed = closure(libs, plibs, kind)
            # A program may build a piece of a library from its sources
            # (a parser under a fuzzer): it may then use that library's
            # headers.
            for s in srcs:
                allowed |= own.owners(s)
            check_files([s for s in srcs if tracked(s)], allowed, own,
                        "program %s (%s)" % (prog, variant), problems)
        report("programs include only what they link (%s)" % kind,
               sorted(set(problems)))

    print("layers, bottom up (host / kvm):")
    lh, lk = levels(libs, "host"), levels(libs, "kvm")
    for lvl in range(max(list(lh.values()) + list(lk.values())) + 1):
        names = sorted(n for n in libs if lk[n] == lvl)
        if names:
            print("  %d: %s" % (lvl, " ".join(
                n + ("" if lh[n] == lk[n] else "(host %d)" % lh[n])
                for n in names)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
