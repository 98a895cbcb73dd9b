/* Saliency for a masked word (bertology/saliency.h): one forward and one
 * backward pass for gradient × input, N more of each for integrated
 * gradients, all on one trace whose MLM head reads pos's row only. */
#include "bertology/saliency.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/backward.h"
#include "bertology/forward.h"
#include "bertology/guesses.h"
#include "bertology/i18n.h"

typedef struct {
    const BertModel *m;
    Trace tr;
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

/* The pass over the word rows tr.tok_emb as they are, then log p(word)
 * and, when want_grad, its gradient at the input of the embedding
 * LayerNorm, left in c->s.dres (T,H). */
static double logp_and_grad(SalCtx *c, int want_grad) {
    int V = c->m->cfg.vocab_size;
    forward_embedded(c->m, &c->tr, NULL);
    /* cross_entropy's gradient of −log p scaled by −1: that of log p */
    double loss = cross_entropy(c->tr.mlm_logits, &c->word, 1, V, want_grad ? c->dlogits : NULL, -1.0f, NULL, NULL);
    if (want_grad) backward(c->m, &c->tr, c->dlogits, NULL, &c->nograd, &c->s);
    return -loss;
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

/* Integrated gradients along α·x, α from 0 to 1, by the midpoint rule;
 * x: the word rows (T,H) as read. Leaves tok_emb at 0 (the baseline). */
static void integrate(SalCtx *c, const float *x, int steps, Saliency *r) {
    int T = c->tr.T, H = c->tr.H;
    size_t TH = (size_t)T * H;
    for (int t = 0; t < T; t++) r->ig[t] = 0;
    for (int k = 0; k < steps; k++) {
        float a = ((float)k + 0.5f) / (float)steps;
        for (size_t i = 0; i < TH; i++) c->tr.tok_emb[i] = a * x[i];
        logp_and_grad(c, 1);
        for (int t = 0; t < T; t++) {
            double d = 0;
            for (int h = 0; h < H; h++) d += (double)x[(size_t)t * H + h] * c->s.dres[(size_t)t * H + h];
            r->ig[t] += d / steps;
        }
    }
    memset(c->tr.tok_emb, 0, sizeof(float) * TH);
    r->logp_base = logp_and_grad(c, 0);
    r->ig_sum = 0;
    for (int t = 0; t < T; t++) r->ig_sum += r->ig[t];
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

    r->logp = logp_and_grad(&c, 1);
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
    if (steps) integrate(&c, x, steps, r);
    free(x);
    ctx_close(&c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    return 0;
}
