#!/usr/bin/python3
"""Turns the JSON lines bench/run.sh collected into the tables it prints.

  report.py RESULTS.jsonl

Every line carries a "row" label added by run.sh (model name, length) and
the raw samples; rounds of the same row are pooled. Ratios are
PyTorch time / C time (forward) and C tokens/s / PyTorch tokens/s (training):
above 1 means the C engine is faster.
"""
import json
import sys

import numpy as np


def q(a, p):
    return float(np.percentile(np.asarray(a, dtype=np.float64), p))


def stage_flop(d, T):
    """Multiply-adds ×2 of the matrix products of one forward pass, B=1, by
    the stages of bench_forward --profile (src/core/fwd_profile.c names
    them; the smoke test checks the two lists agree): per layer Q,K,V
    (3·2·T·H²), scores QKᵀ and attn·V (2·2·T²·H over all heads), output
    (2·T·H²), FFN up and down (2·T·H·I each); the MLM head's transform
    (2·n·H²) and decoder (2·n·H·V) over its n rows (all T positions in the
    bench); NSP pooler + classifier. Element-wise stages count 0."""
    L, H, I, V = d["layers"], d["hidden"], d["inter"], d["vocab"]
    n = d.get("mlm_rows", T) if d.get("has_mlm", 1) else 0
    return {"embeddings": 0, "qkv": L * 6 * T * H * H, "attention": L * 4 * T * T * H,
            "out_proj": L * 2 * T * H * H, "residual_ln": 0, "ffn_up_gelu": L * 2 * T * H * I,
            "ffn_down": L * 2 * T * I * H, "mlm_transform": 2 * n * H * H, "mlm_decoder": 2 * n * H * V,
            "nsp": (2 * H * H + 4 * H) if d.get("has_nsp", 1) else 0}


def forward_flop(d, T):
    """Every matrix product of one forward pass: the stages' sum."""
    return sum(stage_flop(d, T).values())


STAGE_ABOUT = {"embeddings": "embeddings (lookup, sum, LN)", "qkv": "Q, K, V projections",
               "attention": "attention: scores, softmax, context", "out_proj": "attention output projection",
               "residual_ln": "residual + LayerNorm (×2 a layer)", "ffn_up_gelu": "FFN up + GELU",
               "ffn_down": "FFN down", "mlm_transform": "MLM head transform", "mlm_decoder": "MLM decoder",
               "nsp": "NSP (pooler + classifier)"}


def num(x):
    """3 significant digits below 100, whole numbers above."""
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def profile(pr, fwd, peak):
    """Table 1b: one block per forward row, from bench_forward --profile
    run beside it: each stage's median ms, its share of the stages' sum,
    its FLOPs, the time it would take at the sgemm peak of the same run
    and how many times that it took (1× = at peak)."""
    out = ["1b. Where the forward pass's time goes (C, bench_forward --profile, beside each forward row)",
           "   ms = median over calls of the stage's time in one pass; share = of the stages' medians summed;",
           "   at peak = the stage's FLOPs at the sgemm peak of this run; × peak = ms / at peak (1× = at peak;",
           "   — for element-wise stages); profiled = the profiled pass's median, against the forward row's"]
    keys = []
    for r in pr:
        if (r["row"], r["T"]) not in keys:
            keys.append((r["row"], r["T"]))
    for row, T in keys:
        rs = [r for r in pr if (r["row"], r["T"]) == (row, T)]
        fl = stage_flop(rs[0], T)
        med = {k: q([x for r in rs for x in r["stages"][k]], 50) for k in rs[0]["stages"]}
        tot = sum(med.values())
        rows = []
        for k, ms in med.items():
            f = fl.get(k, 0)
            at = f / (peak * 1e9) * 1e3 if peak and f else None
            rows.append([STAGE_ABOUT.get(k, k), num(ms), f"{100 * ms / tot:.1f}%" if tot else "n/a",
                         num(f / 1e6) if f else "—", num(at) if at else "—", ratio(ms / at) if at else "—"])
        whole = q([x for r in rs for x in r["ms"]], 50)
        fw = [x for r in fwd if (r["row"], r["T"]) == (row, T) for x in r["ms"]]
        out.append("")
        out.append(f"   {row}, T = {T}: profiled {whole:.2f} ms"
                   + (f", forward row {q(fw, 50):.2f} ms (× {whole / q(fw, 50):.2f})" if fw else ""))
        out.append(table(["stage", "ms", "share", "MFLOP", "at peak ms", "× peak"], rows, "lrrrrr"))
    out.append("")
    return out


def fmt_ms(s):
    m = q(s, 50)
    p10, p90 = q(s, 10), q(s, 90)
    nd = 2 if m < 10 else 1
    return f"{m:.{nd}f} [{p10:.{nd}f}–{p90:.{nd}f}]"


def table(headers, rows, align):
    w = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    out = []
    fmt_row = lambda r: "  ".join(str(c).ljust(w[i]) if align[i] == "l" else str(c).rjust(w[i]) for i, c in enumerate(r))
    out.append(fmt_row(headers))
    out.append("  ".join("-" * x for x in w))
    out += [fmt_row(r) for r in rows]
    return "\n".join(out)


def ratio(x):
    return f"{x:.1f}×" if x >= 10 else f"{x:.2f}×" if x >= 0.1 else f"{x:.2g}×"


def instruments(ins):
    """Table 4: each instrument bench_forward timed, in its order, with its
    time over the forward pass's: per round (the forward pass and the
    instruments of one round ran minutes apart at most, under the same
    load), then the median over rounds."""
    T = ins[0]["T"]
    order = []
    for r in ins:
        if r["what"] not in order:
            order.append(r["what"])
    fwd = {r.get("round", 0): q(r["ms"], 50) for r in ins if r["what"] == "forward"}
    rows, about = [], []
    for what in order:
        rs = [r for r in ins if r["what"] == what]
        s = [x for r in rs for x in r["ms"]]
        ratios = [q(r["ms"], 50) / fwd[r.get("round", 0)] for r in rs if r.get("round", 0) in fwd]
        cpu = [r["cpu_ms"] for r in rs if "cpu_ms" in r]
        budget = rs[0].get("budget_ms", 0)
        rows.append([what, fmt_ms(s), f"{min(s):.2f}", ratio(q(ratios, 50)) if ratios else "n/a",
                     f"{q(cpu, 50):.1f}" if cpu else "n/a",
                     (f"{budget}" + (" ok" if q(s, 50) <= budget else " OVER")) if budget else ""])
        about.append(f"   {what}: {rs[0].get('about', '')}")
    out = [f"4. Instruments on the default model at T = {T} (C only; issue 15: under 100 ms, the scan under 1 s)"]
    out += about
    out.append("   milliseconds, median [p10–p90] and min; × forward = the median over rounds of the instrument's")
    out.append("   median over the forward pass's in the same round (the ratio a loaded machine disturbs least);")
    out.append("   cpu ms = process CPU time per call, all threads; budget: issue 15's, against the median")
    out.append(table(["what", "ms", "min", "× forward", "cpu ms", "budget ms"], rows, "lrrrrl"))
    out.append("")
    return out


def main(path):
    recs = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
    lines = []
    info = [r for r in recs if r.get("what") == "info"]
    for r in info:
        for k, v in r.items():
            if k != "what":
                lines.append(f"{k}: {v}")
    checks = [r for r in recs if r.get("what", "").startswith("check")]
    for r in checks:
        if r["what"] == "check-forward":
            lines.append(f"check {r['row']}: C and PyTorch logits agree, max |diff| {r['max_abs_diff_mlm']:.2e} "
                         f"(largest |logit| {r['max_abs_logit']:.1f}), argmax agreement {100 * r['argmax_agree']:.0f}%"
                         + ("" if r["ok"] else "  ** MISMATCH **"))
        else:
            lines.append(f"check {r['row']}: one training step without dropout, relative differences "
                         + ", ".join(f"{k} {v:.1e}" for k, v in r["rel_diff"].items() if k != "n_mlm")
                         + ("" if r["ok"] else "  ** MISMATCH **"))

    peak = None
    sg = [r for r in recs if r.get("what") == "sgemm"]
    if sg:
        ms = [x for r in sg for x in r["ms"]]
        peak = sg[0]["flop"] / (q(ms, 50) * 1e-3) / 1e9
        best = sg[0]["flop"] / (min(ms) * 1e-3) / 1e9
        lines.append(f"sgemm peak: cblas_sgemm {sg[0]['n']}³, {sg[0]['threads']} threads, OpenBLAS core "
                     f"{sg[0]['openblas_core']}: {peak:.1f} GFLOP/s median ({best:.1f} best)")
    lines.append("")

    fw = [r for r in recs if r.get("what") == "forward"]
    rows_order = []
    for r in fw:
        if (r["row"], r["T"]) not in rows_order:
            rows_order.append((r["row"], r["T"]))
    if fw:
        trows, mrows = [], []
        for row, T in rows_order:
            c = [r for r in fw if (r["row"], r["T"]) == (row, T) and r["side"] == "c"]
            t = [r for r in fw if (r["row"], r["T"]) == (row, T) and r["side"] == "torch"]
            if not c or not t:
                continue
            cs = [x for r in c for x in r["ms"]]
            ts = [x for r in t for x in r["ms"]]
            gflops = forward_flop(c[0], T) / (q(cs, 50) * 1e-3) / 1e9
            ratio = q(ts, 50) / q(cs, 50)
            trows.append([row, T, fmt_ms(cs), fmt_ms(ts), f"{ratio:.2f}×", f"{gflops:.1f}",
                          f"{100 * gflops / peak:.0f}%" if peak else "n/a",
                          f"{forward_flop(c[0], T) / 1e9:.3f}"])
            crss = max(r["maxrss_kb"] for r in c) / 1024
            trss = max(r["maxrss_kb"] for r in t) / 1024
            imp = max(r.get("import_rss_kb", 0) for r in t) / 1024
            wmb = c[0].get("n_params", 0) * 4 / 2**20
            cend = max(r.get("rss_end_kb", 0) for r in c) / 1024
            tend = max(r.get("rss_end_kb", 0) for r in t) / 1024
            trace = max(r.get("trace_kb", 0) for r in c) / 1024
            mrows.append([row, T, f"{wmb:.0f}", f"{crss:.0f}", f"{crss / wmb:.2f}×" if wmb else "n/a",
                          f"{trace:.0f}", f"{cend:.0f}", f"{trss:.0f}", f"{tend:.0f}",
                          f"{trss - imp:.0f}", f"{trss / crss:.2f}×"])
        lines.append("1. Forward latency, B=1: encoder + MLM head over every position + NSP head")
        lines.append("   milliseconds, median [p10–p90]; ratio = PyTorch / C (>1: C faster)")
        lines.append(table(["model", "T", "C ms", "PyTorch ms", "C/PyTorch", "C GFLOP/s", "of peak", "GFLOP"],
                           trows, "lrllrrrr"))
        lines.append("")
        pr = [r for r in recs if r.get("what") == "profile" and r.get("row") != "instruments"]
        if pr:
            lines += profile(pr, [r for r in fw if r["side"] == "c"], peak)
        lines.append("3. Peak memory of the forward rows (max RSS, MB; each row is its own process)")
        lines.append("   weights = f32 parameters; 'end' = RSS after the timed passes (peak can include loading);")
        lines.append("   'PyTorch − import' = PyTorch peak minus the RSS of `import torch` alone;")
        lines.append("   C trace = the one arena of every intermediate the REPL's views read (trace_bytes)")
        lines.append(table(["model", "T", "weights", "C peak", "C peak/weights", "C trace", "C end", "PyTorch peak",
                            "PyTorch end", "PyTorch − import", "PyTorch/C peak"], mrows, "lrrrrrrrrrr"))
        lines.append("")

    tr = [r for r in recs if r.get("what") == "train"]
    if tr:
        rows = []
        res = {}
        for side in ("c", "torch"):
            w = [x for r in tr if r["side"] == side for x in r["windows"]]
            if not w:
                continue
            tps = [x["tokens"] / x["s"] for x in w]
            steps = [x for r in tr if r["side"] == side for x in r["step_ms"]]
            res[side] = q(tps, 50)
            r0 = [r for r in tr if r["side"] == side][0]
            rows.append(["C" if side == "c" else "PyTorch", f"{q(tps, 50):.0f}", f"{min(tps):.0f}–{max(tps):.0f}",
                         len(w), f"{q(steps, 50):.0f}", f"{max(r['maxrss_kb'] for r in tr if r['side'] == side) / 1024:.0f}"])
        r0 = tr[0]
        lines.append(f"2. Training throughput: {r0['layers']} layers, H {r0['hidden']}, vocab {r0['vocab']}; "
                     f"{r0['batches']} synthetic batches of {r0['B']} (T 64–128), 15% MLM, dropout 0.1, AdamW, clip 1.0")
        lines.append("   real (non-padding) tokens per second, median over windows (each window = every batch once)")
        lines.append(table(["side", "tokens/s", "range", "windows", "step ms", "max RSS MB"], rows, "lrrrrr"))
        if "c" in res and "torch" in res:
            lines.append(f"   C / PyTorch = {res['c'] / res['torch']:.2f}× (>1: C faster)")
        lines.append("")
    ins = [r for r in recs if r.get("row") == "instruments"]
    if ins:
        lines += instruments(ins)
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
