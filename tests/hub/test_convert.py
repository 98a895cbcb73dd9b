"""`bertology convert` on pytorch_model.bin files written here by torch
(float32, float16, bfloat16, transposed and offset views, a tied decoder,
an int64 buffer, the pre-1.6 format): the converted model.safetensors
holds exactly the original numbers and gives the same trace. Then hostile
and broken files, each refused with one clear line and nothing run.

Exits 77 (skipped) when /usr/bin/python3 has no torch."""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402
from common import check, one_line_error, run  # noqa: E402
import checkpoint  # noqa: E402
import ptbin  # noqa: E402


def round_to(params, dtype):
    """The numbers a dtype can hold, as float32 (what the engine sees)."""
    import torch
    tdt = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[dtype]
    return {k: torch.from_numpy(v.copy()).to(tdt).float().numpy() for k, v in params.items()}


def case(work, label, dtype="F32", want_dtype="F32", **kw):
    ref = os.path.join(work, label + "-ref")
    binary = os.path.join(work, label + "-bin")
    cfg = checkpoint.make_checkpoint(ref, seed=11, dtype=dtype)
    params = checkpoint.random_params(cfg, 11)
    ptbin.write_bin(binary, cfg, params, dtype=dtype, **kw)
    r = run(["convert", binary])
    if not check(label, r.returncode == 0, r.stderr.strip()):
        return
    out = os.path.join(binary, "model.safetensors")
    check(label + " says", out in r.stdout and f"({want_dtype})" in r.stdout, r.stdout)
    if kw.get("tie_decoder"):
        check(label + " tied", "2 tied copies left out" in r.stdout, r.stdout)
    if kw.get("position_ids"):
        check(label + " buffer", "1 non-float buffer left out" in r.stdout, r.stdout)
    if kw.get("legacy"):
        check(label + " legacy", "pre-1.6" in r.stdout, r.stdout)
    got = checkpoint.read_safetensors(out)
    want = round_to(params, dtype)
    check(label + " names", sorted(got) == sorted(want), sorted(set(got) ^ set(want)))
    for k in want:
        if k in got:
            check(label + " " + k, got[k].shape == want[k].shape and np.array_equal(got[k], want[k]),
                  f"shape {got[k].shape} vs {want[k].shape} or values differ")
    import json
    import struct
    with open(out, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    dtypes = {v["dtype"] for k, v in header.items() if k != "__metadata__"}
    check(label + " dtype", dtypes == {want_dtype}, dtypes)
    a = common.dump(label + " reference", ref, os.path.join(work, label + "-a.npz"))
    b = common.dump(label + " converted", binary, os.path.join(work, label + "-b.npz"))
    common.same_trace(label + " trace", a, b)


def test_good(work):
    noncontig = ("bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.1.output.dense.weight")
    offset = ("bert.encoder.layer.0.attention.self.query.bias", "bert.embeddings.word_embeddings.weight")
    case(work, "f32")
    case(work, "f16", dtype="F16", want_dtype="F16")
    case(work, "bf16", dtype="BF16", want_dtype="F32")
    case(work, "views", noncontig=noncontig, offset=offset)
    case(work, "views16", dtype="F16", want_dtype="F16", noncontig=noncontig, offset=offset)
    case(work, "tied", tie_decoder=True, position_ids=True)
    case(work, "legacy", legacy=True, noncontig=noncontig, offset=offset, tie_decoder=True)

    # a tensor whose shape is not the one config.json implies: refused before anything is written
    d = os.path.join(work, "wrong-shape")
    cfg = checkpoint.make_checkpoint(os.path.join(work, "wrong-shape-ref"), seed=3)
    ptbin.write_bin(d, cfg, checkpoint.random_params(cfg, 3))
    import json
    json.dump(dict(cfg, intermediate_size=cfg["intermediate_size"] * 2), open(os.path.join(d, "config.json"), "w"))
    one_line_error("shape against config.json", run(["convert", d]), "config.json implies")
    check("shape against config.json: nothing written", not os.path.exists(os.path.join(d, "model.safetensors")),
          os.listdir(d))

    # --model DIR with only pytorch_model.bin: converted once into the cache (one line), then opened
    d = os.path.join(work, "unconverted")
    cfg = checkpoint.make_checkpoint(os.path.join(work, "unconv-ref"), seed=2)
    ptbin.write_bin(d, cfg, checkpoint.random_params(cfg, 2))
    env = {"XDG_CACHE_HOME": os.path.join(work, "cache-binonly")}
    r = run(["dump", "--model", d, "--out", os.path.join(work, "x.npz"), "hi"], env)
    check("bin only: opened", r.returncode == 0, r.stderr)
    check("bin only: says so in one line", r.stderr.count("\n") == 1 and "converting it once into" in r.stderr and
          os.path.join(work, "cache-binonly", "bertology", "converted") in r.stderr, r.stderr)
    check("bin only: directory untouched", sorted(os.listdir(d)) == ["config.json", "pytorch_model.bin", "vocab.txt"],
          os.listdir(d))
    a = common.dump("bin only reference", os.path.join(work, "unconv-ref"), os.path.join(work, "u1.npz"))
    b = common.dump("bin only opened", d, os.path.join(work, "u2.npz"), env)
    common.same_trace("bin only trace", a, b)
    r = run(["--no-window", "-e", "the [MASK] sat", "--model", d], env)
    check("bin only: second open converts nothing", r.returncode == 0 and "converting" not in r.stderr, r.stderr)
    # a changed config.json is seen (linked, not copied)
    import json
    json.dump(dict(cfg, hidden_size=cfg["hidden_size"] * 2), open(os.path.join(d, "config.json"), "w"))
    r = run(["dump", "--model", d, "--out", os.path.join(work, "x.npz"), "hi"], env)
    check("bin only: config.json followed", r.returncode != 0 and "shape" in r.stderr, r.stderr)
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"))
    # a refused checkpoint: one line, nothing opened
    h = os.path.join(work, "binonly-hostile")
    os.makedirs(h)
    checkpoint.make_checkpoint(h, seed=2)
    os.remove(os.path.join(h, "model.safetensors"))
    with open(os.path.join(h, "pytorch_model.bin"), "wb") as f:
        f.write(ptbin.hostile_files(work, os.path.join(work, "PWNED"))["broadcast"][0])
    r = run(["dump", "--model", h, "--out", os.path.join(work, "x.npz"), "hi"], env)
    check("bin only hostile", r.returncode == 1 and "cannot convert" in r.stderr and "stride of 0" in r.stderr and
          r.stderr.strip().count("\n") == 1, r.stderr)
    check("convert", run(["convert", d]).returncode == 0)
    one_line_error("convert twice", run(["convert", d]), "already exists", "--force")
    check("convert --force", run(["convert", "--force", d]).returncode == 0)
    one_line_error("convert: no bin", run(["convert", work]), "no pytorch_model.bin")


def test_hostile(work):
    marker = os.path.join(work, "PWNED")
    for name, (data, needle) in ptbin.hostile_files(work, marker).items():
        d = os.path.join(work, "hostile-" + name)
        os.makedirs(d)
        with open(os.path.join(d, "pytorch_model.bin"), "wb") as f:
            f.write(data)
        r = run(["convert", d])
        one_line_error("hostile " + name, r, needle)
        check("hostile " + name + ": no output", not os.path.exists(os.path.join(d, "model.safetensors")),
              os.listdir(d))
        check("hostile " + name + ": leaves no temp file", sorted(os.listdir(d)) == ["pytorch_model.bin"],
              os.listdir(d))
    check("nothing ran", not os.path.exists(marker))


def test_many(work):
    """Thousands of storages, and thousands of views of one storage: every
    tensor arrives with its own value (the lookups behind this were
    quadratic: 45,000 storages took 16 s of CPU, now 0.6 s)."""
    n = 3000
    for shared in (False, True):
        label = "many views" if shared else "many storages"
        d = os.path.join(work, label.replace(" ", "-"))
        os.makedirs(d)
        with open(os.path.join(d, "pytorch_model.bin"), "wb") as f:
            f.write(ptbin.many_tensors(n, shared))
        r = run(["convert", d])
        if not check(label, r.returncode == 0 and f"{n} tensors" in r.stdout, r.stdout + r.stderr):
            continue
        got = checkpoint.read_safetensors(os.path.join(d, "model.safetensors"))
        check(label + " values", len(got) == n and all(got[f"t{i}"][0] == i for i in range(n)),
              f"{len(got)} tensors")


def main():
    if not ptbin.have_torch():
        print("skip: /usr/bin/python3 has no torch")
        return 77
    if not os.path.exists(common.BIN):
        print(f"{common.BIN} not built")
        return 1
    with tempfile.TemporaryDirectory() as work:
        test_good(work)
        test_hostile(work)
        test_many(work)
    return common.finish("convert")


if __name__ == "__main__":
    sys.exit(main())
