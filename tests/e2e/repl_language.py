#!/usr/bin/python3
"""The REPL in Portuguese and Russian prints no English sentence.

usage: repl_language.py [--keep DIR] [LANG...]     (default: pt ru)

One REPL per language (`--lang LL --no-window`, the shipped model) is
driven through what a learner meets: `help`, `help CMD` for every command
of the table (read from `help` itself), a sentence walked through every
stage with `next` (past the last one, for its error), the inspection,
masking, lens, vector, checkpoint and setting commands, errors from bad
input (numbers out of range, unknown names, typos, usage errors; also
errors made below the REPL, in vectors/ and core/, with the C library's
strerror), and
lesson 1 played with `continue` and `hint` to its end. Everything printed
(stdout and stderr) is checked line by line with lesson_language.py's
detector, stricter here because REPL lines are short:

  - a run of 3 common English words (lessons: 5), or English function words
    making the line's words ("the", "of", "is", ...: english_share);
  - any of the English words in EN_WORDS (labels such as "shape", "layer",
    "error", "mean"), which neither language uses.

Left out before checking, as the learner types them or the model's English
gives them: `code`, "quotes", [TOKENS], file paths, the sentences the
session analyses, command usages (a line starting with a command or
setting name, up to its description), and table rows (mostly numbers, or a
prediction's "  1. word"). Those rows carry the model's vocabulary.

The same walk in English must be flagged on most of its lines (the
detector is proved on the real output before it passes a translation).
Transcripts go to DIR (default $BT_BUILD_ROOT/meson-logs/repl-language) as
LANG.txt.

Binary: $BT_BIN. Exit 77 (skip) when the shipped model is absent.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lesson_language as LL  # noqa: E402

ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
SKIP = 77
RUN = 3
# Labels and words of the REPL's English that Portuguese and Russian never
# use (not "token", "tokens", "embeddings", "softmax": Portuguese keeps them).
EN_WORDS = set("""
the of is are and with this that which from not yes none shape formula error usage wrote loaded note
layer layers head heads query queries key keys row rows masked kept random step steps position positions
sentence word words value values mean std norm depth static unknown failed already nothing nearest cosine
move stage stages jump name short form leave works well encoding weights weight products output projection
attention scaled sum positional lookup columns column switches loads file converted included hint here
lesson lessons entries type belongs closes because several ordinary english faster make one two three first
last previous every all both only also when where while after before into over under about again still yet
just more most less much many few some any other another such same own very too
""".split())
# Typed by the learner, so English on purpose: the settings and their values.
SETTINGS = "precision colour seed causal scale truncate width model glove FILE.btv --lang".split()
# Our own sentences use no common English word: any that shows is the REPL's.
SENTENCE = "cats chase mice quickly"
PAIR = "mice squeak ||| cats purr"
COMPARE = ('bank', "the bank of the river", "the bank raised its rates")
NUMERIC = re.compile(r"^[-+]?[\d.,]+%?$|^[│█…→#|·×=]+$|^\d+→\d+$|^\[\w+\]$")


def binary():
    b = os.environ.get("BT_BIN")
    if not b:
        sys.exit("set BT_BIN to the bertology binary")
    return os.path.abspath(b)


def run_repl(lang, lines, tmp):
    """stdout and stderr, interleaved as a learner sees them."""
    script = os.path.join(tmp, "walk-%s.txt" % lang)
    with open(script, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = env["XDG_STATE_HOME"] = tmp   # lesson progress
    env["HOME"] = tmp
    r = subprocess.run([binary(), "--no-window", "--lang", lang, "--script", script], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=env, cwd=tmp, timeout=600)
    return r.stdout.decode("utf-8", "replace")


def commands():
    """[(name, usage)] from the English `help` list: "  name ARGS   text (alias)"."""
    env = dict(os.environ)
    env["LANGUAGE"] = ""
    out = subprocess.run([binary(), "--no-window", "--lang", "en", "-e", "help"], stdout=subprocess.PIPE,
                         env=env, timeout=120).stdout.decode()
    cmds = []
    for line in out.split("\n"):
        m = re.match(r"^  (\S+)((?: \S+)*?)\s{2,}\S", line)
        if m:
            cmds.append((m.group(1), (m.group(1) + m.group(2)).strip()))
    return cmds


def model_layers():
    import json
    with open(os.path.join(ROOT, "assets", "models", "default", "config.json")) as f:
        return json.load(f)["num_hidden_layers"]


def lesson_inputs():
    """The sentences lesson 1 makes the REPL analyse, in each language's file,
    and its choices that are sentences for the model ("b) the cat")."""
    out = set()
    for lang in ("pt", "ru", "en"):
        d = os.path.join(ROOT, "lessons", lang)
        for name in os.listdir(d):
            if not name.startswith("01-"):
                continue
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"(?:text|try|run|choice):\s*(?:sentence\s+)?(.*)$", line.rstrip("\n"))
                    if m and m.group(1).strip():
                        out.add(m.group(1).strip())
    return out


def walk(cmds, layers):
    lines = ["help"] + ["help " + name for name, _ in cmds]
    lines += ["help nxt", "help zzz", "help help help",
              "next", "tokens", "mask", "predict"]                                   # no sentence yet
    lines += [SENTENCE] + ["next"] * (5 + 8 * layers)                               # every stage, then past mlm
    lines += ["back", "back 99", "next 0", "next zz", "stage qkvv", "stage zzz", "stage ln1", "layer 99",
              "layer x", "head 99", "head x", "show", "tokens", "embed", "embed cats", "embed zzzqqxv",
              "pos", "qkv", "qkv 9", "scores", "attn", "ln", "ln 9", "ffn", "out", "model",
              "mask", "predict", "predict 0", "mask off", "predict", "mask 1", "predict 3", "mask 99",
              "mask 0", "lens", "lens 2 cats 3", "lens 99", "lens 2 zzzqqxv", "lens 2 cats 999",
              "census", "rollout", "rollout 99", "scan", "scan 99", "ablate 0.1", "ablate", "scan",
              "predict", "layer 0", "head 1", "stage context", "stage proj", "head 0", "stage context",
              "ablate 0.0 mean", "stage context", "ablate off 0.0", "ablate ffn 0", "stage ffn", "stage ln2",
              "ablate off 0", 'whatif 1 cats', "whatif off",
              "ablate 0.1 x", "ablate off 9.9", "ablate off", "ablate off",
              "set", "set colour 256", "attn", "embed", "embed cats", "set colour off", "set precision 99",
              "set precision 1", "embed", "set precision 3", "set zzz", "set colour zzz", "set seed x",
              "set width 5", "set causal on", "scores", "attn", "set causal off", "set scale off",
              "set scale on", "set truncate on", "set truncate off", "set width auto",
              "vectors", "vectors zzz", "similar cats", "similar cats 0", "similar zzzqqxv", "vector cats",
              "analogy king man woman", 'compare %s "%s" "%s"' % COMPARE, "compare", "checkpoint",
              # errors made below the REPL (vectors, core: a file, the C library's strerror)
              'compare zzzqqxv "a cat" "a dog"', "vectors /nonexistent/glove.txt", "set seed 99999999999999999999", "ajuda", "помощь",
              "checkpoint zzz", "export x.txt", "screenshot x.txt", "screenshot x.png",
              "nxt", "layr 3", "next week we go", PAIR, "tokens", "segment",
              "lesson", "lesson 99", "lesson x", "lesson 1 99", "hint", "continue", "quit-lesson",
              "lesson --lang zz", "lesson 1"]
    lines += ["hint", "continue", "continue"] * 14 + ["back", "quit-lesson", "quit"]
    return lines


def strip_usage(line, usages, names):
    """A help line or usage: the command (or setting) and its arguments go."""
    s = line.strip()
    for u in usages:
        if s == u:
            return ""
    first = s.split(" ", 1)[0]
    if first in names:
        m = re.match(r"^\S+(?: \S+)*?\s{2,}(.*)$", s)
        return m.group(1) if m else s[len(first):]
    return line


def table_row(words):
    if not words:
        return True
    num = sum(1 for w in words if NUMERIC.match(w))
    return num >= 0.4 * len(words)


def check(out, inputs, usages, names):
    """[(line, why)] for the lines that read as English, and how many lines were read."""
    bad, read = [], 0
    for raw in out.split("\n"):
        line = raw
        for t in inputs:
            line = line.replace(t, " ")
        if "[CLS]" in line and "[SEP]" in line:
            continue                                   # the sentence's tokens as column heads
        if re.match(r"^\s*\d+\.\s", line):
            continue                                   # "  1. word  12.3%": the model's guesses
        line = re.sub(r"^\S+:\d+: ", "", line)         # "FILE:LINE: " of a script
        line = re.sub(r"›.*$", " ", line)              # a command the lesson shows or the prompt echoes
        line = strip_usage(line, usages, names)
        line = LL.QUOTED.sub(" ", line)
        line = re.sub(r"\S*[/\\]\S*|\S+\.(?:png|npz|txt|btv|json|log)\b", " ", line)   # paths, files
        line = re.sub(r"\S*(?:_|\w-\w)\S*", " ", line)   # identifiers: E_word, step-N, top-5
        words = LL.WORD.findall(line)
        words = [w for w in words if w not in LL.SOFT]
        if table_row(words):
            continue
        read += 1
        why = LL.english_in(line, RUN)
        # WORD, TOKEN, POS: placeholders of the usages, typed as such
        why += ["'%s'" % w for w in words if w.lower() in EN_WORDS and not (len(w) > 1 and w.isupper())]
        if why:
            bad.append((raw, why))
    return bad, read


def keep_and_languages(args, name):
    """[--keep DIR] [LANG...]: where the translated output is kept (default:
    the build's meson-logs/NAME) and the languages (default: pt ru)."""
    keep = os.path.join(os.environ.get("BT_BUILD_ROOT", "."), "meson-logs", name)
    if args[:1] == ["--keep"]:
        keep, args = args[1], args[2:]
    return keep, args or ["pt", "ru"]


def main():
    keep, langs = keep_and_languages(sys.argv[1:], "repl-language")
    if not os.path.exists(os.path.join(ROOT, "assets", "models", "default", "config.json")):
        print("no shipped model: skipped")
        sys.exit(SKIP)
    cmds = commands()
    if len(cmds) < 20:
        sys.exit("could not read the command table from `help` (%d commands)" % len(cmds))
    usages = {u for _, u in cmds} | {"help " + n for n, _ in cmds}
    names = {n for n, _ in cmds} | set(SETTINGS)
    inputs = sorted({SENTENCE, PAIR, "mice squeak", "cats purr"} | set(COMPARE[1:]) | lesson_inputs(),
                    key=len, reverse=True)
    lines = walk(cmds, model_layers())
    os.makedirs(keep, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        # The detector on the English walk: most message lines must be caught.
        en = run_repl("en", lines, tmp)
        flagged, read = check(en, inputs, usages, names)
        print("English walk: %d of the %d lines read flagged" % (len(flagged), read))
        if len(flagged) < 0.8 * read:
            print("the detector misses English: only %d of %d lines flagged" % (len(flagged), read))
            failed += 1
        for lang in langs:
            out = run_repl(lang, lines, tmp)
            with open(os.path.join(keep, lang + ".txt"), "w", encoding="utf-8") as f:
                f.write(out)
            n = len([l for l in out.split("\n") if l.strip()])
            # the walk reached what it must show: every stage, help texts, the lesson's end
            for mark in ("[mlm]", "[L%d ln2]" % (model_layers() - 1), "★", "--lang pt"):
                if mark not in out:
                    print("%s: the walk never showed %r" % (lang, mark))
                    failed += 1
            bad, read = check(out, inputs, usages, names)
            for raw, why in bad:
                print("%s: English? %s   <- %s" % (lang, raw.strip()[:160], ", ".join(why)))
            print("%s: %d lines printed, %d read, %d read as English" % (lang, n, read, len(bad)))
            failed += len(bad)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
