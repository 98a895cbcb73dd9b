#!/usr/bin/python3
"""Runs REPL transcripts and compares them with the expected output.

A case is NAME.t (the commands) beside NAME.out (stdout and stderr as one
stream). Header lines in NAME.t set up the run:

    #! args: --no-window --plain      extra options ({model} {tmp} {cases} expand);
                                       a first word that is not an option is a
                                       subcommand (`lens --help`), given --model
                                       after it unless the model is none
    #! mode: stdin | script | e        how the commands reach the REPL (default stdin)
    #! rc: 1                           expected exit status (default 0)
    #! model: random | sinusoidal | checkpoints | bare | default | none
    #! env: NAME=VALUE                 (repeatable)
    #! compare: none                   check the status and `expect` lines only
    #! expect: TEXT                    TEXT must appear in the output (repeatable)
    #! npz: FILE KEY...                FILE must load with numpy and hold KEYs
    #! png: FILE                       FILE must be a PNG image (repeatable)
    #! csv: FILE ROWS COLS [NAME...]   FILE must read as RFC 4180 CSV: a header (starting
                                       with NAMEs) and ROWS records of COLS fields
    #! svg: FILE                       FILE must be a well-formed SVG document (and pass
                                       xmllint --noout when xmllint is installed)

Other lines starting with # are comments, which the REPL also skips in
scripts; in mode e every other line becomes one -e argument.

Numbers are compared with a tolerance of 1.5 units of the expected value's
last digit, so that another BLAS or CPU does not break the test; bars of
'█' may differ by one cell. Everything else must match exactly.

usage: run_transcript.py [--update] CASE.t...
Binary: $BT_REPL_BIN, else $BT_BIN. A binary that does not run the REPL
fails; a case whose model is absent (the shipped default, which the
repository holds) fails too.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
SKIP = 77


def binary():
    b = os.environ.get("BT_REPL_BIN") or os.environ.get("BT_BIN")
    if not b:
        sys.exit("set BT_BIN (or BT_REPL_BIN) to the bertology binary")
    return b


def make_model(kind, tmp):
    """The checkpoints the transcripts were written against."""
    if kind == "none":
        return "/nonexistent-model"
    if kind == "default":
        d = os.path.join(ROOT, "assets", "models", "default")
        return d if os.path.exists(os.path.join(d, "config.json")) else None
    out = os.path.join(tmp, "ckpt-" + kind)
    if not os.path.isdir(out):
        args = [sys.executable, os.path.join(ROOT, "tests", "ref", "checkpoint.py"), out, "--seed", "0"]
        if kind == "sinusoidal":
            args += ["--pos", "sinusoidal"]
        if kind == "bare":   # an encoder without the MLM head
            args += ["--no-mlm"]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        if kind == "checkpoints":
            make_run(out)
    return out


def make_run(out):
    """The random model as a training run leaves it, for `checkpoint`:
    train.log ending at step 40; step-10 (other weights), step-20 (a
    vocabulary without "mat"), step-30 (a truncated model.safetensors),
    and directories that are not checkpoints (step-35 without weights,
    notes/)."""
    script = os.path.join(ROOT, "tests", "ref", "checkpoint.py")
    with open(os.path.join(out, "train.log"), "w") as f:
        f.write("step\ttokens\tloss\n10\t1280\t5.5\n20\t2560\t5.1\n40\t5120\t4.8\n")
    subprocess.run([sys.executable, script, os.path.join(out, "step-10"), "--seed", "1"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "vocab.txt"), encoding="utf-8") as f:
        vocab = [w for w in f.read().split("\n") if w and w != "mat"]
    other = os.path.join(out, "vocab-other.txt")
    with open(other, "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    subprocess.run([sys.executable, script, os.path.join(out, "step-20"), "--seed", "2", "--vocab", other],
                   check=True, stdout=subprocess.DEVNULL)
    os.remove(other)
    broken = os.path.join(out, "step-30")
    shutil.copytree(os.path.join(out, "step-10"), broken)
    with open(os.path.join(broken, "model.safetensors"), "r+b") as f:
        f.truncate(200)
    os.makedirs(os.path.join(out, "step-35"))
    shutil.copy(os.path.join(out, "config.json"), os.path.join(out, "step-35"))
    os.makedirs(os.path.join(out, "notes"))


def parse_case(path):
    hdr = {"args": [], "mode": "stdin", "rc": 0, "model": "random", "env": {}, "expect": [], "npz": [], "png": [],
           "csv": [], "svg": [], "compare": "transcript"}
    lines = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#!"):
                key, _, val = line[2:].partition(":")
                key, val = key.strip(), val.strip()
                if key == "args":
                    hdr["args"] += split_args(val)
                elif key == "env":
                    k, _, v = val.partition("=")
                    hdr["env"][k] = v
                elif key in ("expect", "npz", "png", "csv", "svg"):
                    hdr[key].append(val)
                elif key == "rc":
                    hdr["rc"] = int(val)
                else:
                    hdr[key] = val
            else:
                lines.append(line)
    return hdr, lines


def split_args(s):
    import shlex
    return shlex.split(s)


def expand(s, subst):
    for k, v in subst.items():
        s = s.replace("{" + k + "}", v)
    return s


def run_case(path, tmp):
    hdr, lines = parse_case(path)
    model = make_model(hdr["model"], tmp)
    if model is None:
        return None, None, hdr
    work = tempfile.mkdtemp(dir=tmp)
    subst = {"model": model, "tmp": work, "cases": os.path.dirname(os.path.abspath(path))}
    args = [binary()]
    words = [expand(a, subst) for a in hdr["args"]]
    if words and not words[0].startswith("-"):
        # a subcommand: its name first; --model after it unless the model is none
        args.append(words.pop(0))
        if hdr["model"] != "none":
            args += ["--model", model]
    elif hdr["model"] != "none" or "--model" not in " ".join(hdr["args"]):
        args += ["--model", model]
    args += words
    env = dict(os.environ)
    for k in ("NO_COLOR", "COLORTERM", "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "BERTOLOGY_MODEL"):
        env.pop(k, None)
    env["COLUMNS"] = "100"
    env["TERM"] = "xterm-256color"
    env["XDG_STATE_HOME"] = os.path.join(work, "state")
    # the user's cache may hold GloVe (scripts/fetch-vectors.sh), which the
    # REPL would then pick for `similar`/`nearest`: transcripts see none
    env["XDG_CACHE_HOME"] = os.path.join(work, "cache")
    env.pop("BERTOLOGY_VECTORS", None)
    env["LC_ALL"] = "C.UTF-8"
    # English messages: gettext honours LANGUAGE even under C.UTF-8 (only
    # plain "C" makes it ignore it); a case sets it with `#! env:`
    env.pop("LANGUAGE", None)
    env.update({k: expand(v, subst) for k, v in hdr["env"].items()})
    body = [expand(l, subst) for l in lines]
    stdin = None
    if hdr["mode"] == "stdin":
        stdin = ("\n".join(body) + "\n").encode("utf-8", "surrogateescape")
    elif hdr["mode"] == "script":
        sp = os.path.join(work, "script.txt")
        with open(sp, "wb") as f:
            f.write(("\n".join(body) + "\n").encode("utf-8", "surrogateescape"))
        args += ["--script", sp]
        stdin = b""
    elif hdr["mode"] == "e":
        for l in body:
            if not l.startswith("#"):
                args += ["-e", l]
        stdin = b""
    p = subprocess.run(args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=120)
    out = p.stdout.decode("utf-8", "surrogateescape")
    # Machine-specific paths become placeholders.
    out = out.replace(work, "{tmp}").replace(model, "{model}").replace(subst["cases"], "{cases}")
    for k in ("expect",):
        hdr[k] = [expand(e, {"model": "{model}", "tmp": "{tmp}"}) for e in hdr[k]]
    hdr["problems"] = check_files(hdr, subst)
    return out, p.returncode, hdr


def check_files(hdr, subst):
    problems = []
    for spec in hdr["npz"]:
        path, *keys = expand(spec, subst).split()
        try:
            import numpy as np
            with np.load(path) as z:
                for k in keys:
                    if k not in z.files:
                        problems.append("%s lacks %s (has %s)" % (os.path.basename(path), k, ", ".join(z.files[:8])))
        except Exception as e:  # noqa: BLE001 - any failure to load is the finding
            problems.append("%s does not load: %s" % (path, e))
    for spec in hdr["png"]:
        path = expand(spec, subst)
        try:
            with open(path, "rb") as f:
                if f.read(8) != b"\x89PNG\r\n\x1a\n":
                    problems.append("%s is not a PNG" % path)
        except OSError as e:
            problems.append("%s: %s" % (path, e))
    for spec in hdr["csv"]:
        path, rows, cols, *names = expand(spec, subst).split()
        try:
            import csv
            with open(path, newline="", encoding="utf-8") as f:
                raw = f.read()
            recs = list(csv.reader(raw.splitlines(keepends=True), strict=True))
            if not raw.endswith("\r\n") or any(not l.endswith("\r\n") for l in raw.splitlines(keepends=True)):
                problems.append("%s: lines do not end in CRLF" % path)
            if len(recs) != int(rows) + 1 or any(len(r) != int(cols) for r in recs):
                problems.append("%s: %d records of %s fields, want a header and %s records of %s" %
                                (path, len(recs), sorted({len(r) for r in recs}), rows, cols))
            elif recs[0][:len(names)] != names:
                problems.append("%s: header %s, want it to start %s" % (path, recs[0][:len(names)], names))
        except Exception as e:  # noqa: BLE001 - any failure to read is the finding
            problems.append("%s does not read as CSV: %s" % (path, e))
    for spec in hdr["svg"]:
        path = expand(spec, subst)
        try:
            import xml.etree.ElementTree as ET
            root = ET.parse(path).getroot()
            if root.tag != "{http://www.w3.org/2000/svg}svg" or root.get("version") != "1.1":
                problems.append("%s: root %s version %s, not SVG 1.1" % (path, root.tag, root.get("version")))
            if shutil.which("xmllint"):
                r = subprocess.run(["xmllint", "--noout", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                if r.returncode:
                    problems.append("xmllint rejects %s: %s" % (path, r.stdout.decode(errors="replace")[:300]))
        except Exception as e:  # noqa: BLE001
            problems.append("%s is not well-formed XML: %s" % (path, e))
    return problems


NUM = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)%?$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def close(exp, got):
    if exp == got:
        return True
    if NUM.match(exp) and NUM.match(got):
        e, g = exp.rstrip("%"), got.rstrip("%")
        decimals = len(e.split(".")[1]) if "." in e else 0
        return abs(float(e) - float(g)) <= 1.5 * 10 ** (-decimals) + 1e-9
    if set(exp) <= {"█"} and set(got) <= {"█"}:
        return abs(len(exp) - len(got)) <= 1
    return False


def tokens(line):
    return line.split()


def compare(expected, got):
    """Returns a list of (line number, expected, got) that differ."""
    el, gl = expected.split("\n"), got.split("\n")
    bad = []
    for i in range(max(len(el), len(gl))):
        e = el[i] if i < len(el) else "<missing>"
        g = gl[i] if i < len(gl) else "<missing>"
        # Colour codes must be as many; which shade a cell gets may change
        # with its last digit, so the codes themselves are not compared.
        if len(ANSI.findall(e)) != len(ANSI.findall(g)):
            bad.append((i + 1, e, g))
            continue
        et, gt = tokens(ANSI.sub(" ", e)), tokens(ANSI.sub(" ", g))
        # A bar can vanish entirely when a probability rounds to 0 cells.
        if et and gt and set(et[-1]) <= {"█"} and len(et) == len(gt) + 1:
            gt = gt + [""]
        if et and gt and set(gt[-1]) <= {"█"} and len(gt) == len(et) + 1:
            et = et + [""]
        if len(et) != len(gt) or not all(close(a, b) for a, b in zip(et, gt)):
            bad.append((i + 1, e, g))
    return bad


def probe(tmp):
    """Whether the binary runs the REPL yet (the subcommand table may not call it)."""
    model = make_model("random", tmp)
    p = subprocess.run([binary(), "--model", model, "--no-window", "-e", "help"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode == 0 and b"sentence" in p.stdout


def main():
    argv = sys.argv[1:]
    update = "--update" in argv
    cases = [a for a in argv if a != "--update"]
    if not cases:
        cases = sorted(os.path.join(HERE, "cases", c) for c in os.listdir(os.path.join(HERE, "cases"))
                       if c.endswith(".t"))
    tmp = tempfile.mkdtemp(prefix="bt-e2e-")
    try:
        if not probe(tmp):
            print("FAIL: %s --no-window -e help does not run the REPL" % binary())
            return 1
        failed = skipped = 0
        for case in cases:
            name = os.path.basename(case)
            got, rc, hdr = run_case(case, tmp)
            if got is None:
                print("FAIL %s: model '%s' not available" % (name, hdr["model"]))
                failed += 1
                continue
            outp = case[:-2] + ".out"
            missing = [e for e in hdr["expect"] if e not in got]
            problems = hdr["problems"] + ["output lacks %r" % e for e in missing]
            if hdr["compare"] == "none":
                if rc != hdr["rc"] or problems:
                    print("FAIL %s: exit status %d (expected %d); %s\n%s" % (name, rc, hdr["rc"], "; ".join(problems),
                                                                          got[-3000:]))
                    failed += 1
                else:
                    print("ok   %s" % name)
                continue
            if update:
                with open(outp, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(got)
                print("wrote %s (rc %d)" % (outp, rc))
                continue
            with open(outp, encoding="utf-8", errors="surrogateescape") as f:
                expected = f.read()
            bad = compare(expected, got)
            if rc != hdr["rc"]:
                print("FAIL %s: exit status %d, expected %d" % (name, rc, hdr["rc"]))
                failed += 1
            if bad:
                print("FAIL %s: %d line(s) differ" % (name, len(bad)))
                for ln, e, g in bad[:15]:
                    print("  line %d\n    expected: %s\n    got:      %s" % (ln, e, g))
                failed += 1
            for pr in problems:
                print("FAIL %s: %s" % (name, pr))
            failed += 1 if problems else 0
            if rc == hdr["rc"] and not bad and not problems:
                print("ok   %s" % name)
        if skipped == len(cases):
            return SKIP
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
