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
first word, option names and their values' names (--model DIR), `code`,
"quotes", 'quotes', [TOKENS], placeholders in capitals (TEXT, FILE.btv),
paths and identifiers (max_position, state.bin, step-N), and a few proper
names (Hugging Face, DejaVu Sans, Clark et al.).

The same runs in English must be flagged on most of their lines (the
detector is proved on this output before it passes a translation).
Transcripts go to DIR (default $BT_BUILD_ROOT/meson-logs/cli-language).

Binary: $BT_BIN. Needs no model: nothing here gets past the command line.
"""
import os
import re
import subprocess
import sys

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


def binary():
    b = os.environ.get("BT_BIN")
    if not b:
        sys.exit("set BT_BIN to the bertology binary")
    return os.path.abspath(b)


def run(args, lang):
    """Exit status and output of bertology ARGS with LANGUAGE=lang (the
    cases that test --lang itself name it in args)."""
    env = dict(os.environ)
    env["LANGUAGE"] = lang
    env["LC_ALL"] = "C.UTF-8"
    env["XDG_CACHE_HOME"] = env["XDG_STATE_HOME"] = "/nonexistent-bertology-test"
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


# "usage:" in each language: the usage line after it is what the user types
USAGE = {"en": "usage", "pt": "uso", "ru": "использование"}


def clean(line, lang="en"):
    """What is left to read of a line: the words that are not typed by the user."""
    for n in NAMES:
        line = line.replace(n, " ")
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
    args = sys.argv[1:]
    keep = os.path.join(os.environ.get("BT_BUILD_ROOT", "."), "meson-logs", "cli-language")
    if args[:1] == ["--keep"]:
        keep, args = args[1], args[2:]
    langs = args or ["pt", "ru"]
    subs = subcommands()
    if len(subs) < 15:
        sys.exit("could not read the subcommands from `bertology --help` (%d)" % len(subs))
    os.makedirs(keep, exist_ok=True)
    failed = 0
    for lang in ["en"] + langs:
        lines = flagged = 0
        with open(os.path.join(keep, lang + ".txt"), "w", encoding="utf-8") as log:
            for what, want, argv in runs(subs, lang):
                rc, out = run(argv, lang)
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
