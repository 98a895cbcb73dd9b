"""Shared by the hub test drivers: running bertology, checks that count
(tests/ref/checks.py), and comparing two models' traces."""
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ref"))
import checkpoint  # noqa: E402,F401
# stderr is the error alone: the progress bar is drawn only on a terminal
from checks import check, finish, one_line_error  # noqa: E402,F401

BIN = os.environ.get("BT_BIN", "build/bertology")
TEXT = "the cat sat on the mat"


def run(args, env=None, timeout=120, binary=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([binary or BIN, *args], capture_output=True, text=True, env=e, timeout=timeout)


def dump(name, model, out, env=None):
    r = subprocess.run([BIN, "dump", "--model", model, "--out", out, TEXT], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ, **(env or {})))
    check(name + " dump", r.returncode == 0, r.stderr.strip())
    return np.load(out) if r.returncode == 0 else None


def same_trace(name, a, b, tol=0.0):
    """Every array of two dumps equal (tol 0: bit for bit)."""
    if a is None or b is None:
        return check(name, False, "a dump is missing")
    ok = check(name, sorted(a.files) == sorted(b.files), f"arrays differ: {sorted(set(a.files) ^ set(b.files))}")
    for k in a.files if ok else []:
        x, y = a[k], b[k]
        if not check(name, x.shape == y.shape, f"{k}: shape {x.shape} vs {y.shape}"):
            continue
        if x.dtype.kind == "f":
            d = float(np.max(np.abs(x.astype(np.float64) - y))) if x.size else 0.0
            check(name, d <= tol, f"{k}: max |diff| {d}")
        else:
            check(name, np.array_equal(x, y), f"{k} differs")
    return ok
