#!/usr/bin/python3
"""The PyTorch side of the benchmarks: Hugging Face BertForPreTraining math
written with torch.nn (post-LN, exact erf GELU, LayerNorm eps from the
config, MLM decoder tied to the word embeddings, NSP on the pooler; learned
"absolute" or our fixed "sinusoidal" positions), loading the same
model.safetensors as the C engine.

  torch_bert.py forward --model DIR --len T [policy flags]     latency, one JSON line
  torch_bert.py train --model DIR --batches FILE [--warmup N] [--windows W]
  torch_bert.py check-forward --model DIR --len T --c-logits FILE
  torch_bert.py check-train --model DIR --batches FILE --c-json LINE
  torch_bert.py import-rss                                     RSS of `import torch` alone

Settings (its best on this machine, printed in every JSON line):
torch.set_num_threads(2) (--threads), OMP_WAIT_POLICY=PASSIVE (set by
bench/run.sh before Python starts), inference_mode() and eval() for the
forward pass, AdamW(foreach=True) for training.
"""
import argparse
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# safetensors (numpy only): 8-byte LE header length, JSON header, raw data
# ---------------------------------------------------------------------------
_DT = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "BF16": "<u2"}


def read_safetensors(path):
    """Yields (name, float32 numpy array) one tensor at a time, so that a
    loader can copy each into place and drop it (no whole-file copy)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        for name, info in header.items():
            if name == "__metadata__":
                continue
            b, e = info["data_offsets"]
            dt = _DT[info["dtype"]]
            f.seek(base + b)
            a = np.fromfile(f, dtype=dt, count=(e - b) // np.dtype(dt).itemsize)
            if info["dtype"] == "BF16":
                a = (a.astype(np.uint32) << 16).view(np.float32)
            yield name, a.astype(np.float32, copy=False).reshape(info["shape"])


def sinusoid(P, H):
    """Vaswani et al. as src/core/posenc.c: pe[p, i] = sin(p·10000^(-i/H)), pe[p, i+1] = cos(same)."""
    pe = np.zeros((P, H), dtype=np.float64)
    pos = np.arange(P)[:, None]
    i = np.arange(0, H, 2)[None, :]
    ang = pos * np.power(10000.0, -i / H)
    pe[:, 0::2] = np.sin(ang)
    pe[:, 1::2] = np.cos(ang)[:, : H // 2]
    return pe.astype(np.float32)


# ---------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------

def build(cfg, dropout=0.1):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    H, nh, I = cfg["hidden_size"], cfg["num_attention_heads"], cfg["intermediate_size"]
    V, L, P = cfg["vocab_size"], cfg["num_hidden_layers"], cfg["max_position_embeddings"]
    TV, eps = cfg.get("type_vocab_size", 2), cfg.get("layer_norm_eps", 1e-12)
    pos_type = cfg.get("position_embedding_type", "absolute")

    class Layer(nn.Module):
        """BertLayer: self-attention (separate q/k/v Linear as HF), output dense
        + dropout + residual + LayerNorm, then the GELU FFN likewise."""

        def __init__(self):
            super().__init__()
            self.query, self.key, self.value = nn.Linear(H, H), nn.Linear(H, H), nn.Linear(H, H)
            self.attn_out = nn.Linear(H, H)
            self.ln1 = nn.LayerNorm(H, eps=eps)
            self.inter = nn.Linear(H, I)
            self.out = nn.Linear(I, H)
            self.ln2 = nn.LayerNorm(H, eps=eps)
            self.drop = nn.Dropout(dropout)
            self.d = H // nh
            self.scale = 1.0 / math.sqrt(self.d)

        def forward(self, x, bias):
            B, T, _ = x.shape

            def heads(t):
                return t.view(B, T, nh, self.d).transpose(1, 2)
            q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
            s = torch.matmul(q, k.transpose(-1, -2)) * self.scale
            if bias is not None:
                s = s + bias
            a = self.drop(torch.softmax(s, dim=-1))
            c = torch.matmul(a, v).transpose(1, 2).reshape(B, T, H)
            x = self.ln1(x + self.drop(self.attn_out(c)))
            h = self.out(F.gelu(self.inter(x)))          # F.gelu: exact erf form
            return self.ln2(x + self.drop(h))

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(V, H)
            if pos_type == "absolute":
                self.pos = nn.Embedding(P, H)
            else:
                self.register_buffer("pe", torch.from_numpy(sinusoid(P, H)))
            self.typ = nn.Embedding(TV, H)
            self.eln = nn.LayerNorm(H, eps=eps)
            self.drop = nn.Dropout(dropout)
            self.layers = nn.ModuleList(Layer() for _ in range(L))
            self.mlm_dense = nn.Linear(H, H)
            self.mlm_ln = nn.LayerNorm(H, eps=eps)
            self.mlm_bias = nn.Parameter(torch.zeros(V))
            self.pool = nn.Linear(H, H)
            self.nsp = nn.Linear(H, 2)

        def encode(self, ids, typ, valid=None):
            T = ids.shape[1]
            pe = self.pos.weight[:T] if pos_type == "absolute" else self.pe[:T]
            x = self.drop(self.eln(self.word(ids) + pe[None] + self.typ(typ)))
            bias = None
            if valid is not None:   # HF: additive mask of dtype-min on padded keys
                bias = (1.0 - valid[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            for layer in self.layers:
                x = layer(x, bias)
            return x

        def mlm_logits(self, h):
            h = self.mlm_ln(F.gelu(self.mlm_dense(h)))
            return F.linear(h, self.word.weight, self.mlm_bias)   # tied decoder, as HF: nn.Linear

        def nsp_logits(self, h):
            return self.nsp(torch.tanh(self.pool(h[:, 0])))

    return Bert()


def load(model_dir, dropout=0.1):
    import torch
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    if cfg.get("hidden_act", "gelu") != "gelu":
        raise SystemExit(f"{model_dir}: hidden_act {cfg['hidden_act']} is not the exact gelu")
    model = build(cfg, dropout)
    # Hugging Face name (without "bert.", LayerNorm weight/bias) -> ours
    hf = {"embeddings.word_embeddings.weight": "word.weight",
          "embeddings.position_embeddings.weight": "pos.weight",
          "embeddings.token_type_embeddings.weight": "typ.weight",
          "embeddings.LayerNorm.weight": "eln.weight", "embeddings.LayerNorm.bias": "eln.bias",
          "cls.predictions.transform.dense.weight": "mlm_dense.weight",
          "cls.predictions.transform.dense.bias": "mlm_dense.bias",
          "cls.predictions.transform.LayerNorm.weight": "mlm_ln.weight",
          "cls.predictions.transform.LayerNorm.bias": "mlm_ln.bias",
          "cls.predictions.bias": "mlm_bias",
          "pooler.dense.weight": "pool.weight", "pooler.dense.bias": "pool.bias",
          "cls.seq_relationship.weight": "nsp.weight", "cls.seq_relationship.bias": "nsp.bias"}
    names = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
             "attn_out": "attention.output.dense", "ln1": "attention.output.LayerNorm",
             "inter": "intermediate.dense", "out": "output.dense", "ln2": "output.LayerNorm"}
    for l in range(cfg["num_hidden_layers"]):
        for mine, h in names.items():
            for wb in ("weight", "bias"):
                hf[f"encoder.layer.{l}.{h}.{wb}"] = f"layers.{l}.{mine}.{wb}"
    params = dict(model.named_parameters())
    todo = set(params)
    decoder = None
    with torch.no_grad():
        for name, a in read_safetensors(os.path.join(model_dir, "model.safetensors")):
            n = name[5:] if name.startswith("bert.") else name
            n = n.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
            if n == "cls.predictions.decoder.weight":
                decoder = a
                continue
            mine = hf.get(n)
            if mine is None or mine not in params:
                continue
            if tuple(params[mine].shape) != a.shape:
                raise SystemExit(f"{model_dir}: {name} has shape {a.shape}, expected {tuple(params[mine].shape)}")
            params[mine].copy_(torch.from_numpy(a))
            todo.discard(mine)
    if todo:
        raise SystemExit(f"{model_dir}: missing tensors for {sorted(todo)}")
    if decoder is not None and not np.array_equal(decoder, model.word.weight.detach().numpy()):
        raise SystemExit(f"{model_dir}: untied decoder: not supported by the bench model")
    return cfg, model


# ---------------------------------------------------------------------------
# measurements
# ---------------------------------------------------------------------------

def setup_torch(threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    return torch


def env_info(torch):
    return {"torch": torch.__version__, "torch_threads": torch.get_num_threads(),
            "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "mkldnn": bool(torch.backends.mkldnn.is_available())}


def maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def fixed_input(T, V):
    """The same formula as bench_forward.c."""
    ids = np.array([5 + (7919 * t + 104729) % (V - 5) for t in range(T)], dtype=np.int64)
    typ = np.array([int(t >= T // 2) for t in range(T)], dtype=np.int64)
    return ids[None], typ[None]


def repeat(fn, a):
    """The policy of bench_util.h: warm up, then time single calls."""
    t0 = time.perf_counter()
    i = 0
    while i < a.warmup or time.perf_counter() - t0 < a.warmup_s:
        fn()
        i += 1
    out = []
    t0 = time.perf_counter()
    while len(out) < max(a.max_reps, a.reps) and (len(out) < a.reps or time.perf_counter() - t0 < a.min_s):
        s = time.perf_counter()
        fn()
        out.append(time.perf_counter() - s)
    return out


def forward_fn(torch, model, ids, typ):
    def run():
        h = model.encode(ids, typ)        # B=1, no padding: no mask (as HF with all-ones attention)
        return model.mlm_logits(h[0]), model.nsp_logits(h)
    return run


def cmd_forward(a):
    torch = setup_torch(a.threads)
    rss0 = maxrss_kb()
    t0 = time.perf_counter()
    cfg, model = load(a.model, 0.0)
    model.eval()
    load_s = time.perf_counter() - t0
    ids, typ = (torch.from_numpy(x) for x in fixed_input(a.len, cfg["vocab_size"]))
    with torch.inference_mode():
        s = repeat(forward_fn(torch, model, ids, typ), a)
    print(json.dumps({"side": "torch", "what": "forward", "T": a.len, "threads": a.threads, "load_s": round(load_s, 3),
                      "maxrss_kb": maxrss_kb(), "rss_end_kb": rss_kb(), "import_rss_kb": rss0, "env": env_info(torch),
                      "ms": [round(x * 1e3, 6) for x in s]}))


def cmd_check_forward(a):
    torch = setup_torch(a.threads)
    cfg, model = load(a.model, 0.0)
    model.eval()
    V, T = cfg["vocab_size"], a.len
    ids, typ = (torch.from_numpy(x) for x in fixed_input(T, V))
    with torch.inference_mode():
        mlm, nsp = forward_fn(torch, model, ids, typ)()
    c = np.fromfile(a.c_logits, dtype="<f4")
    if c.size != T * V + 2:
        raise SystemExit(f"{a.c_logits}: {c.size} floats, expected {T * V + 2}")
    cm, cn = c[:T * V].reshape(T, V), c[T * V:]
    d_mlm = float(np.abs(cm - mlm.numpy()).max())
    d_nsp = float(np.abs(cn - nsp.numpy()[0]).max())
    scale = float(np.abs(mlm.numpy()).max())
    ok = d_mlm <= a.tol * max(1.0, scale) and d_nsp <= a.tol * max(1.0, scale)
    print(json.dumps({"what": "check-forward", "T": T, "max_abs_diff_mlm": d_mlm, "max_abs_diff_nsp": d_nsp,
                      "max_abs_logit": scale, "argmax_agree": float((cm.argmax(1) == mlm.numpy().argmax(1)).mean()),
                      "ok": ok}))
    return 0 if ok else 1


def train_setup(torch, a, dropout):
    sys.path.insert(0, HERE)
    from bench_data import read_batches
    cfg, model = load(a.model, dropout)
    B, maxT, V, batches = read_batches(a.batches)
    if V != cfg["vocab_size"]:
        raise SystemExit(f"{a.batches}: vocab {V}, model has {cfg['vocab_size']}")
    tb = []
    for b in batches:
        lab = torch.from_numpy(b["labels"]).reshape(-1)
        rows = torch.nonzero(lab >= 0).reshape(-1)            # flat b*T+t, in order, as the C trainer
        tb.append(dict(T=b["T"], ids=torch.from_numpy(b["ids"]), typ=torch.from_numpy(b["type_ids"]),
                       valid=torch.from_numpy(b["valid"]), rows=rows, labels=lab[rows],
                       nsp=torch.from_numpy(b["nsp"]), tokens=int(b["valid"].sum())))
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    # the C trainer's defaults: betas (0.9, 0.98), eps 1e-6, weight decay 0.01 off for biases/LayerNorm
    opt = torch.optim.AdamW([dict(params=decay, weight_decay=0.01), dict(params=no_decay, weight_decay=0.0)],
                            lr=5e-4, betas=(0.9, 0.98), eps=1e-6, foreach=True)
    return cfg, model, opt, B, tb


def lr_schedule(step, warmup=500, total=10000, peak=5e-4):
    """src/train/adamw.c lr_schedule"""
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    if step >= total:
        return 0.0
    return peak * (total - step) / max(1, total - warmup)


def grad_step(torch, model, b):
    import torch.nn.functional as F
    H = model.word.weight.shape[1]
    h = model.encode(b["ids"], b["typ"], b["valid"])
    mlm = F.cross_entropy(model.mlm_logits(h.reshape(-1, H).index_select(0, b["rows"])), b["labels"])
    nsp = F.cross_entropy(model.nsp_logits(h), b["nsp"])
    for p in model.parameters():
        p.grad = None
    (mlm + nsp).backward()
    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    return mlm, nsp, gn


def cmd_train(a):
    torch = setup_torch(a.threads)
    cfg, model, opt, B, tb = train_setup(torch, a, 0.1)
    model.train()
    step = 0

    def train_step(b):
        nonlocal step
        mlm, nsp, _ = grad_step(torch, model, b)
        for g in opt.param_groups:
            g["lr"] = lr_schedule(step)
        opt.step()
        step += 1
        loss = float(mlm + nsp)          # the C trainer reads its loss every step too
        if not math.isfinite(loss):
            raise SystemExit(f"torch train: the loss became {loss}")

    for i in range(a.warmup):
        train_step(tb[i % len(tb)])
    windows, steps = [], []
    for _ in range(a.windows):
        tokens, t0 = 0, time.perf_counter()
        for b in tb:
            s = time.perf_counter()
            train_step(b)
            steps.append(time.perf_counter() - s)
            tokens += b["tokens"]
        windows.append({"tokens": tokens, "s": round(time.perf_counter() - t0, 6)})
    print(json.dumps({"side": "torch", "what": "train", "threads": a.threads, "B": B, "batches": len(tb),
                      "warmup": a.warmup, "layers": cfg["num_hidden_layers"], "hidden": cfg["hidden_size"],
                      "vocab": cfg["vocab_size"], "windows": windows, "maxrss_kb": maxrss_kb(),
                      "env": env_info(torch), "step_ms": [round(x * 1e3, 3) for x in steps]}))


def cmd_check_train(a):
    torch = setup_torch(a.threads)
    cfg, model, opt, B, tb = train_setup(torch, a, 0.0)
    model.train()
    mlm, nsp, gn = grad_step(torch, model, tb[0])
    for g in opt.param_groups:
        g["lr"] = 1e-3
    opt.step()
    mlm2, nsp2, _ = grad_step(torch, model, tb[0])
    mine = {"n_mlm": int(tb[0]["rows"].numel()), "mlm_loss": float(mlm), "nsp_loss": float(nsp),
            "grad_norm": float(gn), "mlm_loss_after": float(mlm2), "nsp_loss_after": float(nsp2)}
    c = json.loads(a.c_json)
    diff = {k: abs(mine[k] - c[k]) for k in mine}
    rel = {k: diff[k] / max(1e-6, abs(c[k])) for k in mine}
    ok = mine["n_mlm"] == c["n_mlm"] and all(rel[k] < a.tol for k in mine if k != "n_mlm")
    print(json.dumps({"what": "check-train", "torch": mine, "c": {k: c[k] for k in mine}, "rel_diff": rel, "ok": ok}))
    return 0 if ok else 1


def cmd_import_rss(a):
    import torch  # noqa: F401
    setup_torch(a.threads)
    print(json.dumps({"side": "torch", "what": "import-rss", "maxrss_kb": maxrss_kb()}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("--threads", type=int, default=2)
        return p

    def policy(p):
        p.add_argument("--warmup", type=int, default=5)
        p.add_argument("--warmup-s", type=float, default=0.5)
        p.add_argument("--reps", type=int, default=20)
        p.add_argument("--min-s", type=float, default=2.0)
        p.add_argument("--max-reps", type=int, default=2000)

    p = common(sub.add_parser("forward"))
    p.add_argument("--model", required=True)
    p.add_argument("--len", type=int, required=True)
    policy(p)
    p = common(sub.add_parser("check-forward"))
    p.add_argument("--model", required=True)
    p.add_argument("--len", type=int, required=True)
    p.add_argument("--c-logits", required=True)
    p.add_argument("--tol", type=float, default=1e-4, help="max abs diff allowed, relative to max |logit| (>= 1)")
    p = common(sub.add_parser("train"))
    p.add_argument("--model", required=True)
    p.add_argument("--batches", required=True)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--windows", type=int, default=3)
    p = common(sub.add_parser("check-train"))
    p.add_argument("--model", required=True)
    p.add_argument("--batches", required=True)
    p.add_argument("--c-json", required=True)
    p.add_argument("--tol", type=float, default=2e-3, help="relative difference allowed")
    common(sub.add_parser("import-rss"))
    a = ap.parse_args()
    fn = {"forward": cmd_forward, "check-forward": cmd_check_forward, "train": cmd_train,
          "check-train": cmd_check_train, "import-rss": cmd_import_rss}[a.cmd]
    sys.exit(fn(a) or 0)


if __name__ == "__main__":
    main()
