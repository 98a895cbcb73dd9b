"""A plain numpy BERT forward pass: the reference the C engine is tested
against. Written from the published architecture, sharing nothing with
the C code."""
import math

import numpy as np

_erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def layernorm(x, g, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def sinusoid(P, H):
    pe = np.zeros((P, H))
    pos = np.arange(P)[:, None]
    i = np.arange(0, H, 2)[None, :]
    ang = pos / np.power(10000.0, i / H)
    pe[:, 0::2] = np.sin(ang)
    pe[:, 1::2] = np.cos(ang)
    return pe


def forward(cfg, p, ids, types, causal=False, unscaled=False):
    """Returns a dict of intermediates named as in `bertology dump`."""
    get = lambda n: p[n].astype(np.float64)
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    hd, eps, T = H // nh, cfg["layer_norm_eps"], len(ids)
    if cfg.get("position_embedding_type", "absolute") == "sinusoidal":
        pos = sinusoid(T, H)
    else:
        pos = get("bert.embeddings.position_embeddings.weight")[:T]
    x = get("bert.embeddings.word_embeddings.weight")[ids] + pos + get("bert.embeddings.token_type_embeddings.weight")[types]
    x = layernorm(x, get("bert.embeddings.LayerNorm.weight"), get("bert.embeddings.LayerNorm.bias"), eps)
    out = {"embeddings": x}
    for l in range(cfg["num_hidden_layers"]):
        pre = f"bert.encoder.layer.{l}."
        lin = lambda n, v: v @ get(pre + n + ".weight").T + get(pre + n + ".bias")
        heads = lambda a: a.reshape(T, nh, hd).transpose(1, 0, 2)
        q, k, v = (heads(lin("attention.self." + n, x)) for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) * (1.0 if unscaled else 1.0 / math.sqrt(hd))
        if causal:
            s = np.where(np.tril(np.ones((T, T))) > 0, s, -np.inf)
        a = np.exp(s - s.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        ctx = (a @ v).transpose(1, 0, 2).reshape(T, H)
        h = layernorm(x + lin("attention.output.dense", ctx), get(pre + "attention.output.LayerNorm.weight"),
                      get(pre + "attention.output.LayerNorm.bias"), eps)
        u = gelu(lin("intermediate.dense", h))
        x = layernorm(h + lin("output.dense", u), get(pre + "output.LayerNorm.weight"),
                      get(pre + "output.LayerNorm.bias"), eps)
        out.update({f"layer{l}.q": q, f"layer{l}.k": k, f"layer{l}.v": v, f"layer{l}.scores": s,
                    f"layer{l}.attn": a, f"layer{l}.output": x})
    if "cls.predictions.bias" in p:
        t = gelu(x @ get("cls.predictions.transform.dense.weight").T + get("cls.predictions.transform.dense.bias"))
        t = layernorm(t, get("cls.predictions.transform.LayerNorm.weight"), get("cls.predictions.transform.LayerNorm.bias"), eps)
        dec = get("cls.predictions.decoder.weight") if "cls.predictions.decoder.weight" in p else get("bert.embeddings.word_embeddings.weight")
        out["mlm_logits"] = t @ dec.T + get("cls.predictions.bias")
    if "cls.seq_relationship.weight" in p:
        pooled = np.tanh(x[0] @ get("bert.pooler.dense.weight").T + get("bert.pooler.dense.bias"))
        out["nsp_logits"] = (pooled @ get("cls.seq_relationship.weight").T + get("cls.seq_relationship.bias"))[None, :]
    return out
