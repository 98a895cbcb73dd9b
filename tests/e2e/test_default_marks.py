#!/usr/bin/python3
"""The shipped default model against the marks of issue 12, every figure
printed by `bertology eval` (the same figures as the model card's EVAL.txt):

- assets/cloze-en.txt: accepted word in the top 5, first, and first guesses
  that copy a word of the sentence;
- assets/cloze-en-2.txt (written before the model was trained): top 5;
- assets/cloze-en-3.txt (written before v3.1 was chosen) and
  assets/cloze-en-4.txt (written after it, before the prose arm was
  evaluated), the independent checks: top 5, as guards at the shipped level;
- assets/senses-en.txt: word-in-context lines that hold at the last layer;
- assets/neighbours-en.txt: words with an acceptable static neighbour;
- tests/data/heldout-prose-sample.txt (held-out Brown, nlp-corpus and KJV
  text the model never saw): [MASK] accuracy above the frequency baseline,
  NSP accuracy;
- no word of tests/data/blocklist-en.txt in the top 5 of any cloze sentence.

MARKS holds the bars: the issue's where the model reaches them, else the
level the shipped model reaches (the card says which marks are missed).
Run: test_default_marks.py [BIN]   (skips, exit 77, without the model)
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ref"))
from checks import check, finish  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BT_BIN", "build/bertology")
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODEL = os.path.join(ROOT, "assets", "models", "default")

# (figure, bar): the figure must be >= the bar (copies: <=)
MARKS = {
    "cloze_en_top5": 12,         # of 24; issue: >= 12 (met: 18 in v3.1 and v3; v2.1 19)
    "cloze_en_top1": 5,          # of 24; issue: >= 6 (missed: 5 in v3.1 and v3; v2.1 5, v1 0)
    "cloze_en_copies": 8,        # of 24, at most (one sentence of margin); issue: <= 2 (missed: 7 in v3.1 and v3; v2.1 13, v1 11)
    "cloze_en2_top5_pct": 44.0,  # issue: >= 50% (missed: 44.8% in v3.1 and v3; v2.1 47.6%, v1 11.4%)
    "cloze_en3_top5": 24,        # of 60; no issue mark (v3.1 26, v3 23): two sentences of margin
    "cloze_en4_top5": 16,        # of 50; no issue mark (v3.1 18, written after v3.1): two sentences of margin
    "senses_last_pct": 73.0,     # issue: >= 80% (missed: 75.0% in v3.1 and v3; v2.1 71.1%, v1 60.5%)
    "neighbours_pct": 70.0,      # issue: >= 70% (met: 97.0%; v1 3.0%)
    "nsp_pct": 90.0,             # issue: >= 90% (met: 91.4% on this sample, v3 91.1%; v2.1 91.5%)
    "mask_top5_over_base": 10.0,  # points above the frequency baseline (21.7)
}


def ev(*args):
    r = subprocess.run([BIN, "eval", "--model", MODEL, "--json", *args], capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        check("eval " + " ".join(args), False, r.stderr.strip())
        return None
    return json.loads(r.stdout)


def path(*p):
    return os.path.join(ROOT, *p)


def main():
    if not os.path.exists(os.path.join(MODEL, "model.safetensors")):
        print("test_default_marks: no shipped model, skipped")
        return 77
    blocked = {w.strip() for w in open(path("tests", "data", "blocklist-en.txt"), encoding="utf-8")
               if w.strip() and not w.startswith("#")}
    got = {}

    for name, f in (("cloze_en", "cloze-en.txt"), ("cloze_en2", "cloze-en-2.txt"), ("cloze_en3", "cloze-en-3.txt"),
                    ("cloze_en4", "cloze-en-4.txt")):
        j = ev("--cloze", path("assets", f))
        if not j:
            continue
        items = j["cloze"]
        n = len(items)
        top5 = sum(1 for i in items if i["best_rank"] <= 5)
        top1 = sum(1 for i in items if i["best_rank"] == 1)
        got[name + "_top5"] = top5
        got[name + "_top1"] = top1
        got[name + "_top5_pct"] = 100.0 * top5 / n
        got[name + "_copies"] = j["cloze_copies"]
        bad = [(i["line"], w) for i in items for w in i["top"] if w in blocked]
        check(f"{f}: no blocklisted word in any top 5", not bad, str(bad))
        print(f"{f}: {top5} of {n} in the top 5, {top1} first, {j['cloze_copies']} first guesses copy the sentence")

    j = ev("--senses", path("assets", "senses-en.txt"))
    if j:
        holds, n = j["senses_holds"], len(j["senses"])
        got["senses_last_pct"] = 100.0 * holds[-1] / n
        check("senses: the static rows tie, so never hold", j["senses_static_holds"] == 0)
        print(f"senses-en.txt: per point {holds} of {n}")
    j = ev("--neighbours", path("assets", "neighbours-en.txt"))
    if j:
        n = len(j["neighbours"])
        got["neighbours_pct"] = 100.0 * j["neighbours_holds"] / n
        print(f"neighbours-en.txt: {j['neighbours_holds']} of {n}")
    j = ev("--data", path("tests", "data", "heldout-prose-sample.txt"), "--sequences", "1000")
    if j:
        got["nsp_pct"] = 100.0 * j["nsp_accuracy"]
        got["mask_top5_over_base"] = 100.0 * (j["mask_top5"] - j["baseline_top5"])
        print(f"held-out prose sample: [MASK] top-1 {100 * j['mask_top1']:.1f}% top-5 {100 * j['mask_top5']:.1f}% "
              f"(baseline {100 * j['baseline_top5']:.1f}%), NSP {100 * j['nsp_accuracy']:.1f}%")

    for k, bar in MARKS.items():
        if k not in got:
            check(k, False, "not measured")
            continue
        ok = got[k] <= bar if k.endswith("copies") else got[k] >= bar
        check(k, ok, f"{got[k]:.1f} against the bar {bar}")
    return finish("test_default_marks")


if __name__ == "__main__":
    sys.exit(main())
