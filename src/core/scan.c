/* Knock out each head in turn (bertology/scan.h). */
#include "bertology/scan.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/forward.h"
#include "bertology/guesses.h"
#include "bertology/i18n.h"
#include "bertology/progress.h"

static const char SCAN_PROGRESS[] = N_("scan: %ld of %ld heads knocked out");

/* The re-runs share one trace, whose MLM head reads pos's row only, and
 * the input of every layer in the run scanned, put back before each
 * re-run from that layer. */
typedef struct {
    const BertModel *m;
    Trace tr;
    float *inputs;      /* (L, T, H) */
    Ablation base;
    int pos, word, has_word, has_nsp;
    double base_word, base_nsp;
} ScanCtx;

/* log P(IsNext) = log softmax(z)[0] (Hugging Face's label 0), without
 * overflow for far-apart logits. */
static double log_isnext(const float *z) {
    double d = (double)z[1] - z[0];
    return d > 0 ? -(d + log1p(exp(-d))) : -log1p(exp(d));
}

static void ctx_close(ScanCtx *c) {
    if (c->tr.arena) trace_free(&c->tr);
    free(c->inputs);
    memset(c, 0, sizeof *c);
}

static int ctx_open(ScanCtx *c, const BertModel *m, const Trace *base, int pos, int word, BtError *err) {
    memset(c, 0, sizeof *c);
    c->m = m;
    if (base->B != 1 || !base->arena) return bt_fail(err, "internal: a scan reads the trace of one sentence");
    int T = base->T, H = base->H, L = base->L, V = m->cfg.vocab_size;
    if (L == 0) return bt_fail(err, "this model has no layers, so no heads to knock out");
    if (pos >= T)
        return bt_fail(err, "position %d is out of range: the sentence has %d tokens, 0–%d", pos, T, T - 1);
    c->has_word = m->has_mlm && pos >= 0;
    c->has_nsp = m->has_nsp;
    if (!c->has_word && !c->has_nsp)
        return m->has_mlm ? bt_fail(err, "no position to read the MLM head at, and no NSP head: nothing to measure")
                          : bt_fail(err, "this model has neither an MLM head nor an NSP head: nothing to measure");
    if (c->has_word && word >= V) return bt_fail(err, "token id %d is out of range: the vocabulary has %d", word, V);
    c->pos = c->has_word ? pos : -1;
    c->base = base->ablate;
    if (trace_alloc(&c->tr, m, 1, T, c->has_word ? 1 : 0, 0, err) != 0) return -1;
    if (forward_prepare(&c->tr, base->input_ids, base->type_ids, T, err) != 0) goto fail;
    if (c->has_word) c->tr.mlm_rows[0] = pos;
    c->tr.causal = base->causal;
    c->tr.unscaled = base->unscaled;
    c->tr.ablate = base->ablate;
    /* The run scanned is made again here, through the same head as the
     * re-runs, so that a knock-out that changes nothing reads exactly 0. */
    forward(m, &c->tr, NULL);
    if (c->has_word) {
        if (trace_check_finite(&c->tr, c->tr.mlm_logits, (size_t)V, err) != 0) goto fail;
        if (word < 0) {
            /* the top guess the run scanned shows (`predict`), when it has
             * that row: BLAS may round one row alone differently, and two
             * near-equal guesses must not swap places */
            const float *shown = trace_mlm_logits_at(base, pos);
            Guess top;
            guesses_top(shown ? shown : c->tr.mlm_logits, V, 1, &top);
            word = top.id;
        }
        c->word = word;
        c->base_word = guesses_logprob(c->tr.mlm_logits, V, word);
    } else {
        c->word = -1;
    }
    if (c->has_nsp) {
        if (trace_check_finite(&c->tr, c->tr.nsp_logits, 2, err) != 0) goto fail;
        c->base_nsp = log_isnext(c->tr.nsp_logits);
    }
    size_t TH = (size_t)T * H;
    if (!(c->inputs = malloc(sizeof(float) * TH * L))) {
        bt_fail(err, "out of memory for a scan of %d layers", L);
        goto fail;
    }
    for (int l = 0; l < L; l++)
        memcpy(c->inputs + l * TH, l == 0 ? c->tr.x0 : c->tr.layers[l - 1].out, sizeof(float) * TH);
    return 0;
fail:
    ctx_close(c);
    return -1;
}

static double finite_or_nan(double x) { return isfinite(x) ? x : NAN; }

/* The run with k added to the knock-outs scanned against. */
static int ctx_run(ScanCtx *c, Knockout k, double *d_word, double *d_nsp, BtError *err) {
    Trace *tr = &c->tr;
    if (k.layer < 0 || k.layer >= tr->L)
        return bt_fail(err, "layer %d is out of range: this model has layers 0–%d", k.layer, tr->L - 1);
    if (k.kind != KO_FFN && (k.head < 0 || k.head >= tr->nh))
        return bt_fail(err, "head %d is out of range: this model has heads 0–%d", k.head, tr->nh - 1);
    tr->ablate = c->base;
    if (ablation_add(&tr->ablate, k, err) != 0) return -1;
    size_t TH = (size_t)tr->T * tr->H;
    memcpy(k.layer == 0 ? tr->x0 : tr->layers[k.layer - 1].out, c->inputs + k.layer * TH, sizeof(float) * TH);
    forward_from(c->m, tr, k.layer, NULL);
    if (d_word)
        *d_word = c->has_word ? finite_or_nan(guesses_logprob(tr->mlm_logits, tr->V, c->word) - c->base_word) : NAN;
    if (d_nsp) *d_nsp = c->has_nsp ? finite_or_nan(log_isnext(tr->nsp_logits) - c->base_nsp) : NAN;
    return 0;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void scan_free(ScanResult *r) {
    free(r->ids);
    free(r->text);
    free(r->d_word);
    free(r->d_nsp);
    memset(r, 0, sizeof *r);
}

/* Sequences in one batched re-run: every head of a layer side by side
 * (each its own sequence, its own knock-out: Knockout.only_seq), which
 * reads each weight matrix once for all of them instead of once per
 * head; fewer when that trace would pass a budget (attention grows as
 * T²) or the knock-outs would not fit. */
static int batch_size(const Trace *base, int base_n) {
    size_t T = (size_t)base->T;
    size_t per = sizeof(float) * (size_t)base->L *
                 (2 * (size_t)base->nh * T * T + (10 * (size_t)base->H + 2 * (size_t)base->I) * T);
    size_t budget = (size_t)256 << 20;
    size_t b = per ? budget / per : (size_t)base->nh;
    if (b > (size_t)base->nh) b = (size_t)base->nh;
    if (b > (size_t)(ABLATE_MAX - base_n)) b = (size_t)(ABLATE_MAX - base_n);
    return b < 1 ? 1 : (int)b;
}

/* The batched trace: nb copies of the sentence; the MLM head reads pos
 * in each. */
static int batch_open(Trace *bt, const ScanCtx *c, int nb, BtError *err) {
    const Trace *one = &c->tr;
    int T = one->T;
    if (trace_alloc(bt, c->m, nb, T, c->has_word ? nb : 0, 0, err) != 0) return -1;
    for (int b = 0; b < nb; b++)
        for (int t = 0; t < T; t++) {
            bt->input_ids[b * T + t] = one->input_ids[t];
            bt->type_ids[b * T + t] = one->type_ids[t];
            bt->valid[b * T + t] = 1;
        }
    if (c->has_word) {
        bt->n_mlm = nb;
        for (int b = 0; b < nb; b++) bt->mlm_rows[b] = b * T + c->pos;
    }
    bt->causal = one->causal;
    bt->unscaled = one->unscaled;
    return 0;
}

int scan_run(const BertModel *m, const Trace *base, int pos, int word, KnockoutKind kind, ScanResult *r,
             BtError *err) {
    memset(r, 0, sizeof *r);
    double t0 = now_ms();
    if (kind != KO_HEAD_ZERO && kind != KO_HEAD_MEAN) return bt_fail(err, "internal: a scan knocks out heads");
    ScanCtx c;
    if (ctx_open(&c, m, base, pos, word, err) != 0) return -1;
    int L = base->L, nh = base->nh, T = base->T;
    if (c.base.n >= ABLATE_MAX) {
        ctx_close(&c);
        return bt_fail(err, "a scan adds one knock-out to the %d in force, at most %d: `ablate off` clears them",
                       c.base.n, ABLATE_MAX);
    }
    *r = (ScanResult){.L = L, .nh = nh, .kind = kind, .base = c.base, .pos = c.pos, .word = c.word,
                      .pos_id = c.pos >= 0 ? base->input_ids[c.pos] : -1,
                      .base_word = c.base_word, .has_nsp = c.has_nsp, .base_nsp = c.base_nsp};
    size_t cells = (size_t)L * nh;
    int nb = batch_size(base, c.base.n);
    Trace bt;
    int *heads = malloc(sizeof(int) * (size_t)nh);
    int rc = 0;
    r->T = T;
    r->causal = base->causal;
    r->unscaled = base->unscaled;
    if ((r->ids = malloc(sizeof(int) * (size_t)T))) memcpy(r->ids, base->input_ids, sizeof(int) * (size_t)T);
    if (!heads || !r->ids || (c.has_word && !(r->d_word = malloc(sizeof(double) * cells))) ||
        (c.has_nsp && !(r->d_nsp = malloc(sizeof(double) * cells))))
        rc = bt_fail(err, "out of memory for a scan of %d heads", (int)cells);
    if (!rc) rc = batch_open(&bt, &c, nb, err);
    if (rc) {
        free(heads);
        ctx_close(&c);
        scan_free(r);
        return -1;
    }
    for (size_t i = 0; i < cells; i++) {
        if (r->d_word) r->d_word[i] = NAN;   /* a head already out stays out: knocking it out again says nothing */
        if (r->d_nsp) r->d_nsp[i] = NAN;
    }
    size_t TH = (size_t)T * base->H;
    int V = m->cfg.vocab_size;
    bt_progress(SCAN_PROGRESS, 0, (long)L * nh);   /* the clock of a progress line starts here */
    for (int l = 0; l < L; l++) {
        int n = 0;
        for (int h = 0; h < nh; h++)
            if (ablation_find(&c.base, l, h) < 0) heads[n++] = h;
        for (int h0 = 0; h0 < n; h0 += nb) {
            int k = n - h0 < nb ? n - h0 : nb;
            bt.ablate = c.base;
            for (int i = 0; i < k; i++) bt.ablate.ko[bt.ablate.n++] = (Knockout){l, heads[h0 + i], kind, i + 1};
            float *in = l == 0 ? bt.x0 : bt.layers[l - 1].out;
            for (int b = 0; b < nb; b++) memcpy(in + b * TH, c.inputs + l * TH, sizeof(float) * TH);
            forward_from(m, &bt, l, NULL);
            bt_progress(SCAN_PROGRESS, (long)l * nh + h0 + k, (long)L * nh);
            for (int i = 0; i < k; i++) {
                size_t cell = (size_t)l * nh + heads[h0 + i];
                if (r->d_word)
                    r->d_word[cell] = finite_or_nan(guesses_logprob(bt.mlm_logits + (size_t)i * V, V, c.word) -
                                                    c.base_word);
                if (r->d_nsp) r->d_nsp[cell] = finite_or_nan(log_isnext(bt.nsp_logits + 2 * i) - c.base_nsp);
            }
        }
        /* heads already out are skipped: the layer's count ends at nh */
        bt_progress(SCAN_PROGRESS, (long)(l + 1) * nh, (long)L * nh);
    }
    trace_free(&bt);
    free(heads);
    ctx_close(&c);
    r->ms = now_ms() - t0;
    return 0;
}

int scan_knockout(const BertModel *m, const Trace *base, int pos, int word, Knockout k, double *d_word,
                  double *d_nsp, BtError *err) {
    ScanCtx c;
    if (ctx_open(&c, m, base, pos, word, err) != 0) return -1;
    int rc = ctx_run(&c, k, d_word, d_nsp, err);
    ctx_close(&c);
    return rc;
}

double scan_worst(const ScanResult *r, int nsp, int *layer, int *head) {
    const double *g = nsp ? r->d_nsp : r->d_word;
    double best = NAN;
    *layer = *head = -1;
    for (int i = 0; g && i < r->L * r->nh; i++)
        if (isfinite(g[i]) && (!isfinite(best) || g[i] < best)) {
            best = g[i];
            *layer = i / r->nh;
            *head = i % r->nh;
        }
    return best;
}

int scan_is_of(const ScanResult *r, const Trace *tr) {
    return r && tr && r->ids && tr->B == 1 && r->T == tr->T && r->L == tr->L && r->nh == tr->nh &&
           r->causal == tr->causal && r->unscaled == tr->unscaled && ablation_same(&r->base, &tr->ablate) &&
           memcmp(r->ids, tr->input_ids, sizeof(int) * (size_t)r->T) == 0;
}
