/* What changed between two runs (bertology/whatif.h). */
#include "bertology/whatif.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/lens.h"

void whatif_free(WhatIf *w) {
    for (int i = 0; i < w->nguess; i++) {
        free(w->guess[i].top_a);
        free(w->guess[i].top_b);
        free(w->guess[i].p_b);
        free(w->guess[i].logits_b);
    }
    free(w->guess);
    free(w->ids_a);
    free(w->ids_b);
    free(w->partner_a);
    free(w->partner_b);
    free(w->pairs);
    free(w->tv_mean);
    free(w->tv_max);
    free(w->tv_row);
    free(w->cos);
    free(w->text_a);
    free(w->text_b);
    free(w->how);
    memset(w, 0, sizeof *w);
}

int whatif_is_of(const WhatIf *w, const Trace *tr) {
    return w && tr && w->ids_a && tr->B == 1 && w->Ta == tr->T && w->L == tr->L && w->nh == tr->nh &&
           w->causal == tr->causal && w->unscaled == tr->unscaled && ablation_same(&w->base, &tr->ablate) &&
           memcmp(w->ids_a, tr->input_ids, sizeof(int) * (size_t)w->Ta) == 0;
}

double whatif_most_changed(const WhatIf *w, int *layer, int *head) {
    double best = NAN;
    *layer = *head = -1;
    for (int i = 0; w->tv_mean && i < w->L * w->nh; i++)
        if (isfinite(w->tv_mean[i]) && (!isfinite(best) || w->tv_mean[i] > best)) {
            best = w->tv_mean[i];
            *layer = i / w->nh;
            *head = i % w->nh;
        }
    return best;
}

/* TV between query row ra of run A and rb of run B over the union of
 * their keys: a paired key compares with its partner, a key without one
 * with nothing (its weight counts whole). */
static double row_tv(const WhatIf *w, const float *ra, const float *rb) {
    double s = 0;
    for (int k = 0; k < w->Ta; k++) s += fabs((double)ra[k] - (w->partner_a[k] >= 0 ? rb[w->partner_a[k]] : 0.0));
    for (int k = 0; k < w->Tb; k++)
        if (w->partner_b[k] < 0) s += fabs((double)rb[k]);
    return 0.5 * s;
}

static void attention_change(WhatIf *w, const Trace *a, const Trace *b) {
    int Ta = a->T, Tb = b->T;
    for (int l = 0; l < w->L; l++)
        for (int h = 0; h < w->nh; h++) {
            const float *A = a->layers[l].attn + (size_t)h * Ta * Ta, *B = b->layers[l].attn + (size_t)h * Tb * Tb;
            double sum = 0, hi = NAN;
            int row = -1;
            for (int p = 0; p < w->npairs; p++) {
                double tv = row_tv(w, A + (size_t)w->pairs[p].a * Ta, B + (size_t)w->pairs[p].b * Tb);
                sum += tv;
                if (row < 0 || tv > hi) hi = tv, row = w->pairs[p].a;
            }
            size_t c = (size_t)l * w->nh + h;
            w->tv_mean[c] = w->npairs ? sum / w->npairs : NAN;
            w->tv_max[c] = hi;
            w->tv_row[c] = row;
        }
}

static double cosine(const float *x, const float *y, int n) {
    double xy = 0, xx = 0, yy = 0;
    for (int i = 0; i < n; i++) {
        xy += (double)x[i] * y[i];
        xx += (double)x[i] * x[i];
        yy += (double)y[i] * y[i];
    }
    return xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : NAN;
}

static void hidden_change(WhatIf *w, const Trace *a, const Trace *b) {
    int D = w->L + 1;
    for (int p = 0; p < w->npairs; p++)
        for (int d = 0; d < D; d++)
            w->cos[(size_t)p * D + d] = cosine(lens_hidden(a, d, w->pairs[p].a), lens_hidden(b, d, w->pairs[p].b), a->H);
}

/* The guesses at every pair where either run has a [MASK] or the token
 * changed: where the MLM head's answer is the question. */
static int guesses_change(WhatIf *w, const BertModel *m, const Trace *a, const Trace *b, BtError *err) {
    int mask = m->tok ? tok_mask_id(m->tok) : -1, V = m->cfg.vocab_size, k = w->k;
    if (!m->has_mlm) return 0;
    if (!(w->guess = calloc((size_t)w->npairs + 1, sizeof *w->guess))) return bt_fail(err, "out of memory");
    for (int p = 0; p < w->npairs; p++) {
        const WhatIfPair *q = &w->pairs[p];
        if (q->same && w->ids_a[q->a] != mask) continue;
        const float *la = trace_mlm_logits_at(a, q->a), *lb = trace_mlm_logits_at(b, q->b);
        if (!la || !lb) continue;   /* the head did not run there */
        if (trace_check_finite(a, la, (size_t)V, err) != 0 || trace_check_finite(b, lb, (size_t)V, err) != 0) return -1;
        WhatIfGuesses *g = &w->guess[w->nguess++];
        g->pair = p;
        g->top_a = malloc(sizeof *g->top_a * (size_t)k);
        g->top_b = malloc(sizeof *g->top_b * (size_t)k);
        g->p_b = malloc(sizeof *g->p_b * (size_t)k);
        g->logits_b = malloc(sizeof *g->logits_b * (size_t)V);
        if (!g->top_a || !g->top_b || !g->p_b || !g->logits_b) return bt_fail(err, "out of memory");
        memcpy(g->logits_b, lb, sizeof *lb * (size_t)V);
        guesses_top(la, V, k, g->top_a);
        guesses_top(lb, V, k, g->top_b);
        for (int i = 0; i < k; i++) g->p_b[i] = guesses_prob(lb, V, g->top_a[i].id);
    }
    return 0;
}

/* P(IsNext) = softmax(z)[0] (Hugging Face's label 0). */
static double p_isnext(const float *z) { return 1.0 / (1.0 + exp((double)z[1] - z[0])); }

static int is_pair(const Trace *t) {
    for (int i = 0; i < t->T; i++)
        if (t->type_ids[i]) return 1;
    return 0;
}

static int check_args(const BertModel *m, const Trace *a, const Trace *b, int by_position, int k, BtError *err) {
    if (a->H != m->cfg.hidden_size || b->H != m->cfg.hidden_size || a->L != m->cfg.num_layers ||
        b->L != m->cfg.num_layers || a->nh != b->nh)
        return bt_fail(err, "internal: the traces are not of this model");
    if (a->T < 1 || b->T < 1) return bt_fail(err, "internal: a run without tokens");
    if (by_position && a->T != b->T)
        return bt_fail(err, "internal: %d and %d tokens cannot be paired position by position", a->T, b->T);
    if (k < 1 || k > m->cfg.vocab_size) return bt_fail(err, "k must be from 1 to %d, not %d", m->cfg.vocab_size, k);
    return 0;
}

int whatif_run(const BertModel *m, const Trace *a, const Trace *b, int by_position, int k, WhatIf *w, BtError *err) {
    memset(w, 0, sizeof *w);
    if (check_args(m, a, b, by_position, k, err) != 0) return -1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int Ta = a->T, Tb = b->T, L = a->L, nh = a->nh, n = Ta < Tb ? Ta : Tb;
    *w = (WhatIf){.L = L, .nh = nh, .k = k, .Ta = Ta, .Tb = Tb, .by_position = by_position, .causal = a->causal,
                  .unscaled = a->unscaled, .base = a->ablate};
    size_t cells = (size_t)L * nh + 1;
    w->ids_a = malloc(sizeof(int) * Ta);
    w->ids_b = malloc(sizeof(int) * Tb);
    w->partner_a = malloc(sizeof(int) * Ta);
    w->partner_b = malloc(sizeof(int) * Tb);
    w->pairs = malloc(sizeof *w->pairs * n);
    w->tv_mean = malloc(sizeof(double) * cells);
    w->tv_max = malloc(sizeof(double) * cells);
    w->tv_row = malloc(sizeof(int) * cells);
    w->cos = malloc(sizeof(double) * ((size_t)n * (L + 1) + 1));
    if (!w->ids_a || !w->ids_b || !w->partner_a || !w->partner_b || !w->pairs || !w->tv_mean || !w->tv_max ||
        !w->tv_row || !w->cos) {
        whatif_free(w);
        return bt_fail(err, "out of memory for a what-if of %d and %d tokens", Ta, Tb);
    }
    memcpy(w->ids_a, a->input_ids, sizeof(int) * Ta);
    memcpy(w->ids_b, b->input_ids, sizeof(int) * Tb);
    if (whatif_align(w->ids_a, Ta, w->ids_b, Tb, by_position, w->partner_a, w->partner_b) < 0) {
        whatif_free(w);
        return bt_fail(err, "out of memory to align %d and %d tokens", Ta, Tb);
    }
    for (int i = 0; i < Ta; i++)
        if (w->partner_a[i] >= 0)
            w->pairs[w->npairs++] = (WhatIfPair){i, w->partner_a[i], w->ids_a[i] == w->ids_b[w->partner_a[i]]};
    for (int l = 0; l < L; l++) {
        size_t na = (size_t)nh * Ta * Ta, nb = (size_t)nh * Tb * Tb;
        if (trace_check_finite(a, a->layers[l].attn, na, err) != 0 || trace_check_finite(b, b->layers[l].attn, nb, err) != 0) {
            whatif_free(w);
            return -1;
        }
    }
    attention_change(w, a, b);
    hidden_change(w, a, b);
    if (guesses_change(w, m, a, b, err) != 0) {
        whatif_free(w);
        return -1;
    }
    w->has_nsp = m->has_nsp && a->nsp_logits && b->nsp_logits && (is_pair(a) || is_pair(b));
    if (w->has_nsp) {
        w->nsp_a = p_isnext(a->nsp_logits);
        w->nsp_b = p_isnext(b->nsp_logits);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    w->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    return 0;
}
