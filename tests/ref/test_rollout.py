"""`bertology rollout --json` and `bertology census --json` against numpy:
on random checkpoints (and the default model, at T = 32, when present)
the last layer's attention averaged over heads, attention rollout (the
product of (A + I)/2 over the layers, rows normalised) and attention flow
(a maximum flow over the layer graph, here by an Edmonds–Karp written in
this file on the whole graph, sharing nothing with core/maxflow.c) are
those of the attention bert_ref.forward computes; the census's entropies
and shares, for a sentence and pooled over the query rows of a file, are
those counted here from the same attention; bad input gets one line."""
import collections
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import bert_ref  # noqa: E402
import checkpoint  # noqa: E402
from checks import check, finish, one_line_error  # noqa: E402

BIN = os.environ.get("BT_BIN", "build/bertology")
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TOL = 2e-5   # float32 attention against float64


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def encode(mdir, text):
    r = run("tokenize", "--model", mdir, "--json", text)
    check("tokenize", r.returncode == 0, r.stderr)
    enc = json.loads(r.stdout)
    return enc, np.array(enc["input_ids"]), np.array(enc["token_type_ids"])


def attention(cfg, params, ids, types):
    out = bert_ref.forward(cfg, params, ids, types)
    return [out[f"layer{l}.attn"] for l in range(cfg["num_hidden_layers"])]


def mixes(att):
    """(A + I)/2 per layer, heads averaged, rows normalised."""
    res = []
    for a in att:
        m = 0.5 * a.mean(0) + 0.5 * np.eye(a.shape[-1])
        res.append(m / m.sum(-1, keepdims=True))
    return res


def edmonds_karp(cap, s, t):
    """Maximum flow on a dense capacity matrix: shortest augmenting paths
    by breadth-first search until none is left."""
    n = len(cap)
    res = [row[:] for row in cap]
    adj = [[v for v in range(n) if cap[u][v] > 0 or cap[v][u] > 0] for u in range(n)]
    total = 0.0
    while True:
        prev = [-1] * n
        prev[s] = s
        q = collections.deque([s])
        while q and prev[t] < 0:
            u = q.popleft()
            for v in adj[u]:
                if prev[v] < 0 and res[u][v] > 1e-15:
                    prev[v] = u
                    q.append(v)
        if prev[t] < 0:
            return total
        f, v = float("inf"), t
        while v != s:
            f = min(f, res[prev[v]][v])
            v = prev[v]
        v = t
        while v != s:
            res[prev[v]][v] -= f
            res[v][prev[v]] += f
            v = prev[v]
        total += f


def flow_values(mix, query):
    """The whole layer graph (every token at every depth, the top included)
    and one maximum flow from each input token to the query at the top."""
    L, T = len(mix), mix[0].shape[0]
    n = (L + 1) * T
    cap = [[0.0] * n for _ in range(n)]
    for l, m in enumerate(mix):
        for q in range(T):
            for k in range(T):
                cap[l * T + k][(l + 1) * T + q] = float(m[q, k])
    return np.array([edmonds_karp(cap, j, L * T + query) for j in range(T)])


def rollout_case(label, text, at=None, mdir=None, **kw):
    with tempfile.TemporaryDirectory() as d:
        if mdir is None:
            mdir = os.path.join(d, "m")
            cfg = checkpoint.make_checkpoint(mdir, **kw)
        else:
            cfg = json.load(open(os.path.join(mdir, "config.json")))
        params = checkpoint.read_safetensors(os.path.join(mdir, "model.safetensors"))
        enc, ids, types = encode(mdir, text)
        args = ["rollout", "--model", mdir, "--json", text] + (["--pos", str(at)] if at is not None else [])
        r = run(*args)
        if not check(label, r.returncode == 0, r.stderr.strip()):
            return
        got = json.loads(r.stdout)
        T = len(ids)
        want_q = at if at is not None else (enc["tokens"].index("[MASK]") if "[MASK]" in enc["tokens"] else 0)
        check(label, got["query"] == want_q, f"query {got['query']}, want {want_q}")
        check(label, got["tokens"] == enc["tokens"], "tokens differ from `tokenize`")
        att = attention(cfg, params, ids, types)
        mix = mixes(att)
        q = got["query"]
        raw = att[-1][:, q, :].mean(0)
        roll = np.eye(T)[q]
        for m in reversed(mix):
            roll = roll @ m
        fv = flow_values(mix, q)
        for name, want in (("last_layer", raw), ("rollout", roll), ("flow_value", fv), ("flow", fv / fv.sum())):
            g = np.array(got[name])
            err = np.abs(g - want).max()
            check(label, g.shape == want.shape and err < TOL, f"{name}: max error {err:.3g}")
        for name in ("last_layer", "rollout", "flow"):
            check(label, abs(sum(got[name]) - 1) < 1e-6, f"{name} sums to {sum(got[name])}")
        # one layer: the flow into the query is the mixing row itself, as the rollout is
        if cfg["num_hidden_layers"] == 1:
            check(label, np.abs(np.array(got["flow_value"]) - mix[0][q]).max() < TOL, "one layer: flow != (A+I)/2")
        print(f"ok   {label}: T={T}, {cfg['num_hidden_layers']} layers, query {q}")


def is_punct(tok):
    """BERT's BasicTokenizer punctuation, written again: one character,
    ASCII symbol or Unicode category P*."""
    if len(tok) != 1:
        return False
    c = ord(tok)
    if 33 <= c <= 47 or 58 <= c <= 64 or 91 <= c <= 96 or 123 <= c <= 126:
        return True
    return unicodedata.category(tok).startswith("P")


def census_sums(att, tokens):
    """Per head: summed row entropy and the summed shares of each target."""
    T = len(tokens)
    names = ["cls", "sep", "self", "prev", "next", "punct"]
    masks = {"cls": np.array([t == "[CLS]" for t in tokens]), "sep": np.array([t == "[SEP]" for t in tokens]),
             "punct": np.array([is_punct(t) for t in tokens])}
    out = []
    for l, a in enumerate(att):
        for h in range(a.shape[0]):
            A = a[h]
            with np.errstate(divide="ignore", invalid="ignore"):
                ent = -np.where(A > 0, A * np.log2(A), 0).sum()
            s = {"cls": A[:, masks["cls"]].sum(), "sep": A[:, masks["sep"]].sum(), "punct": A[:, masks["punct"]].sum(),
                 "self": np.trace(A), "prev": np.trace(A, -1), "next": np.trace(A, 1)}
            out.append((ent, [s[n] for n in names]))
    return out, T


def check_census(label, got, sums, rows, sentences, uniform):
    names = got["targets"]
    check(label, names == ["cls", "sep", "self", "prev", "next", "punct"], str(names))
    check(label, got["rows"] == rows and got["sentences"] == sentences, f"{got['rows']} rows, {got['sentences']} sentences")
    check(label, abs(got["uniform_entropy"] - uniform) < 1e-8, f"uniform {got['uniform_entropy']} vs {uniform}")
    check(label, len(got["heads"]) == len(sums), f"{len(got['heads'])} heads, want {len(sums)}")
    worst = 0
    for g, (ent, sh) in zip(got["heads"], sums):
        worst = max(worst, abs(g["entropy"] - ent / rows))
        want = [x / rows for x in sh]
        for n, w in zip(names, want):
            worst = max(worst, abs(g[n] - w))
        best = int(np.argmax([g[n] for n in names]))
        role = names[best] if g[names[best]] >= got["dominant"] else "mixed"
        check(label, g["role"] == role, f"L{g['layer']} H{g['head']}: role {g['role']}, want {role}")
    check(label, worst < TOL, f"census: max error {worst:.3g}")


def census_case(label, texts, **kw):
    with tempfile.TemporaryDirectory() as d:
        mdir = os.path.join(d, "m")
        cfg = checkpoint.make_checkpoint(mdir, **kw)
        params = checkpoint.read_safetensors(os.path.join(mdir, "model.safetensors"))
        total, rows, uniform = None, 0, 0.0
        for text in texts:
            enc, ids, types = encode(mdir, text)
            sums, T = census_sums(attention(cfg, params, ids, types), enc["tokens"])
            total = sums if total is None else [(a[0] + b[0], [x + y for x, y in zip(a[1], b[1])])
                                                for a, b in zip(total, sums)]
            rows += T
            uniform += T * np.log2(T)
        if len(texts) == 1:
            r = run("census", "--model", mdir, "--json", texts[0])
        else:
            path = os.path.join(d, "sentences.txt")
            # blank lines and CRLF endings are no sentences
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write("\n".join(texts[:1]) + "\r\n\n   \n" + "\n".join(texts[1:]) + "\n")
            r = run("census", "--model", mdir, "--json", "--file", path)
        if not check(label, r.returncode == 0, r.stderr.strip()):
            return
        got = json.loads(r.stdout)
        check_census(label, got, total, rows, len(texts), uniform / rows)
        print(f"ok   {label}: {len(texts)} sentence(s), {rows} rows, {len(got['heads'])} heads")


def errors():
    with tempfile.TemporaryDirectory() as d:
        m, flat = os.path.join(d, "m"), os.path.join(d, "flat")
        checkpoint.make_checkpoint(m)
        checkpoint.make_checkpoint(flat, layers=0)
        one_line_error("pos out of range", run("rollout", "--model", m, "--pos", "9", "the cat sat"), "position 9",
                       "0–4")
        one_line_error("bad pos", run("rollout", "--model", m, "--pos", "x", "the cat"), "--pos", code=2)
        one_line_error("no text", run("rollout", "--model", m), "no text", code=2)
        one_line_error("no layers", run("rollout", "--model", flat, "the cat"), "no layers")
        one_line_error("census no layers", run("census", "--model", flat, "the cat"), "no layers")
        one_line_error("census neither", run("census", "--model", m), "neither", code=2)
        one_line_error("census both", run("census", "--model", m, "--file", m, "the cat"), "both", code=2)
        one_line_error("census missing file", run("census", "--model", m, "--file", os.path.join(d, "nope")), "nope")
        one_line_error("census directory", run("census", "--model", m, "--file", d), "not a regular file")
        empty = os.path.join(d, "empty.txt")
        open(empty, "w").write("\n  \n")
        one_line_error("census empty file", run("census", "--model", m, "--file", empty), "no sentences")
        bad = os.path.join(d, "bad.txt")
        open(bad, "wb").write(b"the cat sat\nthe \xff dog\n")
        one_line_error("census bad utf-8", run("census", "--model", m, "--file", bad), "line 2", "UTF-8")
        long = os.path.join(d, "long.txt")
        open(long, "w").write("the cat\n" + "the " * 100 + "\n")
        one_line_error("census long line", run("census", "--model", m, "--file", long), "line 2")
        r = run("census", "--model", m, "--json", "--truncate", "--file", long)
        check("census --truncate", r.returncode == 0 and json.loads(r.stdout)["sentences"] == 2, r.stderr)
        big = os.path.join(d, "big.txt")
        with open(big, "w") as f:
            f.write(("the cat sat on the mat .\n" * 50000))
        one_line_error("census over the cap", run("census", "--model", m, "--file", big), "more than a sentences file")


rollout_case("mask, 2 layers", "the cat sat on the [MASK] .", layers=2)
rollout_case("position, 3 layers, pair", "the dog was in the river ||| the bank", at=3, layers=3)
rollout_case("one layer", "paris is the capital of france", at=1, layers=1)
rollout_case("sinusoidal, odd sizes", "the cat sat on the mat by the water", at=7, hidden=24, heads=3, inter=40,
             layers=4, pos="sinusoidal")
default = os.path.join(ROOT, "assets", "models", "default")
if os.path.exists(os.path.join(default, "config.json")):
    # 32 tokens with [CLS] and [SEP] (the case says T=32)
    text = ("the river bank was steep and the children ran down to the water to see the boats go by while "
            "their mother sat on grass and read her [MASK] .")
    rollout_case("default model", text, mdir=default)
else:
    print("skip the default model's case: assets/models/default absent")
census_case("census, one sentence", ["the cat sat on the mat , by the river ."], layers=3)
census_case("census, file of four", ["the cat sat on the mat .", "paris is the capital of france !",
                                     "the dog ||| the bank ; the river", "a"], layers=2, heads=2)
errors()
sys.exit(finish("test_rollout"))
