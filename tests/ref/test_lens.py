"""`bertology lens --json` against the numpy reference: on random
checkpoints, every depth's top-K (ids and probabilities) and the followed
word's rank and probability are those of the MLM head applied by numpy to
the embeddings' output and to each layer's output (bert_ref.logit_lens);
the last depth is `bertology predict`'s answer; bad input gets one line."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import bert_ref  # noqa: E402
from checks import check, finish, instrument_json, masked_word_errors, one_line_error  # noqa: E402

BIN = os.environ.get("BT_BIN", "build/bertology")
SHARED = os.environ.get("BT_SHARED", "../shared")
TOL = 2e-4   # probabilities from float32 logits against float64 ones


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def check_depth(label, ref_logits, got, word):
    """One depth of the C lens against the reference logits (V)."""
    p = softmax(ref_logits)
    want = np.sort(p)[::-1]
    for j, g in enumerate(got["top"]):
        # the j-th best probability, and the one of the id reported there
        # (an order that differs only between near-equal logits is fine)
        check(label, abs(g["prob"] - want[j]) < TOL, f"top {j + 1}: prob {g['prob']:.6f}, reference {want[j]:.6f}")
        check(label, abs(p[g["id"]] - g["prob"]) < TOL,
              f"top {j + 1}: id {g['id']} has reference prob {p[g['id']]:.6f}, not {g['prob']:.6f}")
    if word is not None:
        lw = ref_logits[word]
        lo = 1 + int((ref_logits > lw + 1e-4).sum())
        hi = 1 + int((ref_logits > lw - 1e-4).sum())
        check(label, lo <= got["word_rank"] <= hi, f"rank {got['word_rank']}, reference {lo}–{hi}")
        check(label, abs(got["word_prob"] - p[word]) < TOL, f"word prob {got['word_prob']:.6f} vs {p[word]:.6f}")


def run_case(label, text, word=None, k=5, at=None, **kw):
    with tempfile.TemporaryDirectory() as d:
        c = instrument_json(label, d, "lens", ["--k", str(k)], text, word, at, **kw)
        if c is None:
            return
        mdir, cfg, params, enc, got = c["mdir"], c["cfg"], c["params"], c["enc"], c["got"]
        ids, types = np.array(enc["input_ids"]), np.array(enc["token_type_ids"])
        masks = [at] if at is not None else [t for t, s in enumerate(enc["tokens"]) if s == "[MASK]"]
        check(label, [g["position"] for g in got] == masks, f"positions {[g['position'] for g in got]} != {masks}")
        L = cfg["num_hidden_layers"]
        wid = None
        if word:
            wid = checkpoint_vocab(mdir).index(word)
            check(label, got[0]["word"] == {"token": word, "id": wid}, f"word {got[0]['word']}")
        for g in got:
            ref = bert_ref.logit_lens(cfg, params, ids, types, g["position"])
            check(label, len(g["depths"]) == L + 1, f"{len(g['depths'])} depths for {L} layers")
            names = ["emb"] + [f"layer {l}" for l in range(L)]
            check(label, [x["name"] for x in g["depths"]] == names, str([x["name"] for x in g["depths"]]))
            for dd, x in enumerate(g["depths"]):
                check(label, len(x["top"]) == k, f"{len(x['top'])} guesses, want {k}")
                check_depth(f"{label} pos {g['position']} {x['name']}", ref[dd], x, wid)
        # the last depth is the model's own prediction
        if at is None:
            pr = run("predict", "--model", mdir, "--json", "--top", str(k), text)
            check(label, pr.returncode == 0, pr.stderr)
            for g, p in zip(got, json.loads(pr.stdout)):
                last = g["depths"][-1]["top"]
                check(label, [x["id"] for x in last] == [x["id"] for x in p["predictions"]],
                      f"last depth {[x['id'] for x in last]} != predict {[x['id'] for x in p['predictions']]}")
                check(label, all(abs(a["prob"] - b["prob"]) <= 5.1e-7 for a, b in zip(last, p["predictions"])),
                      "last depth's probabilities differ from predict's")
        print(f"ok   {label}: {len(got)} position(s), {L + 1} depths")


def checkpoint_vocab(mdir):
    return open(os.path.join(mdir, "vocab.txt"), encoding="utf-8").read().split("\n")[:-1]


def errors():
    with tempfile.TemporaryDirectory() as d:
        m = masked_word_errors("lens", d, "0–4")
        one_line_error("bad k", run("lens", "--model", m, "--k", "0", "the [MASK] sat"), "--k", code=2)
        one_line_error("no text", run("lens", "--model", m), "no text", code=2)
        one_line_error("bad option", run("lens", "--model", m, "--top", "3", "the [MASK]"), "--top", code=2)
        # JSON's depth names do not follow the message language
        r = subprocess.run([BIN, "lens", "--model", m, "--json", "the [MASK] sat"], capture_output=True, text=True,
                           env=dict(os.environ, LANGUAGE="ru"))
        check("JSON names in English under LANGUAGE=ru", r.returncode == 0 and
              [x["name"] for x in json.loads(r.stdout)[0]["depths"]][:2] == ["emb", "layer 0"], r.stdout[:300])
        # a word the lower-casing vocabulary has in lower case is that word
        r = run("lens", "--model", m, "--json", "--word", "Cat", "the [MASK] sat")
        check("word case", r.returncode == 0 and json.loads(r.stdout)[0]["word"]["token"] == "cat", r.stderr)


run_case("two masks, word followed", "the [MASK] sat on the [MASK] .", word="cat", layers=3)
run_case("one position, not masked", "the cat sat on the mat", word="mat", at=2, k=7, layers=2)
run_case("untied decoder, pair", "paris is the [MASK] of france ||| the river bank", word="capital", untied=True)
run_case("sinusoidal, odd sizes", "the dog was in the [MASK]", word="river", pos="sinusoidal", hidden=24, heads=3,
         inter=40, layers=4)
run_case("zero layers", "the [MASK] sat", word="cat", layers=0)
vocab = os.path.join(SHARED, "data/bert-base-uncased/vocab.txt")
if os.path.exists(vocab):
    voc = open(vocab, encoding="utf-8").read().split("\n")[:-1]
    run_case("bert-base vocab", "the capital of france is [MASK] .", word="paris", k=10, vocab=voc, hidden=64,
             heads=4, inter=128, max_pos=128)
else:
    print("skip bert-base vocab case: ../shared absent")
errors()
sys.exit(finish("test_lens"))
