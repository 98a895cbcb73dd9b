"""The REPL's input is bounded (issue 17, items 6 and 11): a line longer
than 65536 bytes is refused with one error and the REPL goes on with the
next line, state kept, whether it comes from --script, a pipe or -e;
input with no line end at all (--script /dev/zero, a pipe of 'x's) stops
with one line in bounded memory and time; a directory given as a script
is an error, not an empty script."""
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ref"))
import checkpoint  # noqa: E402
from checks import check, finish  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BT_BIN", "build/bertology")
LIMIT = 65536
tmp = tempfile.mkdtemp()
model = os.path.join(tmp, "m")
checkpoint.make_checkpoint(model, layers=1, hidden=16, heads=2, inter=32, max_pos=32)
REPL = [BIN, "--no-window", "--plain", "--model", model]


def run(args, stdin=None, timeout=60):
    """Runs the REPL; returns (CompletedProcess, seconds, peak RSS in MB of
    this child alone: it runs in a fresh process whose children are it)."""
    probe = [sys.executable, "-c",
             "import resource, subprocess, sys\n"
             "r = subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)\n"
             "sys.stderr.write('\\nMAXRSS %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
             "sys.exit(r.returncode)\n", *args]
    t0 = time.monotonic()
    try:
        r = subprocess.run(probe, input=stdin, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        check(f"{args[5:]} finishes within {timeout} s", False)
        return None, timeout, 0
    dt = time.monotonic() - t0
    err, _, tail = r.stderr.rpartition(b"\nMAXRSS ")
    r.stderr = err
    return r, dt, int(tail or b"0") / 1024


def errors(r):
    return [line for line in r.stderr.decode("utf-8", "replace").split("\n") if line]


# A too-long line in a script between two good ones: one error naming the
# line, and the sentence before it is still there afterwards.
script = os.path.join(tmp, "long.txt")
with open(script, "w") as f:
    f.write("the cat sat\n" + "x" * (LIMIT + 1) + "\ntokens\n" + "y " * (LIMIT // 2) + "\n")
r, dt, rss = run(REPL + ["--script", script])
e = errors(r)
check("long line: exit 1", r.returncode == 1, r.stderr)
check("long line: one error line", len(e) == 2 and f"{script}:2: error:" in e[0] and "65536" in e[0], e)
check("long line: state kept", b"[tokens]" in r.stdout and b"cat" in r.stdout, r.stdout[-400:])
# a line of exactly the limit is read whole (and, no command, is a sentence:
# far too many tokens, so it fails like any too-long sentence)
check("line at the limit is not cut", len(e) == 2 and f"{script}:4:" in e[1] and "65536 bytes" not in e[1], e)

# the same through a pipe, and as -e
r, dt, rss = run(REPL, stdin=b"the cat sat\n" + b"x" * 200000 + b"\ntokens\n")
e = errors(r)
check("pipe long line", r.returncode == 1 and len(e) == 1 and "<stdin>:2: error:" in e[0] and b"[tokens]" in r.stdout, e)
r, dt, rss = run(REPL + ["-e", "the cat sat", "-e", "z" * 100000, "-e", "tokens"])
e = errors(r)
check("-e long line", r.returncode == 1 and len(e) == 1 and "-e #2: error:" in e[0] and "65536" in e[0], e)

# a comment line of any length is still a comment
with open(script, "w") as f:
    f.write("# " + "c" * 100000 + "\nthe cat sat\n")
r, dt, rss = run(REPL + ["--script", script])
check("long comment", r is not None and r.returncode == 0 and not errors(r), r.stderr if r else "")

# no line end at all: /dev/zero as a script, and a pipe without newline
r, dt, rss = run(REPL + ["--script", "/dev/zero"], timeout=60)
if r is not None:
    e = errors(r)
    check("/dev/zero: one error, exit 1", r.returncode == 1 and len(e) == 1 and "/dev/zero:1: error:" in e[0], e)
    check("/dev/zero: bounded memory", rss < 200, f"{rss:.0f} MB")
    print(f"/dev/zero: {dt:.1f} s, peak {rss:.0f} MB")
r, dt, rss = run(REPL, stdin=b"the cat sat\n" + b"x" * (70 << 20), timeout=60)
if r is not None:
    e = errors(r)
    check("endless pipe: one error", r.returncode == 1 and len(e) == 1 and "<stdin>:2: error:" in e[0], e)
    check("endless pipe: bounded memory", rss < 300, f"{rss:.0f} MB")
    print(f"70 MB without a newline on stdin: {dt:.1f} s, peak {rss:.0f} MB")

# a directory is not an empty script
r, dt, rss = run(REPL + ["--script", tmp])
e = errors(r)
check("directory script", r.returncode == 1 and len(e) == 1 and tmp in e[0] and "directory" in e[0].lower(), e)

sys.exit(finish("repl_limits"))
