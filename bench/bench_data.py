#!/usr/bin/python3
"""Inputs for the benchmarks: random checkpoints and synthetic training batches.

  bench_data.py checkpoint OUTDIR --shape default|bert-base [--vocab FILE] [--dtype F32|F16]
      A random Hugging Face-layout checkpoint (config.json, vocab.txt,
      model.safetensors, F32 unless --dtype F16) written by tests/ref/checkpoint.py:
        default   4 layers, H 256, 4 heads, FFN 1024, vocab 8192, sinusoidal, max 128
        bert-base 12 layers, H 768, 12 heads, FFN 3072, vocab 30522, learned, max 512
  bench_data.py batches OUT.bin --vocab-size V [--n 8] [--batch 32] [--min-len 64] [--max-len 128]
      The synthetic pretraining batches both trainers run (bench_train.c and
      torch_bert.py train read the same file), shaped like the C trainer's:
      each batch is run at its longest member (a multiple of 8 from min-len
      to max-len); members are [CLS] A [SEP] B [SEP] pairs a little shorter
      or equal to it (padding after), 15% of their non-special tokens chosen
      for MLM (80% [MASK], 10% random, 10% kept), a random NSP label.

Batch file (little-endian int32 throughout):
  magic "BTBATCH1" (8 bytes), n_batches, B, max_len, vocab_size
  per batch: Tb, n_chosen, ids[B*Tb], type_ids[B*Tb], valid[B*Tb],
             labels[B*Tb] (-1 where not chosen), nsp[B] (0 = IsNext)
"""
import argparse
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ref"))

SHAPES = {
    "default": dict(layers=4, hidden=256, heads=4, inter=1024, max_pos=128, pos="sinusoidal", vocab=8192),
    "bert-base": dict(layers=12, hidden=768, heads=12, inter=3072, max_pos=512, pos="absolute", vocab=30522),
}
PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4


def make_vocab(size, vocab_file=None):
    from checkpoint import small_vocab
    if vocab_file and os.path.exists(vocab_file):
        v = open(vocab_file, encoding="utf-8").read().split("\n")
        if v and v[-1] == "":
            v = v[:-1]
        if len(v) == size:
            return v
    v = small_vocab()
    v += ["[unused%d]" % i for i in range(size - len(v))]
    return v[:size]


def cmd_checkpoint(a):
    from checkpoint import make_checkpoint
    s = SHAPES[a.shape]
    vocab = make_vocab(s["vocab"], a.vocab)
    make_checkpoint(a.outdir, s["layers"], s["hidden"], s["heads"], s["inter"], s["max_pos"], s["pos"],
                    a.seed, a.dtype, vocab)
    print(f"bench_data: wrote a random {a.shape} checkpoint to {a.outdir}", file=sys.stderr)


def cmd_batches(a):
    rng = np.random.default_rng(a.seed)
    B, V = a.batch, a.vocab_size
    with open(a.out, "wb") as f:
        f.write(b"BTBATCH1")
        f.write(struct.pack("<4i", a.n, B, a.max_len, V))
        for _ in range(a.n):
            Tb = int(rng.integers(a.min_len // 8, a.max_len // 8 + 1)) * 8
            ids = np.zeros((B, Tb), np.int32)
            typ = np.zeros((B, Tb), np.int32)
            valid = np.zeros((B, Tb), np.int32)
            labels = np.full((B, Tb), -1, np.int32)
            nsp = rng.integers(0, 2, B).astype(np.int32)
            for b in range(B):
                n = Tb if b == 0 else int(rng.integers(max(8, Tb - 7), Tb + 1))
                la = int(rng.integers(1, n - 3))          # tokens of A; B gets n-3-la >= 1
                seq = rng.integers(5, V, n).astype(np.int32)
                seq[0], seq[la + 1], seq[n - 1] = CLS, SEP, SEP
                ids[b, :n] = seq
                typ[b, la + 2:n] = 1
                valid[b, :n] = 1
                normal = np.array([t for t in range(n) if t not in (0, la + 1, n - 1)])
                k = max(1, int(round(a.mask_rate * len(normal))))
                chosen = rng.choice(normal, k, replace=False)
                for t in chosen:
                    labels[b, t] = ids[b, t]
                    r = rng.random()
                    if r < 0.8:
                        ids[b, t] = MASK
                    elif r < 0.9:
                        ids[b, t] = int(rng.integers(5, V))
            f.write(struct.pack("<2i", Tb, int((labels >= 0).sum())))
            for arr in (ids, typ, valid, labels, nsp):
                f.write(arr.astype("<i4").tobytes())
    print(f"bench_data: wrote {a.n} batches of {B} to {a.out}", file=sys.stderr)


def read_batches(path):
    """-> (B, max_len, V, [dict(T, ids, type_ids, valid, labels, nsp) as int64 numpy arrays])"""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"BTBATCH1":
        raise SystemExit(f"{path}: not a batch file")
    n, B, T, V = struct.unpack_from("<4i", data, 8)
    off, out = 24, []
    for _ in range(n):
        Tb, _nc = struct.unpack_from("<2i", data, off)
        off += 8
        d = {"T": Tb}
        for name, cnt in (("ids", B * Tb), ("type_ids", B * Tb), ("valid", B * Tb), ("labels", B * Tb), ("nsp", B)):
            arr = np.frombuffer(data, "<i4", cnt, off).astype(np.int64)
            d[name] = arr.reshape(B, Tb) if cnt == B * Tb else arr
            off += 4 * cnt
        out.append(d)
    return B, T, V, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("checkpoint")
    c.add_argument("outdir")
    c.add_argument("--shape", choices=sorted(SHAPES), required=True)
    c.add_argument("--vocab", help="vocab.txt of the right size to use (else placeholder tokens)")
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--dtype", choices=["F32", "F16"], default="F32",
                   help="stored dtype (F16: what the loader converts, as for the shipped model)")
    b = sub.add_parser("batches")
    b.add_argument("out")
    b.add_argument("--vocab-size", type=int, required=True)
    b.add_argument("--n", type=int, default=8)
    b.add_argument("--batch", type=int, default=32)
    b.add_argument("--min-len", type=int, default=64)
    b.add_argument("--max-len", type=int, default=128)
    b.add_argument("--mask-rate", type=float, default=0.15)
    b.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    cmd_checkpoint(a) if a.cmd == "checkpoint" else cmd_batches(a)


if __name__ == "__main__":
    main()
