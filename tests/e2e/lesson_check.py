#!/usr/bin/python3
"""`bertology lesson --check` as a test.

usage: lesson_check.py default | random | bertbase | fixtures | hostile

default   every shipped lesson, in every language, against the shipped model
          (assets/models/default, or $BT_LESSON_MODEL): no command may fail,
          every check must hold.
random    the same against random weights with the shipped model's sizes and
          vocabulary (and random step-N checkpoints where it ships them):
          proves no lesson depends on what training happened to learn, so
          retraining cannot break one.
bertbase  the same against random weights shaped like Google's bert-base-uncased
          (12 layers of 768, 12 heads, learned positions, its 30,522-piece
          vocabulary, no step-N checkpoints): lessons written for the
          default model must not fail, crash or lie on a model they were
          not written for; steps it lacks the means for are skipped by
          their `needs:` line.
fixtures  the checker itself, on tests/e2e/cases/lesson_fixtures and a small
          random checkpoint: a good lesson passes, a failing command and a
          false check fail with their lines, a malformed lesson is named with
          its line, a lesson needing a missing command is skipped.
hostile   issue 17's hostile lessons: expressions nested past the limit (which
          overflowed the stack), a lesson that runs `lesson 1` (which
          recursed for ever), a 3 MB paragraph (quadratic): each gives one
          line naming the file, the line and the limit, or passes, quickly.

The binary is $BT_BIN. Exit 77 (skip) when the model is absent.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
SKIP = 77
sys.path.insert(0, os.path.join(ROOT, "tests", "ref"))


def lesson_binary():
    """BT_BIN, which must have the `lesson` subcommand."""
    b = os.environ.get("BT_BIN")
    if not b:
        sys.exit("set BT_BIN to the bertology binary")
    p = subprocess.run([b, "lesson", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if p.returncode != 0 or b"--check" not in p.stdout:
        sys.exit(f"{b} lesson --help failed or does not mention --check")
    return [b, "lesson"]


BIN = None


def run(args, env_extra=None, timeout=900):
    global BIN
    if BIN is None:
        BIN = lesson_binary()
    assert args[0] == "lesson"
    env = dict(os.environ)
    for k in ("BERTOLOGY_MODEL", "BERTOLOGY_LESSONS", "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        env.pop(k, None)
    env["LC_ALL"] = "C.UTF-8"
    env.update(env_extra or {})
    p = subprocess.run(BIN + args[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def default_model():
    d = os.environ.get("BT_LESSON_MODEL") or os.path.join(ROOT, "assets", "models", "default")
    if not os.path.exists(os.path.join(d, "config.json")):
        print("skip: no shipped model at %s" % d)
        sys.exit(SKIP)
    return d


def random_like(model, out):
    import checkpoint
    with open(os.path.join(model, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(model, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    if vocab and vocab[-1] == "":
        vocab = vocab[:-1]
    def make(d, seed):
        checkpoint.make_checkpoint(d, layers=cfg["num_hidden_layers"], hidden=cfg["hidden_size"],
                                   heads=cfg["num_attention_heads"], inter=cfg["intermediate_size"],
                                   max_pos=cfg["max_position_embeddings"],
                                   pos=cfg.get("position_embedding_type", "absolute"), seed=seed, vocab=vocab)
    make(out, 11)
    # The snapshots that ship beside the weights (step-N/, for `checkpoint`
    # in lesson 13) get random weights of their own.
    for i, name in enumerate(sorted(os.listdir(model))):
        if name.startswith("step-") and os.path.exists(os.path.join(model, name, "config.json")):
            make(os.path.join(out, name), 12 + i)
    return out


def bert_base_vocab():
    """bert-base-uncased's vocab.txt: shipped under tests/data, or ../shared."""
    for p in (os.path.join(ROOT, "tests", "data", "bert-base-uncased", "vocab.txt"),
              os.path.join(ROOT, "tests", "data", "bert-base-uncased-vocab.txt"),
              os.path.join(ROOT, "..", "shared", "data", "bert-base-uncased", "vocab.txt")):
        if os.path.exists(p):
            return p
    print("skip: no bert-base-uncased vocab.txt (tests/data or ../shared)")
    sys.exit(SKIP)


def bert_base_like(out):
    import checkpoint
    with open(bert_base_vocab(), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    if vocab and vocab[-1] == "":
        vocab = vocab[:-1]
    checkpoint.make_checkpoint(out, layers=12, hidden=768, heads=12, inter=3072, max_pos=512,
                               pos="absolute", seed=5, vocab=vocab)
    return out


def expect(cond, what, out, err):
    if not cond:
        print("FAILED: " + what)
        print("--- stdout\n" + out + "--- stderr\n" + err)
        return 1
    return 0


def fixtures(tmp):
    import checkpoint
    model = os.path.join(tmp, "ckpt")
    checkpoint.make_checkpoint(model, seed=0)
    lessons = os.path.join(HERE, "cases", "lesson_fixtures")
    env = {"BERTOLOGY_LESSONS": lessons, "XDG_STATE_HOME": os.path.join(tmp, "state")}
    bad = 0
    rc, out, err = run(["lesson", "--check", "all", "--model", model], env)
    bad += expect(rc == 1, "check all exits 1 when a lesson fails (got %d)" % rc, out, err)
    bad += expect("lesson  1 en  Fixture lesson" in out and " ok " in out.split("\n")[0], "the good lesson passes", out, err)
    bad += expect("lesson  1 pt  Lição de teste" in out, "its translation is checked too", out, err)
    bad += expect("02-broken.lesson:4: error: layer 9 is out of range" in err, "a failing command names its line", out, err)
    bad += expect("02-broken.lesson:5: check failed: `ntokens() == 99` does not hold for this model (left 8, right 99)"
                  in err, "a false check names its line and values", out, err)
    bad += expect("A lesson that no longer holds" in out and "FAILED  2 problems" in out, "the broken lesson fails", out, err)
    bad += expect("03-malformed.lesson:3: the question has no `answer:`" in err, "a malformed lesson names its line",
                  out, err)
    bad += expect("skipped: uses frobnicate" in out, "a lesson needing a missing command is skipped", out, err)
    bad += expect(re.search(r"Steps for some models only +ok +3 steps, 1 command, 1 check, 1 question; "
                            r"1 step skipped \(`needs:`\)", out), "a step whose `needs:` fails is skipped, "
                  "with its check", out, err)
    bad += expect("6 lesson files" in out and "3 ok, 1 skipped, 2 failed" in out, "the summary", out, err)

    rc, out, err = run(["lesson", "--check", "1", "--model", model], env)
    bad += expect(rc == 0 and "2 ok, 0 skipped, 0 failed" in out, "one good lesson in both languages passes", out, err)
    # --lang pt restricts the check, and the checker speaks Portuguese
    rc, out, err = run(["lesson", "--check", "1", "--lang", "pt", "--model", model], env)
    bad += expect(rc == 0 and "lição  1 pt  Lição de teste" in out and " ok " in out
                  and "1 arquivo de lição verificado com " in out and ": 1 ok, 0 pulados, 0 com falha" in out,
                  "--lang restricts the check, in Portuguese", out, err)
    # the checker's lines in the environment's language: ok, failed, skipped, the summary
    rc, out, err = run(["lesson", "--check", "all", "--model", model], dict(env, LANGUAGE="ru"))
    bad += expect(rc == 1 and re.search(r"^урок  1 en  Fixture lesson +пройден +\d+ шаг", out, re.M)
                  and re.search(r"A lesson that no longer holds +НЕ ПРОЙДЕН 2 проблемы \(см\. выше\)", out)
                  and "пропущен: использует frobnicate" in out
                  and "; пропущен 1 шаг (`needs:`)" in out
                  and "проверено 6 файлов уроков на " in out
                  and ": успешно — 3, пропущено — 1, с ошибками — 2" in out,
                  "the checker's lines in Russian (LANGUAGE=ru)", out, err)
    rc, out, err = run(["lesson", "--check", "1", "--lang", "xx", "--model", model], env)
    bad += expect(rc == 2 and "speaks no 'xx' (neither lessons nor messages); languages: en pt" in err,
                  "an unknown language", out, err)
    rc, out, err = run(["lesson", "--check", "1", "--lang", "ru", "--model", model], env)
    bad += expect(rc == 2 and "there are no lessons in 'ru'; languages: en pt" in err,
                  "a language with messages but no lessons here", out, err)
    rc, out, err = run(["lesson", "--check", "9", "--model", model], env)
    bad += expect(rc == 1 and "no lesson 9" in err, "a lesson that does not exist", out, err)
    rc, out, err = run(["lesson", "--chek"], env)
    bad += expect(rc == 2 and "unknown option '--chek'; did you mean '--check'?" in err and err.count("\n") == 1,
                  "a bad option, with the one meant", out, err)
    rc, out, err = run(["lesson"], env)
    bad += expect(rc == 0 and "Fixture lesson" in out and "needs frobnicate" in out, "the list", out, err)
    rc, out, err = run(["lesson", "--lang", "pt"], env)
    bad += expect(rc == 0 and "Lição de teste" in out and "Lições" in out, "the list in Portuguese", out, err)
    rc, out, err = run(["lesson", "--lang", "xx"], env)
    bad += expect(rc == 2 and "speaks no 'xx'" in err and not out, "the list in an unknown "
                  "language is refused, not English", out, err)
    return 1 if bad else 0


# (what, the lesson's step body, the line of the error, what the error says)
HOSTILE = [
    ("abs( x3000", "check: " + "abs(" * 3000 + "1" + ")" * 3000 + " == 1\n", 3, "nests more than 64 deep"),
    ("( x100k", "check: " + "(" * 100000 + "1\n", 3, "nests more than 64 deep"),
    ("- x1M", "check: " + "-" * 1000000 + "1 == 1\n", 3, "nests more than 64 deep"),
    ("! x200k", "check: " + "!" * 200000 + "1\n", 3, "nests more than 64 deep"),
    ("if( x10k", "check: " + "if(" * 10000 + "1\n", 3, "nests more than 64 deep"),
    ("1+1+... 500k terms", "check: " + "1+" * 499999 + "1 > 0\n", 3, "nests more than 64 deep"),
    ("let: deep", "let: x = " + "(" * 1000 + "1\n", 3, "nests more than 64 deep"),
    ("run: lesson 1", "The lesson starts itself.\nrun: lesson 1\n", 4, "a lesson cannot run `lesson`"),
    ("try: continue", "text: the cat\ntry: continue\n", 4, "a lesson cannot run `continue`"),
]


def hostile(tmp):
    import checkpoint
    import time
    model = os.path.join(tmp, "ckpt")
    checkpoint.make_checkpoint(model, seed=0)
    bad = 0
    for i, (what, body, line, want) in enumerate(HOSTILE):
        lessons = os.path.join(tmp, "l%d" % i)
        os.makedirs(os.path.join(lessons, "en"))
        with open(os.path.join(lessons, "en", "01-hostile.lesson"), "w") as f:
            f.write("title: Hostile\nstep: One\n" + body)
        env = {"BERTOLOGY_LESSONS": lessons, "XDG_STATE_HOME": os.path.join(tmp, "state")}
        rc, out, err = run(["lesson", "--check", "1", "--model", model], env, timeout=120)
        where = "/en/01-hostile.lesson:%d: " % line
        said = [l for l in err.split("\n") if l]
        bad += expect(rc == 1 and len(said) == 1 and where in said[0] and want in said[0],
                      "%s: one line '%s...%s' and status 1 (got %d)" % (what, where, want, rc), out[-2000:],
                      err[-2000:])
    # A 3 MB lesson whose paragraph has a million lines parsed in 23.5 s
    # (the time was quadratic). Lessons are capped at 1 MiB (core/infile.c),
    # so it is refused at once with one line; a lesson just under the cap,
    # one paragraph of 300,000 lines (quadratic: minutes), is checked at once.
    lessons = os.path.join(tmp, "big")
    os.makedirs(os.path.join(lessons, "en"))
    big = os.path.join(lessons, "en", "01-big.lesson")
    env = {"BERTOLOGY_LESSONS": lessons, "XDG_STATE_HOME": os.path.join(tmp, "state")}
    with open(big, "w") as f:
        f.write("title: Big\nstep: One\n" + "ab\n" * 1000000 + "\ntext: the cat\n")
    rc, out, err = run(["lesson", "--check", "1", "--model", model], env, timeout=120)
    said = [l for l in err.split("\n") if l]
    bad += expect(rc == 1 and len(said) == 1 and "more than a lesson may be" in said[0],
                  "the 3 MB lesson is refused in one line", out, err)
    with open(big, "w") as f:
        f.write("title: Big\nstep: One\n" + "ab\n" * 300000 + "\ntext: the cat\n")
    t0 = time.time()
    rc, out, err = run(["lesson", "--check", "1", "--model", model], env, timeout=120)
    bad += expect(rc == 0 and "1 ok" in out, "the 0.9 MB lesson is checked", out, err)
    print("0.9 MB lesson, a 300,000-line paragraph: checked in %.1f s" % (time.time() - t0))
    return 1 if bad else 0


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("default", "random", "bertbase", "fixtures", "hostile"):
        sys.exit(__doc__)
    mode = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "fixtures":
            sys.exit(fixtures(tmp))
        if mode == "hostile":
            sys.exit(hostile(tmp))
        if mode == "bertbase":
            model = bert_base_like(os.path.join(tmp, "bertbase"))
        else:
            model = default_model()
        if mode == "random":
            model = random_like(model, os.path.join(tmp, "random"))
        rc, out, err = run(["lesson", "--check", "all", "--model", model],
                           {"XDG_STATE_HOME": os.path.join(tmp, "state")})
        sys.stdout.write(out)
        sys.stderr.write(err)
        sys.exit(rc or covered(out))


def covered(out):
    """1 unless every lesson file of every language (en, pt, ru) was checked and passed."""
    ok = set(re.findall(r"^lesson +(\d+) (\w+) .* ok {2,}\d+ step", out, re.M))
    lessons = os.path.join(ROOT, "lessons")
    missing = []
    for lang in ("en", "pt", "ru"):
        for name in sorted(os.listdir(os.path.join(lessons, lang))):
            if name.endswith(".lesson") and (str(int(name[:2])), lang) not in ok:
                missing.append("%s/%s" % (lang, name))
    if missing:
        print("FAILED: not checked, or not ok: " + ", ".join(missing))
        return 1
    print("every lesson checked and ok in en, pt and ru (%d files)" % len(ok))
    return 0


if __name__ == "__main__":
    main()
