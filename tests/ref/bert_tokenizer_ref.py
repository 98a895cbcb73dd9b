#!/usr/bin/python3
"""An independent reference for the C tokenizer: the Hugging Face
BertTokenizer algorithm (PreTrainedTokenizer.tokenize + BasicTokenizer +
WordpieceTokenizer) written out plainly in Python with unicodedata, so the
C code (utf8proc) is checked against a different Unicode implementation.

Usage: bert_tokenizer_ref.py VOCAB [--cased] < sentences.jsonl
Each input line is a JSON string; each output line is a JSON list of ids
(the word pieces, without [CLS]/[SEP])."""
import json
import sys
import unicodedata

SPECIAL = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]
MAX_CHARS = 100


def read_vocab(path):
    vocab = {}
    with open(path, encoding="utf-8", newline="") as f:
        for i, line in enumerate(f.read().split("\n")):
            vocab[line.rstrip("\r")] = i
    # a final newline does not start another token
    vocab.pop("", None)
    return vocab


def cut_specials(text):
    """Splits text into (piece, is_special) around exact special tokens."""
    out, cur, i = [], [], 0
    while i < len(text):
        hit = next((s for s in SPECIAL if text.startswith(s, i)), None)
        if hit:
            if cur:
                out.append(("".join(cur), False))
                cur = []
            out.append((hit, True))
            i += len(hit)
        else:
            cur.append(text[i])
            i += 1
    if cur:
        out.append(("".join(cur), False))
    return out


def control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch)[0] == "C"


def space(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def punct(ch):
    o = ord(ch)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(ch)[0] == "P"


CJK = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
       (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def cjk(ch):
    o = ord(ch)
    return any(a <= o <= b for a, b in CJK)


def basic(text, lower):
    kept = []
    for ch in text:
        if ord(ch) in (0, 0xFFFD) or control(ch):
            continue
        if space(ch):
            kept.append(" ")
        elif cjk(ch):
            kept.append(" " + ch + " ")
        else:
            kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    words = []
    for tok in text.split():
        if tok in SPECIAL:
            words.append(tok)
            continue
        if lower:
            tok = tok.lower()
            tok = "".join(c for c in unicodedata.normalize("NFD", tok)
                          if unicodedata.category(c) != "Mn")
        run = ""
        for ch in tok:
            if punct(ch):
                if run:
                    words.append(run)
                words.append(ch)
                run = ""
            else:
                run += ch
        if run:
            words.append(run)
    return words


def wordpiece(word, vocab):
    if len(word) > MAX_CHARS:
        return [vocab["[UNK]"]]
    ids, start = [], 0
    while start < len(word):
        end, got = len(word), None
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                got = vocab[piece]
                break
            end -= 1
        if got is None:
            return [vocab["[UNK]"]]
        ids.append(got)
        start = end
    return ids


def tokenize(text, vocab, lower):
    if lower:
        # HF lower-cases character by character everything that is not a
        # special token before splitting the special tokens out.
        parts = cut_specials(text)
        text = "".join(p if sp else "".join(c.lower() for c in p) for p, sp in parts)
    ids = []
    for part, sp in cut_specials(text):
        if sp:
            ids.append(vocab.get(part, vocab["[UNK]"]))
            continue
        for w in basic(part, lower):
            ids.extend(wordpiece(w, vocab))
    return ids


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    vocab = read_vocab(sys.argv[1])
    lower = "--cased" not in sys.argv[2:]
    for line in sys.stdin.buffer:
        text = json.loads(line.decode("utf-8"))
        print(json.dumps(tokenize(text, vocab, lower)))


if __name__ == "__main__":
    main()
