#!/usr/bin/python3
"""Extend a WordPiece vocabulary with whole words.

Usage: vocab_extend.py VOCAB.txt CORPUS.txt VECTORS.btv SIZE OUT.txt

The v1 vocabulary (8,192 pieces learned by `bertology vocab` on a corpus
that was 80% dictionary glosses) had no "monday", "breakfast", "phone" or
"ate": a learner's everyday sentence came out in pieces, and a [MASK] could
never be one of those words. This keeps every piece of VOCAB (same ids, so
the subword pieces and specials are unchanged) and appends the most
frequent lower-case words of CORPUS (ties by spelling) that the static
vectors know among their 100,000 most frequent words (so each new word
starts from its GloVe vector: see src/train/init_vectors.c), until the
vocabulary has SIZE entries. Standard library only; deterministic.
"""
import array
import collections
import re
import struct
import sys


def btv_words(path, limit):
    """The first `limit` words of a .btv file (src/vectors/btv.h)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"BTVEC\r\n\x1a":
        sys.exit(f"{path}: not a .btv file")
    count, = struct.unpack_from("<Q", data, 16)
    woff_off, str_off = struct.unpack_from("<QQ", data, 40)
    n = min(limit, count)
    woff = array.array("I")
    woff.frombytes(data[woff_off:woff_off + 4 * (n + 1)])
    return [data[str_off + woff[i]:str_off + woff[i + 1] - 1].decode("utf-8", "replace") for i in range(n)]


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    vocab_path, corpus_path, vec_path, size, out = sys.argv[1:]
    size = int(size)
    vocab = [l.rstrip("\n") for l in open(vocab_path, encoding="utf-8")]
    have = set(vocab)
    known = set(btv_words(vec_path, 100000))
    count = collections.Counter()
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            count.update(re.findall(r"[a-z]+", line.lower()))
    cand = sorted((w for w in count if len(w) >= 2 and w not in have and w in known), key=lambda w: (-count[w], w))
    add = cand[:max(0, size - len(vocab))]
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(w + "\n" for w in vocab + add))
    print(f"{out}: {len(vocab)} pieces + {len(add)} whole words = {len(vocab) + len(add)}; "
          f"the rarest added word occurs {count[add[-1]] if add else 0} times in the corpus")


if __name__ == "__main__":
    main()
