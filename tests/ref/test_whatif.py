"""`bertology whatif --json` against numpy (bert_ref.forward, sharing
nothing with the C): on random checkpoints,

1. a token replaced (--pos/--word) and the training corruption
   (--corrupt): run B is run A's ids with the change; tokens are paired
   position by position; per layer and head the mean and the largest
   total-variation distance between paired attention rows, per pair and
   depth the cosine of the hidden vectors, the top-k guesses of both runs
   at each [MASK] and changed token, A's guesses' probabilities in B, and
   P(IsNext) are numpy's;
2. another sentence (--other), of another length: the pairing is the one
   written here from the rule in include/bertology/whatif.h (longest
   common subsequence of the ids, ties broken the one stated way, equal
   stretches between matches paired in order), and TV is taken over the
   union of the keys, a key without partner counting whole;
3. the corruption follows the trainer's recipe: only word pieces change,
   into [MASK] or another token, the same seed gives the same run, and
   over many seeds about 15% of the pieces are chosen;
4. bad input gets one line (status 1), or status 2 for a command line
   that does not say how run B differs."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import bert_ref  # noqa: E402
import checkpoint  # noqa: E402
from checks import check, finish, one_line_error  # noqa: E402

BIN = os.environ.get("BT_BIN", "build/bertology")
TOL = 2e-5   # float32 runs against float64


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def encode(mdir, text):
    r = run("tokenize", "--model", mdir, "--json", text)
    enc = json.loads(r.stdout)
    return np.array(enc["input_ids"]), np.array(enc["token_type_ids"])


def align(a, b):
    """The pairing rule of whatif.h, written from its description."""
    na, nb = len(a), len(b)
    dp = np.zeros((na + 1, nb + 1), dtype=int)
    for i in range(na - 1, -1, -1):
        for j in range(nb - 1, -1, -1):
            dp[i, j] = dp[i + 1, j + 1] + 1 if a[i] == b[j] else max(dp[i + 1, j], dp[i, j + 1])
    pa, pb = [-1] * na, [-1] * nb

    def gap(a0, a1, b0, b1):
        if a1 - a0 == b1 - b0:
            for k in range(a1 - a0):
                pa[a0 + k], pb[b0 + k] = b0 + k, a0 + k

    i = j = ga = gb = 0
    while i < na and j < nb:
        if a[i] == b[j]:
            gap(ga, i, gb, j)
            pa[i], pb[j] = j, i
            i += 1
            j += 1
            ga, gb = i, j
        elif dp[i + 1, j] >= dp[i, j + 1]:
            i += 1
        else:
            j += 1
    gap(ga, na, gb, nb)
    return pa, pb


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def reference(cfg, params, ids_a, ty_a, ids_b, ty_b, pa, pb, k, mask_id):
    L, nh = cfg["num_hidden_layers"], cfg["num_attention_heads"]
    A = bert_ref.forward(cfg, params, ids_a, ty_a)
    B = bert_ref.forward(cfg, params, ids_b, ty_b)
    pairs = [(i, pa[i]) for i in range(len(ids_a)) if pa[i] >= 0]
    tv_mean, tv_max = np.zeros((L, nh)), np.zeros((L, nh))
    for l in range(L):
        for h in range(nh):
            ra, rb = A[f"layer{l}.attn"][h], B[f"layer{l}.attn"][h]
            tvs = []
            for i, j in pairs:
                # keys: the union, a key and its partner being one
                d = sum(abs(ra[i, x] - (rb[j, pa[x]] if pa[x] >= 0 else 0)) for x in range(len(ids_a)))
                d += sum(rb[j, y] for y in range(len(ids_b)) if pb[y] < 0)
                tvs.append(0.5 * d)
            tv_mean[l, h], tv_max[l, h] = np.mean(tvs), np.max(tvs)
    hidden = lambda out, d: out["emb"] if d == 0 else out[f"layer{d - 1}.out"]
    cos = np.array([[np.dot(hidden(A, d)[i], hidden(B, d)[j]) /
                     (np.linalg.norm(hidden(A, d)[i]) * np.linalg.norm(hidden(B, d)[j])) for d in range(L + 1)]
                    for i, j in pairs])
    guesses = []
    for i, j in pairs:
        if ids_a[i] == ids_b[j] and ids_a[i] != mask_id:
            continue
        qa, qb = softmax(A["mlm_logits"][i]), softmax(B["mlm_logits"][j])
        top_a = list(np.argsort(-qa, kind="stable")[:k])
        top_b = list(np.argsort(-qb, kind="stable")[:k])
        guesses.append({"a": i, "b": j, "top_a": top_a, "pa": qa[top_a], "top_b": top_b, "pb": qb[top_b],
                        "p_b_of_top_a": qb[top_a]})
    nsp = None
    if any(ty_a) or any(ty_b):
        nsp = (softmax(A["nsp_logits"][0])[0], softmax(B["nsp_logits"][0])[0])
    return tv_mean, tv_max, cos, guesses, nsp


def compare(label, cfg, params, got, ty_a, ty_b, by_position, mask_id):
    ids_a, ids_b = np.array(got["ids_a"]), np.array(got["ids_b"])
    if by_position:
        pa = pb = list(range(len(ids_a)))
    else:
        pa, pb = align(list(ids_a), list(ids_b))
    check(label, got["partner_a"] == list(pa) and got["partner_b"] == list(pb),
          f"pairing {got['partner_a']} / {got['partner_b']}, want {pa} / {pb}")
    check(label, got["aligned"] == ("position" if by_position else "lcs"), got["aligned"])
    k = len(got["guesses"][0]["top_a"]) if got["guesses"] else 5
    tv_mean, tv_max, cos, guesses, nsp = reference(cfg, params, ids_a, ty_a, ids_b, ty_b, pa, pb, k, mask_id)
    e = np.abs(np.array(got["attn_tv_mean"]) - tv_mean).max()
    check(label, e < TOL, f"mean TV off by {e:.2e}")
    e = np.abs(np.array(got["attn_tv_max"]) - tv_max).max()
    check(label, e < TOL, f"largest TV off by {e:.2e}")
    gc = np.array([p["cos"] for p in got["pairs"]])
    check(label, gc.shape == cos.shape, f"cosines {gc.shape}, want {cos.shape}")
    if gc.shape == cos.shape:
        e = np.abs(gc - cos).max()
        check(label, e < TOL, f"cosines off by {e:.2e}")
    check(label, len(got["guesses"]) == len(guesses), f"{len(got['guesses'])} guess lists, want {len(guesses)}")
    for g, r in zip(got["guesses"], guesses):
        check(label, (g["a"], g["b"]) == (r["a"], r["b"]), f"guesses at {g['a']}/{g['b']}, want {r['a']}/{r['b']}")
        pa_ = np.array([x["p"] for x in g["top_a"]])
        pb_ = np.array([x["p"] for x in g["top_b"]])
        check(label, np.abs(pa_ - r["pa"]).max() < TOL and np.abs(pb_ - r["pb"]).max() < TOL,
              f"top-k probabilities at {g['a']}: {pa_} / {r['pa']}")
        # ids: the same unless two probabilities tie within float32
        ok_a = [x["id"] for x in g["top_a"]] == [int(v) for v in r["top_a"]] or np.min(np.abs(np.diff(r["pa"]))) < 1e-6
        check(label, ok_a, f"top-k ids at {g['a']}: {[x['id'] for x in g['top_a']]} / {r['top_a']}")
        e = np.abs(np.array(g["p_b_of_top_a"]) - r["p_b_of_top_a"]).max()
        check(label, e < TOL, f"A's guesses in B off by {e:.2e}")
    if nsp is None:
        check(label, got["nsp_isnext"] is None, "NSP given for single sentences")
    else:
        check(label, got["nsp_isnext"] is not None and abs(got["nsp_isnext"][0] - nsp[0]) < TOL and
              abs(got["nsp_isnext"][1] - nsp[1]) < TOL, f"P(IsNext) {got['nsp_isnext']}, want {nsp}")
    return gc


def main():
    with tempfile.TemporaryDirectory() as d:
        for seed, layers, heads in ((0, 2, 4), (3, 3, 2)):
            mdir = os.path.join(d, f"m{seed}")
            cfg = checkpoint.make_checkpoint(mdir, layers=layers, heads=heads, seed=seed)
            params = checkpoint.read_safetensors(os.path.join(mdir, "model.safetensors"))
            vocab = checkpoint.small_vocab()
            mask_id = vocab.index("[MASK]")
            label = f"replace (seed {seed})"
            text = "the man said he would work [MASK] day ."
            ids, ty = encode(mdir, text)
            r = run("whatif", "--model", mdir, "--json", "--pos", "2", "--word", "dog", text)
            if check(label, r.returncode == 0, r.stderr):
                got = json.loads(r.stdout)
                want_b = ids.copy()
                want_b[2] = vocab.index("dog")
                check(label, got["ids_a"] == list(ids) and got["ids_b"] == list(want_b), "run B is not A with 2 → dog")
                gc = compare(label, cfg, params, got, ty, ty, True, mask_id)
                # the token replaced moved; [CLS]'s embedding did not
                check(label, gc[2, 0] < 0.99 and abs(gc[0, 0] - 1) < 1e-6, f"cosines at emb: {gc[:, 0]}")
                check(label, {(g["a"]) for g in got["guesses"]} == {2, 7}, "guesses not at the [MASK] and the change")
                print(f"ok   {label}: T={len(ids)}")

            label = f"pair (seed {seed})"
            text = "the man said he would work ||| the [MASK] was good"
            ids, ty = encode(mdir, text)
            r = run("whatif", "--model", mdir, "--json", "--pos", "1", "--word", "dog", text)
            if check(label, r.returncode == 0, r.stderr):
                compare(label, cfg, params, json.loads(r.stdout), ty, ty, True, mask_id)
                print(f"ok   {label}")

            label = f"other sentence (seed {seed})"
            ta, tb = "the man said he would work here every day .", "the old man said he would come here ."
            ids_a, ty_a = encode(mdir, ta)
            ids_b, ty_b = encode(mdir, tb)
            r = run("whatif", "--model", mdir, "--json", "--other", tb, ta)
            if check(label, r.returncode == 0, r.stderr):
                got = json.loads(r.stdout)
                check(label, got["ids_b"] == list(ids_b), "run B is not the other sentence")
                compare(label, cfg, params, got, ty_a, ty_b, False, mask_id)
                none_a = [i for i, p in enumerate(got["partner_a"]) if p < 0]
                none_b = [i for i, p in enumerate(got["partner_b"]) if p < 0]
                check(label, none_a and none_b, f"no unpaired tokens in a sentence of another length: {none_a} {none_b}")
                print(f"ok   {label}: {len(ids_a)} and {len(ids_b)} tokens, unpaired A{none_a} B{none_b}")

            label = f"corrupt (seed {seed})"
            text = "the man said he would work here every day and the people had been good ."
            ids, ty = encode(mdir, text)
            r = run("whatif", "--model", mdir, "--json", "--corrupt", "--seed", "7", text)
            r2 = run("whatif", "--model", mdir, "--json", "--corrupt", "--seed", "7", text)
            if check(label, r.returncode == 0, r.stderr):
                got = json.loads(r.stdout)
                check(label, r.stdout.split('"ms"')[0] == r2.stdout.split('"ms"')[0], "the same seed gave another run")
                ib = np.array(got["ids_b"])
                changed = np.nonzero(ib != ids)[0]
                special = {vocab.index(t) for t in ("[CLS]", "[SEP]", "[PAD]")}
                check(label, all(ids[i] not in special for i in changed), "a special token was corrupted")
                check(label, all(ib[i] != vocab.index("[PAD]") for i in changed), "corrupted into padding")
                check(label, "corrupted as in training" in got["how"], got["how"])
                compare(label, cfg, params, got, ty, ty, True, mask_id)
                print(f"ok   {label}: {len(changed)} changed: {got['how']}")

        # the rate over many seeds: the trainer's 15% (each piece chosen alone, at least one)
        mdir = os.path.join(d, "m0")
        text = "the man said he would work here every day and the people had been good ."
        ids, _ = encode(mdir, text)
        pieces = len(ids) - 2
        chosen = 0
        for s in range(40):
            got = json.loads(run("whatif", "--model", mdir, "--json", "--corrupt", "--seed", str(s), text).stdout)
            chosen += got["how"].count(" [MASK]") + got["how"].count(" random") + got["how"].count(" kept")
        rate = chosen / (40 * pieces)
        check("corruption rate", 0.09 < rate < 0.24, f"{rate:.3f} of the word pieces chosen, want about 0.15")
        print(f"ok   corruption rate: {rate:.3f} over 40 seeds")

        # an encoder without the MLM and NSP heads: the rest of the comparison, no guesses, no NSP
        bdir = os.path.join(d, "bare")
        checkpoint.make_checkpoint(bdir, mlm=False, nsp=False)
        r = run("whatif", "--model", bdir, "--json", "--pos", "2", "--word", "dog", "the man said [MASK] ||| he would")
        if check("no heads", r.returncode == 0, r.stderr):
            got = json.loads(r.stdout)
            check("no heads", got["guesses"] == [] and got["nsp_isnext"] is None and len(got["pairs"]) == len(got["ids_a"]),
                  r.stdout[:300])
            print("ok   no heads")

        # bad input: one line
        one_line_error("multi-piece word", run("whatif", "--model", mdir, "--pos", "1", "--word", "dogcatmat", "the man"),
                       "word pieces")
        one_line_error("position out of range", run("whatif", "--model", mdir, "--pos", "9", "--word", "dog", "the man"),
                       "out of range")
        one_line_error("empty other", run("whatif", "--model", mdir, "--other", "  ", "the man"), "empty")
        one_line_error("no change", run("whatif", "--model", mdir, "the man"), "--corrupt", code=2)
        one_line_error("two changes", run("whatif", "--model", mdir, "--corrupt", "--other", "a", "the man"), "one of",
                       code=2)
    return finish("whatif_ref")


if __name__ == "__main__":
    sys.exit(main())
