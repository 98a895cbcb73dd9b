/* The table of the trace (core/trace.c): every name, .npz name and alias
 * finds its own row and no other, each row's getter reads the very field
 * it names, and `export` writes every row under its name and its old
 * .npz name, with the shapes of the table, checked by numpy (the numbers
 * themselves are checked against the numpy reference in
 * tests/ref/test_forward.py). */
#include "bertology/forward.h"
#include "bertology/trace_npz.h"
#include "testmodel.h"
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 8, L = 2, T = 5 };

/* Every string a row answers to. */
static int names_of(const TraceArray *a, const char *out[4]) {
    int n = 0;
    out[n++] = a->name;
    if (a->npz_old) out[n++] = a->npz_old;
    for (int j = 0; j < 2; j++)
        if (a->aliases[j]) out[n++] = a->aliases[j];
    return n;
}

static void test_lookup(void) {
    int n = trace_array_count();
    CHECK(n > 30);
    CHECK(trace_array_at(-1) == NULL && trace_array_at(n) == NULL);
    CHECK(trace_find("nothing") == NULL && trace_find(NULL) == NULL);
    for (int i = 0; i < n; i++) {
        const TraceArray *a = trace_array_at(i);
        const char *names[4];
        int k = names_of(a, names);
        for (int j = 0; j < k; j++) CHECKF(trace_find(names[j]) == a, "%s does not find row %s", names[j], a->name);
    }
    /* the three names the issue found for one array, and the lessons' */
    CHECK(trace_find("proj") == trace_find("attn_out") && trace_find("O") == trace_find("attn_out"));
    CHECK(trace_find("context") == trace_find("ctx") && trace_find("output") == trace_find("out"));
    CHECK(trace_find("ffnpre") == trace_find("ffn_pre") && trace_find("embeddings") == trace_find("emb"));
    CHECK(trace_stage_array(STAGE_LN1, TRACE_LN_IN, 0) == trace_find("res1"));
    CHECK(trace_stage_array(STAGE_QKV, TRACE_SHOWN, 2) == trace_find("v"));
    CHECK(trace_stage_array(STAGE_QKV, TRACE_SHOWN, 3) == NULL);
    /* every stage past the ids shows something */
    for (int s = STAGE_EMBED; s < STAGE_COUNT; s++) CHECKF(trace_stage_array(s, TRACE_SHOWN, 0), "stage %d", s);
}

/* Each row's getter against the field it is named after. */
static void test_getters(const Trace *tr) {
    const LayerTrace *lt = &tr->layers[1];
    CHECK(trace_data(tr, trace_find("input_ids"), 0) == tr->input_ids);
    CHECK(trace_floats(tr, trace_find("input_ids"), 0) == NULL);
    CHECK(trace_get(tr, "tok_emb", 0) == tr->tok_emb && trace_get(tr, "emb", 7) == tr->emb);
    CHECK(trace_get(tr, "emb_rstd", 0) == tr->emb_rstd);
    CHECK(trace_get(tr, "q", 1) == lt->q && trace_get(tr, "scores", 1) == lt->scores);
    CHECK(trace_get(tr, "ctx", 1) == lt->ctx && trace_get(tr, "O", 1) == lt->attn_out);
    CHECK(trace_get(tr, "res1", 1) == lt->res1 && trace_get(tr, "ln1_mean", 1) == lt->ln1_mean);
    CHECK(trace_get(tr, "ffn_pre", 1) == lt->ffn_pre && trace_get(tr, "ffnact", 1) == lt->ffn_act);
    CHECK(trace_get(tr, "res2", 1) == lt->res2 && trace_get(tr, "output", 1) == lt->out);
    CHECK(trace_get(tr, "ln2_rstd", 1) == lt->ln2_rstd);
    CHECK(trace_get(tr, "mlm_ln", 0) == tr->mlm_ln && trace_get(tr, "nsp_logits", 0) == tr->nsp_logits);
    CHECK(trace_get(tr, "out", L) == NULL && trace_get(tr, "out", -1) == NULL && trace_get(tr, "x", 0) == NULL);
    int64_t d[3];
    CHECK(trace_dims(tr, trace_find("q"), d) == 3 && d[0] == 2 && d[1] == T && d[2] == H / 2);
    CHECK(trace_dims(tr, trace_find("ffn_act"), d) == 2 && d[0] == T && d[1] == 16);
    CHECK(trace_dims(tr, trace_find("mlm_logits"), d) == 2 && d[1] == V);
    CHECK(trace_per_token(trace_find("ffn_pre")) && !trace_per_token(trace_find("attn")));
}

static void npz_name(char *buf, size_t n, const TraceArray *a, int l, const char *base) {
    if (a->per_layer) snprintf(buf, n, "layer%d.%s", l, base);
    else snprintf(buf, n, "%s", base);
}

/* name, old name, shape, one line per array (per layer) of the table. */
static void write_spec(const Trace *tr, const char *path) {
    FILE *f = fopen(path, "w");
    for (int i = 0; i < trace_array_count(); i++) {
        const TraceArray *a = trace_array_at(i);
        int64_t d[3];
        int nd = trace_dims(tr, a, d);
        for (int l = 0; l < (a->per_layer ? tr->L : 1); l++) {
            char name[64], old[64] = "-";
            npz_name(name, sizeof name, a, l, a->name);
            if (a->npz_old) npz_name(old, sizeof old, a, l, a->npz_old);
            fprintf(f, "%s\t%s\t", name, old);
            for (int k = 0; k < nd; k++) fprintf(f, "%s%lld", k ? "," : "", (long long)d[k]);
            fputc('\n', f);
        }
    }
    fclose(f);
}

static const char *PY_CHECKER =
    "import sys\n"
    "import numpy as np\n"
    "z = np.load(sys.argv[1])\n"
    "want = set()\n"
    "for line in open(sys.argv[2], encoding='utf-8').read().splitlines():\n"
    "    name, old, shape = line.split('\\t')\n"
    "    shape = tuple(int(s) for s in shape.split(','))\n"
    "    assert name in z.files, ('missing', name)\n"
    "    assert z[name].shape == shape, (name, z[name].shape, shape)\n"
    "    want.add(name)\n"
    "    if old != '-':\n"
    "        assert old in z.files, ('old name missing', old)\n"
    "        assert np.array_equal(z[old], z[name]), (old, name)\n"
    "        want.add(old)\n"
    "assert set(z.files) == want, sorted(set(z.files) ^ want)\n"
    "print('numpy: %d arrays, every row of the table' % len(want))\n";

static void test_export(const Trace *tr) {
    BtError err = {{0}};
    const char *npz = test_tmp_path("trace.npz"), *spec = test_tmp_path("spec.txt");
    const char *script = test_tmp_path("check.py");
    CHECKF(trace_export_npz(tr, npz, &err) == 0, "%s", err.msg);
    if (access("/usr/bin/python3", X_OK) != 0 || system("/usr/bin/python3 -c 'import numpy' 2>/dev/null") != 0) {
        fputs("skip the numpy check: no python3-numpy\n", stderr);
        return;
    }
    write_spec(tr, spec);
    FILE *f = fopen(script, "w");
    fputs(PY_CHECKER, f);
    fclose(f);
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s %s", script, npz, spec);
    CHECK(system(cmd) == 0);
}

/* trace_bytes is the size trace_alloc takes: the last array carved (the
 * NSP logits) ends inside it, within the arena's alignment slack, for
 * one sequence and for batches, with and without dropout masks. */
static void test_bytes(const BertModel *m) {
    static const struct { int B, T, cap; float dropout; } cases[] = {
        {1, T, T, 0}, {1, T, 1, 0}, {3, T, 3, 0}, {4, 2, 8, 0.1f}, {2, T, 0, 0}};
    size_t prev = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        BtError err = {{0}};
        Trace tr;
        size_t bytes = trace_bytes(m, cases[i].B, cases[i].T, cases[i].cap, cases[i].dropout);
        if (trace_alloc(&tr, m, cases[i].B, cases[i].T, cases[i].cap, cases[i].dropout, &err) != 0) {
            CHECKF(0, "%s", err.msg);
            continue;
        }
        const char *end = (const char *)(tr.nsp_logits + 2 * tr.B), *arena = tr.arena;
        CHECKF(end <= arena + bytes && arena + bytes - end <= 128, "case %zu: arrays end at %td, trace_bytes %zu", i,
               end - arena, bytes);
        trace_free(&tr);
        if (i == 2) CHECK(bytes > prev);   /* three sequences take more than one */
        prev = bytes;
    }
}

int main(void) {
    test_lookup();
    BertModel m;
    BertConfig cfg = {V, H, L, 2, 16, 32, 2, 1e-12f, POS_ABSOLUTE};
    if (test_random_model(&m, &cfg, VOCAB, V)) { CHECK(0); return test_done("trace"); }
    BtError err = {{0}};
    Trace tr;
    int ids[T] = {2, 5, 6, 7, 3}, types[T] = {0};
    CHECKF(trace_alloc(&tr, &m, 1, T, T, 0, &err) == 0, "%s", err.msg);
    CHECKF(forward_prepare(&tr, ids, types, T, &err) == 0, "%s", err.msg);
    forward(&m, &tr, NULL);
    test_getters(&tr);
    test_export(&tr);
    test_bytes(&m);
    /* a head run on chosen rows is not a per-token array */
    tr.n_mlm = 2;
    CHECK(trace_get(&tr, "mlm_logits", 0) == NULL);
    trace_free(&tr);
    model_free(&m);
    return test_done("trace");
}
