#include "bertology/forward.h"
#include "bertology/ops.h"
#include <math.h>
#include <string.h>

/* Ends stage s of the pass for bench_forward --profile (fwd_profile.h);
 * with no profile, as in every other caller, one untaken branch. */
static inline void mark(const Trace *tr, FwdStage s) {
    if (__builtin_expect(tr->profile != NULL, 0)) fwd_profile_mark(tr->profile, s);
}

int forward_prepare(Trace *tr, const int *ids, const int *type_ids, int n, BtError *err) {
    if (tr->B != 1 || n != tr->T)
        return bt_fail(err, "internal: trace is %d×%d, input is 1×%d", tr->B, tr->T, n);
    for (int t = 0; t < n; t++) {
        tr->input_ids[t] = ids[t];
        tr->type_ids[t] = type_ids ? type_ids[t] : 0;
        tr->valid[t] = 1;
    }
    if (tr->mlm_rows) {
        tr->n_mlm = tr->mlm_cap;
        for (int i = 0; i < tr->n_mlm; i++) tr->mlm_rows[i] = i;
    }
    return 0;
}

/* ids (B,T) -> tok_emb, type_emb (B,T,H), pos_emb (T,H): the table rows */
static void embeddings_lookup(const BertModel *m, Trace *tr) {
    int B = tr->B, T = tr->T, H = tr->H;
    int V = m->cfg.vocab_size, TV = m->cfg.type_vocab_size;
    memcpy(tr->pos_emb, m->pos_emb, sizeof(float) * (size_t)T * H);
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            size_t bt = (size_t)b * T + t;
            /* ids were checked by the caller; clamp anyway so a bad id can
             * never read outside the table */
            int id = tr->input_ids[bt], ty = tr->type_ids[bt];
            if (id < 0 || id >= V) id = 0;
            if (ty < 0 || ty >= TV) ty = 0;
            memcpy(tr->tok_emb + bt * H, m->word_emb + (size_t)id * H, sizeof(float) * H);
            memcpy(tr->type_emb + bt * H, m->type_emb + (size_t)ty * H, sizeof(float) * H);
        }
}

/* tok_emb + pos_emb + type_emb -> emb_sum, emb = LN(sum): apart from the
 * lookup, so that a caller may run the model on word vectors of its own
 * (forward_embedded: saliency's integrated gradients scale them). */
static void embeddings_sum(const BertModel *m, Trace *tr) {
    int B = tr->B, T = tr->T, H = tr->H;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            size_t bt = (size_t)b * T + t;
            const float *we = tr->tok_emb + bt * H, *te = tr->type_emb + bt * H, *pe = tr->pos_emb + (size_t)t * H;
            float *s = tr->emb_sum + bt * H;
            for (int h = 0; h < H; h++) s[h] = we[h] + pe[h] + te[h];
        }
    layernorm_forward(tr->emb, tr->emb_mean, tr->emb_rstd, tr->emb_sum, m->emb_ln_g, m->emb_ln_b,
                      B * T, H, m->cfg.layer_norm_eps);
}

/* Knock-outs of layer l's heads (ablate.h) on ctx (B,T,nh*hd), before the
 * output projection: a head's columns become 0, or their mean over the
 * sequence's tokens. The projection's bias still comes after, as with
 * Hugging Face's head_mask, so a zeroed head leaves exactly what the
 * other heads and the bias give. */
static void knockout_heads(float *ctx, Trace *tr, int l) {
    int B = tr->B, T = tr->T, H = tr->H, hd = tr->hd;
    float *mean = tr->scratch;   /* (hd): free once q, k and v are split */
    for (int i = 0; i < tr->ablate.n; i++) {
        const Knockout *k = &tr->ablate.ko[i];
        if (k->layer != l || k->kind == KO_FFN || k->head < 0 || k->head >= tr->nh) continue;
        for (int b = 0; b < B; b++) {
            if (k->only_seq && k->only_seq != b + 1) continue;
            float *c = ctx + (size_t)b * T * H + (size_t)k->head * hd;
            int n = 0;
            memset(mean, 0, sizeof(float) * hd);
            if (k->kind == KO_HEAD_MEAN) {
                /* over the real tokens only: padding is no part of the sentence */
                for (int t = 0; t < T; t++) {
                    if (!tr->valid[(size_t)b * T + t]) continue;
                    for (int d = 0; d < hd; d++) mean[d] += c[(size_t)t * H + d];
                    n++;
                }
                for (int d = 0; d < hd && n; d++) mean[d] /= (float)n;
            }
            for (int t = 0; t < T; t++) memcpy(c + (size_t)t * H, mean, sizeof(float) * hd);
        }
    }
}

/* Layer l's FFN knocked out: its output is 0 (bias included) in the
 * sequences it applies to, and the residual passes ln1 straight to the
 * second LayerNorm. A skipped FFN still shows what it would have
 * computed inside (ffn_pre, ffn_act), as a knocked-out head still shows
 * its pattern. */
static void knockout_ffn(float *ffn_out, const Trace *tr, int l) {
    size_t TH = (size_t)tr->T * tr->H;
    for (int i = 0; i < tr->ablate.n; i++) {
        const Knockout *k = &tr->ablate.ko[i];
        if (k->layer != l || k->kind != KO_FFN) continue;
        for (int b = 0; b < tr->B; b++)
            if (!k->only_seq || k->only_seq == b + 1) memset(ffn_out + b * TH, 0, sizeof(float) * TH);
    }
}

/* x (B,T,H) -> every intermediate of encoder layer l, out (B,T,H) */
static void layer_forward(const BertModel *m, int l, LayerTrace *lt, const float *x, Trace *tr, uint64_t *rng) {
    const BertLayer *w = &m->layers[l];
    int B = tr->B, T = tr->T, H = tr->H, I = tr->I, nh = tr->nh, hd = tr->hd;
    int N = B * T;
    size_t NH = (size_t)N * H;
    float eps = m->cfg.layer_norm_eps;
    int drop = tr->dropout > 0 && rng;

    /* Q|K|V (N,3H) = x · [wq;wk;wv]ᵀ + [bq;bk;bv]: one product, the three
     * weights being one (3H,H) block and the biases one (3H) (model.c) */
    float *qkv = tr->scratch;
    matmul_forward(qkv, x, w->wq, w->bq, N, H, 3 * H);
    heads_split(lt->q, qkv, 3 * H, B, T, nh, hd);
    heads_split(lt->k, qkv + H, 3 * H, B, T, nh, hd);
    heads_split(lt->v, qkv + 2 * H, 3 * H, B, T, nh, hd);
    mark(tr, FP_QKV);

    if (drop) dropout_mask(lt->drop_attn, (size_t)B * nh * T * T, tr->dropout, rng);
    float scale = tr->unscaled ? 1.0f : 1.0f / sqrtf((float)hd);
    attention_forward(lt->ctx, lt->scores, lt->attn, lt->q, lt->k, lt->v, tr->valid,
                      drop ? lt->drop_attn : NULL, B, T, nh, hd, scale, tr->causal);
    if (tr->ablate.n) knockout_heads(lt->ctx, tr, l);
    mark(tr, FP_ATTN);

    matmul_forward(lt->attn_out, lt->ctx, w->wo, w->bo, N, H, H);
    mark(tr, FP_OUT_PROJ);
    if (drop) dropout_mask(lt->drop_attn_out, NH, tr->dropout, rng);
    for (size_t i = 0; i < NH; i++)
        lt->res1[i] = x[i] + (drop ? lt->attn_out[i] * lt->drop_attn_out[i] : lt->attn_out[i]);
    layernorm_forward(lt->ln1, lt->ln1_mean, lt->ln1_rstd, lt->res1, w->ln1_g, w->ln1_b, N, H, eps);
    mark(tr, FP_RESID_LN);

    matmul_forward(lt->ffn_pre, lt->ln1, w->w1, w->b1, N, H, I);
    gelu_forward(lt->ffn_act, lt->ffn_pre, (size_t)N * I);
    mark(tr, FP_FFN_UP);
    matmul_forward(lt->ffn_out, lt->ffn_act, w->w2, w->b2, N, I, H);
    if (tr->ablate.n) knockout_ffn(lt->ffn_out, tr, l);
    mark(tr, FP_FFN_DOWN);
    if (drop) dropout_mask(lt->drop_ffn_out, NH, tr->dropout, rng);
    for (size_t i = 0; i < NH; i++)
        lt->res2[i] = lt->ln1[i] + (drop ? lt->ffn_out[i] * lt->drop_ffn_out[i] : lt->ffn_out[i]);
    layernorm_forward(lt->out, lt->ln2_mean, lt->ln2_rstd, lt->res2, w->ln2_g, w->ln2_b, N, H, eps);
    mark(tr, FP_RESID_LN);
}

/* The head's two halves, apart so that the profile can tell them apart:
 * the transform (n,H) -> ln, then the decoder ln -> logits (n,V). */
static void mlm_transform(const BertModel *m, const float *in, int n, float *pre, float *act, float *ln, float *mean,
                          float *rstd) {
    int H = m->cfg.hidden_size;
    matmul_forward(pre, in, m->mlm_w, m->mlm_b, n, H, H);
    gelu_forward(act, pre, (size_t)n * H);
    layernorm_forward(ln, mean, rstd, act, m->mlm_ln_g, m->mlm_ln_b, n, H, m->cfg.layer_norm_eps);
}

static void mlm_decode(const BertModel *m, const float *ln, int n, float *logits) {
    matmul_forward(logits, ln, m->mlm_decoder, m->mlm_bias, n, m->cfg.hidden_size, m->cfg.vocab_size);
}

void mlm_head_forward(const BertModel *m, const float *in, int n, float *pre, float *act, float *ln, float *mean,
                      float *rstd, float *logits) {
    mlm_transform(m, in, n, pre, act, ln, mean, rstd);
    mlm_decode(m, ln, n, logits);
}

/* the tr->mlm_rows rows of h (B*T,H), gathered into mlm_in, through the head */
static void mlm_forward(const BertModel *m, Trace *tr, const float *h) {
    int H = tr->H, n = tr->n_mlm;
    for (int i = 0; i < n; i++)
        memcpy(tr->mlm_in + (size_t)i * H, h + (size_t)tr->mlm_rows[i] * H, sizeof(float) * H);
    mlm_transform(m, tr->mlm_in, n, tr->mlm_pre, tr->mlm_act, tr->mlm_ln, tr->mlm_mean, tr->mlm_rstd);
    mark(tr, FP_MLM_TRANSFORM);
    mlm_decode(m, tr->mlm_ln, n, tr->mlm_logits);
    mark(tr, FP_MLM_DECODER);
}

/* [CLS] rows of h -> pooled (B,H) = tanh(dense), nsp_logits (B,2) */
static void nsp_forward(const BertModel *m, Trace *tr, const float *h) {
    int H = tr->H;
    for (int b = 0; b < tr->B; b++) {
        const float *cls = h + (size_t)b * tr->T * H;
        float *p = tr->pooled + (size_t)b * H;
        matmul_forward(p, cls, m->pool_w, m->pool_b, 1, H, H);
        for (int i = 0; i < H; i++) p[i] = tanhf(p[i]);
    }
    matmul_forward(tr->nsp_logits, tr->pooled, m->nsp_w, m->nsp_b, tr->B, H, 2);
    mark(tr, FP_NSP);
}

void forward_from(const BertModel *m, Trace *tr, int first, uint64_t *rng) {
    if (first < 0) first = 0;
    if (first > tr->L) first = tr->L;
    const float *x = first == 0 ? tr->x0 : tr->layers[first - 1].out;
    for (int l = first; l < tr->L; l++) {
        layer_forward(m, l, &tr->layers[l], x, tr, rng);
        x = tr->layers[l].out;
    }
    if (m->has_mlm && tr->mlm_logits && tr->n_mlm > 0) mlm_forward(m, tr, x);
    if (m->has_nsp && tr->pooled) nsp_forward(m, tr, x);
}

void forward(const BertModel *m, Trace *tr, uint64_t *rng) {
    embeddings_lookup(m, tr);
    forward_embedded(m, tr, rng);
}

void forward_embedded(const BertModel *m, Trace *tr, uint64_t *rng) {
    size_t NH = (size_t)tr->B * tr->T * tr->H;
    embeddings_sum(m, tr);
    if (tr->dropout > 0 && rng) {
        dropout_mask(tr->drop_emb, NH, tr->dropout, rng);
        mul_forward(tr->x0, tr->emb, tr->drop_emb, NH);
    } else if (tr->x0 != tr->emb) {
        memcpy(tr->x0, tr->emb, sizeof(float) * NH);
    }
    mark(tr, FP_EMBED);
    forward_from(m, tr, 0, rng);
}
