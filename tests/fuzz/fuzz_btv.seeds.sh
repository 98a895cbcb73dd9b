#!/bin/sh
# Seeds for fuzz_btv: small .btv files written by Python after
# src/vectors/btv.h (a good one, and ones with each defect vecset_open must
# refuse: flags set, a NaN row, a section past the end).
out=$1
/usr/bin/python3 - "$out" <<'PY' || exit 0
import math, os, struct, sys
out = sys.argv[1]

def btv(words, rows, flags=0, name=b"seed", version=1, cut=0):
    dim = len(rows[0])
    body_rows = b"".join(struct.pack("<%df" % dim, *r) for r in rows)
    norms = b"".join(struct.pack("<f", math.sqrt(sum(x * x for x in r))) for r in rows)
    strs, offs = b"", []
    for w in words:
        offs.append(len(strs))
        strs += w.encode() + b"\0"
    offs.append(len(strs))
    al = lambda x: (x + 7) & ~7
    rows_off = 256
    norms_off = al(rows_off + len(body_rows))
    woff_off = al(norms_off + len(norms))
    str_off = woff_off + 4 * len(offs)
    sorted_off = al(str_off + len(strs))
    order = sorted(range(len(words)), key=lambda i: words[i].encode())
    size = sorted_off + 4 * len(words)
    head = b"BTVEC\r\n\x1a" + struct.pack("<IIQQQQQQQQII", version, dim, len(words), rows_off, norms_off, woff_off,
                                          str_off, len(strs), sorted_off, size, flags, 0)
    head += name.ljust(96, b"\0")
    head = head.ljust(256, b"\0")
    f = bytearray(size)
    f[0:256] = head
    f[rows_off:rows_off + len(body_rows)] = body_rows
    f[norms_off:norms_off + len(norms)] = norms
    f[woff_off:woff_off + 4 * len(offs)] = struct.pack("<%dI" % len(offs), *offs)
    f[str_off:str_off + len(strs)] = strs
    f[sorted_off:size] = struct.pack("<%dI" % len(order), *order)
    return bytes(f[:size - cut])

words = ["the", "cat", "sat", "on", "mat", "caf\u00e9"]
rows = [[0.1, 0.2, 0.3], [1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0, 0, 0], [-1, 2, 0.5]]
seeds = {
    "good": btv(words, rows),
    "flags": btv(words, rows, flags=1),
    "version2": btv(words, rows, version=2),
    "nan_row": btv(words, rows[:1] + [[float("nan"), 0, 0]] + rows[2:]),
    "inf_row": btv(words, rows[:2] + [[0, float("inf"), 0]] + rows[3:]),
    "truncated": btv(words, rows, cut=5),
    "one": btv(["x"], [[1.0]]),
}
for n, b in seeds.items():
    open(os.path.join(out, n), "wb").write(b)
PY
