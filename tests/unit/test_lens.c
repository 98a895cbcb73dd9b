/* The logit lens (core/lens.c) on a small random model: its last depth is
 * the forward pass's own prediction to the bit; computed by the lens
 * itself (a trace whose head ran on other rows) it agrees to rounding;
 * each depth reads the hidden vector it names; the followed word's rank
 * and probability are those of guesses.c; bad arguments fail with a
 * message. The numbers at every depth are checked against numpy in
 * tests/ref/test_lens.py. */
#include "bertology/forward.h"
#include "bertology/lens.h"
#include "testmodel.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 8, L = 3, T = 6, K = 4 };

static void run_trace(const BertModel *m, Trace *tr, int mlm_rows) {
    BtError err = {{0}};
    int ids[T] = {2, 5, 4, 7, 9, 3}, types[T] = {0};
    CHECKF(trace_alloc(tr, m, 1, T, mlm_rows, 0, &err) == 0, "%s", err.msg);
    CHECKF(forward_prepare(tr, ids, types, T, &err) == 0, "%s", err.msg);
    forward(m, tr, NULL);
}

/* The last depth is what `predict` reads: the very logits of the pass. */
static void test_last_depth(const BertModel *m, const Trace *tr) {
    BtError err = {{0}};
    for (int pos = 0; pos < T; pos++) {
        LensResult r;
        int rc = lens_run(m, tr, pos, K, 6, &r, &err);
        CHECKF(rc == 0, "%s", err.msg);
        if (rc) continue;
        CHECK(r.depths == L + 1 && r.k == K && r.pos == pos && r.word == 6);
        Guess want[K];
        const float *lg = tr->mlm_logits + (size_t)pos * V;
        guesses_top(lg, V, K, want);
        const Guess *last = r.top + (size_t)L * K;
        for (int j = 0; j < K; j++)
            CHECKF(last[j].id == want[j].id && last[j].p == want[j].p, "pos %d top %d: %d %g, predict %d %g", pos,
                   j, last[j].id, last[j].p, want[j].id, want[j].p);
        CHECK(r.rank[L] == guesses_rank(lg, V, 6) && r.prob[L] == guesses_prob(lg, V, 6));
        /* the word's place agrees with the top list at every depth */
        for (int d = 0; d <= L; d++)
            for (int j = 0; j < K; j++)
                if (r.top[(size_t)d * K + j].id == 6)
                    CHECKF(r.rank[d] == j + 1 && fabs(r.prob[d] - r.top[(size_t)d * K + j].p) < 1e-12,
                           "depth %d: rank %d, listed %d", d, r.rank[d], j + 1);
        lens_free(&r);
    }
}

/* A trace whose head ran on no row of pos: the lens runs the head on every
 * depth itself, and the last one agrees with the pass's to rounding. */
static void test_computed(const BertModel *m, const Trace *full) {
    BtError err = {{0}};
    Trace tr;
    run_trace(m, &tr, 1);   /* the head on row 0 only */
    for (int pos = 1; pos < T; pos++) {
        LensResult a, b;
        CHECKF(lens_run(m, &tr, pos, K, 5, &a, &err) == 0, "%s", err.msg);
        CHECKF(lens_run(m, full, pos, K, 5, &b, &err) == 0, "%s", err.msg);
        for (int i = 0; i < (L + 1) * K; i++)
            CHECKF(a.top[i].id == b.top[i].id && fabs(a.top[i].p - b.top[i].p) < 1e-5, "pos %d entry %d", pos, i);
        for (int d = 0; d <= L; d++) CHECK(a.rank[d] == b.rank[d] && fabs(a.prob[d] - b.prob[d]) < 1e-5);
        lens_free(&a);
        lens_free(&b);
    }
    trace_free(&tr);
}

/* Each depth reads its own hidden vector: the head on that vector alone. */
static void test_depths(const BertModel *m, const Trace *tr) {
    BtError err = {{0}};
    CHECK(lens_hidden(tr, 0, 2) == tr->emb + 2 * H);
    CHECK(lens_hidden(tr, 1, 2) == tr->layers[0].out + 2 * H && lens_hidden(tr, 2, 3) == tr->layers[1].out + 3 * H);
    CHECK(lens_hidden(tr, L, 0) == tr->layers[L - 1].out);
    CHECK(!lens_hidden(tr, L + 1, 0) && !lens_hidden(tr, -1, 0) && !lens_hidden(tr, 0, T));
    char name[16];
    lens_depth_name(0, name, sizeof name);
    CHECK(strcmp(name, "emb") == 0);
    lens_depth_name(3, name, sizeof name);
    CHECK(strcmp(name, "layer 2") == 0);
    LensResult r;
    CHECKF(lens_run(m, tr, 2, V, -1, &r, &err) == 0, "%s", err.msg);
    CHECK(!r.rank && !r.prob && r.word == -1);
    float pre[H], act[H], ln[H], mean, rstd, logits[V];
    for (int d = 0; d < L; d++) {
        mlm_head_forward(m, lens_hidden(tr, d, 2), 1, pre, act, ln, &mean, &rstd, logits);
        Guess want[V];
        guesses_top(logits, V, V, want);
        double sum = 0;
        for (int j = 0; j < V; j++) {
            const Guess *g = &r.top[(size_t)d * V + j];
            sum += g->p;
            CHECKF(fabs(g->p - want[j].p) < 1e-6, "depth %d top %d", d, j);
        }
        CHECKF(fabs(sum - 1) < 1e-9, "depth %d: probabilities sum to %g", d, sum);
    }
    lens_free(&r);
}

static void test_errors(BertModel *m, const Trace *tr) {
    BtError err = {{0}};
    LensResult r;
    CHECK(lens_run(m, tr, -1, K, -1, &r, &err) != 0 && strstr(err.msg, "position -1"));
    CHECK(lens_run(m, tr, T, K, -1, &r, &err) != 0 && strstr(err.msg, "0–5"));
    CHECK(lens_run(m, tr, 0, 0, -1, &r, &err) != 0 && strstr(err.msg, "k must"));
    CHECK(lens_run(m, tr, 0, V + 1, -1, &r, &err) != 0);
    CHECK(lens_run(m, tr, 0, K, V, &r, &err) != 0 && strstr(err.msg, "vocabulary"));
    CHECK(r.top == NULL && r.rank == NULL);
    m->has_mlm = 0;
    CHECK(lens_run(m, tr, 0, K, -1, &r, &err) != 0 && strstr(err.msg, "no MLM head"));
    CHECK(lens_check_model(m, &err) != 0);
    m->has_mlm = 1;
    int id = -1;
    CHECK(lens_word(m->tok, "cat", &id, &err) == 0 && id == 6);
    CHECK(lens_word(m->tok, "Cat", &id, &err) == 0 && id == 6);   /* the vocabulary lower-cases */
    CHECK(lens_word(m->tok, "cats", &id, &err) != 0 && strstr(err.msg, "cat ##s"));
    CHECK(lens_word(m->tok, "dog", &id, &err) != 0 && strstr(err.msg, "[UNK]"));
    CHECK(lens_word(m->tok, "", &id, &err) != 0);
    lens_free(&r);   /* harmless on an emptied result */
}

int main(void) {
    BertModel m;
    BertConfig cfg = {V, H, L, 2, 16, 32, 2, 1e-12f, POS_ABSOLUTE};
    if (test_random_model(&m, &cfg, VOCAB, V)) { CHECK(0); return test_done("lens"); }
    Trace tr;
    run_trace(&m, &tr, T);
    test_last_depth(&m, &tr);
    test_computed(&m, &tr);
    test_depths(&m, &tr);
    test_errors(&m, &tr);
    trace_free(&tr);
    model_free(&m);
    return test_done("lens");
}
