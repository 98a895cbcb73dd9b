"""A plain numpy BERT forward pass: the reference the C engine is tested
against. Written from the published architecture, sharing nothing with
the C code."""
import math

import numpy as np

_erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def layernorm(x, g, b, eps):
    return layernorm_stats(x, g, b, eps)[0]


def layernorm_stats(x, g, b, eps):
    """LayerNorm and its per-row statistics: mean and 1/sqrt(var + eps)."""
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    rstd = 1.0 / np.sqrt(v + eps)
    return (x - m) * rstd * g + b, m[..., 0], rstd[..., 0]


def sinusoid(P, H):
    pe = np.zeros((P, H))
    pos = np.arange(P)[:, None]
    i = np.arange(0, H, 2)[None, :]
    ang = pos / np.power(10000.0, i / H)
    pe[:, 0::2] = np.sin(ang)
    pe[:, 1::2] = np.cos(ang)
    return pe


def mlm_head(cfg, p, x):
    """The MLM head on hidden rows x (n, H): its steps, named as in the dump."""
    get = lambda n: p[n].astype(np.float64)
    t_pre = x @ get("cls.predictions.transform.dense.weight").T + get("cls.predictions.transform.dense.bias")
    t_act = gelu(t_pre)
    t, tm, tr = layernorm_stats(t_act, get("cls.predictions.transform.LayerNorm.weight"),
                                get("cls.predictions.transform.LayerNorm.bias"), cfg["layer_norm_eps"])
    dec = get("cls.predictions.decoder.weight") if "cls.predictions.decoder.weight" in p else get("bert.embeddings.word_embeddings.weight")
    return {"mlm_pre": t_pre, "mlm_act": t_act, "mlm_ln": t, "mlm_mean": tm, "mlm_rstd": tr,
            "mlm_logits": t @ dec.T + get("cls.predictions.bias")}


def logit_lens(cfg, p, ids, types, pos):
    """The logit lens at position pos: the MLM head's logits (L+1, V) read
    on the embeddings' output and on every layer's output."""
    out = forward(cfg, p, ids, types)
    rows = [out["emb"][pos]] + [out[f"layer{l}.out"][pos] for l in range(cfg["num_hidden_layers"])]
    return mlm_head(cfg, p, np.stack(rows))["mlm_logits"]


def forward(cfg, p, ids, types, causal=False, unscaled=False, heads_off=None, ffn_off=(), tok=None):
    """Returns a dict of intermediates named as in `bertology dump`: every
    array under its name (the trace's table), plus the names older dumps
    used for some of them (embeddings, layer{l}.output).

    Knock-outs (`ablate`): heads_off maps (layer, head) to "zero" (the
    head's slice of the context is 0 before the output projection, whose
    bias stays, as Hugging Face's head_mask does) or "mean" (the slice is
    its mean over the tokens); ffn_off lists layers whose feed-forward
    output is 0.

    tok: word vectors (T, H) read in place of the vocabulary's rows for
    ids (saliency: the point the gradient is taken at, or one on the path
    of integrated gradients)."""
    heads_off = heads_off or {}
    get = lambda n: p[n].astype(np.float64)
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    hd, eps, T = H // nh, cfg["layer_norm_eps"], len(ids)
    if cfg.get("position_embedding_type", "absolute") == "sinusoidal":
        pos = sinusoid(T, H)
    else:
        pos = get("bert.embeddings.position_embeddings.weight")[:T]
    tok = get("bert.embeddings.word_embeddings.weight")[ids] if tok is None else np.asarray(tok, np.float64)
    typ = get("bert.embeddings.token_type_embeddings.weight")[types]
    x, mu, rs = layernorm_stats(tok + pos + typ, get("bert.embeddings.LayerNorm.weight"),
                                get("bert.embeddings.LayerNorm.bias"), eps)
    out = {"tok_emb": tok, "pos_emb": pos, "type_emb": typ, "emb_sum": tok + pos + typ, "emb": x,
           "emb_mean": mu, "emb_rstd": rs, "embeddings": x}
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
        for (ll, hh), how in heads_off.items():
            if ll == l:
                cols = slice(hh * hd, (hh + 1) * hd)
                ctx[:, cols] = ctx[:, cols].mean(0) if how == "mean" else 0.0
        o = lin("attention.output.dense", ctx)
        h, m1, r1 = layernorm_stats(x + o, get(pre + "attention.output.LayerNorm.weight"),
                                    get(pre + "attention.output.LayerNorm.bias"), eps)
        u_pre = lin("intermediate.dense", h)
        u = gelu(u_pre)
        f = lin("output.dense", u)
        if l in ffn_off:
            f = np.zeros_like(f)
        y, m2, r2 = layernorm_stats(h + f, get(pre + "output.LayerNorm.weight"), get(pre + "output.LayerNorm.bias"), eps)
        arrays = {"q": q, "k": k, "v": v, "scores": s, "attn": a, "ctx": ctx, "attn_out": o, "res1": x + o, "ln1": h,
                  "ln1_mean": m1, "ln1_rstd": r1, "ffn_pre": u_pre, "ffn_act": u, "ffn_out": f, "res2": h + f,
                  "out": y, "ln2_mean": m2, "ln2_rstd": r2, "output": y}
        out.update({f"layer{l}.{n}": v for n, v in arrays.items()})
        x = y
    if "cls.predictions.bias" in p:
        out.update(mlm_head(cfg, p, x))
    if "cls.seq_relationship.weight" in p:
        pooled = np.tanh(x[0] @ get("bert.pooler.dense.weight").T + get("bert.pooler.dense.bias"))
        out["pooled"] = pooled[None, :]
        out["nsp_logits"] = (pooled @ get("cls.seq_relationship.weight").T + get("cls.seq_relationship.bias"))[None, :]
    return out
