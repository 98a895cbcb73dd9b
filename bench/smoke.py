#!/usr/bin/python3
"""Smoke test of the bench's C side and its report (`meson test bench_smoke`):
on a tiny random checkpoint, bench_forward's forward pass and its --profile
mode, bench_sgemm, then report.py on their JSON lines, as bench/run.sh
strings them together (the PyTorch side, which needs torch, is left to
`bench/run.sh --quick`). It checks the shapes of what is printed, never a
time: the profile names exactly the stages report.py counts FLOPs for,
holds one time per stage per timed call, its stages are non-negative and
add up to no more than the profiled pass, and report.py prints table 1b
with every stage.

  smoke.py BENCH_FORWARD BENCH_SGEMM
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ref"))
sys.path.insert(0, HERE)
import checkpoint  # noqa: E402
import report  # noqa: E402

POLICY = ["--warmup", "1", "--warmup-s", "0", "--reps", "3", "--min-s", "0", "--max-reps", "3"]
failures = 0


def check(what, ok, detail=""):
    global failures
    if not ok:
        failures += 1
        print(f"FAIL {what}" + (f": {detail}" if detail else ""))


def run(cmd, row, T=None):
    r = subprocess.run(cmd, capture_output=True, text=True)
    check(" ".join(os.path.basename(c) for c in cmd[:1] + cmd[-1:]), r.returncode == 0, r.stderr.strip())
    rec = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {}
    rec["row"] = row
    rec["round"] = 1
    return rec


def main(fwd_bin, sgemm_bin):
    with tempfile.TemporaryDirectory() as d:
        mdir = os.path.join(d, "m")
        checkpoint.make_checkpoint(mdir, layers=2, hidden=32, heads=4, inter=64, max_pos=64)
        T = 12
        base = [fwd_bin, "--model", mdir, "--len", str(T), "--threads", "1"] + POLICY
        recs = [{"what": "info", "smoke": "bench/smoke.py"}]
        # a build without BLAS (-Dblas=false) has no sgemm to time: bench_sgemm
        # refuses (exit 1) and says why, and the report prints its table
        # without the peak columns
        sg = [sgemm_bin, "--n", "64", "--threads", "1"] + POLICY
        r = subprocess.run(sg, capture_output=True, text=True)
        if "built without BLAS" in r.stderr:
            check("bench_sgemm without BLAS: exit 1 and that one line", r.returncode == 1 and r.stderr.count("\n") == 1,
                  f"exit {r.returncode}: {r.stderr.strip()}")
        else:
            recs.append(run(sg, "sgemm"))
        recs += [run(base + ["--forward"], "tiny"), run(base + ["--profile"], "tiny")]
        modes = subprocess.run([fwd_bin, "--list"], capture_output=True, text=True).stdout.split()
        check("--profile is one of --list's modes", "--profile" in modes, " ".join(modes))

        prof = recs[-1]
        stages = prof.get("stages", {})
        want = list(report.stage_flop(prof, T)) if prof else []
        check("the profile's stages are report.py's", list(stages) == want, f"{list(stages)} vs {want}")
        n = len(prof.get("ms", []))
        check("one time per stage per timed call", n == 3 and all(len(v) == n for v in stages.values()),
              f"{n} calls, {[len(v) for v in stages.values()]}")
        for i in range(n):
            s = [v[i] for v in stages.values()]
            check(f"call {i}: stages non-negative", min(s) >= 0, str(s))
            check(f"call {i}: stages within the call", sum(s) <= prof["ms"][i] * 1.001 + 1e-3,
                  f"{sum(s)} > {prof['ms'][i]}")
        check("every stage with FLOPs took time", all(sum(stages[k]) > 0 for k in want if report.stage_flop(prof, T)[k]))
        check("the forward FLOPs are the stages' sum",
              report.forward_flop(prof, T) == sum(report.stage_flop(prof, T).values()) > 0)
        check("trace size and MLM rows printed", prof.get("trace_kb", 0) > 0 and prof.get("mlm_rows") == T)

        res = os.path.join(d, "results.jsonl")
        with open(res, "w") as f:
            for r in recs:
                f.write(json.dumps(r) + "\n")
        out = subprocess.run([sys.executable, os.path.join(HERE, "report.py"), res], capture_output=True, text=True)
        check("report.py runs", out.returncode == 0, out.stderr.strip())
        text = out.stdout
        check("report.py prints table 1b", "1b. Where the forward pass's time goes" in text, text[-400:])
        for k in want:
            check(f"table 1b has '{k}'", report.STAGE_ABOUT[k] in text)
        print(text)
    print(f"bench_smoke: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
