"""scripts/deepen.py (how the default model grew from 4 to 6 layers)
against the numpy reference: on a random sinusoidal checkpoint, the old
layers are copied bit for bit and in order, each new layer has zero output
projections and LN2 = (mean per-token sd, mean per-token mean) of the
layer before it over the held-out lines (computed here again), the new
layer's output is near its input, and the C engine opens the deeper model
and predicts nearly as the source does. Bad arguments get one line."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bert_ref  # noqa: E402
import checkpoint  # noqa: E402
from bert_tokenizer_ref import read_vocab, tokenize  # noqa: E402
from checks import check, finish  # noqa: E402

BIN = os.environ.get("BT_BIN", "build/bertology")
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "deepen.py")
LINES = ["the cat sat on the mat .", "a dog ran to the park and sat down .", "she saw the big cat on a red mat .",
         "", "he said the dog was happy .", "it is a cat"]


def deepen(*args):
    return subprocess.run(["/usr/bin/python3", SCRIPT, *args], capture_output=True, text=True)


def main():
    with tempfile.TemporaryDirectory() as d:
        src, dst, held = os.path.join(d, "src"), os.path.join(d, "dst"), os.path.join(d, "heldout.txt")
        cfg = checkpoint.make_checkpoint(src, layers=3, hidden=32, heads=4, inter=64, pos="sinusoidal", seed=3)
        with open(held, "w") as f:
            f.write("\n".join(LINES) + "\n")
        r = deepen(src, dst, "0,2", held)
        check("runs", r.returncode == 0, r.stderr)
        a = checkpoint.read_safetensors(os.path.join(src, "model.safetensors"))
        b = checkpoint.read_safetensors(os.path.join(dst, "model.safetensors"))
        with open(os.path.join(dst, "config.json")) as f:
            cfg2 = json.load(f)
        check("config", cfg2["num_hidden_layers"] == 5 and cfg2["hidden_size"] == 32, str(cfg2))
        # old layers 0, 1, 2 are new layers 0, 2, 3; 1 and 4 are new
        for old, new in ((0, 0), (1, 2), (2, 3)):
            for k in a:
                p = "bert.encoder.layer.%d." % old
                if k.startswith(p):
                    check("copied", np.array_equal(a[k], b["bert.encoder.layer.%d." % new + k[len(p):]]), k)
        check("the rest copied", all(np.array_equal(a[k], b[k]) for k in a if ".layer." not in k))
        # the statistics, again: token-weighted over lines of more than 6 tokens with [CLS] and [SEP]
        voc = read_vocab(os.path.join(src, "vocab.txt"))
        outs = []
        for line in LINES:
            ids = [voc["[CLS]"]] + tokenize(line, voc, True)[:120] + [voc["[SEP]"]]
            if line.strip() and len(ids) > 6:
                outs.append(bert_ref.forward(cfg, a, ids, [0] * len(ids)))
        for old, new in ((0, 1), (2, 4)):
            ys = np.concatenate([o["layer%d.out" % old] for o in outs])
            q = "bert.encoder.layer.%d." % new
            for n in ("attention.output.dense.weight", "attention.output.dense.bias", "output.dense.weight",
                      "output.dense.bias", "attention.output.LayerNorm.bias"):
                check("new layer %d" % new, not b[q + n].any(), n + " is not zero")
            check("new layer %d" % new, (b[q + "attention.output.LayerNorm.weight"] == 1).all())
            g, be = b[q + "output.LayerNorm.weight"], b[q + "output.LayerNorm.bias"]
            check("new layer %d LN2" % new, np.allclose(g, ys.std(-1).mean(), rtol=1e-5) and
                  np.allclose(be, ys.mean(-1).mean(), atol=1e-6), "%g %g vs %g %g" % (g[0], be[0], ys.std(-1).mean(), ys.mean(-1).mean()))
            w = b[q + "attention.self.query.weight"]
            check("new layer %d Q" % new, w.shape == (32, 32) and 0.01 < w.std() < 0.03, "std %g" % w.std())
        # near the identity: every new layer's output against its input, and the last layer
        ids = [voc["[CLS]"]] + tokenize(LINES[0], voc, True) + [voc["[SEP]"]]
        o2 = bert_ref.forward(cfg2, b, ids, [0] * len(ids))
        o1 = bert_ref.forward(cfg, a, ids, [0] * len(ids))
        for new in (1, 4):
            x, y = o2["layer%d.out" % (new - 1)], o2["layer%d.out" % new]
            rel = np.abs(y - x).mean() / np.abs(x).mean()
            check("layer %d near the identity" % new, rel < 0.05, "relative change %.4f" % rel)
        rel = np.abs(o2["layer4.out"] - o1["layer2.out"]).mean() / np.abs(o1["layer2.out"]).mean()
        check("last layer", rel < 0.1, "relative change %.4f" % rel)
        # the C engine opens it and predicts as the source does (a [MASK] in the sentence)
        got = []
        for m in (src, dst):
            r = subprocess.run([BIN, "predict", "--model", m, "--json", "the cat sat on the [MASK] ."],
                               capture_output=True, text=True)
            check("predict", r.returncode == 0, r.stderr)
            got.append(json.loads(r.stdout) if r.returncode == 0 else None)
        if all(got):
            p0 = {g["id"]: g["prob"] for g in got[0][0]["predictions"]}
            p1 = {g["id"]: g["prob"] for g in got[1][0]["predictions"]}
            check("same first guess", got[0][0]["predictions"][0]["id"] == got[1][0]["predictions"][0]["id"],
                  "%s vs %s" % (got[0][0]["predictions"][0], got[1][0]["predictions"][0]))
            common = set(p0) & set(p1)
            check("same top 5, nearly the same probabilities", len(common) >= 4 and
                  max(abs(p0[i] - p1[i]) for i in common) < 0.05, "%s vs %s" % (p0, p1))
        # bad arguments: one line, no traceback
        for args, what in (([src, dst + "x", "7", held], "layer indices"), ([src, dst + "y"], "usage"),
                           ([src, dst + "z", "0", os.path.join(d, "none.txt")], "No such file")):
            r = deepen(*args)
            check("refuses " + what, r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-300:])
    finish("deepen")


if __name__ == "__main__":
    main()
