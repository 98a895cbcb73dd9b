"""Knock-outs against the numpy reference (bert_ref.forward's heads_off
and ffn_off, written from the description, sharing nothing with the C).

1. `ablate` in the REPL: on random checkpoints, heads knocked out to zero
   and to their mean and FFNs skipped, then `export`: every intermediate
   of the ablated run (hidden states, the MLM head's logits and so its
   probabilities, NSP) is the reference's with the same knock-outs.
2. `bertology scan --json`: each cell of the layers × heads grids is
   log p(word) and log P(IsNext) with that head zeroed (or set to its
   mean) minus the intact run's, as numpy computes them; the word is the
   intact top guess unless --word names one.
3. Bad input gets one line; the REPL keeps its knock-outs after one."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import bert_ref  # noqa: E402
import checkpoint  # noqa: E402
from checks import check, finish, one_line_error  # noqa: E402

BIN = os.environ.get("BT_BIN", "build/bertology")
SHARED = os.environ.get("BT_SHARED", "../shared")
TOL = 2e-4       # arrays, relative to their largest value (test_forward's tolerance)
DTOL = 2e-4      # Δ log-probabilities: float32 logits against float64 ones


def run(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, **kw)


def log_softmax(z):
    z = z - z.max()
    return z - np.log(np.exp(z).sum())


def load(mdir, **kw):
    cfg = checkpoint.make_checkpoint(mdir, **kw)
    return cfg, checkpoint.read_safetensors(os.path.join(mdir, "model.safetensors"))


def encode(mdir, text):
    r = run("tokenize", "--model", mdir, "--json", text)
    enc = json.loads(r.stdout)
    return np.array(enc["input_ids"]), np.array(enc["token_type_ids"]), enc["tokens"]


def compare_arrays(label, got, ref):
    n = 0
    for key, want in ref.items():
        if key not in got:
            continue    # the MLM rows of a head run on some rows only, names of older dumps
        g = got[key]
        if not check(label, g.shape == want.shape, f"{key} shape {g.shape} != {want.shape}"):
            continue
        finite = np.isfinite(want)
        err = np.abs(g[finite] - want[finite]).max() / max(1.0, np.abs(want[finite]).max())
        check(label, err < TOL, f"{key}: max error {err:.2e}")
        n += 1
    return n


def ablate_case(label, text, commands, heads_off, ffn_off, **kw):
    """The REPL's `ablate` commands, then `export`: against the reference."""
    with tempfile.TemporaryDirectory() as d:
        mdir = os.path.join(d, "m")
        cfg, params = load(mdir, **kw)
        npz = os.path.join(d, "t.npz")
        args = ["--model", mdir, "--no-window", "--plain", "-e", text]
        for c in commands:
            args += ["-e", c]
        args += ["-e", "export " + npz]
        r = run(*args)
        if not check(label, r.returncode == 0, r.stderr.strip()):
            return
        got = np.load(npz)
        ids, types = got["input_ids"], got["token_type_ids"]
        ref = bert_ref.forward(cfg, params, ids, types, heads_off=heads_off, ffn_off=ffn_off)
        intact = bert_ref.forward(cfg, params, ids, types)
        n = compare_arrays(label, got, ref)
        check(label, "mlm_logits" in got and "layer0.out" in got, "the export lacks the MLM logits or a layer")
        # the knock-outs changed something, and exactly where they should
        L = cfg["num_hidden_layers"]
        first = min([l for l, _ in heads_off] + list(ffn_off))
        for l in range(L):
            same = np.allclose(ref[f"layer{l}.out"], intact[f"layer{l}.out"])
            check(label, same == (l < first), f"layer {l}: the ablated run is {'the same as' if same else 'not'} "
                                              "the intact one")
        for (l, h), how in heads_off.items():
            hd = cfg["hidden_size"] // cfg["num_attention_heads"]
            col = got[f"layer{l}.ctx"][:, h * hd:(h + 1) * hd]
            if how == "zero":
                check(label, np.all(col == 0), f"head {l}.{h}'s context is not 0")
            else:
                check(label, np.allclose(col, col[0], atol=1e-6), f"head {l}.{h}'s context is not one row")
        for l in ffn_off:
            check(label, np.all(got[f"layer{l}.ffn_out"] == 0), f"layer {l}'s FFN output is not 0")
        # MLM probabilities at every position, as a learner reads them
        pg = np.exp(np.apply_along_axis(log_softmax, 1, got["mlm_logits"].astype(np.float64)))
        pr = np.exp(np.apply_along_axis(log_softmax, 1, ref["mlm_logits"]))
        check(label, np.abs(pg - pr).max() < TOL, f"MLM probabilities off by {np.abs(pg - pr).max():.2e}")
        print(f"ok   {label}: {n} arrays against numpy, T={len(ids)}")


def ref_scan(cfg, params, ids, types, pos, word, how):
    """The grids numpy makes: Δ log p(word) at pos and Δ log P(IsNext)."""
    L, nh = cfg["num_hidden_layers"], cfg["num_attention_heads"]
    base = bert_ref.forward(cfg, params, ids, types)
    lw0 = log_softmax(base["mlm_logits"][pos])
    if word is None:
        word = int(np.argmax(base["mlm_logits"][pos]))
    ln0 = log_softmax(base["nsp_logits"][0])[0]
    dw, dn = np.zeros((L, nh)), np.zeros((L, nh))
    for l in range(L):
        for h in range(nh):
            out = bert_ref.forward(cfg, params, ids, types, heads_off={(l, h): how})
            dw[l, h] = log_softmax(out["mlm_logits"][pos])[word] - lw0[word]
            dn[l, h] = log_softmax(out["nsp_logits"][0])[0] - ln0
    return word, lw0[word], ln0, dw, dn


def scan_case(label, text, word=None, at=None, mean=False, **kw):
    with tempfile.TemporaryDirectory() as d:
        mdir = os.path.join(d, "m")
        cfg, params = load(mdir, **kw)
        ids, types, tokens = encode(mdir, text)
        args = ["scan", "--model", mdir, "--json", text]
        if word:
            args += ["--word", word]
        if at is not None:
            args += ["--pos", str(at)]
        if mean:
            args.append("--mean")
        r = run(*args)
        if not check(label, r.returncode == 0, r.stderr.strip()):
            return
        got = json.loads(r.stdout)
        pos = at if at is not None else tokens.index("[MASK]")
        wid = None if word is None else open(os.path.join(mdir, "vocab.txt"), encoding="utf-8").read().split("\n").index(word)
        rw, lw, ln, dw, dn = ref_scan(cfg, params, ids, types, pos, wid, "mean" if mean else "zero")
        L, nh = cfg["num_hidden_layers"], cfg["num_attention_heads"]
        check(label, got["layers"] == L and got["heads"] == nh, f"{got['layers']}×{got['heads']}")
        check(label, got["knockout"] == ("mean" if mean else "zero"), got["knockout"])
        check(label, got["position"] == pos and got["token"] == tokens[pos], f"position {got['position']}")
        check(label, got["word"]["id"] == rw, f"word {got['word']} != id {rw}")
        check(label, abs(got["word_logprob"] - lw) < DTOL, f"log p {got['word_logprob']} vs {lw}")
        check(label, abs(got["nsp_logprob"] - ln) < DTOL, f"log P(IsNext) {got['nsp_logprob']} vs {ln}")
        gw, gn = np.array(got["d_word_logprob"], dtype=float), np.array(got["d_nsp_logprob"], dtype=float)
        check(label, gw.shape == (L, nh) and gn.shape == (L, nh), f"grids {gw.shape} {gn.shape}")
        if gw.shape == (L, nh):
            err = np.abs(gw - dw).max()
            check(label, err < DTOL, f"Δ log p off by {err:.2e}:\n{gw}\nnumpy:\n{dw}")
            check(label, np.abs(dw).max() > 1e-3, "no head changes the word: the case tests nothing")
        if gn.shape == (L, nh):
            err = np.abs(gn - dn).max()
            check(label, err < DTOL, f"Δ log P(IsNext) off by {err:.2e}")
        print(f"ok   {label}: {L}×{nh} grid, largest |Δ| {np.abs(dw).max():.3f}")


def repl_scan_in_force():
    """`scan` in the REPL with a knock-out in force: the grid is against
    the ablated run, and the head already out reads "out"."""
    with tempfile.TemporaryDirectory() as d:
        mdir = os.path.join(d, "m")
        cfg, params = load(mdir, layers=2)
        text = "the cat sat on the [MASK] ."
        r = run("--model", mdir, "--no-window", "--plain", "-e", text, "-e", "ablate 0.1", "-e", "scan mat",
                "-e", "set precision 6", "-e", "scan mat")
        if not check("scan in force", r.returncode == 0, r.stderr.strip()):
            return
        ids, types, tokens = encode(mdir, text)
        pos, word = tokens.index("[MASK]"), open(os.path.join(mdir, "vocab.txt")).read().split("\n").index("mat")
        base = bert_ref.forward(cfg, params, ids, types, heads_off={(0, 1): "zero"})
        lw0 = log_softmax(base["mlm_logits"][pos])[word]
        out = bert_ref.forward(cfg, params, ids, types, heads_off={(0, 1): "zero", (1, 2): "zero"})
        want = log_softmax(out["mlm_logits"][pos])[word] - lw0
        grid = r.stdout.split("Δ log p('mat')")[-1]
        row = [ln for ln in grid.split("\n") if ln.startswith("layer 1")][0].split()
        check("scan in force", abs(float(row[2 + 2]) - want) < 5e-4, f"cell 1.2 {row[4]}, numpy {want:.6f}")
        row0 = [ln for ln in grid.split("\n") if ln.startswith("layer 0")][0].split()
        check("scan in force", row0[2 + 1] == "out", f"head 0.1 shows {row0[3]}, not out")
        check("scan in force", "besides 0.1" in r.stdout, "the scan does not say what is knocked out already")
        print("ok   scan in force: cell 1.2 against numpy")


def errors():
    with tempfile.TemporaryDirectory() as d:
        m, bare = os.path.join(d, "m"), os.path.join(d, "bare")
        checkpoint.make_checkpoint(m)
        checkpoint.make_checkpoint(bare, mlm=False, nsp=False)
        one_line_error("no heads to read", run("scan", "--model", bare, "the [MASK] sat"), "neither an MLM head nor")
        one_line_error("no [MASK]", run("scan", "--model", m, "--word", "cat", "the cat sat"), "no [MASK]", "--pos")
        one_line_error("pos out of range", run("scan", "--model", m, "--pos", "9", "the cat sat"), "position 9", "0–4")
        one_line_error("word pieces", run("scan", "--model", m, "--word", "catsat", "the [MASK] sat"), "catsat")
        one_line_error("bad pos", run("scan", "--model", m, "--pos", "x", "the [MASK]"), "--pos", code=2)
        one_line_error("no text", run("scan", "--model", m), "no text", code=2)
        one_line_error("bad option", run("scan", "--model", m, "--top", "3", "the [MASK]"), "--top", code=2)
        # a pair without [MASK]: NSP only, said as null
        r = run("scan", "--model", m, "--json", "the cat sat ||| on the mat")
        ok = r.returncode == 0 and json.loads(r.stdout)["position"] is None
        check("NSP only", ok and json.loads(r.stdout)["d_nsp_logprob"] is not None, r.stderr)
        # zero layers: nothing to knock out
        z = os.path.join(d, "z")
        checkpoint.make_checkpoint(z, layers=0)
        one_line_error("zero layers", run("scan", "--model", z, "the [MASK] sat"), "no layers")
        # the REPL: one line naming the range, the knock-outs kept
        r = run("--model", m, "--no-window", "--plain", "-e", "the [MASK] sat", "-e", "ablate 1.2", "-e",
                "ablate 9.9", "-e", "ablate")
        errs = [ln for ln in r.stderr.split("\n") if ln]
        check("ablate 9.9", len(errs) == 1 and "layer 9 is out of range" in errs[0] and "0–1" in errs[0],
              r.stderr)
        check("ablate 9.9", "1.2" in r.stdout.split("knocked out (1):")[-1], "the knock-out was not kept:\n" + r.stdout)
        print("ok   errors")


ablate_case("one head zeroed", "the cat sat on the [MASK] .", ["ablate 1.2"], {(1, 2): "zero"}, ())
ablate_case("FFN skipped", "the cat sat on the [MASK] .", ["ablate ffn 0"], {}, (0,))
ablate_case("mean, zero and FFN at once", "paris is the [MASK] of france ||| the river bank",
            ["ablate 0.1 mean", "ablate 1.3", "ablate ffn 1", "ablate 2.0"],
            {(0, 1): "mean", (1, 3): "zero", (2, 0): "zero"}, (1,), layers=3)
ablate_case("replaced, then one undone", "the dog was in the [MASK]",
            ["ablate 0.0", "ablate 0.0 mean", "ablate ffn 1", "ablate 1.1", "ablate off 1.1"],
            {(0, 0): "mean"}, (1,), pos="sinusoidal", hidden=24, heads=3, inter=40)
scan_case("scan, top guess", "the cat sat on the [MASK] .", layers=3)
scan_case("scan, word and position", "the cat sat on the mat .", word="mat", at=6, layers=2)
scan_case("scan, mean", "paris is the [MASK] of france ||| the river bank", mean=True, hidden=24, heads=3, inter=40)
vocab = os.path.join(SHARED, "data/bert-base-uncased/vocab.txt")
if os.path.exists(vocab):
    voc = open(vocab, encoding="utf-8").read().split("\n")[:-1]
    scan_case("scan, bert-base vocab", "the capital of france is [MASK] .", word="paris", vocab=voc, hidden=64,
              heads=4, inter=128, max_pos=128)
else:
    print("skip bert-base vocab case: ../shared absent")
repl_scan_in_force()
errors()
sys.exit(finish("test_ablate"))
