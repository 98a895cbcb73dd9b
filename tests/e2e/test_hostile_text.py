"""Text from files never drives the terminal (issue 17, item 5), and
probabilities are never printed from a pass that overflowed (item 11).

A model whose vocabulary holds escape sequences, C1 controls, a bidi
override and invalid UTF-8 (its MLM bias makes them the top guesses, its
embedding rows make them the nearest neighbours of "the"), a config.json
with hostile strings, and a vectors file with hostile words and name are
driven through the CLI and the REPL by script. No run may put a control
byte, a C1 code point, a raw bidi override or invalid UTF-8 on stdout or
stderr; the hostile tokens must still be there, shown as \\x1b, \\u009b,
U+FFFD; `predict --json` must give them back exactly through Python's json.
A model with huge finite weights must say where the pass overflowed, in
one line, instead of printing nan."""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ref"))
import checkpoint  # noqa: E402
from checks import check, finish  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BT_BIN", "build/bertology")

HOSTILE = [
    b"\x1b]0;PWNED\x07\x1b[2J",    # retitles and clears the terminal
    b"\xc2\x9b" b"2J",             # U+009B CSI, valid UTF-8
    b"\x9b" b"31mred",             # a bare C1 byte: invalid UTF-8
    b"\xe2\x80\xae" b"evil",       # U+202E RIGHT-TO-LEFT OVERRIDE
    b"del\x7f",
    b"\xff\xfe" b"inv",            # invalid UTF-8
]
# how each is shown on a terminal, and what JSON gives back
SHOWN = [b"\\x1b]0;PWNED\\x07\\x1b[2J", b"\\u009b2J", "\ufffd31mred".encode(), b"\\u202eevil", b"del\\x7f",
         "\ufffd\ufffdinv".encode()]
JSON_BACK = ["\x1b]0;PWNED\x07\x1b[2J", "\u009b2J", "\ufffd31mred", "\u202eevil", "del\x7f", "\ufffd\ufffdinv"]

BAD = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def clean(name, data):
    """data (bytes) holds no terminal control and is valid UTF-8."""
    m = BAD.search(data)
    check(name + ": no control bytes", m is None,
          f"{m.group()!r} at {m.start()}: {data[max(0, m.start() - 40):m.start() + 40]!r}" if m else "")
    try:
        data.decode("utf-8")
        ok = True
    except UnicodeDecodeError as e:
        ok, data = False, f"{e}"
    check(name + ": valid UTF-8", ok, str(data)[:200])


def run(args, stdin=None):
    r = subprocess.run([BIN, *args], input=stdin, capture_output=True, timeout=120)
    clean(" ".join(a if isinstance(a, str) else repr(a) for a in args)[:60] + " stdout", r.stdout)
    clean(" ".join(a if isinstance(a, str) else repr(a) for a in args)[:60] + " stderr", r.stderr)
    check("no sanitizer report", b"Sanitizer" not in r.stderr and b"runtime error" not in r.stderr, r.stderr[-400:])
    return r


def write_vocab(d, tokens):
    with open(os.path.join(d, "vocab.txt"), "wb") as f:
        f.write(b"\n".join(tokens) + b"\n")


tmp = tempfile.mkdtemp()
base = [t.encode() for t in checkpoint.small_vocab()]
words = base + HOSTILE
the = base.index(b"the")
hostile_ids = list(range(len(base), len(words)))

# -- the hostile-vocabulary model --------------------------------------------
model = os.path.join(tmp, "hostile")
placeholder = checkpoint.small_vocab() + [f"h{i}" for i in range(len(HOSTILE))]
checkpoint.make_checkpoint(model, layers=2, hidden=32, heads=4, inter=64, max_pos=32, vocab=placeholder)
st = os.path.join(model, "model.safetensors")
p = checkpoint.read_safetensors(st)
p = {k: np.array(v) for k, v in p.items()}
p["cls.predictions.bias"][hostile_ids] = 40.0      # the top guesses everywhere
E = p["bert.embeddings.word_embeddings.weight"]
for k, i in enumerate(hostile_ids):                  # the nearest rows to "the"
    E[i] = E[the] * (1.0 + 0.01 * (k + 1))
checkpoint.write_safetensors(st, p)
write_vocab(model, words)

# CLI predict, text and JSON
r = run(["predict", "--model", model, "--top", "10", "the [MASK] sat on the mat"])
check("predict runs", r.returncode == 0, r.stderr)
for s in SHOWN:
    check(f"predict shows {s!r}", s in r.stdout, r.stdout[:600])
r = run(["predict", "--model", model, "--json", "--top", "10", "the [MASK] sat"])
check("predict --json runs", r.returncode == 0, r.stderr)
try:
    got = [p["token"] for p in json.loads(r.stdout.decode("utf-8"))[0]["predictions"]]
except Exception as e:  # noqa: BLE001
    got = []
    check("predict --json parses", False, f"{e}: {r.stdout[:300]!r}")
for t in JSON_BACK:
    check(f"json round-trip {t!r}", t in got, repr(got))

# The REPL by script: predict, the [mlm] stage masked and unmasked,
# similar on the model's own vectors, mask, compare, vector.
script = os.path.join(tmp, "s.txt")
with open(script, "w") as f:
    f.write("the [MASK] sat on the mat\npredict 10\nstage mlm\nshow\nthe cat sat\nstage mlm\nshow\n"
            "similar the 10\nvector the\nmask\npredict\ncompare the \"the cat sat\" \"the dog sat\"\nmodel\n")
r = run(["--no-window", "--plain", "--model", model, "--script", script])
check("REPL script runs", r.returncode == 0, r.stderr)
for s in SHOWN:   # tables cut tokens to 20 columns: their first 10 bytes
    check(f"REPL shows {s[:10]!r}", s[:10] in r.stdout, "")
# the same lines through a pipe (getline, not --script)
with open(script, "rb") as f:
    r = run(["--no-window", "--plain", "--model", model], stdin=f.read())
check("REPL stdin runs", r.returncode == 0, r.stderr)
check("REPL stdin shows the hostile guesses", SHOWN[0][:10] in r.stdout and SHOWN[2] in r.stdout, "")
# with colour forced on, the only escapes are the REPL's own colours (SGR)
r = subprocess.run([BIN, "--no-window", "--model", model, "-e", "set colour on", "-e", "the [MASK] sat", "-e", "predict",
                    "-e", "stage mlm", "-e", "show"], capture_output=True, timeout=120)
rest = re.sub(rb"\x1b\[[0-9;]*m", b"", r.stdout)
clean("REPL colour stdout without SGR", rest)

# -- hostile config.json strings: one clean error line each -------------------
for key, value in [("hidden_act", "\x1b]0;PWNED\x07gelu\u009b"), ("model_type", "\x1b[2Jroberta"),
                   ("position_embedding_type", "\u202eabsolute\x1b[5m")]:
    d = os.path.join(tmp, "cfg-" + key)
    checkpoint.make_checkpoint(d, layers=1, hidden=16, heads=2, inter=32, max_pos=16)
    cfgp = os.path.join(d, "config.json")
    cfg = json.load(open(cfgp))
    cfg[key] = value
    json.dump(cfg, open(cfgp, "w"))
    r = run(["predict", "--model", d, "the [MASK] sat"])
    err = r.stderr.decode("utf-8", "replace").strip()
    check(f"config {key}: one line", r.returncode == 1 and err.count("\n") == 0 and key in err, err)
    check(f"config {key}: shown visibly", "\\x1b" in err or "\\u202e" in err, err)
    r = run(["--no-window", "--model", d, "-e", "model"])
    check(f"config {key}: REPL refuses", r.returncode == 1, r.stderr)
# invalid UTF-8 in a config string (raw bytes in the JSON text)
d = os.path.join(tmp, "cfg-bytes")
checkpoint.make_checkpoint(d, layers=1, hidden=16, heads=2, inter=32, max_pos=16)
cfgp = os.path.join(d, "config.json")
raw = open(cfgp, "rb").read().replace(b'"gelu"', b'"gelu\xff\x9b\x1b[2J"')
open(cfgp, "wb").write(raw)
r = run(["predict", "--model", d, "the [MASK] sat"])
check("config bytes: refused", r.returncode == 1, r.stderr)

# -- vectors: hostile words and a hostile .btv name ------------------------------
vec = os.path.join(tmp, "hostile.vec.txt")
rng = np.random.default_rng(1)
vw = [b"the", b"\x1b]0;PWNED\x07", b"\xc2\x9b" b"csi", b"\xe2\x80\xae" b"rlo", b"cat", b"dog"]
v0 = rng.standard_normal(8)
with open(vec, "wb") as f:
    for i, w in enumerate(vw):
        v = v0 + 0.05 * (i + 1) * rng.standard_normal(8) if i < 4 else rng.standard_normal(8)
        f.write(w + b" " + " ".join(f"{x:.5f}" for x in v).encode() + b"\n")
btv = os.path.join(tmp, "hostile.btv")
r = run(["vectors", "convert", vec, btv, "--name", b"\x1b]0;NAME\x07\xc2\x9b\xe2\x80\xae"])
check("vectors convert", r.returncode == 0, r.stderr)
r = run(["vectors", "info", btv])
check("vectors info", r.returncode == 0 and b"\\x1b]0;NAME\\x07" in r.stdout, r.stdout + r.stderr)
r = run(["vectors", "similar", btv, "the", "5"])
check("vectors similar", r.returncode == 0 and b"\\x1b]0;PWNED\\x07" in r.stdout, r.stdout + r.stderr)
r = run(["--no-window", "--plain", "--model", model, "-e", "vectors " + btv, "-e", "similar the 5", "-e", "vectors",
         "-e", "analogy the cat dog 3", "-e", "compare the \"the cat\" \"the dog\""])
check("REPL vectors", b"\\u009bcsi" in r.stdout and b"\\x1b]0;NAME" in r.stdout, r.stdout + r.stderr)

# -- huge finite weights: one line naming where the pass overflowed ---------------
huge = os.path.join(tmp, "huge")
checkpoint.make_checkpoint(huge, layers=2, hidden=32, heads=4, inter=64, max_pos=32)
st = os.path.join(huge, "model.safetensors")
p = {k: np.array(v) for k, v in checkpoint.read_safetensors(st).items()}
p["bert.encoder.layer.1.attention.self.query.weight"][:] = 1e20
p["bert.encoder.layer.1.attention.self.key.weight"][:] = 1e20
checkpoint.write_safetensors(st, p)
for args in (["--top", "3"], ["--json"]):
    r = run(["predict", "--model", huge, *args, "the [MASK] sat"])
    err = r.stderr.decode().strip()
    check(f"huge {args}: one line, exit 1", r.returncode == 1 and err.count("\n") == 0, err)
    check(f"huge {args}: names the first bad array", "layer 1 scores" in err, err)
    check(f"huge {args}: no nan printed", b"nan" not in r.stdout.lower(), r.stdout)
r = run(["--no-window", "--plain", "--model", huge, "-e", "the [MASK] sat", "-e", "predict", "-e", "stage mlm",
         "-e", "show", "-e", "the cat sat", "-e", "show", "-e", "tokens"])
out, err = r.stdout.decode(), r.stderr.decode()
check("huge REPL: three errors", r.returncode == 1 and err.count("layer 1 scores") == 3, err)
check("huge REPL: no nan%", "nan" not in out.lower(), out)
check("huge REPL: carries on", "[tokens]" in out, out[-300:])

sys.exit(finish("hostile_text"))
