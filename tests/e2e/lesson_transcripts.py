#!/usr/bin/python3
"""Transcripts of lessons 5, 6, 9, 11, 12, 17 and 18, played in the REPL in English,
Portuguese and Russian on the shipped model, as a learner who gets every
question right.

usage: lesson_transcripts.py [--keep DIR] [LANG...]      (default: en pt ru)

The answers depend on the model, which is retrained from time to time, so
they are not written here: a first run in English skips every question and
turn twice (`continue`, `continue`), which shows the stored answer ("The
answer: ...") and the command a turn wants. A translation keeps every line
but the prose (test_lesson_commands), so the same answers and commands
serve every language. Then one REPL plays the seven lessons in each
language from step 1, typing each answer (numbers with a decimal comma in pt
and ru, tokens in quotes, choices by letter) and each command.

Each transcript (one lesson in one language) must show its structure, not
its numbers:
  - every step's header (a line ending with the step's title, underlined);
  - every question ("? ..."), each answered right at the first try: one
    "✓" line per question and per turn, no "✗";
  - no error: no "<stdin>:N:" message from the REPL, no "FILE.lesson:N"
    (a lesson line that failed), no check note (the check's own text);
  - in pt and ru, the numbers the player writes in "✓ ... (0,250)" with a
    decimal comma;
  - the end of the lesson ("★ ...").
Only the marks ✓ ✗ ★ ─ and "? " are looked for, never the player's words,
which gettext translates. The transcripts are written to DIR (default
$BT_BUILD_ROOT/meson-logs/lesson-transcripts) as LANG-NN.txt.

Binary: $BT_BIN. Model: $BT_LESSON_MODEL, else assets/models/default; exit
77 (skip) when it is absent.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
SKIP = 77
LESSONS = (5, 6, 9, 11, 12, 17, 18)
LANGS = ("en", "pt", "ru")
DIRECTIVE = re.compile(r"^([a-z]+):\s?(.*)$")


def lesson_file(lang, number):
    d = os.path.join(ROOT, "lessons", lang)
    for name in sorted(os.listdir(d)):
        if name.endswith(".lesson") and name[:2].isdigit() and int(name[:2]) == number:
            return os.path.join(d, name)
    raise SystemExit("no lesson %d in %s" % (number, d))


def outline(path):
    """{title, steps: [{title, waits: ['ask'|'try'|'try-sentence']}], checks: [...]}"""
    les = {"title": None, "steps": [], "checks": []}
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            m = DIRECTIVE.match(line)
            if not m:
                continue
            key, val = m.group(1), m.group(2).strip()
            if key == "title":
                les["title"] = val
            elif key == "step":
                les["steps"].append({"title": val, "waits": []})
            elif key == "ask":
                les["steps"][-1]["waits"].append("ask")
            elif key == "try":
                les["steps"][-1]["waits"].append("try-sentence" if val.startswith("sentence ") else "try")
            elif key == "check":
                les["checks"].append(val)
    return les


def repl(lines, model, state):
    """Runs the REPL on lines (stdin); its stdout and stderr as one text."""
    env = dict(os.environ)
    for k in ("NO_COLOR", "COLORTERM", "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "BERTOLOGY_MODEL",
              "BERTOLOGY_LESSONS", "BERTOLOGY_VECTORS", "LANGUAGE", "LC_MESSAGES", "LANG"):
        env.pop(k, None)
    env["COLUMNS"] = "100"
    env["LC_ALL"] = "C.UTF-8"
    env["XDG_STATE_HOME"] = state
    env["XDG_CACHE_HOME"] = os.path.join(state, "cache")
    p = subprocess.run([os.environ["BT_BIN"], "--model", model, "--no-window", "--plain"],
                       input=("\n".join(lines) + "\n").encode("utf-8"), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=env, timeout=300)
    return p.stdout.decode("utf-8", "replace"), p.returncode


def reveal(outlines, model, tmp):
    """English, every wait skipped: ({number: [answer or command, ...]}, output)."""
    lines = []
    for n in LESSONS:
        lines.append("lesson %d 1 --lang en" % n)
        steps = outlines[n]["steps"]
        for i, st in enumerate(steps):
            lines += ["continue", "continue"] * len(st["waits"])
            if i + 1 < len(steps):
                lines.append("continue")
        lines.append("quit-lesson")
    out, _ = repl(lines, model, os.path.join(tmp, "reveal"))
    # The English player's words (the msgids): "The answer: X" after a
    # question skipped twice, "It is your turn: type `CMD`, ..." after a
    # turn skipped once.
    found = re.findall(r"^(?:The answer: (.*)|It is your turn: type `(.*)`, or `continue` again to skip it\.)$",
                       out, re.M)
    seq = [a if a else "`" + c for a, c in found]
    got, k = {}, 0
    for n in LESSONS:
        waits = [w for st in outlines[n]["steps"] for w in st["waits"]]
        got[n] = []
        for w in waits:
            if k >= len(seq):
                return None, out
            v = seq[k]
            k += 1
            if (w == "ask") == v.startswith("`"):
                return None, out
            got[n].append(v.lstrip("`"))
    return (got if k == len(seq) else None), out


def typed(wait, value, lang):
    """What the learner types for a wait whose stored answer or command is value."""
    if wait == "try":
        return value
    if wait == "try-sentence":
        return "sentence " + value
    m = re.match(r"^([a-z])\) ", value)
    if m:
        return m.group(1)
    if re.match(r"^-?\d+(\.\d+)?%?$", value):
        return value.replace(".", ",") if lang in ("pt", "ru") else value
    return '"%s"' % value


def split(out, order):
    """The REPL's output cut into one transcript per lesson, at each lesson's
    first header; order is [(key, outline), ...] as played."""
    lines = out.split("\n")
    starts = []
    at = 0
    for _, les in order:
        first = les["steps"][0]["title"]
        while at < len(lines) - 1 and not (lines[at].endswith(": " + first) and is_rule(lines[at + 1])):
            at += 1
        starts.append(at)
        at += 1
    starts.append(len(lines))
    head = "\n".join(lines[:starts[0]])
    return head, {key: "\n".join(lines[starts[i]:starts[i + 1]]) for i, (key, _) in enumerate(order)}


def is_rule(line):
    return len(line) > 3 and set(line) == {"─"}


def judge(text, les, lang):
    """What is wrong with one lesson's transcript, as a list of strings."""
    bad = []
    lines = text.split("\n")
    for i, st in enumerate(les["steps"]):
        if not any(l.endswith(": " + st["title"]) and k + 1 < len(lines) and is_rule(lines[k + 1])
                   for k, l in enumerate(lines)):
            bad.append("step %d's header (…: %s) is missing" % (i + 1, st["title"]))
    asks = sum(w == "ask" for st in les["steps"] for w in st["waits"])
    tries = sum(w != "ask" for st in les["steps"] for w in st["waits"])
    questions = [l for l in lines if l.startswith("? ")]
    if len(questions) != asks:
        bad.append("%d questions shown, the lesson has %d" % (len(questions), asks))
    ticks = [l for l in lines if l.startswith("✓")]
    if len(ticks) != asks + tries:
        bad.append("%d ✓ lines, want %d (%d questions right, %d turns done)" % (len(ticks), asks + tries, asks, tries))
    for l in lines:
        if l.startswith("✗"):
            bad.append("a wrong answer: " + l)
        if re.match(r"^<stdin>:\d+:", l) or re.search(r"\.lesson:\d+", l):
            bad.append("an error: " + l)
        if any("`%s`" % c in l for c in les["checks"]):
            bad.append("a check that does not hold: " + l)
        if lang in ("pt", "ru") and l.startswith("✓") and re.search(r"\(-?\d+\.\d", l):
            bad.append("a decimal point in %s feedback: %s" % (lang, l))
    if not any(l.startswith("★") for l in lines):
        bad.append("the lesson does not reach its end (no ★ line)")
    return bad


def main():
    argv = sys.argv[1:]
    keep = None
    if argv[:1] == ["--keep"]:
        keep, argv = argv[1], argv[2:]
    langs = argv or list(LANGS)
    if any(l not in LANGS for l in langs):
        sys.exit(__doc__)
    if not os.environ.get("BT_BIN"):
        sys.exit("set BT_BIN to the bertology binary")
    model = os.environ.get("BT_LESSON_MODEL") or os.path.join(ROOT, "assets", "models", "default")
    if not os.path.exists(os.path.join(model, "config.json")):
        print("skip: no shipped model at %s" % model)
        return SKIP
    if keep is None:
        keep = os.path.join(os.environ.get("BT_BUILD_ROOT", tempfile.gettempdir()), "meson-logs", "lesson-transcripts")
    os.makedirs(keep, exist_ok=True)
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="bt-lesson-tx-")
    try:
        en = {n: outline(lesson_file("en", n)) for n in LESSONS}
        answers, out = reveal(en, model, tmp)
        with open(os.path.join(keep, "reveal-en.txt"), "w", encoding="utf-8") as f:
            f.write(out)
        if answers is None:
            print("FAIL: skipping every question and turn in English did not show one answer or command per "
                  "wait (has the English wording of 'The answer: %s' or 'It is your turn: type `%s`' changed?); "
                  "see " + os.path.join(keep, "reveal-en.txt"))
            return 1
        # One REPL plays them all (a REPL takes seconds to start on a busy
        # machine); its output is cut per lesson.
        failed = 0
        order, lines, typed_for = [], [], {}
        for lang in langs:
            for n in LESSONS:
                les = outline(lesson_file(lang, n))
                if [st["waits"] for st in les["steps"]] != [st["waits"] for st in en[n]["steps"]]:
                    print("FAIL %s-%02d: its questions and turns are not the English lesson's" % (lang, n))
                    failed += 1
                mine = ["lesson %d 1 --lang %s" % (n, lang)]
                vals = iter(answers[n])
                for i, st in enumerate(les["steps"]):
                    mine += [typed(w, next(vals, "?"), lang) for w in st["waits"]]
                    if i + 1 < len(les["steps"]):
                        mine.append("continue")
                mine.append("quit-lesson")
                lines += mine
                order.append(((lang, n), les))
                typed_for[(lang, n)] = mine
        out, rc = repl(lines, model, os.path.join(tmp, "play"))
        head, parts = split(out, order)
        if rc != 0 or head.strip():
            print("FAIL: exit status %d; before the first lesson:\n%s" % (rc, head[-2000:]))
            failed += 1
        for (lang, n), les in order:
            name = "%s-%02d" % (lang, n)
            path = os.path.join(keep, name + ".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write("# typed: " + " | ".join(typed_for[(lang, n)]) + "\n" + parts[(lang, n)] + "\n")
            bad = judge(parts[(lang, n)], les, lang)
            if bad:
                failed += 1
                print("FAIL %s (%s): %s" % (name, path, "; ".join(bad[:8])))
            else:
                asks = sum(w == "ask" for st in les["steps"] for w in st["waits"])
                print("ok   %s  %-40s %d steps, %d questions right" % (name, les["title"][:40], len(les["steps"]),
                                                                       asks))
        print("%d transcripts in %.1f s, kept in %s" % (len(langs) * len(LESSONS), time.time() - t0, keep))
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
