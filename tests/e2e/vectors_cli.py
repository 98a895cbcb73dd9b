#!/usr/bin/python3
"""`bertology vectors` end to end, and `compare` on the default model.

usage: vectors_cli.py      ($BT_BIN: the bertology binary)

1. convert on GloVe text, word2vec binary and wink JSON files written here;
   info, similar and analogy against values worked out by hand;
2. broken inputs and bad arguments: exit status, one line on stderr, no
   output file left behind;
3. the REPL: `compare` on the default model (a generated checkpoint when
   assets/models/default is absent) prints a static cosine of exactly 1 and
   contextual cosines below 1 for "bank" in two contexts.
"""
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.environ.get("BT_BIN")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args, **kw):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("BERTOLOGY_VECTORS", None)
    env.update(kw.pop("env", {}))
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, timeout=120, **kw)


WORDS = ["the", "cat", "sat", "mat", "dog"]
VECS = [[1, 2, 2], [2, 0, 0], [0, 3, 4], [-1, -2, -2], [2, 0.5, 0]]


def cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def unit(a):
    n = math.sqrt(sum(x * x for x in a))
    return [x / n for x in a]


def hits(out):
    """'  1  sat   0.9333' lines -> [(word, cos)]"""
    return [(m.group(1), float(m.group(2))) for m in re.finditer(r"^\s*\d+\s+(\S+)\s+(-?[\d.]+)$", out, re.M)]


def cli_tests(cli, tmp):
    text = os.path.join(tmp, "v.txt")
    with open(text, "w") as f:
        for w, v in zip(WORDS, VECS):
            f.write(w + " " + " ".join(repr(float(x)) for x in v) + "\n")
    binary = os.path.join(tmp, "v.bin")
    with open(binary, "wb") as f:
        f.write(b"5 3\n")
        for w, v in zip(WORDS, VECS):
            f.write(w.encode() + b" " + struct.pack("<3f", *v) + b"\n")
    wink = os.path.join(tmp, "v.json")
    with open(wink, "w") as f:
        f.write('{"dimensions":3,"size":5,"vectors":{' +
                ",".join('"%s":[%s,0,%d]' % (w, ",".join(map(str, v)), i) for i, (w, v) in enumerate(zip(WORDS, VECS))) +
                "}}")

    # Finite values whose length overflows float32 (found by fuzz_vectors):
    # convert refused to write a file its own reader would refuse.
    huge = os.path.join(tmp, "huge.txt")
    with open(huge, "w") as f:
        f.write("3 2\ncat 1 2\ndog 3e38 3e38\nfoo 1 1\n")
    p = run(cli + ["convert", huge, huge + ".btv"])
    said = [l for l in p.stderr.split("\n") if l]
    check(p.returncode == 1 and len(said) == 1 and "'dog'" in said[0] and "too long for float32" in said[0]
          and not os.path.exists(huge + ".btv"), "convert a row too long for float32: %r" % p.stderr)

    for src, kind in ((text, "text"), (binary, "word2vec binary"), (wink, "wink-embeddings JSON")):
        out = src + ".btv"
        p = run(cli + ["convert", src, out, "--name", "five words"])
        check(p.returncode == 0, "convert %s: %s" % (kind, p.stderr))
        check(kind in p.stdout and "5 words × 3" in p.stdout, "convert %s says %r" % (kind, p.stdout))
        p = run(cli + ["info", out])
        check(p.returncode == 0 and "five words, 5 words × 3" in p.stdout, "info: %r %r" % (p.stdout, p.stderr))
        check("first words: the cat sat mat dog" in p.stdout, "info lists %r" % p.stdout)

    btv = text + ".btv"
    p = run(cli + ["similar", btv, "the", "3"])
    got = hits(p.stdout)
    want = sorted(((w, cos(VECS[0], v)) for w, v in zip(WORDS[1:], VECS[1:])), key=lambda x: -x[1])[:3]
    check(p.returncode == 0 and [w for w, _ in got] == [w for w, _ in want], "similar the: %r" % p.stdout)
    for (gw, gc), (ww, wc) in zip(got, want):
        check(abs(gc - wc) < 1e-4, "similar the: %s %.4f, want %.4f" % (gw, gc, wc))

    p = run(cli + ["analogy", btv, "cat", "dog", "sat", "2"])
    target = [a - b + c for a, b, c in zip(unit(VECS[1]), unit(VECS[4]), unit(VECS[2]))]
    want = sorted(((w, cos(target, v)) for w, v in zip(WORDS, VECS) if w in ("the", "mat")), key=lambda x: -x[1])
    got = hits(p.stdout)
    check(p.returncode == 0 and [w for w, _ in got] == [w for w, _ in want], "analogy: %r" % p.stdout)
    for (gw, gc), (ww, wc) in zip(got, want):
        check(abs(gc - wc) < 1e-4, "analogy: %s %.4f, want %.4f" % (gw, gc, wc))

    p = run(cli + ["convert", text, os.path.join(tmp, "top.btv"), "--top", "2"])
    check(p.returncode == 0 and "2 words × 3" in p.stdout, "--top 2: %r" % p.stdout)

    # Broken inputs: status 1, one line naming the spot, no output file.
    cut = os.path.join(tmp, "cut.txt")
    with open(cut, "w") as f:
        f.write("the 1 2 2\ncat 2 0\n")
    lie = os.path.join(tmp, "lie.bin")
    with open(binary, "rb") as f:
        data = f.read()
    with open(lie, "wb") as f:
        f.write(b"9" + data[1:])
    for src, msg in ((cut, "cut.txt:2: 'cat' has 2 numbers, expected 3"),
                     (lie, "announced 9 vectors but the file ends after 5"),
                     (os.path.join(tmp, "none.txt"), "cannot open")):
        out = os.path.join(tmp, "bad.btv")
        p = run(cli + ["convert", src, out])
        check(p.returncode == 1, "%s: status %d" % (src, p.returncode))
        check(msg in p.stderr and p.stderr.count("\n") == 1, "%s: stderr %r" % (src, p.stderr))
        check(not os.path.exists(out), "%s left %s" % (src, out))
    check(not [n for n in os.listdir(tmp) if ".tmp." in n], "a temporary file was left behind")

    for args, status, msg in ((["convert", text], 2, "needs IN and OUT"),
                              (["convert", text, "x.btv", "--top", "x"], 2, "--top takes a positive number"),
                              (["convert", text, "x.btv", "--format", "csv"], 2, "--format is `auto`, `text`, `binary` or `wink`"),
                              (["info", text], 1, "is not a converted vectors file"),
                              (["similar", btv, "cta"], 1, "'cta' is not in v.txt (5 words); close spellings: cat"),
                              (["similar", btv, "the", "0"], 2, "K is a number from 1 to 1000"),
                              (["frobnicate"], 2, "unknown vectors command 'frobnicate'")):
        p = run(cli + args, cwd=tmp)
        check(p.returncode == status and msg in p.stderr, "%s: status %d, stderr %r" % (args, p.returncode, p.stderr))
    return cut


def model_dir(tmp):
    d = os.path.join(ROOT, "assets", "models", "default")
    if os.path.exists(os.path.join(d, "config.json")):
        return d, "default"
    out = os.path.join(tmp, "ckpt")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "ref", "checkpoint.py"), out, "--seed", "0"],
                   check=True, stdout=subprocess.DEVNULL)
    return out, "generated"


def repl_tests(tmp, broken):
    model, kind = model_dir(tmp)
    env = {"XDG_CACHE_HOME": os.path.join(tmp, "cache"), "XDG_STATE_HOME": os.path.join(tmp, "state")}
    base = [BIN, "--model", model, "--no-window", "--plain"]
    p = run(base + ["-e", "set precision 6", "-e",
                    'compare bank "the bank of the river" "the bank raised its rates"'], env=env)
    check(p.returncode == 0, "compare on the %s model: %s" % (kind, p.stderr))
    rows = dict((m.group(1), float(m.group(2)))
                for m in re.finditer(r"^(static|embeddings|layer \d+)\s+(-?[\d.]+)", p.stdout, re.M))
    layers = [v for k, v in rows.items() if k.startswith("layer")]
    check(p.stdout.count("\nstatic ") == 1 and re.search(r"^static\s+1\.000000 ", p.stdout, re.M),
          "static cosine is not exactly 1 on the %s model:\n%s" % (kind, p.stdout))
    check(len(layers) >= 1 and all(v < 1 for v in layers),
          "contextual cosines not below 1 on the %s model: %r" % (kind, rows))
    print("compare on the %s model: %r" % (kind, rows))

    # A broken vectors file in the REPL: one line, the REPL goes on.
    p = run(base + ["-e", "vectors " + broken, "-e", "vectors"], env=env)
    check(p.returncode == 1 and "cut.txt:2: 'cat' has 2 numbers, expected 3" in p.stderr, "REPL broken file: %r" % p.stderr)
    check("* model" in p.stdout, "the model's table is still the set: %r" % p.stdout)


def main():
    if not BIN:
        sys.exit("set BT_BIN")
    cli = [BIN, "vectors"]
    with tempfile.TemporaryDirectory() as tmp:
        broken = cli_tests(cli, tmp)
        repl_tests(tmp, broken)
    print("vectors_cli: %d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
