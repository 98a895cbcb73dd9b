#!/usr/bin/python3
"""How far integrated gradients' completeness is off, by number of points.

  bench/ig_completeness.py [--bin build/bertology] [--model DIR] [--n 40] [--points 4,6,8,10,12,16,20]

Takes the first --n sentences of tests/data/heldout-prose-sample.txt (held
out from training) with 15 to 42 tokens, hides the middle whole word as
[MASK], and for each point count runs `bertology saliency --json --ig N`
(the word followed: the model's top guess). Completeness: Σ IG should equal
log p(x) − log p(baseline); the table gives the largest and the median
|Σ IG − gap| over the sentences (nats of log p), the same as a share of
each sentence's |gap|, and the median |gap|. Deterministic: the same
model and binary give the same table."""
import argparse, json, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, model, text, extra):
    args = [binary, "saliency", "--json"] + (["--model", model] if model else []) + extra + [text]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bertology"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--points", default="4,6,8,10,12,16,20")
    a = ap.parse_args()
    points = [int(x) for x in a.points.split(",")]
    sents = []
    with open(os.path.join(ROOT, "tests", "data", "heldout-prose-sample.txt"), encoding="utf-8") as f:
        for line in f:
            words = line.split()
            idx = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Za-z]+", w)]
            if not idx:
                continue
            words[idx[len(idx) // 2]] = "[MASK]"
            text = " ".join(words)
            T = len(run(a.bin, a.model, text, ["--ig", "0"])["tokens"])
            if 15 <= T <= 42:
                sents.append(text)
            if len(sents) == a.n:
                break
    print(f"{len(sents)} held-out sentences of 15-42 tokens; |sum IG - (log p(x) - log p(baseline))|, nats,")
    print("and as a share of the gap |log p(x) - log p(baseline)| (the IG paper asks for within 5%)")
    print(f"{'points':>6s} {'largest':>9s} {'median':>9s} {'largest %':>10s} {'median %':>9s} {'median gap':>11s}")
    for n in points:
        errs, rel, gaps = [], [], []
        for text in sents:
            r = run(a.bin, a.model, text, ["--ig", str(n)])
            gap = r["logprob"] - r["baseline_logprob"]
            errs.append(abs(r["ig_sum"] - gap))
            gaps.append(abs(gap))
            rel.append(100 * errs[-1] / max(abs(gap), 1e-9))
        print(f"{n:6d} {max(errs):9.4f} {statistics.median(errs):9.4f} {max(rel):9.2f}% {statistics.median(rel):8.2f}%"
              f" {statistics.median(gaps):11.3f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
