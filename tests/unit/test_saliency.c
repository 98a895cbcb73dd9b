/* Saliency (core/saliency.c) on a small random model: its gradient is
 * that of central differences of log p(word) taken through the forward
 * pass alone (every coordinate of every token's word vector, and the
 * direction of each vector for gradient × input); integrated gradients
 * keep their completeness (Σ IG = log p(x) − log p(baseline)) to the
 * accuracy of the Riemann sum, and the baseline's log p is the forward
 * pass's over zeroed word vectors; batches of any size give the same
 * numbers; the top guess is followed by default;
 * bad arguments fail with a message. The float64 check is
 * tests/ref/test_saliency.py. */
#include "bertology/forward.h"
#include "bertology/guesses.h"
#include "bertology/saliency.h"
#include "testmodel.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 8, L = 3, T = 6, POS = 2 };
static const int IDS[T] = {2, 5, 4, 7, 9, 3};

static void run_trace(const BertModel *m, Trace *tr, int mlm_rows) {
    BtError err = {{0}};
    int types[T] = {0};
    CHECKF(trace_alloc(tr, m, 1, T, mlm_rows, 0, &err) == 0, "%s", err.msg);
    CHECKF(forward_prepare(tr, IDS, types, T, &err) == 0, "%s", err.msg);
    if (mlm_rows == 1) tr->mlm_rows[0] = POS;
    forward(m, tr, NULL);
}

/* log p(word) at POS with the word vectors x (T,H), by the forward pass only */
static double logp_at(const BertModel *m, Trace *tr, const float *x, int word) {
    memcpy(tr->tok_emb, x, sizeof(float) * T * H);
    forward_embedded(m, tr, NULL);
    return guesses_logprob(tr->mlm_logits, V, word);
}

static void test_gradient(const BertModel *m) {
    BtError err = {{0}};
    Trace base, fd;
    run_trace(m, &base, T);
    run_trace(m, &fd, 1);
    Saliency r;
    int rc = saliency_run(m, &base, POS, -1, 0, &r, &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc) return;
    Guess top;
    guesses_top(base.mlm_logits + (size_t)POS * V, V, 1, &top);
    CHECK(r.word == top.id && r.pos == POS && r.pos_id == 4 && r.T == T && r.ig == NULL && r.steps == 0);
    CHECKF(fabs(r.logp - guesses_logprob(base.mlm_logits + (size_t)POS * V, V, r.word)) < 1e-5, "log p %g", r.logp);

    float x[T * H], y[T * H];
    memcpy(x, fd.tok_emb, sizeof x);
    const double e = 1e-2;
    for (int t = 0; t < T; t++) {
        /* gradient × input: the derivative along x_t itself */
        memcpy(y, x, sizeof y);
        for (int h = 0; h < H; h++) y[t * H + h] = (float)(x[t * H + h] * (1 + e));
        double up = logp_at(m, &fd, y, r.word);
        for (int h = 0; h < H; h++) y[t * H + h] = (float)(x[t * H + h] * (1 - e));
        double dn = logp_at(m, &fd, y, r.word);
        double want = (up - dn) / (2 * e);
        CHECKF(fabs(r.grad_dot[t] - want) < 2e-3 + 2e-2 * fabs(want), "token %d: ∇·x %g, differences %g", t,
               r.grad_dot[t], want);
        /* the norm, from every coordinate */
        double nn = 0;
        for (int h = 0; h < H; h++) {
            memcpy(y, x, sizeof y);
            y[t * H + h] = x[t * H + h] + (float)e;
            up = logp_at(m, &fd, y, r.word);
            y[t * H + h] = x[t * H + h] - (float)e;
            dn = logp_at(m, &fd, y, r.word);
            nn += (up - dn) / (2 * e) * ((up - dn) / (2 * e));
        }
        CHECKF(fabs(r.grad_norm[t] - sqrt(nn)) < 2e-3 + 2e-2 * sqrt(nn), "token %d: |∇| %g, differences %g", t,
               r.grad_norm[t], sqrt(nn));
    }
    /* the test means something: some tokens matter */
    CHECK(saliency_absmax(r.grad_norm, T) > 1e-2);
    saliency_free(&r);
    trace_free(&base);
    trace_free(&fd);
}

static void test_integrated(const BertModel *m) {
    BtError err = {{0}};
    Trace base, fd;
    run_trace(m, &base, T);
    run_trace(m, &fd, 1);
    /* the word whose log p the sentence moves most from the baseline's:
     * completeness is tested on a gap that is not 0 */
    float zero[T * H] = {0};
    int word = 5;
    double best = 0;
    for (int w = 5; w < V; w++) {
        double g = fabs(logp_at(m, &fd, base.tok_emb, w) - logp_at(m, &fd, zero, w));
        if (g > best) best = g, word = w;
    }
    Saliency r1, r;
    CHECKF(saliency_run(m, &base, POS, word, 1, &r1, &err) == 0, "%s", err.msg);
    CHECKF(saliency_run(m, &base, POS, word, 200, &r, &err) == 0, "%s", err.msg);
    if (test_failures) return;
    CHECK(r.word == word && r.steps == 200 && r.ig);
    double want_base = logp_at(m, &fd, zero, word);
    CHECKF(fabs(r.logp_base - want_base) < 1e-5, "baseline log p %g, forward %g", r.logp_base, want_base);
    double gap = r.logp - r.logp_base;
    /* this small random model hardly reads its word vectors (its gap is
     * about 0.01; tests/ref/test_saliency.py has larger ones) */
    CHECKF(fabs(gap) > 0.005, "log p(x) − log p(0) = %g: too small to test completeness with", gap);
    CHECKF(fabs(r.ig_sum - gap) < 2e-2 * fabs(gap), "Σ IG %g, log p(x) − log p(0) %g", r.ig_sum, gap);
    fprintf(stderr, "gap %g: Σ IG in 200 steps %g, in 1 step %g\n", gap, r.ig_sum, r1.ig_sum);
    double s = 0;
    for (int t = 0; t < T; t++) s += r.ig[t];
    CHECK(fabs(s - r.ig_sum) < 1e-9);
    /* one step is the gradient × input at α = ½, a different number */
    CHECKF(fabs(r1.ig_sum - r.ig_sum) > 1e-4, "1 step %g, 200 steps %g", r1.ig_sum, r.ig_sum);
    saliency_free(&r1);
    saliency_free(&r);
    trace_free(&base);
    trace_free(&fd);
}

/* The rows (x, the path's points, the baseline) run in batches of any
 * size with the same numbers: one at a time (as before batching), 3 a
 * batch for x, 6 points and the baseline (8 rows: the last batch has a
 * spare row), 4 a batch (two full ones), and all in one. */
static void test_batches(const BertModel *m) {
    BtError err = {{0}};
    Trace base;
    run_trace(m, &base, T);
    static const int rows[] = {1, 3, 4, 0};
    Saliency r[4];
    /* the progress reports: 0 before the first batch, then one per batch,
     * counting the 8 rows up to the end */
    static const int batches[] = {8, 3, 2, 1};
    for (int i = 0; i < 4; i++) {
        saliency_set_batch_rows(rows[i]);
        TestProgress pr;
        test_progress_record(&pr);
        CHECKF(saliency_run(m, &base, POS, -1, 6, &r[i], &err) == 0, "%d rows: %s", rows[i], err.msg);
        test_progress_record(NULL);
        CHECKF(pr.n == batches[i] + 1 && pr.first_done == 0 && pr.last_done == 8 && pr.last_total == 8 && !pr.went_back,
               "%d rows: %d reports, last %ld of %ld", rows[i], pr.n, pr.last_done, pr.last_total);
    }
    saliency_set_batch_rows(0);
    if (test_failures) return;
    for (int i = 1; i < 4; i++) {
        for (int t = 0; t < T; t++)
            CHECKF(fabs(r[i].ig[t] - r[0].ig[t]) < 1e-6 + 1e-5 * fabs(r[0].ig[t]),
                   "%d rows: token %d: IG %.9g, one at a time %.9g", rows[i], t, r[i].ig[t], r[0].ig[t]);
        CHECKF(fabs(r[i].logp_base - r[0].logp_base) < 1e-6, "%d rows: baseline log p %.9g, one at a time %.9g",
               rows[i], r[i].logp_base, r[0].logp_base);
        CHECK(r[i].word == r[0].word && fabs(r[i].logp - r[0].logp) < 1e-6 && r[i].steps == 6);
        for (int t = 0; t < T; t++)
            CHECKF(fabs(r[i].grad_dot[t] - r[0].grad_dot[t]) < 1e-6 + 1e-5 * fabs(r[0].grad_dot[t]) &&
                       fabs(r[i].grad_norm[t] - r[0].grad_norm[t]) < 1e-6 + 1e-5 * r[0].grad_norm[t],
                   "%d rows: token %d: ∇·x %.9g, |∇| %.9g; one at a time %.9g, %.9g", rows[i], t, r[i].grad_dot[t],
                   r[i].grad_norm[t], r[0].grad_dot[t], r[0].grad_norm[t]);
    }
    /* the baseline is not the path's last point (the test tells them apart) */
    CHECK(fabs(r[0].logp_base - r[0].logp) > 1e-4);
    for (int i = 0; i < 4; i++) saliency_free(&r[i]);
    trace_free(&base);
}

static void test_errors(BertModel *m) {
    BtError err = {{0}};
    Trace base;
    run_trace(m, &base, T);
    Saliency r;
    CHECK(saliency_run(m, &base, T, -1, 0, &r, &err) != 0 && strstr(err.msg, "out of range"));
    CHECK(r.grad_dot == NULL);
    CHECK(saliency_run(m, &base, -1, -1, 0, &r, &err) != 0 && strstr(err.msg, "out of range"));
    CHECK(saliency_run(m, &base, POS, V, 0, &r, &err) != 0 && strstr(err.msg, "vocabulary"));
    CHECK(saliency_run(m, &base, POS, -1, SALIENCY_STEPS_MAX + 1, &r, &err) != 0 && strstr(err.msg, "steps"));
    base.ablate.n = 1;
    base.ablate.ko[0] = (Knockout){.layer = 0, .head = 1, .kind = KO_HEAD_ZERO};
    CHECK(saliency_run(m, &base, POS, -1, 0, &r, &err) != 0 && strstr(err.msg, "ablate off"));
    base.ablate.n = 0;
    m->has_mlm = 0;
    CHECK(saliency_run(m, &base, POS, -1, 0, &r, &err) != 0 && strstr(err.msg, "no MLM head"));
    CHECK(saliency_check_model(m, &err) != 0);
    m->has_mlm = 1;
    trace_free(&base);
}

int main(void) {
    BertModel m;
    BertConfig cfg = {V, H, L, 2, 16, 16, 2, 1e-12f, POS_ABSOLUTE};
    if (test_random_model(&m, &cfg, VOCAB, V) != 0) {
        fprintf(stderr, "cannot make the test model\n");
        return 1;
    }
    test_gradient(&m);
    test_integrated(&m);
    test_batches(&m);
    test_errors(&m);
    model_free(&m);
    return test_done("saliency");
}
