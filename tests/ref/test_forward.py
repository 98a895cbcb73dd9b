"""End-to-end check of the C forward pass: random checkpoints in several
Hugging Face variants are written here, `bertology dump` runs them, and
every array is compared with the numpy reference (bert_ref.py)."""
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import bert_ref  # noqa: E402
import checkpoint  # noqa: E402
from checks import check, finish  # noqa: E402

BIN = os.environ.get("BT_BIN", "build/bertology")
DATA = os.path.join(os.environ.get("BT_SOURCE_ROOT", "."), "tests", "data")


def canonical(params):
    """Undo the naming variants so the reference sees one layout."""
    out = {}
    for n, a in params.items():
        n = n.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
        if not n.startswith(("bert.", "cls.")):
            n = "bert." + n
        out[n] = a
    return out


def run_case(label, text, tol=2e-4, **kw):
    with tempfile.TemporaryDirectory() as d:
        mdir = os.path.join(d, "m")
        cfg = checkpoint.make_checkpoint(mdir, **kw)
        npz = os.path.join(d, "t.npz")
        r = subprocess.run([BIN, "dump", "--model", mdir, "--out", npz, text], capture_output=True, text=True)
        check(label, r.returncode == 0, r.stderr.strip())
        if r.returncode:
            return
        got = np.load(npz)
        params = canonical(checkpoint.read_safetensors(os.path.join(mdir, "model.safetensors")))
        ref = bert_ref.forward(cfg, params, got["input_ids"], got["token_type_ids"])
        check(label + " ids", got["input_ids"].dtype == np.int32)
        for key, want in ref.items():
            if key not in got:
                check(label, False, f"array {key} missing from the dump")
                continue
            g = got[key]
            check(label, g.shape == want.shape, f"{key} shape {g.shape} != {want.shape}")
            if g.shape != want.shape:
                continue
            finite = np.isfinite(want)
            err = np.abs(g[finite] - want[finite]).max() / max(1.0, np.abs(want[finite]).max())
            check(label, err < tol, f"{key}: max error {err:.2e}")
            check(label, np.array_equal(np.isfinite(g), finite), f"{key}: -inf pattern differs")
        if cfg["num_hidden_layers"]:
            rows = got["layer0.attn"].sum(-1)
            check(label, np.allclose(rows, 1, atol=1e-5), "attention rows do not sum to 1")
        print(f"ok   {label}: {len(ref)} arrays, T={len(got['input_ids'])}")


run_case("absolute f32", "the cat sat on the mat.", layers=2)
run_case("sinusoidal f32", "paris is the capital of france ||| the river bank", pos="sinusoidal")
run_case("f16 weights", "the dog was in the river", dtype="F16", tol=5e-4)
run_case("bf16 weights", "the dog was in the river", dtype="BF16", tol=5e-4)
run_case("BertModel names, no heads", "he said no", bare=True, mlm=False, nsp=False)
run_case("legacy gamma/beta", "one two three", legacy_ln=True, layers=1)
run_case("untied decoder", "the [MASK] sat on the mat", untied=True)
run_case("zero layers", "the cat", layers=0)
run_case("odd sizes", "the cat sat on the mat and the dog", hidden=24, heads=3, inter=40, layers=3)
voc = open(os.path.join(DATA, "bert-base-uncased-vocab.txt"), encoding="utf-8").read().split("\n")[:-1]
run_case("bert-base vocab", "PyTorch is a great framework for NLP ||| Héllo, wörld!", vocab=voc,
         hidden=64, heads=4, inter=128, max_pos=128)
sys.exit(finish("test_forward"))
