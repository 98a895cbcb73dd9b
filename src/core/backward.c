#include "bertology/backward.h"
#include "bertology/bigmem.h"
#include "bertology/guesses.h"
#include "bertology/ops.h"
#include "fastmath.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { N_SCRATCH = 18 };

/* The scratch buffers, in one order for allocating and freeing. */
static void scratch_bufs(BackwardScratch *s, float **bufs[N_SCRATCH]) {
    float **all[N_SCRATCH] = {&s->dout, &s->dx, &s->dres, &s->dln, &s->dtmp, &s->dffn_act, &s->dffn_pre, &s->dq,
                              &s->dk, &s->dv, &s->dqkv, &s->dmlm_ln, &s->dmlm_act, &s->dmlm_pre, &s->dmlm_in,
                              &s->dpooled, &s->dcls, &s->cls};
    memcpy(bufs, all, sizeof all);
}

int backward_scratch_alloc(BackwardScratch *s, const Trace *tr, BtError *err) {
    size_t NH = (size_t)tr->B * tr->T * tr->H, NI = (size_t)tr->B * tr->T * tr->I;
    size_t MH = (size_t)(tr->mlm_cap ? tr->mlm_cap : 1) * tr->H, BH = (size_t)tr->B * tr->H;
    memset(s, 0, sizeof *s);
    float **bufs[N_SCRATCH];
    scratch_bufs(s, bufs);
    const size_t sizes[N_SCRATCH] = {NH, NH, NH, NH, NH, NI, NI, NH, NH, NH, 3 * NH, MH, MH, MH, MH, BH, BH, BH};
    enum { ALIGN = 16 };   /* 16 floats: 64-byte rows */
    if (!big_keeps_blocks()) {
        /* AddressSanitizer: apart, so that it sees one overrun into the next */
        for (int i = 0; i < N_SCRATCH; i++)
            if (!(*bufs[i] = malloc(sizeof(float) * sizes[i]))) {
                backward_scratch_free(s);
                return bt_fail(err, "out of memory for the backward pass");
            }
        return 0;
    }
    /* one block, so that a caller running the pass again (saliency's
     * batches, every call of it) gets the same pages back (bigmem.h) */
    size_t total = 0;
    for (int i = 0; i < N_SCRATCH; i++) total += (sizes[i] + ALIGN - 1) / ALIGN * ALIGN;
    if (!(s->block = big_malloc(sizeof(float) * total + 64)))
        return bt_fail(err, "out of memory for the backward pass");
    float *at = (float *)(((uintptr_t)s->block + 63) & ~(uintptr_t)63);
    for (int i = 0; i < N_SCRATCH; i++) {
        *bufs[i] = at;
        at += (sizes[i] + ALIGN - 1) / ALIGN * ALIGN;
    }
    return 0;
}

void backward_scratch_free(BackwardScratch *s) {
    if (s->block) big_free(s->block);
    else {
        float **bufs[N_SCRATCH];
        scratch_bufs(s, bufs);
        for (int i = 0; i < N_SCRATCH; i++) free(*bufs[i]);
    }
    memset(s, 0, sizeof *s);
}

double cross_entropy(const float *logits, const int *labels, int N, int C, float *dlogits,
                     float scale, int *correct1, int *correct5) {
    double loss = 0;
    int c1 = 0, c5 = 0;
    #pragma omp parallel for reduction(+ : loss, c1, c5) schedule(static) if (N > 8)
    for (int n = 0; n < N; n++) {
        const float *r = logits + (size_t)n * C;
        int y = labels[n];
        float mx = -INFINITY;
        for (int c = 0; c < C; c++) mx = r[c] > mx ? r[c] : mx;
        float sum = 0;
        for (int c = 0; c < C; c++) sum += bt_expf(r[c] - mx);
        loss += log((double)sum) + mx - r[y];
        if (dlogits) {
            float *d = dlogits + (size_t)n * C;
            float k = scale / sum;
            for (int c = 0; c < C; c++) d[c] = bt_expf(r[c] - mx) * k;
            d[y] -= scale;
        }
        if (correct1 || correct5) {
            /* how many guesses come before the true token (at most 5) */
            int above = guesses_ahead(r, C, y, 5);
            c1 += above == 0;
            c5 += above < 5;
        }
    }
    if (correct1) *correct1 += c1;
    if (correct5) *correct5 += c5;
    return N ? loss / N : 0;
}

/* dout (B,T,H): gradient at the output of layer l; leaves the gradient at
 * its input in s->dx (which may alias nothing else). */
static void layer_backward(const BertModel *m, const Trace *tr, int l, const float *dout,
                           BertModel *g, BackwardScratch *s) {
    int B = tr->B, T = tr->T, H = tr->H, I = tr->I, nh = tr->nh, hd = tr->hd, N = B * T;
    size_t NH = (size_t)N * H;
    const BertLayer *w = &m->layers[l];
    /* no layers in g: the input gradient alone (backward.h) */
    BertLayer none = {0}, *gw = g->layers ? &g->layers[l] : &none;
    const LayerTrace *lt = &tr->layers[l];
    const float *x = l == 0 ? tr->x0 : tr->layers[l - 1].out;
    float scale = tr->unscaled ? 1.0f : 1.0f / sqrtf((float)hd);

    /* out = LN(res2), res2 = ln1 + drop(ffn_out) */
    memset(s->dres, 0, sizeof(float) * NH);
    layernorm_backward(s->dres, gw->ln2_g, gw->ln2_b, dout, lt->res2, w->ln2_g, lt->ln2_mean,
                       lt->ln2_rstd, N, H);
    memcpy(s->dln, s->dres, sizeof(float) * NH);
    if (lt->drop_ffn_out) mul_forward(s->dres, s->dres, lt->drop_ffn_out, NH);
    memset(s->dffn_act, 0, sizeof(float) * (size_t)N * I);
    matmul_backward(s->dffn_act, gw->w2, gw->b2, s->dres, lt->ffn_act, w->w2, N, I, H);
    memset(s->dffn_pre, 0, sizeof(float) * (size_t)N * I);
    gelu_backward(s->dffn_pre, lt->ffn_pre, s->dffn_act, (size_t)N * I);
    matmul_backward(s->dln, gw->w1, gw->b1, s->dffn_pre, lt->ln1, w->w1, N, H, I);

    /* ln1 = LN(res1), res1 = x + drop(attn_out) */
    memset(s->dres, 0, sizeof(float) * NH);
    layernorm_backward(s->dres, gw->ln1_g, gw->ln1_b, s->dln, lt->res1, w->ln1_g, lt->ln1_mean,
                       lt->ln1_rstd, N, H);
    memcpy(s->dx, s->dres, sizeof(float) * NH);
    if (lt->drop_attn_out) mul_forward(s->dres, s->dres, lt->drop_attn_out, NH);
    memset(s->dtmp, 0, sizeof(float) * NH);   /* dctx */
    matmul_backward(s->dtmp, gw->wo, gw->bo, s->dres, lt->ctx, w->wo, N, H, H);

    memset(s->dq, 0, sizeof(float) * NH);
    memset(s->dk, 0, sizeof(float) * NH);
    memset(s->dv, 0, sizeof(float) * NH);
    attention_backward(s->dq, s->dk, s->dv, s->dtmp, lt->q, lt->k, lt->v, lt->attn, lt->drop_attn,
                       B, T, nh, hd, scale);
    /* the fused Q|K|V (N,3H) of forward.c: one product for dx and the
     * three weights' gradients, side by side as the weights are */
    heads_merge(s->dqkv, 3 * H, s->dq, B, T, nh, hd);
    heads_merge(s->dqkv + H, 3 * H, s->dk, B, T, nh, hd);
    heads_merge(s->dqkv + 2 * H, 3 * H, s->dv, B, T, nh, hd);
    matmul_backward(s->dx, gw->wq, gw->bq, s->dqkv, x, w->wq, N, H, 3 * H);
}

void backward(const BertModel *m, const Trace *tr, const float *dmlm_logits,
              const float *dnsp_logits, BertModel *g, BackwardScratch *s) {
    int B = tr->B, T = tr->T, H = tr->H, N = B * T, V = m->cfg.vocab_size;
    size_t NH = (size_t)N * H;
    const float *h = tr->L ? tr->layers[tr->L - 1].out : tr->x0;
    /* dh: gradient at the encoder's output; each layer_backward reads its
     * output gradient from dout and leaves its input gradient in dx. */
    float *dh = s->dout;
    memset(dh, 0, sizeof(float) * NH);

    if (dmlm_logits && tr->n_mlm > 0) {
        int n = tr->n_mlm;
        size_t nH = (size_t)n * H;
        memset(s->dmlm_ln, 0, sizeof(float) * nH);
        matmul_backward(s->dmlm_ln, g->mlm_decoder, g->mlm_bias, dmlm_logits, tr->mlm_ln,
                        m->mlm_decoder, n, H, V);
        memset(s->dmlm_act, 0, sizeof(float) * nH);
        layernorm_backward(s->dmlm_act, g->mlm_ln_g, g->mlm_ln_b, s->dmlm_ln, tr->mlm_act,
                           m->mlm_ln_g, tr->mlm_mean, tr->mlm_rstd, n, H);
        memset(s->dmlm_pre, 0, sizeof(float) * nH);
        gelu_backward(s->dmlm_pre, tr->mlm_pre, s->dmlm_act, nH);
        memset(s->dmlm_in, 0, sizeof(float) * nH);
        matmul_backward(s->dmlm_in, g->mlm_w, g->mlm_b, s->dmlm_pre, tr->mlm_in, m->mlm_w, n, H, H);
        for (int i = 0; i < n; i++) {
            float *d = dh + (size_t)tr->mlm_rows[i] * H;
            const float *src = s->dmlm_in + (size_t)i * H;
            for (int k = 0; k < H; k++) d[k] += src[k];
        }
    }
    if (dnsp_logits && m->has_nsp && tr->pooled) {
        size_t BH = (size_t)B * H;
        memset(s->dpooled, 0, sizeof(float) * BH);
        matmul_backward(s->dpooled, g->nsp_w, g->nsp_b, dnsp_logits, tr->pooled, m->nsp_w, B, H, 2);
        for (size_t i = 0; i < BH; i++) s->dpooled[i] *= 1.0f - tr->pooled[i] * tr->pooled[i];
        for (int b = 0; b < B; b++) memcpy(s->cls + (size_t)b * H, h + (size_t)b * T * H, sizeof(float) * H);
        memset(s->dcls, 0, sizeof(float) * BH);
        matmul_backward(s->dcls, g->pool_w, g->pool_b, s->dpooled, s->cls, m->pool_w, B, H, H);
        for (int b = 0; b < B; b++)
            for (int k = 0; k < H; k++) dh[(size_t)b * T * H + k] += s->dcls[(size_t)b * H + k];
    }

    float *dout = s->dout;
    for (int l = tr->L - 1; l >= 0; l--) {
        layer_backward(m, tr, l, dout, g, s);
        memcpy(dout, s->dx, sizeof(float) * NH);
    }

    /* x0 = drop(LN(word + pos + type)) */
    if (tr->drop_emb) mul_forward(dout, dout, tr->drop_emb, NH);
    memset(s->dres, 0, sizeof(float) * NH);
    layernorm_backward(s->dres, g->emb_ln_g, g->emb_ln_b, dout, tr->emb_sum, m->emb_ln_g,
                       tr->emb_mean, tr->emb_rstd, N, H);
    if (!g->word_emb) return;   /* the input gradient alone: it is s->dres */
    int V_ = m->cfg.vocab_size, TV = m->cfg.type_vocab_size;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            size_t bt = (size_t)b * T + t;
            const float *d = s->dres + bt * H;
            int id = tr->input_ids[bt], ty = tr->type_ids[bt];
            if (id < 0 || id >= V_) id = 0;
            if (ty < 0 || ty >= TV) ty = 0;
            float *gw = g->word_emb + (size_t)id * H, *gt = g->type_emb + (size_t)ty * H;
            for (int k = 0; k < H; k++) { gw[k] += d[k]; gt[k] += d[k]; }
            if (m->cfg.pos_type == POS_ABSOLUTE) {
                float *gp = g->pos_emb + (size_t)t * H;
                for (int k = 0; k < H; k++) gp[k] += d[k];
            }
        }
}
