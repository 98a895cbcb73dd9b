#!/usr/bin/python3
"""Deepens a model: inserts near-identity post-LN layers (how v4 grew from v3.1).

    scripts/deepen.py SRC_DIR DST_DIR AFTER[,AFTER...] HELDOUT.txt [SEED]

AFTER are layer indices of SRC (0-based): a new layer goes after each.
A post-LN layer cannot be the identity exactly: with its two output
projections (attention output, FFN down) at zero it computes
LN2(LN1(x)) = g2 * (x - mean(x)) / sd(x) + b2 for each token. With g2
and b2 set to the mean over held-out tokens of sd(x) and of mean(x) for
the layer it follows (its output is x), it returns x up to the spread of
those two numbers over tokens: on v3.1 the last layer's output moved by 4%
(mean |difference| / mean |value|) and the held-out [MASK] accuracy did
not move. Its Q/K/V and FFN-up weights start as the trainer's (normal,
std 0.02), so they learn as soon as training moves the zero projections.
The numpy forward and tokenizer are the test references (tests/ref).
Writes float32 safetensors, config.json (num_hidden_layers raised) and
vocab.txt into DST_DIR, for `bertology train --init-from DST_DIR`."""
import json
import os
import shutil
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "ref"))
import bert_ref  # noqa: E402
from bert_tokenizer_ref import read_vocab, tokenize  # noqa: E402
from checkpoint import read_safetensors, write_safetensors  # noqa: E402

SEQUENCES = 300  # held-out lines measured (one sequence each: [CLS], at most 120 pieces, [SEP])


def layer_stats(cfg, t, src, heldout):
    """mean over held-out tokens of each layer output's per-token mean and sd"""
    voc = read_vocab(os.path.join(src, "vocab.txt"))
    sums, n, tokens = np.zeros((cfg["num_hidden_layers"], 2)), 0, 0
    with open(heldout, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            ids = [voc["[CLS]"]] + tokenize(line.strip(), voc, True)[:120] + [voc["[SEP]"]]
            if len(ids) <= 6:
                continue
            out = bert_ref.forward(cfg, t, ids, [0] * len(ids))
            for l in range(cfg["num_hidden_layers"]):
                y = out["layer%d.out" % l]
                sums[l] += y.mean(-1).sum(), y.std(-1).sum()
            n += 1
            tokens += len(ids)
            if n == SEQUENCES:
                break
    if n == 0:
        sys.exit("deepen.py: no held-out line of 5 pieces or more in " + heldout)
    return sums / tokens


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    src, dst, heldout = sys.argv[1], sys.argv[2], sys.argv[4]
    try:
        after = sorted({int(a) for a in sys.argv[3].split(",")})
    except ValueError:
        sys.exit("deepen.py: AFTER must be layer indices separated by commas, such as 1,3 (not %r)" % sys.argv[3])
    rng = np.random.default_rng(int(sys.argv[5]) if len(sys.argv) == 6 else 20261203)
    with open(os.path.join(src, "config.json")) as f:
        cfg = json.load(f)
    t = read_safetensors(os.path.join(src, "model.safetensors"))
    L, H, F = cfg["num_hidden_layers"], cfg["hidden_size"], cfg["intermediate_size"]
    if not all(0 <= a < L for a in after):
        sys.exit("deepen.py: AFTER must be layer indices of SRC, 0 to %d" % (L - 1))
    stats = layer_stats(cfg, t, src, heldout)
    out = {k: v for k, v in t.items() if not k.startswith("bert.encoder.layer.")}
    j = 0
    for l in range(L):
        pre = "bert.encoder.layer.%d." % l
        out.update({"bert.encoder.layer.%d." % j + k[len(pre):]: v for k, v in t.items() if k.startswith(pre)})
        j += 1
        if l not in after:
            continue
        mu, sd = stats[l]
        new = "bert.encoder.layer.%d." % j
        normal = lambda *shape: (0.02 * rng.standard_normal(shape)).astype(np.float32)
        for n in ("query", "key", "value"):
            out[new + "attention.self.%s.weight" % n] = normal(H, H)
            out[new + "attention.self.%s.bias" % n] = np.zeros(H, np.float32)
        out[new + "attention.output.dense.weight"] = np.zeros((H, H), np.float32)
        out[new + "attention.output.dense.bias"] = np.zeros(H, np.float32)
        out[new + "attention.output.LayerNorm.weight"] = np.ones(H, np.float32)
        out[new + "attention.output.LayerNorm.bias"] = np.zeros(H, np.float32)
        out[new + "intermediate.dense.weight"] = normal(F, H)
        out[new + "intermediate.dense.bias"] = np.zeros(F, np.float32)
        out[new + "output.dense.weight"] = np.zeros((H, F), np.float32)
        out[new + "output.dense.bias"] = np.zeros(H, np.float32)
        out[new + "output.LayerNorm.weight"] = np.full(H, sd, np.float32)
        out[new + "output.LayerNorm.bias"] = np.full(H, mu, np.float32)
        print("layer %d (new, after layer %d of %s): LayerNorm g2 = %.4f, b2 = %.4f" % (j, l, src, sd, mu))
        j += 1
    os.makedirs(dst, exist_ok=True)
    cfg["num_hidden_layers"] = j
    with open(os.path.join(dst, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    shutil.copy(os.path.join(src, "vocab.txt"), os.path.join(dst, "vocab.txt"))
    write_safetensors(os.path.join(dst, "model.safetensors"), out)


if __name__ == "__main__":
    try:
        main()
    except (OSError, KeyError, ValueError) as e:
        # a missing file, a model without the tensors of a BERT, a bad config: one line
        sys.exit("deepen.py: %s: %s" % (type(e).__name__, e))
