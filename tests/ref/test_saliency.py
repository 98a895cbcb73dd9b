"""`bertology saliency --json` against finite differences of the numpy
reference in float64: on random checkpoints, log p(word) at the position,
gradient × input per token (the derivative of log p along each token's
word vector), the gradient's L2 norm (central differences in every
coordinate), integrated gradients per token (the same midpoint rule, each
step's gradient by differences), the baseline's log p (zero word
vectors) and IG's completeness. Also the reason saliency differentiates
the word vector and not the sum entering the embedding LayerNorm: along
the sum, log p does not move. Bad input gets one line."""
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
EPS = 1e-4   # central differences in float64: truncation ~1e-8, far below float32's gradient


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def close(a, b, tol):
    return abs(a - b) <= tol * (1 + abs(b))


class Ref:
    """log p(word) at pos as a function of the word vectors (T, H)."""

    def __init__(self, cfg, params, ids, types, pos, word):
        self.cfg, self.p, self.ids, self.types, self.pos, self.word = cfg, params, ids, types, pos, word
        self.x = params["bert.embeddings.word_embeddings.weight"].astype(np.float64)[ids]

    def logp(self, tok):
        out = bert_ref.forward(self.cfg, self.p, self.ids, self.types, tok=tok)
        L = self.cfg["num_hidden_layers"]
        h = out[f"layer{L - 1}.out"] if L else out["emb"]
        z = bert_ref.mlm_head(self.cfg, self.p, h[self.pos:self.pos + 1])["mlm_logits"][0]
        return z[self.word] - z.max() - np.log(np.exp(z - z.max()).sum())

    def along(self, tok, t, d):
        """The derivative of log p at tok along d (H) in token t's vector."""
        up, dn = tok.copy(), tok.copy()
        up[t] += EPS * d
        dn[t] -= EPS * d
        return (self.logp(up) - self.logp(dn)) / (2 * EPS)


def run_case(label, text, word=None, at=None, steps=8, norm=True, **kw):
    with tempfile.TemporaryDirectory() as d:
        c = instrument_json(label, d, "saliency", ["--ig", str(steps)], text, word, at, **kw)
        if c is None:
            return
        cfg, params, enc, got = c["cfg"], c["params"], c["enc"], c["got"]
        ids, types = np.array(enc["input_ids"]), np.array(enc["token_type_ids"])
        pos = at if at is not None else enc["tokens"].index("[MASK]")
        T = len(ids)
        check(label, got["position"] == pos and got["ids"] == list(ids) and got["input"] == "word_embedding",
              f"position {got['position']}, ids {got['ids']}")
        ref = Ref(cfg, params, ids, types, pos, got["word"]["id"])
        if word:
            check(label, got["word"]["token"] == word, f"word {got['word']}")
        else:
            # the top guess
            out = bert_ref.forward(cfg, params, ids, types)
            L = cfg["num_hidden_layers"]
            h = out[f"layer{L - 1}.out"] if L else out["emb"]
            z = bert_ref.mlm_head(cfg, params, h[pos:pos + 1])["mlm_logits"][0]
            check(label, got["word"]["id"] == int(np.argmax(z)), f"word {got['word']}, reference top {np.argmax(z)}")
        x = ref.x
        lp = ref.logp(x)
        check(label, close(got["logprob"], lp, 1e-4), f"log p {got['logprob']:.6f}, reference {lp:.6f}")
        worst = 0.0
        for t in range(T):
            want = ref.along(x, t, x[t])
            worst = max(worst, abs(got["grad_dot_input"][t] - want))
            check(label, close(got["grad_dot_input"][t], want, 2e-3),
                  f"token {t}: grad·x {got['grad_dot_input'][t]:.6f}, differences {want:.6f}")
            # along the sum that enters the embedding LayerNorm, nothing moves
            s = x[t] + params["bert.embeddings.token_type_embeddings.weight"][types[t]] + (
                bert_ref.sinusoid(T, x.shape[1])[t] if cfg["position_embedding_type"] == "sinusoidal"
                else params["bert.embeddings.position_embeddings.weight"][t])
            flat = ref.along(x, t, s)
            check(label, abs(flat) < 1e-5, f"token {t}: log p moves along its embedding sum ({flat:.3g})")
            if norm:
                g = np.array([ref.along(x, t, e) for e in np.eye(x.shape[1])])
                check(label, close(got["grad_norm"][t], np.linalg.norm(g), 2e-3),
                      f"token {t}: |grad| {got['grad_norm'][t]:.6f}, differences {np.linalg.norm(g):.6f}")
        check(label, max(abs(v) for v in got["grad_dot_input"]) > 1e-3, "every grad·x is 0: the case tests little")
        # integrated gradients: the same midpoint rule, each step's gradient by differences
        ig = np.zeros(T)
        for k in range(steps):
            a = (k + 0.5) / steps
            for t in range(T):
                ig[t] += ref.along(a * x, t, x[t]) / steps
        for t in range(T):
            check(label, close(got["ig"][t], ig[t], 2e-3), f"token {t}: IG {got['ig'][t]:.6f}, reference {ig[t]:.6f}")
        base = ref.logp(np.zeros_like(x))
        check(label, close(got["baseline_logprob"], base, 1e-4),
              f"baseline log p {got['baseline_logprob']:.6f}, reference {base:.6f}")
        check(label, close(got["ig_sum"], float(ig.sum()), 2e-3), f"IG sum {got['ig_sum']}, reference {ig.sum()}")
        # completeness, to the accuracy of the Riemann sum: with more steps, closer
        r = c["rerun"]("--ig", "200")
        fine = json.loads(r.stdout) if r.returncode == 0 else None
        if check(label, fine is not None, r.stderr):
            gap = lp - base
            check(label, abs(fine["ig_sum"] - gap) < 2e-3 * (1 + abs(gap)),
                  f"200 steps: IG sum {fine['ig_sum']:.6f}, log p(x) - log p(0) {gap:.6f}")
            print(f"ok   {label}: {T} tokens, grad·x off by ≤ {worst:.2g}; completeness {steps} steps "
                  f"{abs(got['ig_sum'] - gap):.2g}, 200 steps {abs(fine['ig_sum'] - gap):.2g} (gap {gap:+.3f})")


def errors():
    with tempfile.TemporaryDirectory() as d:
        m = masked_word_errors("saliency", d)
        one_line_error("bad --ig", run("saliency", "--model", m, "--ig", "5000", "the [MASK] sat"), "--ig", code=2)
        one_line_error("no text", run("saliency", "--model", m), "no text", code=2)


run_case("two layers, top guess", "the cat sat on the [MASK] .", layers=2)
run_case("word followed, pair", "the [MASK] sat ||| the river bank", word="cat", steps=6, layers=3, hidden=24,
         heads=3, inter=40)
run_case("not masked, untied, sinusoidal", "the dog was in the river", word="river", at=5, steps=5, untied=True,
         pos="sinusoidal", norm=False)
run_case("zero layers", "the [MASK] sat", word="cat", layers=0, steps=4)
errors()
sys.exit(finish("test_saliency"))
