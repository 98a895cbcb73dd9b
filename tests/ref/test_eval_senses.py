"""`bertology eval --senses` and `--neighbours` on the shipped default
model against numpy: the word's pieces found with the Python tokenizer
reference (bert_tokenizer_ref.py), every sentence run through the numpy
forward pass (bert_ref.py), the word's vector at each point (the embedding
output, then each layer's output; the mean of its pieces) and the three
cosines cos(A,B), cos(A,C), cos(B,C) recomputed and compared with the
JSON; the nearest input embeddings ranked again with numpy."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import bert_ref  # noqa: E402
import bert_tokenizer_ref as tref  # noqa: E402
import checkpoint  # noqa: E402
from checks import check, finish  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BT_BIN", "build/bertology")
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODEL = os.path.join(ROOT, "assets", "models", "default")
TOL = 1e-4

cfg = json.load(open(os.path.join(MODEL, "config.json")))
params = checkpoint.read_safetensors(os.path.join(MODEL, "model.safetensors"))
vocab = tref.read_vocab(os.path.join(MODEL, "vocab.txt"))
L = cfg["num_hidden_layers"]

# bank: one piece; ducklings: three pieces, averaged; right: twice in
# sentence A, the first is the one compared
LINES = [
    ("bank", "We sat on the grassy bank of the river.", "The boat reached the bank of the stream.",
     "She put her money in the bank."),
    ("ducklings", "The ducklings swam behind their mother.", "Five little ducklings waddled to the pond.",
     "The farmer sold the ducklings at the market."),
    ("right", "Turn right, then right again at the light.", "The shop is on the right side of the road.",
     "Everyone has the right to vote."),
]


def word_vectors(word, sentence):
    """(L+1, H) the word's vector at every point: the mean of its pieces at
    its first occurrence."""
    ids, span = [vocab["[CLS]"]], None
    for w in tref.basic(sentence, True):
        pieces = tref.wordpiece(w, vocab)
        if w == word and span is None:
            span = (len(ids), len(ids) + len(pieces))
        ids.extend(pieces)
    ids.append(vocab["[SEP]"])
    assert span, f"{word!r} not in {sentence!r}"
    out = bert_ref.forward(cfg, params, np.array(ids), np.zeros(len(ids), dtype=int))
    points = [out["embeddings"]] + [out[f"layer{l}.output"] for l in range(L)]
    return np.stack([x[span[0]:span[1]].mean(0) for x in points]), span[1] - span[0]


def cos(a, b):
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "senses.txt")
    with open(path, "w") as f:
        f.write("# the reference lines\n" + "".join("\t".join(l) + "\n" for l in LINES))
    r = subprocess.run([BIN, "eval", "--model", MODEL, "--senses", path, "--json"], capture_output=True, text=True,
                       timeout=300)
check("eval --senses ran", r.returncode == 0, r.stderr.strip())
j = json.loads(r.stdout) if r.returncode == 0 else {}
items = j.get("senses", [])
check("senses lines", [i["line"] for i in items] == [2, 3, 4], str(items)[:200])
check("senses points", j.get("senses_points") == L + 1, str(j.get("senses_points")))
worst = 0.0
for (word, *sents), it in zip(LINES, items):
    vecs = [word_vectors(word, s) for s in sents]
    check(f"{word} pieces", it["pieces"] == vecs[0][1], f"{it['pieces']} != {vecs[0][1]}")
    check(f"{word} points", len(it["cos"]) == L + 1, str(len(it["cos"])))
    for p in range(min(L + 1, len(it["cos"]))):
        a, b, c = (v[0][p] for v in vecs)
        want = [cos(a, b), cos(a, c), cos(b, c)]
        err = max(abs(g - w) for g, w in zip(it["cos"][p], want))
        worst = max(worst, err)
        check(f"{word} point {p}", err < TOL, f"got {it['cos'][p]}, numpy {want}")
        check(f"{word} point {p} holds", it["holds"][p] == (want[0] > max(want[1], want[2])) or
              abs(want[0] - max(want[1], want[2])) < TOL, f"holds {it['holds'][p]}, numpy {want}")
print(f"senses: {len(items)} lines x {L + 1} points, worst cosine difference {worst:.1e}")

# --neighbours: the 5 nearest rows of the word embedding table by cosine,
# without the word, [..] tokens and ## pieces
E = params["bert.embeddings.word_embeddings.weight"].astype(np.float64)
words = sorted(vocab, key=vocab.get)
norms = np.linalg.norm(E, axis=1)
keep = np.array([not (w.startswith("##") or (w.startswith("[") and w.endswith("]"))) for w in words]) & (norms > 0)
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "neighbours.txt")
    with open(path, "w") as f:
        f.write("dog\tcat\nriver\tstream\nred\tblue\n")
    r = subprocess.run([BIN, "eval", "--model", MODEL, "--neighbours", path, "--json"], capture_output=True, text=True,
                       timeout=300)
check("eval --neighbours ran", r.returncode == 0, r.stderr.strip())
nitems = json.loads(r.stdout).get("neighbours", []) if r.returncode == 0 else []
check("neighbours lines", [i["word"] for i in nitems] == ["dog", "river", "red"], str(nitems)[:200])
for it in nitems:
    w = vocab[it["word"]]
    c = E @ E[w] / (np.maximum(norms, 1e-30) * norms[w])
    c[~keep] = -np.inf
    c[w] = -np.inf
    order = np.argsort(-c, kind="stable")[:5]
    # ties or near-ties may swap places: compare the cosines, then the words where they are apart
    check(f"neighbours {it['word']} cosines", np.allclose(it["cos"], c[order], atol=TOL), f"{it['cos']} vs {c[order]}")
    gaps = np.diff(np.concatenate([c[order], [np.sort(c)[-6]]]))
    if np.all(np.abs(gaps) > TOL):
        check(f"neighbours {it['word']} words", it["top"] == [words[k] for k in order],
              f"{it['top']} vs {[words[k] for k in order]}")
sys.exit(finish("eval_senses_ref"))
