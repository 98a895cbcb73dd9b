"""Checks that count, for the Python end-to-end tests: a failed check
prints and the run goes on, so one run reports every broken expectation;
finish() prints the tally and gives the exit status."""
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
