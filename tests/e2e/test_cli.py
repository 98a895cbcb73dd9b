"""The script subcommands end to end: tokenize, dump, predict, vocab,
train, eval, --version/--help, and the one-line errors for bad input and
broken model files (truncated, lying, NaN, wrong shape, missing)."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ref"))
import checkpoint  # noqa: E402
from checks import check, finish, one_line_error  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BT_BIN", "build/bertology")
SHARED = os.environ.get("BT_SHARED", "../shared")


def run(*args, input=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, input=input, timeout=300)


tmp = tempfile.mkdtemp()
model = os.path.join(tmp, "m")
checkpoint.make_checkpoint(model, layers=2, hidden=32, heads=4, inter=64, max_pos=16, pos="sinusoidal")

# --version / --help / unknown subcommand
r = run("--version")
check("version", r.returncode == 0 and r.stdout.startswith("bertology "), r.stdout)
r = run("--help")
check("help", r.returncode == 0 and "tokenize" in r.stdout and "train" in r.stdout, r.stdout)
one_line_error("unknown subcommand", run("frobnicate"), "frobnicate", code=2)
for sub in ["tokenize", "dump", "predict", "train", "vocab", "vectors", "lesson", "pull", "convert", "models", "plot",
            "pack", "eval"]:
    r = run(sub, "--help")
    check(f"{sub} --help", r.returncode == 0 and "usage" in r.stdout.lower() and sub in r.stdout and not r.stderr,
          f"exit {r.returncode}: {r.stdout[:200]!r} {r.stderr[:200]!r}")
one_line_error("REPL bad option", run("--no-window", "--bogus"), "--bogus", code=2)

# tokenize against the real BERT vocabulary (when ../shared is there)
vocab = os.path.join(SHARED, "data/bert-base-uncased/vocab.txt")
if os.path.exists(vocab):
    r = run("tokenize", "--vocab", vocab, "--json", "PyTorch is a great framework for NLP")
    ids = json.loads(r.stdout)["input_ids"] if r.returncode == 0 else None
    check("tokenize bert", ids == [101, 1052, 22123, 2953, 2818, 2003, 1037, 2307, 7705, 2005, 17953, 2361, 102], str(ids))
    r = run("tokenize", "--vocab", vocab, "--json", "Hello, my dog is cute ||| Paris is the capital of [MASK].")
    j = json.loads(r.stdout)
    check("tokenize pair", j["token_type_ids"][-1] == 1 and "[MASK]" in j["tokens"] and j["tokens"].count("[SEP]") == 2, r.stdout)
else:
    print("skip: ../shared absent, no bert-base vocabulary")
r = run("tokenize", "--model", model, "the cat sat")
check("tokenize model", r.returncode == 0 and r.stdout.split("\n")[0] == "[CLS] the cat sat [SEP]", r.stdout)
one_line_error("tokenize invalid utf-8", subprocess.run([BIN, "tokenize", "--model", model, b"caf\xc3 x"], capture_output=True, text=True), "UTF-8")
one_line_error("tokenize no text", run("tokenize", "--model", model), "no text", code=2)
one_line_error("tokenize bad option", run("tokenize", "--frob", "x"), "--frob", code=2)
long_text = " ".join(["cat"] * 40)
one_line_error("too long", run("tokenize", "--model", model, long_text), "42", "16")
r = run("tokenize", "--model", model, "--truncate", long_text)
check("truncate", r.returncode == 0 and len(r.stdout.split("\n")[1].split()) == 16, r.stdout + r.stderr)

# dump: the documented arrays, readable by numpy
out = os.path.join(tmp, "t.npz")
r = run("dump", "--model", model, "--out", out, "the cat ||| sat on the mat")
check("dump", r.returncode == 0, r.stderr)
if r.returncode == 0:
    z = np.load(out)
    T = len(z["input_ids"])
    for name, shape in [("embeddings", (T, 32)), ("layer0.q", (4, T, 8)), ("layer1.scores", (4, T, T)),
                        ("layer1.attn", (4, T, T)), ("layer1.output", (T, 32)), ("mlm_logits", (T, len(checkpoint.small_vocab())))]:
        check("dump " + name, name in z and z[name].shape == shape, str(z[name].shape) if name in z else "missing")
    check("dump types", z["token_type_ids"][-1] == 1 and z["input_ids"].dtype == np.int32)
one_line_error("dump no out", run("dump", "--model", model, "the cat"), "--out", code=2)
one_line_error("dump unwritable", run("dump", "--model", model, "--out", "/nonexistent/x.npz", "the cat"), "/nonexistent")

# predict
r = run("predict", "--model", model, "--json", "--top", "3", "the [MASK] sat on the [MASK]")
j = json.loads(r.stdout) if r.returncode == 0 else []
check("predict json", len(j) == 2 and all(len(p["predictions"]) == 3 for p in j), r.stdout + r.stderr)
if j:
    probs = [p["prob"] for p in j[0]["predictions"]]
    check("predict sorted", probs == sorted(probs, reverse=True) and 0 < probs[0] <= 1, str(probs))
one_line_error("predict no mask", run("predict", "--model", model, "the cat"), "[MASK]")
one_line_error("predict bad top", run("predict", "--model", model, "--top", "0", "the [MASK]"), "--top", code=2)


# broken model directories: each a one-line error naming file and tensor
def broken(label, mutate, *needles):
    d = os.path.join(tmp, label.replace(" ", "_"))
    shutil.copytree(model, d)
    mutate(d)
    one_line_error("broken " + label, run("predict", "--model", d, "the [MASK]"), *needles)


def truncate(d):
    p = os.path.join(d, "model.safetensors")
    data = open(p, "rb").read()
    open(p, "wb").write(data[: len(data) // 2])


def header_past_eof(d):
    p = os.path.join(d, "model.safetensors")
    data = bytearray(open(p, "rb").read())
    data[:8] = struct.pack("<Q", 1 << 40)
    open(p, "wb").write(bytes(data))


def nan_weight(d):
    params = checkpoint.read_safetensors(os.path.join(d, "model.safetensors"))
    params["bert.encoder.layer.1.output.dense.weight"][3, 5] = np.nan
    checkpoint.write_safetensors(os.path.join(d, "model.safetensors"), params)


def wrong_shape(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    cfg["intermediate_size"] = 48
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"))


def missing_tensor(d):
    params = checkpoint.read_safetensors(os.path.join(d, "model.safetensors"))
    del params["bert.encoder.layer.0.attention.self.key.weight"]
    checkpoint.write_safetensors(os.path.join(d, "model.safetensors"), params)


def bad_pos(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    cfg["position_embedding_type"] = "relative_key"
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"))


broken("truncated", truncate, "model.safetensors")
broken("header past eof", header_past_eof, "model.safetensors")
broken("nan", nan_weight, "layer.1.output.dense.weight", "NaN")
broken("wrong shape", wrong_shape, "intermediate.dense.weight", "48")
broken("missing tensor", missing_tensor, "attention.self.key.weight")
broken("position type", bad_pos, "relative_key")
broken("no weights", lambda d: os.remove(os.path.join(d, "model.safetensors")), "model.safetensors")
broken("config not json", lambda d: open(os.path.join(d, "config.json"), "w").write("{nope"), "config.json")
one_line_error("no such dir", run("predict", "--model", os.path.join(tmp, "nope"), "the [MASK]"), "nope")

# vocab + train + eval on a tiny corpus
corpus = os.path.join(tmp, "corpus.txt")
with open(corpus, "w") as f:
    rng = np.random.default_rng(0)
    words = "the cat sat on mat dog ran to a tree river bank money".split()
    for d in range(60):
        for s in range(3):
            f.write(" ".join(rng.choice(words, 6)) + " .\n")
        f.write("\n")
voc = os.path.join(tmp, "vocab.txt")
r = run("vocab", "--size", "60", "--out", voc, corpus)
check("vocab", r.returncode == 0 and open(voc).read().split("\n")[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], r.stderr)
runs = os.path.join(tmp, "run")
r = run("train", "--corpus", corpus, "--vocab", voc, "--out", runs, "--layers", "1", "--hidden", "16", "--heads", "2",
        "--ffn", "32", "--max-len", "32", "--seq-len", "32", "--batch", "4", "--steps", "12", "--ckpt-every", "6",
        "--log-every", "3", "--threads", "1")
check("train", r.returncode == 0 and os.path.exists(os.path.join(runs, "latest", "model.safetensors")), r.stderr[-500:])
check("train progress", "step 12/12" in r.stderr and "tok/s" in r.stderr, r.stderr[-300:])
r = run("eval", "--model", os.path.join(runs, "latest"), "--data", corpus, "--sequences", "20", "--json")
j = json.loads(r.stdout) if r.returncode == 0 else {}
check("eval", 0 <= j.get("mask_top1", -1) <= 1 and 0 <= j.get("baseline_top5", -1) <= 1 and j.get("nsp_accuracy", -2) >= 0, r.stdout + r.stderr)
one_line_error("train missing args", run("train", "--corpus", corpus), "--vocab", code=2)
one_line_error("train bad number", run("train", "--corpus", corpus, "--vocab", voc, "--out", runs, "--lr", "fast"), "--lr", code=2)
one_line_error("position heads need the sinusoid",
               run("train", "--corpus", corpus, "--vocab", voc, "--out", os.path.join(tmp, "learned"), "--positions", "absolute",
                   "--layers", "1", "--hidden", "16", "--heads", "2", "--ffn", "32", "--max-len", "32", "--seq-len", "32"),
               "sinusoidal", code=1)
one_line_error("eval missing data", run("eval", "--model", model, "--data", os.path.join(tmp, "none.txt")), "none.txt")
one_line_error("resume without state", run("train", "--corpus", corpus, "--vocab", voc, "--out", os.path.join(tmp, "fresh"), "--resume",
                                           "--layers", "1", "--hidden", "16", "--heads", "2", "--ffn", "32", "--max-len", "32", "--seq-len", "32"), "state.bin")

# eval --cloze: the model's guesses on sentences with accepted words
cz = os.path.join(tmp, "cloze.txt")
with open(cz, "w") as f:
    f.write("# a comment\nthe cat sat on the [MASK] .\tmat tree\n\nthe dog ran to a [MASK] .\triver bank zzzqqq\n")
r = run("eval", "--model", os.path.join(runs, "latest"), "--cloze", cz)
check("cloze", r.returncode == 0 and "of 2 sentences have an accepted word first" in r.stdout
      and "(accepted: mat tree; best rank " in r.stdout, r.stdout + r.stderr)
r = run("eval", "--model", os.path.join(runs, "latest"), "--cloze", cz, "--json")
j = json.loads(r.stdout) if r.returncode == 0 else {}
items = j.get("cloze", [])
check("cloze json", [i["line"] for i in items] == [2, 4] and all(1 <= i["best_rank"] <= 60 and len(i["top"]) == 5 for i in items),
      r.stdout + r.stderr)
for name, text, needle in [("cloze no mask", "the cat sat .\tmat\n", "exactly one [MASK]"),
                           ("cloze two masks", "the [MASK] sat on the [MASK] .\tmat\n", "exactly one [MASK]"),
                           ("cloze no tab", "the cat sat on the [MASK] .\n", "a tab"),
                           ("cloze no answer in vocab", "the cat sat on the [MASK] .\tzzzqqq\n", "single word piece"),
                           ("cloze empty", "# nothing\n", "no cloze items")]:
    with open(cz, "w") as f:
        f.write(text)
    one_line_error(name, run("eval", "--model", os.path.join(runs, "latest"), "--cloze", cz), needle, "cloze.txt")
one_line_error("cloze missing file", run("eval", "--model", os.path.join(runs, "latest"), "--cloze", os.path.join(tmp, "nope.txt")), "nope.txt")
one_line_error("eval needs data or cloze", run("eval", "--model", os.path.join(runs, "latest")), "--cloze", code=2)

# the shipped default model on the shipped cloze sentences: off the
# "predict the commonest piece" plateau everywhere, and no worse than it
# shipped (5 of 24 with an accepted word in the top 5; the nearest miss is
# rank 6, so 4 leaves room for another BLAS's rounding)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
r = run("eval", "--model", os.path.join(root, "assets", "models", "default"),
        "--cloze", os.path.join(root, "assets", "cloze-en.txt"), "--json")
items = json.loads(r.stdout).get("cloze", []) if r.returncode == 0 else []
check("default cloze ran", len(items) == 24, r.stdout[-300:] + r.stderr)
check("default cloze off the plateau", all(i["top"][0] not in [".", ",", "the", "of", "a", ":"] for i in items),
      [i["top"][:2] for i in items])
check("default cloze top 5", sum(i["best_rank"] <= 5 for i in items) >= 4, [i["best_rank"] for i in items])

# vocab: options after the input files mean the same
voc2 = os.path.join(tmp, "vocab2.txt")
r = run("vocab", corpus, "--size", "60", "--out", voc2)
check("vocab options last", r.returncode == 0 and open(voc2).read() == open(voc).read(), r.stderr)
one_line_error("vocab without --out", run("vocab", corpus, "--size", "60"), "--out", code=2)
one_line_error("vocab without files", run("vocab", "--size", "60", "--out", voc2), "input files", code=2)

# every trainer option out of its range: one line naming it, before any work
tiny = ["--corpus", corpus, "--vocab", voc, "--layers", "1", "--hidden", "16", "--heads", "2", "--ffn", "32",
        "--max-len", "32", "--seq-len", "32", "--batch", "4", "--steps", "12", "--warmup", "2", "--threads", "1"]
for opt, val in [("--log-every", "0"), ("--batch", "5000"), ("--dropout", "1"), ("--threads", "0"), ("--lr", "0"),
                 ("--mask-rate", "0.9"), ("--warmup", "-1"), ("--beta2", "1"), ("--eval-sequences", "0"), ("--clip", "-1")]:
    one_line_error(f"train {opt} {val}", run("train", *tiny, "--out", os.path.join(tmp, "bad"), opt, val), opt)
one_line_error("train int overflow", run("train", *tiny, "--out", os.path.join(tmp, "bad"), "--seq-len", "99999999999"),
               "--seq-len", code=2)
one_line_error("train 9 snapshots", run("train", *tiny, "--out", os.path.join(tmp, "bad"), "--snapshots", "1,2,3,4,5,6,7,8,9"),
               "--snapshots", code=2)
nomask = os.path.join(tmp, "nomask.txt")
with open(nomask, "w") as f:
    f.write("".join(l for l in open(voc) if l.strip() != "[MASK]"))
one_line_error("train vocab without [MASK]", run("train", *tiny, "--vocab", nomask, "--out", os.path.join(tmp, "bad")), "[MASK]")
check("bad options refused before the run starts", not os.path.exists(os.path.join(tmp, "bad", "recipe.txt")))

# resuming: a stretched schedule continues; another recipe is refused
rr = os.path.join(tmp, "resume")
r = run("train", *tiny, "--out", rr, "--ckpt-every", "4", "--log-every", "4", "--stop-after", "8")
check("train stop-after", r.returncode == 0 and "step 8/12" in r.stderr, r.stderr[-300:])
one_line_error("resume with another batch", run("train", *tiny, "--out", rr, "--resume", "--batch", "8"), "batch 4")
r = run("train", *tiny, "--out", rr, "--resume", "--steps", "16", "--stop-after", "12", "--log-every", "4")
last = open(os.path.join(rr, "train.log")).read().split("\n")[-2].split("\t")[0]
check("resume stretched", r.returncode == 0 and "resumed" in r.stderr and last == "12" and "warning" not in r.stderr,
      r.stderr[-300:] + " last " + last)
r = run("train", *tiny[:-2], "--out", rr, "--resume", "--steps", "16", "--threads", "2")
check("resume with other threads warns", r.returncode == 0 and "warning: this run was started with threads 1" in r.stderr
      and "bit-for-bit" in r.stderr, r.stderr[-400:])

shutil.rmtree(tmp)
sys.exit(finish("test_cli"))
