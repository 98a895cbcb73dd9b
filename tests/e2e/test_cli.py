"""The script subcommands end to end: tokenize, dump, predict, vocab,
train, eval, --version/--help, and the one-line errors for bad input and
broken model files (truncated, lying, NaN, wrong shape, missing)."""
import csv as csvmod
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ref"))
import checkpoint  # noqa: E402
from checks import check, finish, one_line_error  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BT_BIN", "build/bertology")
DATA = os.path.join(os.environ.get("BT_SOURCE_ROOT", "."), "tests", "data")


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
for sub in ["tokenize", "dump", "predict", "scan", "train", "vocab", "vectors", "lesson", "pull", "convert", "models", "plot",
            "pack", "eval"]:
    r = run(sub, "--help")
    check(f"{sub} --help", r.returncode == 0 and "usage" in r.stdout.lower() and sub in r.stdout and not r.stderr,
          f"exit {r.returncode}: {r.stdout[:200]!r} {r.stderr[:200]!r}")
one_line_error("REPL bad option", run("--no-window", "--bogus"), "--bogus", code=2)

# every subcommand's --help lists its options (the same names as before the
# option tables moved to src/cli/cli_opts.c), one line each, and -h says the same
OPTIONS = {
    "tokenize": ["model", "vocab", "json", "truncate"],
    "dump": ["model", "out", "view", "layer", "head", "stage", "truncate"],
    "predict": ["model", "top", "json", "truncate"],
    "lens": ["model", "json", "word", "k", "pos", "truncate"],
    "scan": ["model", "json", "word", "pos", "mean", "truncate"],
    "saliency": ["model", "json", "word", "pos", "ig", "truncate"],
    "train": ["corpus", "heldout", "vocab", "out", "layers", "hidden", "heads", "ffn", "max-len", "positions",
              "seq-len", "batch", "steps", "warmup", "lr", "wd", "beta2", "clip", "dropout", "mask-rate",
              "word-init-std", "init-std", "mlm-ln-init", "pos-heads", "word-split", "pos-head-sharpness",
              "pos-head-pairs", "init-vectors", "init-vectors-scan", "mask-repeats", "mask-repeats-shared",
              "short-inputs", "short-inputs-min", "unlikely-visible", "init-from", "no-bias-unigram", "seed", "threads", "log-every", "eval-every",
              "ckpt-every", "eval-sequences", "snapshots", "resume", "stop-after"],
    "eval": ["model", "data", "cloze", "senses", "neighbours", "sequences", "seed", "seq-len", "json"],
    "vocab": ["size", "out", "min-freq"],
    "pack": ["model", "out", "f16", "mean-with"],
    "plot": ["out", "width", "height", "font"],
    "pull": ["revision", "force"],
    "convert": ["force"],
    "models": [],
    "lesson": ["check", "lang", "model", "verbose"],
    "rollout": ["model", "json", "pos", "truncate"],
    "census": ["model", "file", "json", "truncate"],
    "whatif": ["model", "json", "pos", "word", "corrupt", "seed", "other", "k", "truncate"],
    "vectors convert": ["top", "format", "name"],
    "vectors info": [],
    "vectors similar": [],
    "vectors analogy": [],
}
for sub, names in OPTIONS.items():
    r = run(*sub.split(), "--help")
    lines = r.stdout.split("\n")
    # "  --name ARG  help" or "  -v, --name  help"
    listed = [(l.split()[1] if l.split()[0].endswith(",") else l.split()[0]).lstrip("-")
              for l in lines if l.startswith("  -")]
    # and --lang, which every subcommand takes (lesson's own)
    want = names + ["help"] + ([] if "lang" in names else ["lang"])
    check(f"{sub} --help lists its options", r.returncode == 0 and lines[0].startswith(f"usage: bertology {sub}")
          and sorted(listed) == sorted(want), f"{listed} != {want}: {r.stdout[:300]!r}")
    check(f"{sub} -h", run(*sub.split(), "-h").stdout == r.stdout)
r = run("vectors", "--help")
check("vectors --help lists its commands", r.returncode == 0
      and all(f"\n  {c} " in r.stdout for c in ["convert", "info", "similar", "analogy"]), r.stdout)
# a slip in an option's or a subcommand's name: the one meant, in one line
one_line_error("option typo", run("predict", "--tpo", "3", "the [MASK]"), "unknown option '--tpo'",
               "did you mean '--top'?", code=2)
one_line_error("option prefix", run("train", "--mask-rep"), "did you mean '--mask-repeats'?", code=2)
one_line_error("subcommand typo", run("predcit", "the [MASK]"), "unknown subcommand 'predcit'",
               "did you mean 'predict'?", code=2)
one_line_error("vectors command typo", run("vectors", "simlar", "x.btv", "cat"), "did you mean 'similar'?", code=2)
one_line_error("missing value", run("lens", "the [MASK]", "--word"), "--word needs a value", code=2)
# --lang is every subcommand's option: accepted anywhere, a bad one refused
one_line_error("--lang then a bad option", run("lens", "--lang", "en", "--bogus", "x"), "unknown option '--bogus'",
               code=2)
one_line_error("a bad --lang", run("tokenize", "--vocab", "x.txt", "--lang", "xx", "cat"), "--lang:",
               "speaks no 'xx'", "neither lessons nor messages", code=2)
# REPL options before a subcommand: where the subcommand goes, not "unknown option"
one_line_error("a subcommand after an option", run("--lang", "en", "tokenize", "cat"),
               "'tokenize' is a subcommand and comes first", code=2)
one_line_error("value forgotten", run("dump", "--out", "--truncate", "the cat"), "--out needs a value",
               "not the option --truncate", code=2)

# tokenize against the real BERT vocabulary (tests/data)
vocab = os.path.join(DATA, "bert-base-uncased-vocab.txt")
r = run("tokenize", "--vocab", vocab, "--json", "PyTorch is a great framework for NLP")
ids = json.loads(r.stdout)["input_ids"] if r.returncode == 0 else None
check("tokenize bert", ids == [101, 1052, 22123, 2953, 2818, 2003, 1037, 2307, 7705, 2005, 17953, 2361, 102], str(ids))
r = run("tokenize", "--vocab", vocab, "--json", "Hello, my dog is cute ||| Paris is the capital of [MASK].")
j = json.loads(r.stdout) if r.returncode == 0 else {"token_type_ids": [0], "tokens": []}
check("tokenize pair", j["token_type_ids"][-1] == 1 and "[MASK]" in j["tokens"] and j["tokens"].count("[SEP]") == 2, r.stdout)
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

# dump --out FILE.csv|.svg: one window view of the pass (the REPL's export)
out = os.path.join(tmp, "attn.csv")
r = run("dump", "--model", model, "--out", out, "--layer", "1", "--head", "2", "the cat sat")
check("dump csv", r.returncode == 0 and not r.stderr, r.stderr)
if r.returncode == 0:
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csvmod.reader(f))
    z = np.load(os.path.join(tmp, "t2.npz")) if run("dump", "--model", model, "--out", os.path.join(tmp, "t2.npz"),
                                                      "the cat sat").returncode == 0 else None
    attn = z["layer1.attn"][2] if z is not None else None
    check("dump csv rows", rows[0] == ["query", "[CLS]", "the", "cat", "sat", "[SEP]"] and len(rows) == 6 and
          attn is not None and all(np.float32(rows[i + 1][j + 1]) == attn[i][j] for i in range(5) for j in range(5)),
          str(rows[:2]))
out = os.path.join(tmp, "heads.svg")
r = run("dump", "--model", model, "--out", out, "--view", "heads", "the cat sat")
check("dump svg", r.returncode == 0 and ET.parse(out).getroot().tag == "{http://www.w3.org/2000/svg}svg", r.stderr)
one_line_error("dump bad extension", run("dump", "--model", model, "--out", os.path.join(tmp, "x.txt"), "the cat"),
               ".npz", ".csv", ".svg", code=2)
one_line_error("dump view with npz", run("dump", "--model", model, "--out", os.path.join(tmp, "x.npz"), "--view",
                                         "heads", "the cat"), "--view", code=2)
one_line_error("dump unknown view", run("dump", "--model", model, "--out", os.path.join(tmp, "x.csv"), "--view",
                                        "nosuch", "the cat"), "nosuch", code=2)
one_line_error("dump layer out of range", run("dump", "--model", model, "--out", os.path.join(tmp, "x.csv"), "--layer",
                                              "9", "the cat"), "layers", code=2)
one_line_error("dump view without svg", run("dump", "--model", model, "--out", os.path.join(tmp, "x.svg"), "--view",
                                            "embeddings", "the cat"), "no SVG")
one_line_error("dump view of an instrument", run("dump", "--model", model, "--out", os.path.join(tmp, "x.csv"), "--view",
                                                 "scan", "the cat"), "scan")
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
one_line_error("eval needs data or cloze", run("eval", "--model", os.path.join(runs, "latest")), "--cloze", "--senses",
               "--neighbours", code=2)

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


# cloze copies: the first guesses that are a word of the sentence itself,
# counted again here from the JSON (whole words, case-insensitive, [MASK] out)
def sentence_words(sentence):
    return set(re.findall(r"[a-z0-9]+|[^\sa-z0-9]", sentence.replace("[MASK]", " ").lower()))


cloze_lines = [l.split("\t")[0] for l in open(os.path.join(root, "assets", "cloze-en.txt"), encoding="utf-8")
               if l.strip() and not l.startswith("#")]
copies = [i["top"][0] in sentence_words(cloze_lines[k]) for k, i in enumerate(items)] if len(items) == len(cloze_lines) else []
check("cloze copies json", r.returncode == 0 and json.loads(r.stdout).get("cloze_copies") == sum(copies)
      and [i.get("first_is_copy") for i in items] == copies, r.stdout[-300:])
r = run("eval", "--model", os.path.join(root, "assets", "models", "default"),
        "--cloze", os.path.join(root, "assets", "cloze-en.txt"))
check("cloze copies text", f"copies: {sum(copies)} of {len(items)} first guesses are a word of the sentence" in r.stdout
      and sum(l.rstrip().endswith(")  copy") for l in r.stdout.split("\n")) == sum(copies), r.stdout[:400] + r.stderr)

# eval --senses and --neighbours on the shipped default model
default = os.path.join(root, "assets", "models", "default")
layers = json.load(open(os.path.join(default, "config.json")))["num_hidden_layers"]
sf = os.path.join(tmp, "senses.txt")
with open(sf, "w") as f:
    f.write("# word, sentences A and B (one sense), C (another)\n"
            "bank\tWe sat on the grassy bank of the river.\tThe boat reached the bank of the stream.\t"
            "She put her money in the bank.\n\n"
            "duck\tA duck swam on the pond.\tThe white duck ate some bread.\tYou must duck under the low door.\n")
r = run("eval", "--model", default, "--senses", sf, "--json")
j = json.loads(r.stdout) if r.returncode == 0 else {}
sitems = j.get("senses", [])
check("senses json", r.returncode == 0 and j.get("senses_points") == layers + 1 and len(j.get("senses_holds", [])) == layers + 1
      and [i["line"] for i in sitems] == [2, 4] and [i["word"] for i in sitems] == ["bank", "duck"], r.stdout[:300] + r.stderr)
check("senses cosines per point", all(len(i["cos"]) == layers + 1 and all(len(c) == 3 and all(-1 <= x <= 1 for x in c) for c in i["cos"])
                                      for i in sitems), str(sitems)[:300])
check("senses holds", all(i["holds"] == [c[0] > max(c[1], c[2]) for c in i["cos"]] for i in sitems)
      and j.get("senses_holds") == [sum(i["holds"][p] for i in sitems) for p in range(layers + 1)], str(sitems)[:300])
check("senses static ties", j.get("senses_static_holds") == 0 and all(i["static_cos"] == [1, 1, 1] for i in sitems), str(sitems)[:300])
r = run("eval", "--model", default, "--senses", sf)
lines = r.stdout.split("\n")
check("senses text", r.returncode == 0 and lines[0].startswith(f"senses ({sf}): 2 lines")
      and "static (input embedding rows)  0 of 2 hold (ties by construction)" in r.stdout
      and sum(l.strip().startswith("point ") for l in lines) == layers + 1
      and sum(l.strip().startswith(("holds  ", "fails  ")) for l in lines) == 2, r.stdout + r.stderr)
for name, text, needles in [
        ("senses field count", "# c\nbank\tWe sat on the bank.\tThe bank was steep.\n", ["line 2", "4 fields, not 3"]),
        ("senses word absent", "bank\tWe sat on the bank.\tThe bank was steep.\tShe went home.\n",
         ["line 1", "'bank' does not occur in sentence C", "She went home."]),
        ("senses two words", "river bank\tWe sat on the bank.\tThe bank was steep.\tShe went home.\n", ["line 1", "not one word"]),
        ("senses empty", "# nothing\n", ["no lines"])]:
    with open(sf, "w") as f:
        f.write(text)
    one_line_error(name, run("eval", "--model", default, "--senses", sf), "senses.txt", *needles)
one_line_error("senses missing file", run("eval", "--model", default, "--senses", os.path.join(tmp, "nope.txt")), "nope.txt")

nf = os.path.join(tmp, "neighbours.txt")
with open(nf, "w") as f:
    f.write("# headword, a tab, acceptable neighbours\ndog\tcat dogs\ngreen\tred blue\n")
r = run("eval", "--model", default, "--neighbours", nf, "--json")
j = json.loads(r.stdout) if r.returncode == 0 else {}
nitems = j.get("neighbours", [])
check("neighbours json", r.returncode == 0 and [i["line"] for i in nitems] == [2, 3] and [i["word"] for i in nitems] == ["dog", "green"]
      and all(len(i["top"]) == 5 and i["word"] not in i["top"] for i in nitems), r.stdout[:300] + r.stderr)
check("neighbours no specials or ## pieces", all(not t.startswith(("##", "[")) for i in nitems for t in i["top"]), str(nitems))
check("neighbours sorted", all(i["cos"] == sorted(i["cos"], reverse=True) for i in nitems), str(nitems))
acc = {"dog": {"cat", "dogs"}, "green": {"red", "blue"}}
check("neighbours holds", all(i["holds"] == bool(acc[i["word"]] & set(i["top"])) for i in nitems)
      and j.get("neighbours_holds") == sum(i["holds"] for i in nitems), str(nitems))
r = run("eval", "--model", default, "--neighbours", nf)
check("neighbours text", r.returncode == 0 and r.stdout.startswith(f"neighbours ({nf}): ")
      and "of 2 words" in r.stdout and sum(l.startswith(("  ok  ", "  --  ")) for l in r.stdout.split("\n")) == 2, r.stdout + r.stderr)
with open(nf, "w") as f:
    f.write("dog\tcat\nzzqqxx\tdog cat\n")
one_line_error("neighbours unknown word", run("eval", "--model", default, "--neighbours", nf), "neighbours.txt", "line 2", "'zzqqxx'")
with open(nf, "w") as f:
    f.write("dog\n")
one_line_error("neighbours no tab", run("eval", "--model", default, "--neighbours", nf), "neighbours.txt", "line 1", "a tab")

# every evaluation in one run: one JSON object with all the keys
with open(sf, "w") as f:
    f.write("bank\tWe sat on the bank of the river.\tThe bank of the stream was steep.\tShe put money in the bank.\n")
with open(nf, "w") as f:
    f.write("dog\tcat\n")
r = run("eval", "--model", default, "--cloze", os.path.join(root, "assets", "cloze-en.txt"), "--senses", sf, "--neighbours", nf, "--json")
j = json.loads(r.stdout) if r.returncode == 0 else {}
check("eval all at once", {"cloze", "cloze_copies", "senses", "senses_holds", "neighbours", "neighbours_holds"} <= set(j), r.stdout[:300] + r.stderr)

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

# --init-from: a run that starts from a saved model's weights (how training
# continues on a machine without the run's state.bin)
fr = os.path.join(tmp, "from")
r = run("train", *tiny, "--out", fr, "--init-from", os.path.join(rr, "latest"), "--steps", "1", "--ckpt-every", "1")
with open(os.path.join(rr, "latest", "model.safetensors"), "rb") as a, \
        open(os.path.join(fr, "step-0", "model.safetensors"), "rb") as b:
    check("init-from starts at the saved weights", r.returncode == 0 and a.read() == b.read(), r.stderr[-300:])
one_line_error("init-from another shape", run("train", *tiny, "--out", os.path.join(tmp, "bad2"), "--init-from", model),
               "its shape")

# pack --mean-with: the element-wise mean of checkpoints of one model (how
# the default model v3.1 was made), against numpy; mismatches refused
m2, m3 = os.path.join(tmp, "m2"), os.path.join(tmp, "m3")
for d, seed in ((m2, 1), (m3, 2)):
    checkpoint.make_checkpoint(d, layers=2, hidden=32, heads=4, inter=64, max_pos=16, pos="sinusoidal", seed=seed)
avg = os.path.join(tmp, "avg")
r = run("pack", "--model", model, "--mean-with", m2 + "," + m3, "--out", avg)
ok = r.returncode == 0 and "mean of 3 checkpoints" in r.stdout
if ok:
    got = checkpoint.read_safetensors(os.path.join(avg, "model.safetensors"))
    ins = [checkpoint.read_safetensors(os.path.join(d, "model.safetensors")) for d in (model, m2, m3)]
    names = set(ins[0]) & set(got)
    err = max(float(np.abs(got[k] - (ins[0][k].astype(np.float64) + ins[1][k] + ins[2][k]) / 3).max()) for k in names)
    # every weight the model uses (the sinusoid is computed, not stored)
    ok = len(names) >= len(ins[0]) - 1 and err < 1e-6
    check("pack --mean-with is the element-wise mean", ok, f"max error {err}, {len(names)} tensors")
else:
    check("pack --mean-with", False, r.stdout + r.stderr)
r = run("pack", "--model", model, "--mean-with", m2, "--out", os.path.join(tmp, "avg16"), "--f16")
check("pack --mean-with --f16", r.returncode == 0 and run("predict", "--model", os.path.join(tmp, "avg16"),
                                                          "the [MASK] sat").returncode == 0, r.stderr)
other = os.path.join(tmp, "other")
checkpoint.make_checkpoint(other, layers=1, hidden=32, heads=4, inter=64, max_pos=16, pos="sinusoidal")
one_line_error("mean of another shape", run("pack", "--model", model, "--mean-with", other, "--out",
                                            os.path.join(tmp, "bad3")), other, "its shape")
one_line_error("mean with nothing", run("pack", "--model", model, "--mean-with", ",", "--out",
                                        os.path.join(tmp, "bad4")), "--mean-with needs", code=2)
one_line_error("mean with a missing model", run("pack", "--model", model, "--mean-with", os.path.join(tmp, "nope"),
                                                "--out", os.path.join(tmp, "bad5")), "nope")
check("a refused mean writes nothing", not os.path.exists(os.path.join(tmp, "bad3")))

shutil.rmtree(tmp)
sys.exit(finish("test_cli"))
