#!/usr/bin/python3
"""A slow, obvious reference for src/train/vocab_builder.c: WordPiece
training as HF tokenizers' WordPieceTrainer does it (BPE merges with a
"##" continuation prefix), recounting every pair after every merge.

Usage: wordpiece_trainer_ref.py SIZE MIN_FREQ OUT CORPUS...
Words come from bert_tokenizer_ref (lower-cased BasicTokenizer); ties
between equally frequent pairs go to the lexicographically smallest."""
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_tokenizer_ref as bt  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def corpus_words(paths):
    counts = Counter()
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for line in f:
                parts = bt.cut_specials(line)
                lowered = "".join(p if sp else p.lower() for p, sp in parts)
                for part, sp in bt.cut_specials(lowered):
                    if not sp:
                        counts.update(bt.basic(part, True))
    return counts


def train(counts, size, min_freq):
    min_freq = max(min_freq, 1)
    chars = Counter()
    inner = set()
    for w, c in counts.items():
        for i, ch in enumerate(w):
            chars[ch] += c
            if i:
                inner.add(ch)
    alphabet = sorted(ch for ch, c in chars.items() if c >= min_freq)
    vocab = SPECIALS + alphabet + ["##" + ch for ch in alphabet if ch in inner]
    known = set(vocab)
    if len(vocab) > size:
        sys.exit("size too small")
    keep = set(alphabet)
    words = []
    for w, c in counts.items():
        if len(w) >= 2 and all(ch in keep for ch in w):
            words.append(([w[0]] + ["##" + ch for ch in w[1:]], c))
    while len(vocab) < size:
        pairs = Counter()
        for syms, c in words:
            for a, b in zip(syms, syms[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        (a, b), c = best
        if c < min_freq:
            break
        new = a + (b[2:] if b.startswith("##") else b)
        if new not in known:
            known.add(new)
            vocab.append(new)
        merged = []
        for syms, wc in words:
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            merged.append((out, wc))
        words = merged
    return vocab


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    size, min_freq, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    vocab = train(corpus_words(sys.argv[4:]), size, min_freq)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for tok in vocab:
            f.write(tok + "\n")


if __name__ == "__main__":
    main()
