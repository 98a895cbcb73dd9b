#!/usr/bin/python3
"""Every lesson in every language, and no English left in a translation.

usage: lesson_language.py [LESSONS_DIR]

1. lessons/en, lessons/pt and lessons/ru hold the same lessons (the same
   file names). Playing each of them on the shipped model is
   lesson_check.py's job (lesson_check_default and lesson_check_random
   fail unless every lesson of every language is checked and passes).
2. The text a learner reads in a Portuguese or Russian lesson -- prose,
   `title:`, `summary:`, `step:`, `ask:`, `choice:`, `hint:`, `explain:`,
   and the string literals of {EXPR} that are prose (the branches of
   `if(...)`, strings joined with `+`) -- has no untranslated English
   sentence: after code (`{...}`, `backticks`, indented formulas and
   tables), quoted text (the model's English sentences, the REPL's labels:
   "...", “...”, «...», '...') and [CLS]-style tokens are taken out, no run
   of RUN or more consecutive words may all be common English words, and
   no paragraph may be English by its function words (english_share: 3 or
   more, and 15% of its words or more, of "the", "of", "is", "and", ...,
   which Portuguese and Russian never use; it catches the English of
   formulas and numbers, where the runs are broken by symbols).
   Portuguese shares "a", "as" and a few loanwords with English, Russian
   nothing, so a real translation never gets near either; a pasted English
   sentence does (the test proves it first on synthetic lines and on the
   English lessons themselves: at least 95% of their paragraphs of 25 words
   or more must be caught; the translations' largest count is 2).

tests/e2e/repl_language.py uses the same detector on what the REPL prints.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
LANGS = ("en", "pt", "ru")
RUN = 5

# Very common English words: function words, the commonest verbs, and the
# plainest words of these lessons (a pasted sentence of them is what a
# forgotten translation looks like). Words that are also common Portuguese
# ("do", "no", "me", "se", "e", "o") are left out.
COMMON = set("""
a an the this that these those it its it's they them their there here he she we our you your i my
of to in on at by for from with without into onto over under about after before between through
during against among until than then as like per via up down out off
and or but not nor so if when while where which who whom whose what why how whether because since
although though also only just even still yet already again more most less least much many
few some any all each every both either neither other another such same own very too quite
is are was were be been being am has have had having does did done doing
can could will would shall should may might must
get gets got make makes made take takes took give gives gave go goes went come comes came
see sees saw seen look looks looked show shows showed shown find finds found use uses used
say says said know knows knew think thinks thought tell tells keep keeps let lets put puts
turn turns become becomes became learn learns learned learnt mean means meant read reads
type types typed try tries tried run runs ran change changes changed add adds added
one two three four first second last next new old large small big high low right left
word words sentence sentences model models token tokens layer layers head heads vector vectors
row rows column columns number numbers table value values weight weights score scores
piece pieces position positions question answer way part same real whole
now never always often well back away nothing something itself almost instead want far near end side half
training trains trained step steps key keys query queries output input attention context text matrix dimension
dot product loss predict predicts prediction probability random default times equal hidden meaning compare
""".split())

# English words that Portuguese and Russian prose never uses (unlike "a",
# "as", "no", "do", "me", "se", which are also Portuguese words).
EN_ONLY = set("""
the of is and that this with from its it are was were which what when by to be has have than then each
every into at on in for an not there their does how why
""".split())
SHARE_MIN, SHARE_PART = 3, 0.15

# Prose strings inside {EXPR}: the branches of if(), joined with +; the
# arguments of other functions (cos2("out", 3, "the bank of the river", ...))
# are the model's input, in English on purpose.
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|`[^`]*`|\[[A-Z]+\]|(?<![\w])\'[^\']*\'(?![\w])')
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\S")
SOFT = set(",.;:!?()-–—/")   # punctuation a sentence runs through


def prose_strings(expr):
    """String literals of expr that are prose: not inside a call other than if()."""
    out = []
    stack = []          # names of the open calls
    i = 0
    while i < len(expr):
        c = expr[i]
        if c in "\"'":
            m = STRING.match(expr, i)
            if not m:
                break
            if all(n == "if" for n in stack):
                out.append(m.group(1) if m.group(1) is not None else m.group(2))
            i = m.end()
            continue
        if c == "(":
            m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", expr[:i])
            stack.append(m.group(1) if m else "")
        elif c == ")" and stack:
            stack.pop()
        i += 1
    return out


def split_braces(text):
    """(text with each {EXPR} replaced by a break, [EXPR, ...]); {{ }} are braces."""
    plain, exprs, i = [], [], 0
    while i < len(text):
        if text.startswith("{{", i) or text.startswith("}}", i):
            plain.append(text[i])
            i += 2
            continue
        if text[i] == "{":
            j, q = i + 1, None
            while j < len(text):
                ch = text[j]
                if q:
                    if ch == "\\":
                        j += 1
                    elif ch == q:
                        q = None
                elif ch in "\"'":
                    q = ch
                elif ch == "}":
                    break
                j += 1
            exprs.append(text[i + 1:j])
            plain.append(" \x00 ")
            i = j + 1
            continue
        plain.append(text[i])
        i += 1
    return "".join(plain), exprs


def english_runs(text, run=RUN):
    """Runs of >= run consecutive common English words in text (already without code)."""
    text = QUOTED.sub(" \x00 ", text)
    runs, cur = [], []
    for tok in WORD.findall(text):
        if tok in SOFT:
            continue
        if tok.lower() in COMMON:
            cur.append(tok)
            continue
        if len(cur) >= run:
            runs.append(" ".join(cur))
        cur = []
    if len(cur) >= run:
        runs.append(" ".join(cur))
    return runs


def english_share(text):
    """The English function words of text (without quotes) when there are
    SHARE_MIN or more and they make SHARE_PART of its words, else []."""
    words = [w.lower() for w in WORD.findall(QUOTED.sub(" ", text)) if w[0].isalpha()]
    hits = [w for w in words if w in EN_ONLY]
    return hits if len(hits) >= SHARE_MIN and len(hits) >= SHARE_PART * len(words) else []


def english_in(text, run=RUN):
    """What makes text look English: its runs, and its function words as one entry."""
    share = english_share(text)
    return english_runs(text, run) + (["function words: " + " ".join(share)] if share else [])


def texts(path):
    """(line, text) for everything a learner reads in the lesson at path."""
    out = []
    para, para_line, indented = [], 0, False

    def flush():
        nonlocal para
        if para and not indented:
            out.append((para_line, " ".join(para)))
        para = []

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        m = re.match(r"([a-z]+):\s?(.*)$", line)
        if m and m.group(1) in ("title", "summary", "step", "ask", "choice", "hint", "explain", "text", "run",
                                "try", "view", "let", "check", "answer"):
            flush()
            if m.group(1) in ("title", "summary", "step", "ask", "choice", "hint", "explain"):
                out.append((n, m.group(2)))
            continue
        if not line.strip() or line.startswith("#"):
            flush()
            continue
        if not para:
            para_line, indented = n, line[:1] in " \t"
        para.append(line.strip())
    flush()
    # {EXPR}: out of the text, its prose strings in
    res = []
    for n, t in out:
        plain, exprs = split_braces(t)
        res.append((n, plain))
        for e in exprs:
            for s in prose_strings(e):
                res.append((n, s))
    return res


def problems(path):
    return ["%s:%d: untranslated English? \"%s\"" % (path, n, r) for n, t in texts(path) for r in english_in(t)]


def self_check(lessons):
    """The detector catches English and passes Portuguese and Russian."""
    bad = 0
    english = [
        "Veja a tabela. The largest weight in each row goes to the word before it.",
        "Это слой {l}. Each head of the layer looks at the sentence in its own way.",
        '{if(x > 0.5, "Acima de metade.", "The model does not show it on this sentence.")}',
        "O modelo prevê a palavra: it is the one with the highest score in the table.",
        # symbols and numbers break the runs: the function words still tell
        "Dimension 1 is cos(p / 10000^(0/H)) = cos(p); at p = 0 that is cos 0 = 1.",
        "Между позициями 10 и 11 dimension 0 changes by {d0} and dimension {k} by {dk}.",
    ]
    native = [
        'Veja a tabela: o maior peso de cada linha vai para a palavra anterior, "the cat sat on the mat".',
        "Каждая голова слоя {l} смотрит на предложение по-своему: `attn 0 1`.",
        '{if(x > 0.5, "Acima de metade: " + pct(x) + ".", "Abaixo.")} {fmt(cos2("out", 3, "the bank of the river", 2, "a bank of the river is here", 2), 3)}',
        "A e as a e a as.",
        "cos(dog, cat) = {a}, cos(dog, of) = {b}: o modelo aproxima \"dog\" de \"of\" no início.",
    ]
    for line in english:
        plain, exprs = split_braces(line)
        found = english_in(plain) + [r for e in exprs for s in prose_strings(e) for r in english_in(s)]
        if not found:
            print("self-check: English not caught: " + line)
            bad += 1
    for line in native:
        plain, exprs = split_braces(line)
        found = english_in(plain) + [r for e in exprs for s in prose_strings(e) for r in english_in(s)]
        if found:
            print("self-check: flagged %r in: %s" % (found, line))
            bad += 1
    # The English lessons themselves: most of their longer paragraphs must be
    # caught, or the detector would miss a forgotten one.
    long_, caught = 0, 0
    en = os.path.join(lessons, "en")
    for name in sorted(os.listdir(en)):
        if name.endswith(".lesson"):
            for n, t in texts(os.path.join(en, name)):
                if len(WORD.findall(QUOTED.sub(" ", t))) >= 25:
                    long_ += 1
                    caught += bool(english_in(split_braces(t)[0]))
    if long_ == 0 or caught < 0.95 * long_:
        print("self-check: only %d of %d English paragraphs of 25+ words caught" % (caught, long_))
        bad += 1
    else:
        print("self-check: %d of %d English paragraphs of 25+ words caught" % (caught, long_))
    return bad


def same_files(lessons):
    names = {l: sorted(f for f in os.listdir(os.path.join(lessons, l)) if f.endswith(".lesson")) for l in LANGS}
    bad = 0
    for l in LANGS[1:]:
        if names[l] != names["en"]:
            print("lessons/%s differs from lessons/en: missing %s, extra %s" % (
                l, sorted(set(names["en"]) - set(names[l])), sorted(set(names[l]) - set(names["en"]))))
            bad += 1
    return bad, names["en"]


def main():
    lessons = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "lessons")
    bad = self_check(lessons)
    nb, files = same_files(lessons)
    bad += nb
    found = []
    for l in LANGS[1:]:
        for name in files:
            found += problems(os.path.join(lessons, l, name))
    for p in found:
        print(p)
    bad += len(found)
    print("%d lessons in %s: %d untranslated English runs" % (len(files), " and ".join(LANGS[1:]), len(found)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
