/* Saliency for a masked word (bertology/saliency.h): one forward and one
 * backward pass for gradient × input, on a trace of the sentence whose
 * MLM head reads pos's row only; integrated gradients run the N points
 * of the path and the baseline as the rows of one batch (a few batches
 * for long sentences or many steps) through the same forward and
 * backward passes the trainer runs on its batches. */
#include "bertology/saliency.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/backward.h"
#include "bertology/forward.h"
#include "bertology/guesses.h"
#include "bertology/i18n.h"

/* The most a batch of the path's points may take for its trace: rows up
 * to this run at once (one at least). At T = 32 on the default model a
 * row takes about 2.8 MB, so the default 20 steps and the baseline are
 * one batch (under 90 MB with the backward scratch); bert-base's shape
 * at T = 128 takes about 100 MB a row and runs one at a time, as before
 * batching. Most of the gain comes with the first few rows: at T = 32,
 * batches of 6 ran about as fast as one of 21 (bench/README.md). */
enum { PATH_BATCH_BYTES = 64 << 20 };
static int batch_rows_max;   /* saliency_set_batch_rows: 0, none */

void saliency_set_batch_rows(int rows) { batch_rows_max = rows > 0 ? rows : 0; }

typedef struct {
    const BertModel *m;
    Trace tr;           /* B = 1: the sentence as read */
    BackwardScratch s;
    float *dlogits;     /* (V) d log p(word) / d logits */
    BertModel nograd;   /* zeroed: backward accumulates no parameter gradient (backward.h) */
    int word;
} SalCtx;

static void ctx_close(SalCtx *c) {
    if (c->tr.arena) trace_free(&c->tr);
    backward_scratch_free(&c->s);
    free(c->dlogits);
    memset(c, 0, sizeof *c);
}

int saliency_check_model(const BertModel *m, BtError *err) {
    if (m->has_mlm) return 0;
    return bt_fail(err, _("this model has no MLM head (cls.predictions.*, a bare encoder checkpoint), so there is no "
                          "word probability to take the gradient of"));
}

double saliency_absmax(const double *v, int T) {
    double a = 0;
    for (int t = 0; t < T; t++)
        if (isfinite(v[t]) && fabs(v[t]) > a) a = fabs(v[t]);
    return a > 0 ? a : 1e-12;
}

/* log p(word) for each of the n rows of logits (n,V), and, when dlogits
 * is not NULL, its gradient there: cross_entropy's gradient of −log p
 * scaled by −1, that of log p. logp may be NULL. */
static void logp_rows(const float *logits, int n, int V, int word, float *dlogits, double *logp) {
    for (int i = 0; i < n; i++) {
        double loss = cross_entropy(logits + (size_t)i * V, &word, 1, V, dlogits ? dlogits + (size_t)i * V : NULL,
                                    -1.0f, NULL, NULL);
        if (logp) logp[i] = -loss;
    }
}

void saliency_free(Saliency *r) {
    free(r->ids);
    free(r->grad_dot);
    free(r->grad_norm);
    free(r->ig);
    free(r->text);
    memset(r, 0, sizeof *r);
}

static int check_args(const BertModel *m, const Trace *base, int pos, int word, int steps, BtError *err) {
    if (saliency_check_model(m, err) != 0) return -1;
    if (base->B != 1 || !base->arena) return bt_fail(err, "internal: saliency reads the trace of one sentence");
    if (base->ablate.n)
        return bt_fail(err, _("saliency differentiates the intact model, and this run has heads or FFNs knocked out "
                              "(the backward pass does not know them): `ablate off` first"));
    if (pos < 0 || pos >= base->T)
        return bt_fail(err, "position %d is out of range: the sentence has %d tokens, 0–%d", pos, base->T, base->T - 1);
    if (word < -1 || word >= m->cfg.vocab_size)
        return bt_fail(err, "token id %d is out of range: the vocabulary has %d", word, m->cfg.vocab_size);
    if (steps < 0 || steps > SALIENCY_STEPS_MAX)
        return bt_fail(err, "integrated gradients take 1 to %d steps (0: none), not %d", SALIENCY_STEPS_MAX, steps);
    return 0;
}

static int ctx_open(SalCtx *c, const BertModel *m, const Trace *base, int pos, BtError *err) {
    memset(c, 0, sizeof *c);
    c->m = m;
    int T = base->T;
    if (trace_alloc(&c->tr, m, 1, T, 1, 0, err) != 0) return -1;
    if (backward_scratch_alloc(&c->s, &c->tr, err) != 0) return -1;
    if (!(c->dlogits = malloc(sizeof(float) * (size_t)m->cfg.vocab_size)))
        return bt_fail(err, "out of memory for saliency");
    if (forward_prepare(&c->tr, base->input_ids, base->type_ids, T, err) != 0) return -1;
    c->tr.mlm_rows[0] = pos;
    c->tr.causal = base->causal;
    c->tr.unscaled = base->unscaled;
    /* the lookup: word, position and type rows in tr, the run as made */
    forward(m, &c->tr, NULL);
    return trace_check_finite(&c->tr, c->tr.mlm_logits, (size_t)m->cfg.vocab_size, err);
}

/* The path's batch: R rows of the sentence, each its own sequence, whose
 * word vectors integrate() sets; the MLM head reads pos in each. */
typedef struct {
    Trace tr;
    BackwardScratch s;
    float *dlogits;     /* (R,V) */
} PathBatch;

static void path_close(PathBatch *p) {
    if (p->tr.arena) trace_free(&p->tr);
    backward_scratch_free(&p->s);
    free(p->dlogits);
    memset(p, 0, sizeof *p);
}

/* Rows per batch for n rows of T tokens: as many as PATH_BATCH_BYTES
 * holds, then spread evenly over the batches that takes, so that the
 * last batch is not mostly spare rows. */
static int path_rows(const BertModel *m, int T, int n) {
    size_t row = trace_bytes(m, 1, T, 1, 0);
    int R = row ? (int)(PATH_BATCH_BYTES / row) : 1;
    if (batch_rows_max && R > batch_rows_max) R = batch_rows_max;
    if (R < 1) R = 1;
    if (R > n) R = n;
    int batches = (n + R - 1) / R;
    return (n + batches - 1) / batches;
}

/* A batch of R copies of c's sentence: its tokens, segments, position
 * and segment vectors, switches; word vectors unset. */
static int path_open(PathBatch *p, const SalCtx *c, int R, int pos, BtError *err) {
    memset(p, 0, sizeof *p);
    const Trace *one = &c->tr;
    int T = one->T, H = one->H;
    size_t TH = (size_t)T * H;
    if (trace_alloc(&p->tr, c->m, R, T, R, 0, err) != 0) return -1;
    if (backward_scratch_alloc(&p->s, &p->tr, err) != 0) return -1;
    if (!(p->dlogits = malloc(sizeof(float) * (size_t)R * one->V)))
        return bt_fail(err, "out of memory for integrated gradients (%d rows of %d tokens)", R, T);
    Trace *tr = &p->tr;
    tr->causal = one->causal;
    tr->unscaled = one->unscaled;
    memcpy(tr->pos_emb, one->pos_emb, sizeof(float) * TH);
    for (int b = 0; b < R; b++) {
        memcpy(tr->input_ids + (size_t)b * T, one->input_ids, sizeof(int) * T);
        memcpy(tr->type_ids + (size_t)b * T, one->type_ids, sizeof(int) * T);
        memcpy(tr->valid + (size_t)b * T, one->valid, sizeof(int) * T);
        memcpy(tr->type_emb + b * TH, one->type_emb, sizeof(float) * TH);
        tr->mlm_rows[b] = b * T + pos;
    }
    tr->n_mlm = R;
    return 0;
}

/* Integrated gradients along α·x, α from 0 to 1, by the midpoint rule;
 * x: the word rows (T,H) as read. Row k of the path (0 ≤ k < N) is
 * αₖ·x; rows from N on are the baseline (α = 0), one at least, whose
 * log p is logp_base and whose gradient is not asked for. Rows run R at
 * a time, in order, so Σₖ adds in the order of the steps. */
static int integrate(SalCtx *c, const float *x, int pos, int steps, Saliency *r, BtError *err) {
    int T = c->tr.T, H = c->tr.H, V = c->tr.V;
    size_t TH = (size_t)T * H;
    int n = steps + 1;
    int R = path_rows(c->m, T, n);
    PathBatch p;
    if (path_open(&p, c, R, pos, err) != 0) {
        path_close(&p);
        return -1;
    }
    for (int t = 0; t < T; t++) r->ig[t] = 0;
    for (int k0 = 0; k0 < n; k0 += R) {
        for (int b = 0; b < R; b++) {
            int k = k0 + b;
            float a = k < steps ? ((float)k + 0.5f) / (float)steps : 0.0f;
            float *row = p.tr.tok_emb + b * TH;
            for (size_t i = 0; i < TH; i++) row[i] = a * x[i];
        }
        forward_embedded(c->m, &p.tr, NULL);
        logp_rows(p.tr.mlm_logits, R, V, c->word, p.dlogits, NULL);
        for (int b = 0; b < R; b++)
            if (k0 + b >= steps) memset(p.dlogits + (size_t)b * V, 0, sizeof(float) * V);
        backward(c->m, &p.tr, p.dlogits, NULL, &c->nograd, &p.s);
        for (int b = 0; b < R && k0 + b < steps; b++) {
            const float *g = p.s.dres + b * TH;
            for (int t = 0; t < T; t++) {
                double d = 0;
                for (int h = 0; h < H; h++) d += (double)x[(size_t)t * H + h] * g[(size_t)t * H + h];
                r->ig[t] += d / steps;
            }
        }
        if (k0 + R > steps)   /* the last batch: the baseline's row is row `steps` */
            logp_rows(p.tr.mlm_logits + (size_t)(steps - k0) * V, 1, V, c->word, NULL, &r->logp_base);
    }
    path_close(&p);
    r->ig_sum = 0;
    for (int t = 0; t < T; t++) r->ig_sum += r->ig[t];
    return 0;
}

int saliency_run(const BertModel *m, const Trace *base, int pos, int word, int steps, Saliency *r, BtError *err) {
    memset(r, 0, sizeof *r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (check_args(m, base, pos, word, steps, err) != 0) return -1;
    SalCtx c;
    if (ctx_open(&c, m, base, pos, err) != 0) {
        ctx_close(&c);
        return -1;
    }
    int T = base->T, H = base->H, V = m->cfg.vocab_size;
    if (word < 0) {
        Guess top;
        guesses_top(c.tr.mlm_logits, V, 1, &top);
        word = top.id;
    }
    c.word = word;
    r->T = T;
    r->pos = pos;
    r->pos_id = base->input_ids[pos];
    r->word = word;
    r->steps = steps;
    r->causal = base->causal;
    r->unscaled = base->unscaled;
    r->logp_base = NAN;
    r->ids = malloc(sizeof *r->ids * T);
    r->grad_dot = malloc(sizeof *r->grad_dot * T);
    r->grad_norm = malloc(sizeof *r->grad_norm * T);
    if (steps) r->ig = malloc(sizeof *r->ig * T);
    float *x = malloc(sizeof(float) * (size_t)T * H);
    if (!r->ids || !r->grad_dot || !r->grad_norm || (steps && !r->ig) || !x) {
        free(x);
        ctx_close(&c);
        saliency_free(r);
        return bt_fail(err, "out of memory for saliency (%d tokens)", T);
    }
    memcpy(r->ids, base->input_ids, sizeof *r->ids * T);
    memcpy(x, c.tr.tok_emb, sizeof(float) * (size_t)T * H);

    /* ctx_open ran the forward pass: the gradient of log p at x */
    logp_rows(c.tr.mlm_logits, 1, V, word, c.dlogits, &r->logp);
    backward(m, &c.tr, c.dlogits, NULL, &c.nograd, &c.s);
    for (int t = 0; t < T; t++) {
        const float *g = c.s.dres + (size_t)t * H, *xt = x + (size_t)t * H;
        double dot = 0, nn = 0;
        for (int h = 0; h < H; h++) {
            dot += (double)g[h] * xt[h];
            nn += (double)g[h] * g[h];
        }
        r->grad_dot[t] = dot;
        r->grad_norm[t] = sqrt(nn);
    }
    int rc = steps ? integrate(&c, x, pos, steps, r, err) : 0;
    free(x);
    ctx_close(&c);
    if (rc != 0) {
        saliency_free(r);
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    return 0;
}
