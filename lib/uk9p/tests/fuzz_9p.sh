#!/bin/bash
# Runs the 9P reply fuzzer (build/fuzz/fuzz-9p) for about 15 s from a seed
# session of well-formed replies (see fuzz_9p.c for the input format),
# one with an Rlerror in the middle, and one with lying sizes.
set -u
. "$(dirname "$0")/../../../scripts/fuzz-lib.sh"
fuzz_setup fuzz-9p
/usr/bin/python3 - "$FUZZ_CORPUS" <<'PY'
import struct, sys
out = sys.argv[1]

def msg(t, body, flags=3):
    m = struct.pack("<IBH", 0, t, 0) + body
    return struct.pack("<BH", flags, len(m)) + m

def s(x):
    return struct.pack("<H", len(x)) + x

def qid(t, p):
    return struct.pack("<BIQ", t, 0, p)

def dirent(p, off, name):
    return qid(0, p) + struct.pack("<QB", off, 8) + s(name)

ver = msg(101, struct.pack("<I", 8192) + s(b"9P2000.L"))
attach = msg(105, qid(0x80, 1))
walk = msg(111, struct.pack("<H", 2) + qid(0x80, 2) + qid(0, 3))
lopen = msg(13, qid(0, 3) + struct.pack("<I", 0))
data = bytes(range(256)) * 4
rread = msg(117, struct.pack("<I", len(data)) + data)
rwrite = msg(119, struct.pack("<I", 8168)) + msg(119, struct.pack("<I", 1832))
attr = msg(25, struct.pack("<Q", 0x7ff) + qid(0, 3) +
           struct.pack("<III", 0o100644, 0, 0) + b"\0" * 120)
empty = lambda t: msg(t, b"")
ents = dirent(4, 1, b".") + dirent(5, 2, b"file")
rdir = msg(41, struct.pack("<I", len(ents)) + ents)
statfs = msg(9, struct.pack("<IIQQQQQQI", 0x01021997, 4096, 9, 8, 7, 6, 5, 4, 255))
good = (ver + attach + walk + lopen + rread + rwrite + attr + empty(27) +
        empty(51) + empty(121) + rdir + statfs + msg(73, qid(0x80, 9)) +
        empty(75) + empty(77) + msg(111, struct.pack("<H", 0)) +
        msg(15, qid(0, 10) + struct.pack("<I", 0)) + empty(121) +
        msg(111, struct.pack("<H", 3) + qid(0x80, 11) * 2 + qid(0, 12)) +
        empty(121) + empty(121))
open(out + "/1", "wb").write(good)
lerr = msg(7, struct.pack("<I", 5))
open(out + "/2", "wb").write(ver + attach + walk + lopen +
                             msg(117, struct.pack("<I", 8168) + b"x" * 8168) +
                             lerr + rwrite + attr)
open(out + "/3", "wb").write(ver + attach + msg(111, struct.pack("<H", 2) +
                             qid(0x80, 2) + qid(0, 3), 1) + rread)
PY
fuzz_run 15 20000
