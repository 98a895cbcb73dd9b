/* Saliency for a masked word (bertology/saliency.h): forward and backward
 * passes over a batch of copies of the sentence whose MLM head reads
 * pos's row only, the trainer's own passes over its batches. Row 0 holds
 * the word vectors as read (gradient × input); with integrated gradients,
 * rows 1..N the points of the path and row N+1 the baseline, run in one
 * batch (a few for long sentences or many steps). */
#include "bertology/saliency.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/backward.h"
#include "bertology/forward.h"
#include "bertology/guesses.h"
#include "bertology/i18n.h"
#include "bertology/progress.h"

static const char IG_PROGRESS[] = N_("integrated gradients: %ld of %ld rows");

/* The most a batch may take for its trace: rows up to this run at once
 * (one at least). At T = 32 on the default model a row takes about
 * 2.8 MB, so x, the default 20 steps and the baseline are one batch
 * (under 90 MB with the backward scratch); bert-base's shape at T = 128
 * takes about 100 MB a row and runs one at a time, as before batching.
 * Most of the gain comes with the first few rows: at T = 32, batches of
 * 6–11 rows ran about as fast as one of 22 (bench/README.md). */
enum { PATH_BATCH_BYTES = 64 << 20 };
static int batch_rows_max;   /* saliency_set_batch_rows: 0, none */

void saliency_set_batch_rows(int rows) { batch_rows_max = rows > 0 ? rows : 0; }

int saliency_check_model(const BertModel *m, BtError *err) {
    if (m->has_mlm) return 0;
    return bt_fail(err, "this model has no MLM head (cls.predictions.*, a bare encoder checkpoint), so there is no "
                          "word probability to take the gradient of");
}

double saliency_absmax(const double *v, int T) {
    double a = 0;
    for (int t = 0; t < T; t++)
        if (isfinite(v[t]) && fabs(v[t]) > a) a = fabs(v[t]);
    return a > 0 ? a : 1e-12;
}

/* log p(word) for one row of logits (V), and, when dlogits is not NULL,
 * its gradient there: cross_entropy's gradient of −log p scaled by −1,
 * that of log p. */
static double logp_row(const float *logits, int V, int word, float *dlogits) {
    return -cross_entropy(logits, &word, 1, V, dlogits, -1.0f, NULL, NULL);
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
        return bt_fail(err, "saliency differentiates the intact model, and this run has heads or FFNs knocked out "
                              "(the backward pass does not know them): `ablate off` first");
    if (pos < 0 || pos >= base->T)
        return bt_fail(err, "position %d is out of range: the sentence has %d tokens, 0–%d", pos, base->T, base->T - 1);
    if (word < -1 || word >= m->cfg.vocab_size)
        return bt_fail(err, "token id %d is out of range: the vocabulary has %d", word, m->cfg.vocab_size);
    if (steps < 0 || steps > SALIENCY_STEPS_MAX)
        return bt_fail(err, "integrated gradients take 1 to %d steps (0: none), not %d", SALIENCY_STEPS_MAX, steps);
    return 0;
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

/* The batch: R copies of the sentence, each its own sequence, whose word
 * vectors run_rows sets; the MLM head reads pos in each. */
typedef struct {
    const BertModel *m;
    Trace tr;
    BackwardScratch s;
    float *dlogits;     /* (R,V) d log p(word) / d logits */
    BertModel nograd;   /* zeroed: backward accumulates no parameter gradient (backward.h) */
} Batch;

static void batch_close(Batch *p) {
    if (p->tr.arena) trace_free(&p->tr);
    backward_scratch_free(&p->s);
    free(p->dlogits);
    memset(p, 0, sizeof *p);
}

/* R copies of base's tokens, segments, switches and of the position and
 * segment vectors its forward pass looked up. */
static int batch_open(Batch *p, const BertModel *m, const Trace *base, int R, int pos, BtError *err) {
    memset(p, 0, sizeof *p);
    p->m = m;
    int T = base->T;
    size_t TH = (size_t)T * base->H;
    if (trace_alloc(&p->tr, m, R, T, R, 0, err) != 0) return -1;
    if (backward_scratch_alloc(&p->s, &p->tr, err) != 0) return -1;
    if (!(p->dlogits = malloc(sizeof(float) * (size_t)R * m->cfg.vocab_size)))
        return bt_fail(err, "out of memory for saliency (%d copies of %d tokens)", R, T);
    Trace *tr = &p->tr;
    tr->causal = base->causal;
    tr->unscaled = base->unscaled;
    memcpy(tr->pos_emb, base->pos_emb, sizeof(float) * TH);
    for (int b = 0; b < R; b++) {
        memcpy(tr->input_ids + (size_t)b * T, base->input_ids, sizeof(int) * T);
        memcpy(tr->type_ids + (size_t)b * T, base->type_ids, sizeof(int) * T);
        memcpy(tr->valid + (size_t)b * T, base->valid, sizeof(int) * T);
        memcpy(tr->type_emb + b * TH, base->type_emb, sizeof(float) * TH);
        tr->mlm_rows[b] = b * T + pos;
    }
    tr->n_mlm = R;
    return 0;
}

/* The scale of x in row k: 1 for row 0 (x as read), the midpoint αₖ of
 * step k−1 for rows 1..N, 0 past them (the baseline and spare rows). */
static float row_alpha(int k, int steps) {
    if (k == 0) return 1.0f;
    if (k <= steps) return ((float)(k - 1) + 0.5f) / (float)steps;
    return 0.0f;
}

/* Σ_h x_th·g_th for each token t of one row's gradient g (T,H) */
static void dot_rows(const float *x, const float *g, int T, int H, double *out) {
    for (int t = 0; t < T; t++) {
        double d = 0;
        for (int h = 0; h < H; h++) d += (double)x[(size_t)t * H + h] * g[(size_t)t * H + h];
        out[t] = d;
    }
}

/* Rows k0..k0+R−1 through the forward pass and, for rows 0..N, the
 * backward pass; what each row gives goes into r. The first batch finds
 * the word (the top guess at x when r->word < 0) and checks x's logits. */
static int run_rows(Batch *p, const float *x, int k0, Saliency *r, double *d, BtError *err) {
    const BertModel *m = p->m;
    Trace *tr = &p->tr;
    int R = tr->B, T = tr->T, H = tr->H, V = tr->V, N = r->steps;
    size_t TH = (size_t)T * H;
    for (int b = 0; b < R; b++) {
        float a = row_alpha(k0 + b, N), *row = tr->tok_emb + b * TH;
        for (size_t i = 0; i < TH; i++) row[i] = a * x[i];
    }
    forward_embedded(m, tr, NULL);
    if (k0 == 0) {
        if (trace_check_finite(tr, tr->mlm_logits, (size_t)V, err) != 0) return -1;
        if (r->word < 0) {
            Guess top;
            guesses_top(tr->mlm_logits, V, 1, &top);
            r->word = top.id;
        }
    }
    for (int b = 0; b < R; b++) {
        int k = k0 + b;
        float *dl = p->dlogits + (size_t)b * V;
        double lp = logp_row(tr->mlm_logits + (size_t)b * V, V, r->word, k <= N ? dl : NULL);
        if (k > N) memset(dl, 0, sizeof(float) * V);   /* the baseline's gradient is not asked for */
        if (k == 0) r->logp = lp;
        if (k == N + 1) r->logp_base = lp;
    }
    backward(m, tr, p->dlogits, NULL, &p->nograd, &p->s);
    for (int b = 0; b < R && k0 + b <= N; b++) {
        int k = k0 + b;
        const float *g = p->s.dres + b * TH;
        if (k == 0) {
            dot_rows(x, g, T, H, r->grad_dot);
            for (int t = 0; t < T; t++) {
                double nn = 0;
                for (int h = 0; h < H; h++) nn += (double)g[(size_t)t * H + h] * g[(size_t)t * H + h];
                r->grad_norm[t] = sqrt(nn);
            }
        } else {
            dot_rows(x, g, T, H, d);
            for (int t = 0; t < T; t++) r->ig[t] += d[t] / N;
        }
    }
    return 0;
}

int saliency_run(const BertModel *m, const Trace *base, int pos, int word, int steps, Saliency *r, BtError *err) {
    memset(r, 0, sizeof *r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (check_args(m, base, pos, word, steps, err) != 0) return -1;
    int T = base->T;
    /* x as read, then the N points of the path and the baseline */
    int n = steps ? steps + 2 : 1;
    Batch p;
    if (batch_open(&p, m, base, path_rows(m, T, n), pos, err) != 0) {
        batch_close(&p);
        return -1;
    }
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
    if (steps) r->ig = calloc(T, sizeof *r->ig);
    double *d = malloc(sizeof *d * T);
    if (!r->ids || !r->grad_dot || !r->grad_norm || (steps && !r->ig) || !d) {
        free(d);
        batch_close(&p);
        saliency_free(r);
        return bt_fail(err, "out of memory for saliency (%d tokens)", T);
    }
    memcpy(r->ids, base->input_ids, sizeof *r->ids * T);
    /* x: the word vectors base's forward pass looked up */
    const float *x = base->tok_emb;
    int rc = 0;
    bt_progress(IG_PROGRESS, 0, n);   /* the clock of a progress line starts here */
    for (int k0 = 0; k0 < n && rc == 0; k0 += p.tr.B) {
        rc = run_rows(&p, x, k0, r, d, err);
        /* on an error too the count ends, so that a shown line is cleared */
        bt_progress(IG_PROGRESS, rc ? n : (k0 + p.tr.B < n ? k0 + p.tr.B : n), n);
    }
    free(d);
    batch_close(&p);
    if (rc != 0) {
        saliency_free(r);
        return -1;
    }
    for (int t = 0; t < T && steps; t++) r->ig_sum += r->ig[t];
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    return 0;
}
