#!/usr/bin/python3
# RESEARCH, NOT PART OF THE PRODUCT. This script was the recipe search for
# the first default model (issue 3, 2026-11): short PyTorch runs to find the
# initialisation, learning rate, batch and length that got the C trainer off
# the "predict common words" plateau. Its notes are RECIPE_NOTES.md beside it.
# It is kept as a record and is not maintained; the maintained PyTorch twin
# of the engine is bench/torch_bert.py.
"""PyTorch prototype of Bertology's pretraining recipe (research tool).

It trains the shipped architecture -- Hugging Face BertForPreTraining, post-LN,
exact-erf GELU, LayerNorm eps 1e-12, MLM head tied to the word embeddings,
NSP head on the pooler -- with FIXED sinusoidal position encodings, on the
corpus made by scripts/corpus.sh, and measures what the C trainer will be
judged on: masked-LM accuracy at [MASK] positions only (top-1/top-5) beside
the word-frequency baseline on the same positions, NSP accuracy, and cloze
completions.  It exists to find a recipe (init, lr, batch, length, ...) that
leaves the "predict common words" plateau; the shipped model is trained by
the C trainer.

Usage (1 thread, leave the other core free):
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 docs/research/proto_train.py \
      --corpus /work/corpus --out /work/runs/proto/r01 --minutes 12 [knobs]

Pipeline:
  * vocabulary: BERT uncased BasicTokenizer (lower-case, strip accents, split
    punctuation) then a WordPiece vocabulary learned by byte-pair-style merges
    of word counts ("##" continuations); [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3
    [MASK]=4.  Tokenization is greedy longest-match-first (as HF / the C
    tokenizer).  The vocab and the encoded corpus are cached under --cache.
  * examples (as BERT's create_pretraining_data): the sentences of a document
    are packed into chunks of at most seq_len-3 tokens; a chunk of >= 2
    sentences is split at a random sentence boundary into A | B, and with
    probability 0.5 B is replaced by sentences of a random other document
    (NSP label 1 = random, 0 = real next).  A chunk of one sentence becomes a
    single-segment example [CLS] A [SEP] whose NSP label is ignored
    (--single=ignore) or gets a random B (--single=random, BERT's way).
  * masking: 15% of non-special tokens chosen (round, >= 1), 80% [MASK],
    10% random token, 10% unchanged.  Loss = mean CE over chosen positions
    + mean NSP CE.  Logits are only computed at chosen positions (same loss).
  * AdamW (weight decay off for biases/LayerNorm), linear warm-up then linear
    decay to 0 at --schedule-tokens, grad clipping 1.0, dropout 0.1.
"""
import argparse
import collections
import heapq
import json
import math
import os
import random
import time
import unicodedata

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

CLOZE = ["The cat sat on the [MASK].",
         "Paris is the capital of [MASK].",
         "He drank a cup of [MASK].",
         "The [MASK] of the river was steep.",
         "She opened the [MASK] and walked in."]


# ---------------------------------------------------------------------------
# tokenizer
# ---------------------------------------------------------------------------

def _is_punct(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def basic_words(text, lower=True):
    """HF BasicTokenizer (without the CJK split, irrelevant here); '[MASK]' kept whole."""
    out = []
    for chunk in text.split():
        if chunk in SPECIALS:
            out.append(chunk)
            continue
        if "[MASK]" in chunk:
            parts = chunk.split("[MASK]")
            for i, p in enumerate(parts):
                if i:
                    out.append("[MASK]")
                out.extend(basic_words(p, lower))
            continue
        if lower:
            chunk = chunk.lower()
            chunk = "".join(c for c in unicodedata.normalize("NFD", chunk)
                            if unicodedata.category(c) != "Mn")
        cur = []
        for c in chunk:
            if _is_punct(c):
                if cur:
                    out.append("".join(cur))
                    cur = []
                out.append(c)
            elif unicodedata.category(c).startswith("C") or c.isspace():
                if cur:
                    out.append("".join(cur))
                    cur = []
            else:
                cur.append(c)
        if cur:
            out.append("".join(cur))
    return out


def learn_wordpiece(word_counts, size, min_char_count=10, log=print):
    """BPE-style merges on word counts, written as a WordPiece vocab."""
    chars = collections.Counter()
    for w, n in word_counts.items():
        for i, c in enumerate(w):
            chars[c if i == 0 else "##" + c] += n
    vocab = list(SPECIALS)
    alphabet = sorted(c for c, n in chars.items() if n >= min_char_count)
    vocab += alphabet
    known = set(vocab)
    words, counts = [], []
    for w, n in word_counts.items():
        if n < 2:
            continue
        sym = [w[0]] + ["##" + c for c in w[1:]]
        if all(s in known for s in sym):
            words.append(sym)
            counts.append(n)
    pairs = collections.Counter()
    where = collections.defaultdict(set)
    for i, sym in enumerate(words):
        for a, b in zip(sym, sym[1:]):
            pairs[(a, b)] += counts[i]
            where[(a, b)].add(i)
    heap = [(-n, p) for p, n in pairs.items()]
    heapq.heapify(heap)
    t0 = time.time()
    while len(vocab) < size and heap:
        negn, p = heapq.heappop(heap)
        if pairs.get(p, 0) != -negn or -negn <= 0:
            continue
        a, b = p
        new = a + b[2:]
        if new not in known:
            vocab.append(new)
            known.add(new)
        changed = collections.Counter()
        for i in list(where[p]):
            sym, n = words[i], counts[i]
            for x, y in zip(sym, sym[1:]):
                pairs[(x, y)] -= n
                changed[(x, y)] += 0
                where[(x, y)].discard(i)
            out, j = [], 0
            while j < len(sym):
                if j + 1 < len(sym) and sym[j] == a and sym[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(sym[j])
                    j += 1
            words[i] = out
            for x, y in zip(out, out[1:]):
                pairs[(x, y)] += n
                changed[(x, y)] += 0
                where[(x, y)].add(i)
        for q in changed:
            if pairs[q] > 0:
                heapq.heappush(heap, (-pairs[q], q))
            else:
                pairs.pop(q, None)
    log(f"vocab: {len(vocab)} tokens ({len(alphabet)} characters) in {time.time() - t0:.0f}s")
    return vocab


class WordPiece:
    def __init__(self, vocab):
        self.vocab = vocab
        self.id = {t: i for i, t in enumerate(vocab)}
        self.cache = {}

    def word(self, w):
        r = self.cache.get(w)
        if r is not None:
            return r
        if w in self.id:
            r = [self.id[w]]
        elif len(w) > 100:
            r = [UNK]
        else:
            r, start = [], 0
            while start < len(w):
                end, cur = len(w), None
                while start < end:
                    s = w[start:end] if start == 0 else "##" + w[start:end]
                    if s in self.id:
                        cur = self.id[s]
                        break
                    end -= 1
                if cur is None:
                    r = [UNK]
                    break
                r.append(cur)
                start = end
        self.cache[w] = r
        return r

    def encode(self, text):
        ids = []
        for w in basic_words(text):
            ids.extend(self.word(w))
        return ids


def read_docs(path):
    docs, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                cur.append(line)
            elif cur:
                docs.append(cur)
                cur = []
    if cur:
        docs.append(cur)
    return docs


def encode_corpus(docs, wp):
    """-> (ids int16/32 flat, sentence starts, doc starts in sentences)"""
    ids, sent_starts, doc_starts = [], [0], [0]
    for d in docs:
        for s in d:
            ids.extend(wp.encode(s))
            sent_starts.append(len(ids))
        doc_starts.append(len(sent_starts) - 1)
    return (np.array(ids, dtype=np.int32), np.array(sent_starts, dtype=np.int64),
            np.array(doc_starts, dtype=np.int64))


def load_data(args, log):
    os.makedirs(args.cache, exist_ok=True)
    vpath = os.path.join(args.cache, f"vocab{args.vocab_size}.txt")
    train_docs = None
    if os.path.exists(vpath):
        vocab = open(vpath, encoding="utf-8").read().split("\n")[:-1]
    else:
        log("learning vocabulary ...")
        train_docs = read_docs(os.path.join(args.corpus, "train.txt"))
        wc = collections.Counter()
        for d in train_docs:
            for s in d:
                wc.update(basic_words(s))
        vocab = learn_wordpiece(wc, args.vocab_size, log=log)
        with open(vpath, "w", encoding="utf-8") as f:
            f.write("\n".join(vocab) + "\n")
    wp = WordPiece(vocab)
    data = {}
    for split in ("train", "heldout"):
        cpath = os.path.join(args.cache, f"{split}{args.vocab_size}.npz")
        if os.path.exists(cpath):
            z = np.load(cpath)
            data[split] = (z["ids"], z["sent"], z["doc"])
        else:
            log(f"encoding {split} ...")
            docs = train_docs if (split == "train" and train_docs is not None) else \
                read_docs(os.path.join(args.corpus, split + ".txt"))
            data[split] = encode_corpus(docs, wp)
            np.savez(cpath, ids=data[split][0], sent=data[split][1], doc=data[split][2])
    return wp, data


# ---------------------------------------------------------------------------
# examples
# ---------------------------------------------------------------------------

class Examples:
    """BERT create_pretraining_data-style NSP pairs + MLM masking."""

    def __init__(self, data, seq_len, rng, single="ignore", short_seq_prob=0.1):
        self.ids, self.sent, self.doc = data
        self.L = seq_len
        self.rng = rng
        self.single = single
        self.short_seq_prob = short_seq_prob
        self.ndocs = len(self.doc) - 1

    def sentence(self, k):
        return self.ids[self.sent[k]:self.sent[k + 1]]

    def random_segment(self, exclude_doc, max_len):
        rng = self.rng
        for _ in range(10):
            d = rng.randrange(self.ndocs)
            if d != exclude_doc:
                break
        s0, s1 = self.doc[d], self.doc[d + 1]
        k = rng.randrange(s0, s1)
        out = []
        while k < s1 and len(out) < max_len:
            out.extend(self.sentence(k).tolist())
            k += 1
        return out

    def epoch(self):
        """Yields (tokens_a, tokens_b or None, nsp_label or -1) over one shuffled pass."""
        rng = self.rng
        order = list(range(self.ndocs))
        rng.shuffle(order)
        for d in order:
            s0, s1 = int(self.doc[d]), int(self.doc[d + 1])
            target = self.L - 3
            if rng.random() < self.short_seq_prob:
                target = rng.randint(2, target)
            chunk, n = [], 0
            k = s0
            while k < s1:
                s = self.sentence(k).tolist()
                if len(s) == 0:
                    k += 1
                    continue
                chunk.append(s)
                n += len(s)
                k += 1
                if n >= target or k == s1:
                    yield from self.make(chunk, d, target)
                    chunk, n = [], 0

    def make(self, chunk, d, target):
        rng = self.rng
        if len(chunk) == 1:
            a = chunk[0]
            if self.single == "random":
                b = self.random_segment(d, target)
                yield self.trunc(a, b, 1)
            else:
                yield (a[:self.L - 2], None, -1)
            return
        cut = rng.randint(1, len(chunk) - 1)
        a = [t for s in chunk[:cut] for t in s]
        if rng.random() < 0.5:
            b = self.random_segment(d, max(1, target - len(a)))
            label = 1
        else:
            b = [t for s in chunk[cut:] for t in s]
            label = 0
        yield self.trunc(a, b, label)

    def trunc(self, a, b, label):
        a, b = list(a), list(b)
        while len(a) + len(b) > self.L - 3:
            t = a if len(a) > len(b) else b
            if self.rng.random() < 0.5:
                del t[0]
            else:
                t.pop()
        return (a, b, label)


def mask_tokens(ids, special, rng, vocab_size, rate, first_normal=5):
    """numpy BERT masking. ids (B,T) int64 modified copy; returns ids, labels(-100), kind."""
    ids = ids.copy()
    labels = np.full(ids.shape, -100, dtype=np.int64)
    kind = np.zeros(ids.shape, dtype=np.int8)
    for i in range(ids.shape[0]):
        cand = np.nonzero(~special[i])[0]
        if len(cand) == 0:
            continue
        k = max(1, int(round(len(cand) * rate)))
        ch = rng.choice(cand, size=k, replace=False)
        labels[i, ch] = ids[i, ch]
        r = rng.random(k)
        m = ch[r < 0.8]
        rnd = ch[(r >= 0.8) & (r < 0.9)]
        kept = ch[r >= 0.9]
        ids[i, m] = MASK
        ids[i, rnd] = rng.integers(first_normal, vocab_size, size=len(rnd))
        kind[i, m], kind[i, rnd], kind[i, kept] = 1, 2, 3
    return ids, labels, kind


def collate(exs, L):
    T = max(len(a) + (len(b) + 1 if b is not None else 0) + 2 for a, b, _ in exs)
    B = len(exs)
    ids = np.zeros((B, T), dtype=np.int64)
    seg = np.zeros((B, T), dtype=np.int64)
    att = np.zeros((B, T), dtype=bool)
    nsp = np.zeros(B, dtype=np.int64)
    for i, (a, b, lab) in enumerate(exs):
        toks = [CLS] + a + [SEP]
        segs = [0] * len(toks)
        if b is not None:
            toks += b + [SEP]
            segs += [1] * (len(b) + 1)
        ids[i, :len(toks)] = toks
        seg[i, :len(toks)] = segs
        att[i, :len(toks)] = True
        nsp[i] = lab if lab >= 0 else -100
    special = (ids == CLS) | (ids == SEP) | (ids == PAD)
    return ids, seg, att, nsp, special


def batches(examples, batch_size, np_rng, vocab_size, rate, bucket=50):
    """Endless stream of masked batches; examples length-bucketed (dynamic padding)."""
    while True:
        buf = []
        for ex in examples.epoch():
            buf.append(ex)
            if len(buf) == batch_size * bucket:
                yield from _emit(buf, batch_size, np_rng, vocab_size, rate, examples)
                buf = []
        if buf:
            yield from _emit(buf, batch_size, np_rng, vocab_size, rate, examples)


def _emit(buf, bs, np_rng, V, rate, examples):
    buf.sort(key=lambda e: len(e[0]) + (len(e[1]) if e[1] is not None else 0))
    groups = [buf[i:i + bs] for i in range(0, len(buf), bs)]
    examples.rng.shuffle(groups)
    for g in groups:
        ids, seg, att, nsp, special = collate(g, examples.L)
        mids, labels, kind = mask_tokens(ids, special, np_rng, V, rate)
        yield dict(ids=mids, seg=seg, att=att, nsp=nsp, labels=labels, kind=kind,
                   ntok=int(att.sum()))


# ---------------------------------------------------------------------------
# model: HF BertForPreTraining with fixed sinusoidal positions
# ---------------------------------------------------------------------------

def sinusoid(L, H):
    pe = np.zeros((L, H), dtype=np.float64)
    pos = np.arange(L)[:, None]
    i = np.arange(0, H, 2)[None, :]
    ang = pos / np.power(10000.0, i / H)
    pe[:, 0::2] = np.sin(ang)
    pe[:, 1::2] = np.cos(ang)
    return torch.tensor(pe, dtype=torch.float32)


class Layer(nn.Module):
    def __init__(self, H, nh, FF, p, eps):
        super().__init__()
        self.nh = nh
        self.q, self.k, self.v, self.o = (nn.Linear(H, H) for _ in range(4))
        self.ln1 = nn.LayerNorm(H, eps=eps)
        self.ff1, self.ff2 = nn.Linear(H, FF), nn.Linear(FF, H)
        self.ln2 = nn.LayerNorm(H, eps=eps)
        self.drop = nn.Dropout(p)

    def forward(self, x, bias):
        B, T, H = x.shape
        d = H // self.nh

        def heads(t):
            return t.view(B, T, self.nh, d).transpose(1, 2)
        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        s = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
        a = self.drop(torch.softmax(s, dim=-1))
        c = (a @ v).transpose(1, 2).reshape(B, T, H)
        x = self.ln1(x + self.drop(self.o(c)))
        h = self.ff2(F.gelu(self.ff1(x)))
        return self.ln2(x + self.drop(h))


class Bert(nn.Module):
    def __init__(self, V, H=256, L=4, nh=4, FF=1024, maxlen=128, p=0.1, eps=1e-12):
        super().__init__()
        self.word = nn.Embedding(V, H)
        self.seg = nn.Embedding(2, H)
        self.register_buffer("pe", sinusoid(maxlen, H))
        self.learned_pos = None    # diagnostic only (--pos learned): HF's learned positions
        self.eln = nn.LayerNorm(H, eps=eps)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(H, nh, FF, p, eps) for _ in range(L))
        self.pool = nn.Linear(H, H)
        self.nsp = nn.Linear(H, 2)
        self.mlm_dense = nn.Linear(H, H)
        self.mlm_ln = nn.LayerNorm(H, eps=eps)
        self.mlm_bias = nn.Parameter(torch.zeros(V))

    def init(self, args, unigram_logp):
        std = 0.02
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, std)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.normal_(self.word.weight, 0.0, args.word_std)
        if args.word_split > 0:
            # "split" init: the sinusoid varies over positions 0..127 mainly in the first
            # (high-frequency) dimensions; words start in the slow dimensions [K, H) where the
            # sinusoid is almost constant, and near zero in [0, K).  The forward pass is
            # unchanged (word + position + segment, LayerNorm); only the starting point differs.
            with torch.no_grad():
                K = args.word_split
                H = self.word.weight.shape[1]
                self.word.weight[:, :K].normal_(0.0, args.word_std_low)
                self.word.weight[:, K:].normal_(0.0, args.word_std * math.sqrt(H / (H - K)))
        nn.init.normal_(self.seg.weight, 0.0, args.seg_std)
        if args.pos == "learned":
            self.learned_pos = nn.Parameter(torch.randn(self.pe.shape) * args.pos_std)
        if args.pos_heads:
            self.init_pos_heads(args)
        with torch.no_grad():
            self.mlm_ln.weight.fill_(args.mlm_ln_gamma)
            if args.bias_init == "unigram":
                self.mlm_bias.copy_(unigram_logp)
            else:
                self.mlm_bias.zero_()

    @torch.no_grad()
    def init_pos_heads(self, args):
        """Start some heads as relative-position heads ("layer:offset,...", heads taken in
        order within a layer): for head h with offset delta, W_K copies the first d_head
        input dims (sinusoid pairs i < d_head/2) and W_Q rotates each pair by omega_i*delta,
        so q_p . k_j ~ sum_i cos(omega_i (p + delta - j)), largest at j = p + delta.  The
        scale makes the two neighbours of the target `--pos-head-sharpness` logits lower.
        Only an initial value: the forward pass is the usual one.  Needs the first d_head
        dims free of word signal (--word-split >= d_head)."""
        H = self.word.weight.shape[1]
        nh = self.layers[0].nh
        d = H // nh
        # LayerNorm scale of word + position (+ segment) at init, measured
        T = 64
        ids = torch.randint(5, self.word.weight.shape[0], (256, T))
        x = self.word(ids) + self.pe[:T][None] + self.seg.weight[0]
        var = x.var(-1, unbiased=False).mean().item()
        npairs = min(d // 2, args.pos_head_pairs)
        om = 10000.0 ** (-torch.arange(npairs, dtype=torch.float64) * 2 / H)
        gap = float(npairs - torch.cos(om).sum())          # g(0) - g(1)
        c = args.pos_head_sharpness * math.sqrt(d) * var / gap
        used = collections.Counter()
        for spec in args.pos_heads.split(","):
            li, delta = spec.split(":")
            li, delta = int(li), int(delta)
            h = used[li]
            used[li] += 1
            L = self.layers[li]
            r = slice(h * d, (h + 1) * d)
            L.q.weight[r].normal_(0.0, 0.02)
            L.k.weight[r].normal_(0.0, 0.02)
            for i in range(npairs):
                a = float(om[i]) * delta
                ca, sa = math.cos(a), math.sin(a)
                L.k.weight[h * d + 2 * i, 2 * i] += 1.0
                L.k.weight[h * d + 2 * i + 1, 2 * i + 1] += 1.0
                L.q.weight[h * d + 2 * i, 2 * i] += c * ca
                L.q.weight[h * d + 2 * i, 2 * i + 1] += c * sa
                L.q.weight[h * d + 2 * i + 1, 2 * i] += -c * sa
                L.q.weight[h * d + 2 * i + 1, 2 * i + 1] += c * ca
            # rows summing to zero: insensitive to the mean that LayerNorm subtracts
            L.q.weight[r] -= L.q.weight[r].mean(1, keepdim=True)
            L.k.weight[r] -= L.k.weight[r].mean(1, keepdim=True)

    def encode(self, ids, seg, att):
        T = ids.shape[1]
        pos = self.pe[:T] if self.learned_pos is None else self.learned_pos[:T]
        x = self.word(ids) + pos[None] + self.seg(seg)
        x = self.drop(self.eln(x))
        bias = (~att)[:, None, None, :].float() * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def mlm_logits(self, h):
        h = self.mlm_ln(F.gelu(self.mlm_dense(h)))
        return h @ self.word.weight.t() + self.mlm_bias

    def nsp_logits(self, x):
        return self.nsp(torch.tanh(self.pool(x[:, 0])))


def param_groups(model, wd, emb_mult=1.0):
    """AdamW groups: no weight decay on biases / LayerNorm; the word embedding
    (tied decoder) may get its own lr multiplier."""
    decay, no, emb = [], [], []
    for n, p in model.named_parameters():
        if n == "word.weight":
            emb.append(p)
        else:
            (no if (p.dim() < 2 or "ln" in n) else decay).append(p)
    return [dict(params=decay, weight_decay=wd, mult=1.0), dict(params=no, weight_decay=0.0, mult=1.0),
            dict(params=emb, weight_decay=wd, mult=emb_mult)]


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------

def make_eval_set(data, L, V, seed, rate):
    ex = Examples(data, L, random.Random(seed), single="ignore", short_seq_prob=0.0)
    np_rng = np.random.default_rng(seed)
    exs = list(ex.epoch())
    out = []
    exs.sort(key=lambda e: len(e[0]) + (len(e[1]) if e[1] is not None else 0))
    for i in range(0, len(exs), 64):
        ids, seg, att, nsp, special = collate(exs[i:i + 64], L)
        mids, labels, kind = mask_tokens(ids, special, np_rng, V, rate)
        out.append(dict(ids=mids, seg=seg, att=att, nsp=nsp, labels=labels, kind=kind))
    return out


@torch.no_grad()
def evaluate(model, evalset, freq_top5):
    model.eval()
    n_mask = top1 = top5 = base1 = base5 = 0
    n_all = all1 = 0
    nsp_n = nsp_ok = 0
    loss_sum = 0.0
    for b in evalset:
        ids, seg, att = (torch.from_numpy(b[k]) for k in ("ids", "seg", "att"))
        labels = torch.from_numpy(b["labels"])
        kind = torch.from_numpy(b["kind"])
        h = model.encode(ids, seg, att)
        sel = labels >= 0
        logits = model.mlm_logits(h[sel])
        y = labels[sel]
        k = kind[sel]
        loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
        t5 = logits.topk(5, dim=-1).indices
        hit1 = t5[:, 0] == y
        hit5 = (t5 == y[:, None]).any(-1)
        m = k == 1
        n_mask += int(m.sum())
        top1 += int(hit1[m].sum())
        top5 += int(hit5[m].sum())
        base1 += int((y[m] == freq_top5[0]).sum())
        base5 += int((y[m][:, None] == freq_top5[None, :]).any(-1).sum())
        n_all += len(y)
        all1 += int(hit1.sum())
        nl = torch.from_numpy(b["nsp"])
        ok = nl >= 0
        if ok.any():
            pred = model.nsp_logits(h).argmax(-1)
            nsp_n += int(ok.sum())
            nsp_ok += int((pred[ok] == nl[ok]).sum())
    model.train()
    return dict(mlm_loss=loss_sum / max(1, n_all), mask_top1=top1 / n_mask, mask_top5=top5 / n_mask,
                base_top1=base1 / n_mask, base_top5=base5 / n_mask, all_top1=all1 / n_all,
                nsp=nsp_ok / max(1, nsp_n), n_mask=n_mask, n_nsp=nsp_n)


@torch.no_grad()
def cloze(model, wp):
    model.eval()
    res = []
    for s in CLOZE:
        ids = [CLS] + wp.encode(s) + [SEP]
        t = torch.tensor([ids])
        h = model.encode(t, torch.zeros_like(t), torch.ones_like(t, dtype=torch.bool))
        pos = ids.index(MASK)
        top = model.mlm_logits(h[0, pos:pos + 1])[0].topk(5).indices.tolist()
        res.append((s, [wp.vocab[i] for i in top]))
    model.train()
    return res


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a = ap.add_argument
    a("--corpus", default="/work/corpus")
    a("--cache", default="/work/runs/proto/cache")
    a("--out", required=True)
    a("--seed", type=int, default=1)
    a("--threads", type=int, default=1)
    # data
    a("--vocab-size", type=int, default=8192)
    a("--seq-len", type=int, default=64, help="max tokens per example incl. [CLS]/[SEP]")
    a("--batch", type=int, default=32, help="sequences per step")
    a("--mask-rate", type=float, default=0.15)
    a("--single", choices=["ignore", "random"], default="ignore",
      help="one-sentence chunks: no NSP label, or a random B (BERT)")
    a("--short-seq-prob", type=float, default=0.1)
    # model
    a("--layers", type=int, default=4)
    a("--hidden", type=int, default=256)
    a("--heads", type=int, default=4)
    a("--ffn", type=int, default=1024)
    a("--dropout", type=float, default=0.1)
    # init
    a("--word-std", type=float, default=1.0, help="word embedding init std")
    a("--word-split", type=int, default=0,
      help="K>0: word embeddings start in dims [K,H) only (std word-std*sqrt(H/(H-K))), "
           "std --word-std-low in [0,K) where the sinusoid varies fastest")
    a("--word-std-low", type=float, default=0.02)
    a("--pos", choices=["sinusoidal", "learned"], default="sinusoidal",
      help="learned = HF absolute positions, N(0, --pos-std) (diagnostic control only)")
    a("--pos-std", type=float, default=0.02)
    a("--pos-heads", default="", help='e.g. "0:-1,0:1": layer 0 head 0 starts attending to the '
      'previous token, head 1 to the next (see Bert.init_pos_heads)')
    a("--pos-head-sharpness", type=float, default=4.0)
    a("--pos-head-pairs", type=int, default=12, help="sinusoid pairs (highest frequencies) a position head uses")
    a("--seg-std", type=float, default=0.02, help="segment embedding init std")
    a("--mlm-ln-gamma", type=float, default=0.0625,
      help="init of the MLM head LayerNorm gain (1/sqrt(H) keeps tied logits ~N(0,1) when word-std=1)")
    a("--bias-init", choices=["zero", "unigram"], default="unigram",
      help="MLM decoder bias init: zeros or log unigram frequencies")
    # optimisation
    a("--lr", type=float, default=1e-3)
    a("--emb-lr-mult", type=float, default=1.0, help="lr multiplier for the word embedding / decoder")
    a("--warmup", type=float, default=0.05, help="warm-up: fraction of schedule (<1) or steps (>=1)")
    a("--weight-decay", type=float, default=0.01)
    a("--beta2", type=float, default=0.999)
    a("--adam-eps", type=float, default=1e-6)
    a("--clip", type=float, default=1.0)
    a("--schedule-tokens", type=float, default=0, help="tokens at which lr decays to 0 (default: budget)")
    # budget / logging
    a("--minutes", type=float, default=12.0, help="wall-clock budget for training")
    a("--max-tokens", type=float, default=0, help="token budget (0: none; then lr schedule follows --minutes)")
    a("--eval-every", type=float, default=400000, help="tokens between evaluations")
    a("--eval-len", type=int, default=64)
    a("--eval-stride", type=int, default=1, help="use every k-th eval batch (faster, noisier)")
    a("--log-every", type=int, default=50)
    a("--save", action="store_true", help="save final state_dict")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, "log.txt"), "a")

    def log(msg):
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    log("args " + json.dumps(vars(args)))
    wp, data = load_data(args, log)
    V = len(wp.vocab)
    counts = np.bincount(data["train"][0], minlength=V).astype(np.float64)
    counts[:5] = 0
    unigram_logp = torch.tensor(np.log((counts + 1) / (counts + 1).sum()), dtype=torch.float32)
    freq_top5 = torch.tensor(np.argsort(-counts, kind="stable")[:5])
    log(f"vocab {V}, train tokens {len(data['train'][0])}, heldout tokens {len(data['heldout'][0])}, "
        f"frequency top-5 {[wp.vocab[i] for i in freq_top5]}")

    sched = args.schedule_tokens or args.max_tokens

    model = Bert(V, args.hidden, args.layers, args.heads, args.ffn, 128, args.dropout)
    model.init(args, unigram_logp)
    nparams = sum(p.numel() for p in model.parameters())
    log(f"parameters {nparams}")
    opt = torch.optim.AdamW(param_groups(model, args.weight_decay, args.emb_lr_mult), lr=args.lr,
                            betas=(0.9, args.beta2), eps=args.adam_eps)

    evalset = make_eval_set(data["heldout"], args.eval_len, V, 12345, args.mask_rate)[::args.eval_stride]
    ex = Examples(data["train"], args.seq_len, random.Random(args.seed), args.single, args.short_seq_prob)
    stream = batches(ex, args.batch, np.random.default_rng(args.seed), V, args.mask_rate)
    # Schedule progress in [0,1]: tokens / --max-tokens (or --schedule-tokens) if a token
    # budget is given, else training wall-clock / --minutes.
    def progress(tokens, t_train):
        if args.max_tokens or args.schedule_tokens:
            return tokens / sched
        return t_train / (args.minutes * 60)

    def lr_at(p, step):
        if args.warmup >= 1:           # warm-up in steps
            if step < args.warmup:
                return args.lr * (step + 1) / args.warmup
            return args.lr * max(0.0, 1.0 - p)
        if p < args.warmup:            # warm-up as a fraction of the schedule
            return args.lr * max(p, 1e-4) / args.warmup
        return args.lr * max(0.0, (1.0 - p) / (1.0 - args.warmup))

    curve = []
    tokens, step, t0 = 0, 0, time.time()
    next_eval = 0
    run_loss = run_mlm = run_nsp = 0.0
    run_n = 0
    t_train = 0.0
    while True:
        if tokens >= next_eval:
            te = time.time()
            r = evaluate(model, evalset, freq_top5)
            r.update(tokens=tokens, step=step, minutes=(time.time() - t0) / 60,
                     tok_per_s=tokens / max(1e-9, t_train))
            curve.append(r)
            log("EVAL " + json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}))
            next_eval += args.eval_every
            t0 += time.time() - te  # evaluation time does not count in the budget
        if (args.max_tokens and tokens >= args.max_tokens) or t_train / 60 >= args.minutes:
            break
        ts = time.time()
        b = next(stream)
        lr = lr_at(progress(tokens, t_train), step)
        for g in opt.param_groups:
            g["lr"] = lr * g["mult"]
        ids, seg, att = (torch.from_numpy(b[k]) for k in ("ids", "seg", "att"))
        labels = torch.from_numpy(b["labels"])
        nsp = torch.from_numpy(b["nsp"])
        h = model.encode(ids, seg, att)
        sel = labels >= 0
        mlm = F.cross_entropy(model.mlm_logits(h[sel]), labels[sel])
        if (nsp >= 0).any():
            nspl = F.cross_entropy(model.nsp_logits(h), nsp, ignore_index=-100)
        else:
            nspl = torch.zeros(())
        loss = mlm + nspl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        tokens += b["ntok"]
        step += 1
        t_train += time.time() - ts
        run_loss += loss.item()
        run_mlm += mlm.item()
        run_nsp += nspl.item()
        run_n += 1
        if step % args.log_every == 0:
            log(f"step {step} tok {tokens} lr {lr:.2e} loss {run_loss / run_n:.3f} mlm {run_mlm / run_n:.3f} "
                f"nsp {run_nsp / run_n:.3f} gnorm {gn:.2f} tok/s {tokens / t_train:.0f}")
            run_loss = run_mlm = run_nsp = 0.0
            run_n = 0
    cl = cloze(model, wp)
    for s, top in cl:
        log(f"CLOZE {s} -> {' '.join(top)}")
    summary = dict(args=vars(args), final=curve[-1], curve=curve, cloze=cl, params=nparams)
    json.dump(summary, open(os.path.join(args.out, "summary.json"), "w"), indent=1)
    if args.save:
        torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    log("done")


if __name__ == "__main__":
    main()
