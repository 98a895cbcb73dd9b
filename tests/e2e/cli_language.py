#!/usr/bin/python3
"""The command line in Portuguese and Russian: `bertology --help`, every
subcommand's --help, and their command-line errors print no English
sentence.

usage: cli_language.py [--keep DIR] [LANG...]     (default: pt ru)

For each language, with --lang LL: `bertology --help`, `vectors --help`,
`SUB --help` for every subcommand of the English `bertology --help` (and
the four `vectors` commands), and the errors a command line can make:
every subcommand with nothing after it, with an unknown option after
--lang, and a set of bad values (out of range, a forgotten value, a flag
given one, the subcommands' own checks). Each line of stdout and stderr is
checked with lesson_language.py's detector as repl_language.py uses it
(runs of common English words, English function words, the labels of
EN_WORDS and the command line's own CLI_WORDS), and in Russian also for three Latin-script words in a row.

Left out before checking, as the user types them: usage lines after their
first word, the language codes "en pt ru", option names and their values' names (--model DIR), `code`,
"quotes", 'quotes', [TOKENS], placeholders in capitals (TEXT, FILE.btv),
paths and identifiers (max_position, state.bin, step-N), and a few proper
names (Hugging Face, DejaVu Sans, Clark et al.).

Then what the subcommands print when they succeed (`results`): the
"wrote FILE" lines of pack (plain, --f16, --mean-with), vocab and plot
(.png, .csv, .svg; `dump --out` writes silently), predict's "[MASK] at
position", vectors convert and info, models, and `lesson --check` on a
good, a failing and a skipped lesson with its summary, on a generated
checkpoint (tests/ref/checkpoint.py, numpy) and a tiny training run; each
must exit as wanted and print, and every line is read as above (a
prediction's "  1. word" rows, the model's vocabulary, are left out; the
lesson checker's diagnostics, "FILE.lesson:LINE: ...", are read too).
An invalid --lang (`tokenize --lang fr`, `--lang zz` for the REPL) is
refused in the language of the environment (LANGUAGE=pt|ru), naming the
value and the languages: the same detector reads that line.

The same runs in English must be flagged on most of their lines (the
detector is proved on this output before it passes a translation).
Transcripts go to DIR (default $BT_BUILD_ROOT/meson-logs/cli-language).

Binary: $BT_BIN. Needs no model: nothing here gets past the command line.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lesson_language as LL  # noqa: E402
import repl_language as RL  # noqa: E402

RUN = 3
# Words of the command line's English that neither language uses (not
# "scripts", "checkpoint", "dropout", "pixels", "commit": Portuguese keeps them).
CLI_WORDS = set("""
print write writes exit given needs need required default directory options option colour unexpected
replace existing copy size evaluation subcommands subcommand rate for text periodic hidden
peak probability reads optional binary line lines unknown mean takes value number whole least positive range
""".split())
NAMES = ["Hugging Face", "DejaVu Sans", "Clark et al.", "Abnar & Zuidema", "et al."]
# Bad command lines: (argv after the subcommand's name). Each must exit 2.
BAD = [
    ["predict", "--tpo", "3", "the [MASK]"],
    ["lens", "--k", "0", "the [MASK]"],
    ["lens", "the [MASK]", "--word"],
    ["dump", "--out", "--truncate", "the cat"],
    ["lens", "--json=yes", "the [MASK]"],
    ["saliency", "--ig", "x", "the [MASK]"],
    ["train", "--corpus", "a", "--vocab", "b", "--out", "c", "--positions", "spiral"],
    ["train", "--corpus", "a", "--vocab", "b", "--out", "c", "--snapshots", "1,x"],
    ["train", "--lr", "fast"],
    ["vocab", "--size", "5", "--out", "v.txt", "a.txt"],
    ["vectors", "convert", "--format", "xyz", "a", "b"],
    ["vectors", "similar", "v.btv", "cat", "0"],
    ["vectors", "simlar", "v.btv", "cat"],
    ["vectors", "frobnicate"],
    ["lesson", "--check", "zz"],
    ["whatif", "the cat"],
    ["whatif", "--pos", "1", "the cat"],
    ["census", "--file", "f.txt", "the cat"],
    ["rollout", "the cat", "--pos", "-3"],
    ["eval", "--json"],
    ["plot", "a", "b"],
    ["pull"],
    ["convert"],
    ["pack", "--f16"],
]


# Lessons for `lesson --check`: one that passes, one whose check fails, one
# that needs a command the REPL lacks (BERTOLOGY_LESSONS points here).
LESSONS = {
    "01-good.lesson": "title: Gut\nstep: Eins\ntext: the cat sat on the mat\ncheck: ntokens() == 8\n",
    "02-bad.lesson": "title: Schlecht\nstep: Eins\ntext: the cat sat on the mat\ncheck: ntokens() == 99\n",
    "03-later.lesson": "title: Spaeter\nstep: Eins\ntext: the cat\nrun: frobnicate 3\n",
}


def binary():
    b = os.environ.get("BT_BIN")
    if not b:
        sys.exit("set BT_BIN to the bertology binary")
    return os.path.abspath(b)


def run(args, lang, extra=None):
    """Exit status and output of bertology ARGS with LANGUAGE=lang (the
    cases that test --lang itself name it in args)."""
    env = dict(os.environ)
    env["LANGUAGE"] = lang
    env["LC_ALL"] = "C.UTF-8"
    env["XDG_CACHE_HOME"] = env["XDG_STATE_HOME"] = "/nonexistent-bertology-test"
    env.pop("BERTOLOGY_LESSONS", None)
    env.update(extra or {})
    r = subprocess.run([binary()] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=60,
                       stdin=subprocess.DEVNULL)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def subcommands():
    """The subcommands of the English `bertology --help`, and vectors' four."""
    env = dict(os.environ)
    env["LANGUAGE"] = ""
    out = subprocess.run([binary(), "--help", "--lang", "en"], stdout=subprocess.PIPE, env=env,
                         timeout=60).stdout.decode()
    subs, on = [], False
    for line in out.split("\n"):
        if line.startswith("subcommands"):
            on = True
        elif on and re.match(r"^  [a-z]+ ", line):
            subs.append(line.split()[0])
        elif on and not line.strip():
            on = False
    return subs + ["vectors convert", "vectors info", "vectors similar", "vectors analogy"]


def runs(subs, lang):
    """[(what, exit status wanted, args)] for one language; an exit status
    of 2 wants one line (`vectors` alone prints its usage)."""
    out = [("--help", 0, ["--help", "--lang", lang]), ("vectors --help", 0, ["vectors", "--help", "--lang", lang]),
           ("vectors (nothing)", None, ["vectors"])]
    for s in subs:
        out.append((s + " --help", 0, s.split() + ["--help", "--lang", lang]))
        out.append((s + " --bogus", 2, s.split() + ["--lang", lang, "--bogus-option"]))
        if s not in ("models", "lesson", "vectors"):   # these run without arguments
            out.append((s + " (nothing)", 2, s.split()))
    out += [(" ".join(b), 2, b) for b in BAD]
    return out


def fixtures(tmp):
    """A small checkpoint, a second one for --mean-with, a corpus, a GloVe
    text file (Cyrillic words: the detector must not read them), a tiny
    training run for plot and a lessons directory; None without numpy."""
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "ref"))
    try:
        import checkpoint
    except ImportError:
        return None
    m1, m2 = os.path.join(tmp, "m1"), os.path.join(tmp, "m2")
    checkpoint.make_checkpoint(m1, seed=1)
    checkpoint.make_checkpoint(m2, seed=2)
    corpus = os.path.join(tmp, "corpus.txt")
    words = "the cat sat on mat dog ran to a tree river bank money".split()
    with open(corpus, "w") as f:
        for i in range(300):
            f.write(" ".join(words[(i * 7 + k * 3) % len(words)] for k in range(6 + i % 5)) + " .\n")
            if i % 10 == 9:
                f.write("\n")   # documents, for next-sentence pairs
    glove = os.path.join(tmp, "g.txt")
    with open(glove, "w", encoding="utf-8") as f:
        for i, w in enumerate(["кот", "пёс", "мышь", "кот", "дом"]):
            f.write(w + " " + " ".join("%.2f" % ((i + k) % 5 - 2) for k in range(4)) + "\n")
    vocab = os.path.join(tmp, "v.txt")
    r = subprocess.run([binary(), "vocab", "--size", "60", "--out", vocab, corpus], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    train = os.path.join(tmp, "run")
    r2 = subprocess.run([binary(), "train", "--corpus", corpus, "--vocab", vocab, "--out", train, "--layers", "1",
                         "--hidden", "16", "--heads", "2", "--ffn", "32", "--max-len", "32", "--seq-len", "32",
                         "--batch", "4", "--steps", "12", "--warmup", "2", "--threads", "1"],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    if r.returncode or r2.returncode:
        sys.exit("could not make the fixtures: " + (r.stdout + r2.stdout).decode()[-500:])
    lessons = os.path.join(tmp, "lessons", "en")
    os.makedirs(lessons)
    for name, text in LESSONS.items():
        with open(os.path.join(lessons, name), "w") as f:
            f.write(text)
    return {"m1": m1, "m2": m2, "corpus": corpus, "glove": glove, "train": train,
            "lessons": os.path.dirname(lessons), "tmp": tmp}


def results(fx, lang):
    """[(what, exit status, args, extra env)]: subcommands that succeed (or
    check), each writing into a directory of its own for this language."""
    out = os.path.join(fx["tmp"], "out-" + lang)
    os.makedirs(out, exist_ok=True)
    o = lambda name: os.path.join(out, name)  # noqa: E731
    m1, m2 = fx["m1"], fx["m2"]
    sdl = {"SDL_VIDEODRIVER": "dummy"}
    return [
        ("predict", 0, ["predict", "--model", m1, "the [MASK] sat"], {}),
        ("pack", 0, ["pack", "--model", m1, "--out", o("p")], {}),
        ("pack --f16", 0, ["pack", "--model", m1, "--out", o("p16"), "--f16"], {}),
        ("pack --mean-with", 0, ["pack", "--model", m1, "--mean-with", m2, "--out", o("pm")], {}),
        ("vocab", 0, ["vocab", "--size", "60", "--out", o("v.txt"), fx["corpus"]], {}),
        ("plot", 0, ["plot", fx["train"], "--out", o("t.png")], sdl),
        ("plot .csv", 0, ["plot", fx["train"], "--out", o("t.csv")], {}),
        ("plot .svg", 0, ["plot", fx["train"], "--out", o("t.svg")], {}),
        ("vectors convert", 0, ["vectors", "convert", fx["glove"], o("g.btv")], {}),
        ("vectors info", 0, ["vectors", "info", o("g.btv")], {}),
        ("models", 0, ["models"], {"XDG_CACHE_HOME": o("cache")}),
        ("lesson --check", 1, ["lesson", "--check", "--model", m1], {"BERTOLOGY_LESSONS": fx["lessons"]}),
        # an invalid --lang: refused in the environment's language
        ("tokenize --lang fr", 2, ["tokenize", "--lang", "fr", "the cat"], {}),
        ("lesson --lang 1", 2, ["lesson", "--lang", "1"], {}),
        ("REPL --lang zz", 2, ["--no-window", "--model", m1, "--lang", "zz"], {}),
    ]


# "usage:" in each language: the usage line after it is what the user types
USAGE = {"en": "usage", "pt": "uso", "ru": "использование"}


def clean(line, lang="en"):
    """What is left to read of a line: the words that are not typed by the user."""
    for n in NAMES:
        line = line.replace(n, " ")
    line = re.sub(r"\ben pt ru\b", " ", line)                                    # --lang's values, as typed
    line = re.sub(r"^(\s*\S+:\s*)?bertology(?: [a-z]+)*:\s*", "", line)        # "bertology lesson: "
    if re.match(r"^%s: bertology " % USAGE[lang], line):                         # "usage: bertology ..."
        return ""
    line = re.sub(r"\b%s: bertology .*$" % USAGE[lang], " ", line)              # a usage inside an error
    m = re.match(r"^  (-\S.*?|[a-z]+(?: \S+)*?)\s{2,}(.*)$", line)              # an option's or command's help
    if m:
        line = m.group(2)
    line = LL.QUOTED.sub(" ", line)
    line = re.sub(r"\(\s*[A-Z][\w.|]*\s*:", "(", line)                           # "(W: also the rank ...)"
    line = re.sub(r"(?<!\w)--?[\w-]+(?:[ =](?:[A-Z][\w.|,\[\]-]*|\[[^\]]*\]))?", " ", line)   # --name VALUE
    line = re.sub(r"\b[A-Z][A-Z0-9_.|]+\b(?:\.\.\.)?", " ", line)                # TEXT, FILE.btv, RUN_DIR
    line = re.sub(r"\S*[/\\]\S*|\S+\.(?:png|npz|txt|btv|json|log|bin|safetensors)\b", " ", line)
    line = re.sub(r"\S*(?:_|\w-\w|\d)\S*", " ", line)                            # identifiers, word2vec
    return line


def check(out, lang):
    bad = []
    for raw in out.split("\n"):
        line = clean(raw, lang)
        words = [w for w in LL.WORD.findall(line) if w not in LL.SOFT]
        if not words:
            continue
        why = LL.english_in(line, RUN)
        why += ["'%s'" % w for w in words
                if (w.lower() in RL.EN_WORDS or w.lower() in CLI_WORDS) and not (len(w) > 1 and w.isupper())]
        if lang == "ru":
            latin = re.findall(r"(?:\b[a-z][a-z']+\b[\s,]+){2}\b[a-z][a-z']+\b", line)
            why += ["Latin: " + l for l in latin]
        if why:
            bad.append((raw, why))
    return bad


def main():
    keep, langs = RL.keep_and_languages(sys.argv[1:], "cli-language")
    subs = subcommands()
    if len(subs) < 15:
        sys.exit("could not read the subcommands from `bertology --help` (%d)" % len(subs))
    os.makedirs(keep, exist_ok=True)
    tmpdir = tempfile.TemporaryDirectory()
    fx = fixtures(tmpdir.name)
    if fx is None:
        print("no numpy: the subcommands' results are not read")
    failed = 0
    for lang in ["en"] + langs:
        lines = flagged = 0
        cases = [(w, want, argv, None) for w, want, argv in runs(subs, lang)]
        if fx:
            cases += [(w, want, argv, extra) for w, want, argv, extra in results(fx, lang)]
        with open(os.path.join(keep, lang + ".txt"), "w", encoding="utf-8") as log:
            for what, want, argv, extra in cases:
                rc, out = run(argv, lang, extra)
                if extra is not None:
                    # a result: it must say something; the model's guesses are its vocabulary
                    if not out.strip():
                        print("%s: %s: printed nothing" % (lang, what))
                        failed += 1
                    # the lesson checker's diagnostics (FILE.lesson:LINE: ...) are read too: they
                    # come from bt_fail, in the author's language (po/README.md)
                    out = "\n".join(l for l in out.split("\n") if not re.match(r"^\s*\d+\.\s", l))
                log.write("$ LANGUAGE=%s bertology %s   (exit %d)\n%s\n" % (lang, " ".join(argv), rc, out))
                if want is not None and rc != want:
                    print("%s: %s: exit %d, not %d: %s" % (lang, what, rc, want, out.strip()[:200]))
                    failed += 1
                if want == 2 and (out.count("\n") != 1 or not out.startswith("bertology")):
                    print("%s: %s: not one line starting 'bertology': %r" % (lang, what, out[:300]))
                    failed += 1
                bad = check(out, lang)
                lines += sum(1 for l in out.split("\n") if clean(l, lang).strip(" .,;:()"))
                flagged += len(bad)
                if lang != "en":
                    for raw, why in bad:
                        print("%s: %s: English? %s   <- %s" % (lang, what, raw.strip()[:160], ", ".join(why)))
                    failed += len(bad)
        print("%s: %d lines read, %d read as English" % (lang, lines, flagged))
        if lang == "en" and flagged < 0.9 * lines:
            print("the detector misses English: only %d of %d lines flagged" % (flagged, lines))
            failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
