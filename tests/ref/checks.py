"""Checks that count, for the Python end-to-end tests: a failed check
prints and the run goes on, so one run reports every broken expectation;
finish() prints the tally and gives the exit status. For the reference
tests of the instruments of a [MASK]ed word (lens, saliency):
instrument_json() runs one's --json on a random checkpoint,
masked_word_errors() checks the refusals they share."""
import json
import os
import subprocess

failures = checks = 0


def check(name, cond, detail=""):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print(f"FAIL {name}: {detail}")
    return cond


def one_line_error(name, r, *needles, code=1):
    """r (a CompletedProcess) failed with status code and one line on
    stderr, `bertology: ...`, naming every needle, and no sanitizer report."""
    err = r.stderr.strip()
    check(name, r.returncode == code, f"exit {r.returncode}, want {code}; stderr: {err}")
    check(name, err.count("\n") == 0 and err.startswith("bertology: "), f"not one line: {err!r}")
    check(name, "Sanitizer" not in r.stderr and "runtime error" not in r.stderr, err)
    for n in needles:
        check(name, n in err, f"{n!r} not in {err!r}")


def finish(label):
    print(f"{label}: {checks} checks, {failures} failed")
    return 1 if failures else 0


def _bertology(*args):
    return subprocess.run([os.environ.get("BT_BIN", "build/bertology"), *args], capture_output=True, text=True)


def instrument_json(label, d, command, options, text, word=None, at=None, **kw):
    """`bertology COMMAND --model M --json OPTIONS... TEXT [--word W] [--pos P]`
    on a random checkpoint M made in the directory d
    (checkpoint.make_checkpoint(M, **kw)), beside `bertology tokenize` of
    text. Returns a dict: mdir, cfg, params, enc (the tokenizer's JSON),
    got (the command's JSON) and rerun(*options), the same command with
    other options (a CompletedProcess); None when the command failed (a
    failed check)."""
    import checkpoint  # the reference side (numpy), which not every user of checks has

    run = _bertology
    mdir = os.path.join(d, "m")
    cfg = checkpoint.make_checkpoint(mdir, **kw)
    params = checkpoint.read_safetensors(os.path.join(mdir, "model.safetensors"))
    tok = run("tokenize", "--model", mdir, "--json", text)
    check(label, tok.returncode == 0, tok.stderr)
    enc = json.loads(tok.stdout)
    tail = [text] + (["--word", word] if word else []) + (["--pos", str(at)] if at is not None else [])

    def rerun(*opts):
        return run(command, "--model", mdir, "--json", *opts, *tail)

    r = rerun(*options)
    if not check(label, r.returncode == 0, r.stderr.strip()):
        return None
    return {"mdir": mdir, "cfg": cfg, "params": params, "enc": enc, "got": json.loads(r.stdout), "rerun": rerun}


def masked_word_errors(command, d, *pos_needles):
    """The refusals `bertology COMMAND` shares with every instrument of a
    [MASK]ed word, one line each: a checkpoint without its MLM head, no
    [MASK], --pos past the sentence (naming pos_needles too), a --word of
    several pieces. Returns the random checkpoint it made in d, for the
    command's own refusals."""
    import checkpoint

    m, bare = os.path.join(d, "m"), os.path.join(d, "bare")
    checkpoint.make_checkpoint(m)
    checkpoint.make_checkpoint(bare, mlm=False)
    one_line_error("no MLM head", _bertology(command, "--model", bare, "the [MASK] sat"), "no MLM head")
    one_line_error("no [MASK]", _bertology(command, "--model", m, "the cat sat"), "no [MASK]", "--pos")
    one_line_error("pos out of range", _bertology(command, "--model", m, "--pos", "9", "the cat sat"), "position 9",
                   *pos_needles)
    one_line_error("word pieces", _bertology(command, "--model", m, "--word", "catsat", "the [MASK] sat"), "catsat",
                   "word pieces")
    return m
