#!/usr/bin/python3
"""The window speaks the REPL's language: view titles, labels and the keys
line in Portuguese and Russian.

usage: window_language.py [--keep DIR]

The same session (the shipped model, SDL's dummy video driver, the window
at its default size) runs with --lang en, pt and ru and takes a screenshot
of four views the REPL's stages lead to: the attention heatmap (attn), the
positional encodings (pos), the Q/K/V strips (qkv) and the predictions
(mlm). The sentence and the numbers are the same in every language, so
the pictures may differ only where there is text; the title bar (the
view's title, the layer and head, the stage) and the footer (the keys)
must differ between every two languages. A window left in English fails.
The PNGs are kept in DIR (default $BT_BUILD_ROOT/meson-logs/window-language)
for a person to look at.

Binary: $BT_BIN. Exit 77 (skip) when the shipped model is absent.
"""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
SKIP = 77
VIEWS = [("attn", "attn 0 1"), ("pos", "pos"), ("qkv", "stage qkv"), ("mlm", "stage mlm")]
LANGS = ("en", "pt", "ru")
BAND = 0.035   # the title bar and the footer: the top and bottom 3.5% of the rows


def read_png(path):
    """(width, height, rows of bytes): 8-bit RGB or RGBA, not interlaced."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % path)
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("%s: only 8-bit RGB(A) PNGs are read here" % path)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def shoot(lang, out_dir, tmp):
    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env["SDL_VIDEODRIVER"] = "dummy"
    env["HOME"] = env["XDG_STATE_HOME"] = tmp
    args = [os.path.abspath(os.environ["BT_BIN"]), "--lang", lang, "-e", "the cat sat on the [MASK] ."]
    for name, cmd in VIEWS:
        args += ["-e", cmd, "-e", "screenshot %s" % os.path.join(out_dir, "%s-%s.png" % (name, lang))]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=300)
    if r.returncode != 0:
        print(r.stdout.decode("utf-8", "replace")[-2000:])
        sys.exit("%s: the session failed (rc %d)" % (lang, r.returncode))


def differing_rows(a, b, band):
    """How many rows of the band differ between two pictures of one size."""
    return sum(1 for y in band if a[2][y] != b[2][y])


def main():
    args = sys.argv[1:]
    keep = os.path.join(os.environ.get("BT_BUILD_ROOT", "."), "meson-logs", "window-language")
    if args[:1] == ["--keep"]:
        keep = args[1]
    if not os.environ.get("BT_BIN"):
        sys.exit("set BT_BIN to the bertology binary")
    if not os.path.exists(os.path.join(ROOT, "assets", "models", "default", "config.json")):
        print("no shipped model: skipped")
        sys.exit(SKIP)
    os.makedirs(keep, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGS:
            shoot(lang, keep, tmp)
    failed = 0
    for name, _ in VIEWS:
        pics = {l: read_png(os.path.join(keep, "%s-%s.png" % (name, l))) for l in LANGS}
        w, h = pics["en"][:2]
        if any(p[:2] != (w, h) for p in pics.values()):
            print("%s: the screenshots differ in size" % name)
            failed += 1
            continue
        n = max(1, int(h * BAND))
        for band_name, band in (("title bar", range(0, n)), ("footer", range(h - n, h))):
            for x, y in (("en", "pt"), ("en", "ru"), ("pt", "ru")):
                d = differing_rows(pics[x], pics[y], band)
                ok = d >= n // 4
                print("%s %s: %s and %s differ in %d of %d rows%s" % (name, band_name, x, y, d, n,
                                                                   "" if ok else "  <- the same text?"))
                failed += not ok
    print("screenshots in %s" % keep)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
