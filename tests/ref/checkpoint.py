"""Write and read Hugging Face-layout BERT checkpoints with numpy only.

An independent implementation (no code shared with the C loader) used by
the tests as the reference side: make_checkpoint writes a random model,
read_safetensors reads one back.
"""
import json
import os
import struct

import numpy as np

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ("the of and to a in is was he for it with as his on be at by i this had not are but "
         "from or have an they which one you were her all she there would their we him been has "
         "when who will more no if out so said what up its about into than them can only other "
         "new some could time these two may then do first any my now such like our over man me "
         "even most made after also did many before must through back years where much your way "
         "well down should because each just those people how too little state good very make "
         "world still own see men work long get here between both life being under never day same "
         "another know while last might us great old year off come since against go came right "
         "used take three cat sat mat dog river bank money paris france capital city water").split()


def small_vocab():
    pieces = [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("0123456789.,;:!?'\"()-")
    cont = ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)] + ["##s", "##ed", "##ing", "##er", "##ly"]
    seen, out = set(), []
    for t in SPECIALS + WORDS + pieces + cont:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def param_shapes(cfg, heads=True, nsp=True):
    V, H, I = cfg["vocab_size"], cfg["hidden_size"], cfg["intermediate_size"]
    P, TV = cfg["max_position_embeddings"], cfg["type_vocab_size"]
    s = {"bert.embeddings.word_embeddings.weight": (V, H)}
    if cfg.get("position_embedding_type", "absolute") == "absolute":
        s["bert.embeddings.position_embeddings.weight"] = (P, H)
    s["bert.embeddings.token_type_embeddings.weight"] = (TV, H)
    s["bert.embeddings.LayerNorm.weight"] = (H,)
    s["bert.embeddings.LayerNorm.bias"] = (H,)
    for l in range(cfg["num_hidden_layers"]):
        p = f"bert.encoder.layer.{l}."
        for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            s[p + n + ".weight"] = (H, H)
            s[p + n + ".bias"] = (H,)
        s[p + "attention.output.LayerNorm.weight"] = (H,)
        s[p + "attention.output.LayerNorm.bias"] = (H,)
        s[p + "intermediate.dense.weight"] = (I, H)
        s[p + "intermediate.dense.bias"] = (I,)
        s[p + "output.dense.weight"] = (H, I)
        s[p + "output.dense.bias"] = (H,)
        s[p + "output.LayerNorm.weight"] = (H,)
        s[p + "output.LayerNorm.bias"] = (H,)
    if heads:
        s["cls.predictions.transform.dense.weight"] = (H, H)
        s["cls.predictions.transform.dense.bias"] = (H,)
        s["cls.predictions.transform.LayerNorm.weight"] = (H,)
        s["cls.predictions.transform.LayerNorm.bias"] = (H,)
        s["cls.predictions.bias"] = (V,)
    if nsp:
        s["bert.pooler.dense.weight"] = (H, H)
        s["bert.pooler.dense.bias"] = (H,)
        s["cls.seq_relationship.weight"] = (2, H)
        s["cls.seq_relationship.bias"] = (2,)
    return s


def random_params(cfg, seed=0, heads=True, nsp=True, word_std=0.5):
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in param_shapes(cfg, heads, nsp).items():
        if name.endswith("LayerNorm.weight"):
            a = 1.0 + 0.1 * rng.standard_normal(shape)
        elif name.endswith("word_embeddings.weight"):
            a = word_std * rng.standard_normal(shape)
        elif len(shape) == 1:
            a = 0.05 * rng.standard_normal(shape)
        else:
            a = rng.standard_normal(shape) / np.sqrt(shape[1])
        out[name] = a.astype(np.float32)
    return out


DT = {"F32": ("<f4", 4), "F16": ("<f2", 2), "F64": ("<f8", 8)}


def write_safetensors(path, tensors, dtype="F32", rename=None):
    """tensors: name -> float32 array. dtype F32/F16/F64/BF16."""
    header, blobs, off = {}, [], 0
    for name, a in tensors.items():
        if dtype == "BF16":
            u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
            # round to nearest even on the dropped 16 bits
            u = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype("<u2")
            b = u.tobytes()
        else:
            b = np.ascontiguousarray(a, dtype=DT[dtype][0]).tobytes()
        n = rename(name) if rename else name
        header[n] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        raw = data[base + b:base + e]
        if info["dtype"] == "BF16":
            a = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, DT[info["dtype"]][0]).astype(np.float32)
        out[name] = a.reshape(info["shape"])
    return out


def make_checkpoint(outdir, layers=2, hidden=32, heads=4, inter=64, max_pos=64,
                    pos="absolute", seed=0, dtype="F32", vocab=None, bare=False,
                    legacy_ln=False, mlm=True, nsp=True, untied=False):
    os.makedirs(outdir, exist_ok=True)
    vocab = vocab or small_vocab()
    cfg = {"architectures": ["BertForPreTraining"], "model_type": "bert",
           "vocab_size": len(vocab), "hidden_size": hidden, "num_hidden_layers": layers,
           "num_attention_heads": heads, "intermediate_size": inter, "hidden_act": "gelu",
           "max_position_embeddings": max_pos, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
           "position_embedding_type": pos}
    params = random_params(cfg, seed, heads=mlm, nsp=nsp)
    if untied and mlm:
        rng = np.random.default_rng(seed + 1)
        params["cls.predictions.decoder.weight"] = (0.3 * rng.standard_normal((len(vocab), hidden))).astype(np.float32)

    def rename(n):
        if bare and n.startswith("bert."):
            n = n[5:]
        if legacy_ln and "LayerNorm." in n:
            n = n.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        return n

    write_safetensors(os.path.join(outdir, "model.safetensors"), params, dtype, rename)
    with open(os.path.join(outdir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(outdir, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    return cfg


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="write a random BERT checkpoint in Hugging Face layout")
    ap.add_argument("outdir")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--inter", type=int, default=64)
    ap.add_argument("--max-pos", type=int, default=64)
    ap.add_argument("--pos", default="absolute", choices=["absolute", "sinusoidal"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", default="F32", choices=["F32", "F16", "BF16", "F64"])
    ap.add_argument("--vocab", help="vocab.txt to use instead of the small built-in one")
    ap.add_argument("--no-mlm", action="store_true", help="no MLM head (cls.predictions.*)")
    a = ap.parse_args()
    voc = open(a.vocab).read().split("\n")[:-1] if a.vocab else None
    make_checkpoint(a.outdir, a.layers, a.hidden, a.heads, a.inter, a.max_pos, a.pos, a.seed, a.dtype, voc,
                    mlm=not a.no_mlm)
