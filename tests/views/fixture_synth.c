/* A synthetic model and trace for the view tests: a small transformer
 * run by hand with random weights, plus attention biases that give each
 * head a recognisable pattern (self, previous token, [CLS], [SEP]) and
 * one planted strongest weight, so that a picture can be checked against
 * numbers known in advance. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testutil.h"
#include "fixture.h"

enum { SH = 64, SNH = 4, SI = 128, SL = 3, SP = 64 };

static const char *const VOCAB[] = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "by", "river",
    "bank", ".", "i", "put", "money", "in", "floor", "dog", "table", "sofa", "bed", "grass", "a",
};

static float *own(Fixture *f, size_t n) {
    float *p = calloc(n ? n : 1, sizeof *p);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    f->owned[f->nowned++] = p;
    return p;
}

static float gauss(uint64_t *s) {
    double u[2];
    for (int i = 0; i < 2; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        u[i] = ((*s >> 11) + 0.5) / 9007199254740992.0;
    }
    return (float)(sqrt(-2 * log(u[0])) * cos(6.283185307179586 * u[1]));
}

static float *random_matrix(Fixture *f, uint64_t *s, int rows, int cols, float std) {
    float *m = own(f, (size_t)rows * cols);
    for (long i = 0; i < (long)rows * cols; i++) m[i] = std * gauss(s);
    return m;
}

/* y (T,out) = x (T,in) · w (in,out) */
static void mm(float *y, const float *x, const float *w, int T, int in, int out) {
    for (int t = 0; t < T; t++)
        for (int o = 0; o < out; o++) {
            double s = 0;
            for (int i = 0; i < in; i++) s += (double)x[(long)t * in + i] * w[(long)i * out + o];
            y[(long)t * out + o] = (float)s;
        }
}

static void layernorm(float *y, float *mean, float *rstd, const float *x, int T, int H) {
    for (int t = 0; t < T; t++) {
        double m = 0, v = 0;
        for (int i = 0; i < H; i++) m += x[(long)t * H + i];
        m /= H;
        for (int i = 0; i < H; i++) v += (x[(long)t * H + i] - m) * (x[(long)t * H + i] - m);
        double r = 1 / sqrt(v / H + 1e-12);
        for (int i = 0; i < H; i++) y[(long)t * H + i] = (float)((x[(long)t * H + i] - m) * r);
        mean[t] = (float)m;
        rstd[t] = (float)r;
    }
}

/* (T,H) -> (nh,T,hd) */
static void split_heads(float *dst, const float *src, int T) {
    int hd = SH / SNH;
    for (int h = 0; h < SNH; h++)
        for (int t = 0; t < T; t++)
            memcpy(dst + ((long)h * T + t) * hd, src + (long)t * SH + h * hd, sizeof(float) * hd);
}

typedef struct {
    float *wq, *wk, *wv, *wo, *w1, *w2;
} Weights;

static void run(Fixture *f, const Weights *w, Trace *tr, const int *ids, int n, int plant) {
    const BertModel *m = &f->model;
    int T = n, H = SH, hd = SH / SNH, I = SI;
    float *tmp2 = own(f, (size_t)T * H);
    for (int t = 0; t < T; t++) {
        tr->input_ids[t] = ids[t];
        tr->type_ids[t] = 0;
        tr->valid[t] = 1;
        for (int i = 0; i < H; i++) {
            tr->tok_emb[(long)t * H + i] = m->word_emb[(long)ids[t] * H + i];
            tr->pos_emb[(long)t * H + i] = m->pos_emb[(long)t * H + i];
            tr->type_emb[(long)t * H + i] = m->type_emb[i];
            tr->emb_sum[(long)t * H + i] = tr->tok_emb[(long)t * H + i] + tr->pos_emb[(long)t * H + i] +
                                           tr->type_emb[(long)t * H + i];
        }
    }
    layernorm(tr->emb, tr->emb_mean, tr->emb_rstd, tr->emb_sum, T, H);
    const float *x = tr->emb;
    for (int l = 0; l < SL; l++) {
        LayerTrace *lt = &tr->layers[l];
        const Weights *wl = &w[l];
        mm(tmp2, x, wl->wq, T, H, H);
        split_heads(lt->q, tmp2, T);
        mm(tmp2, x, wl->wk, T, H, H);
        split_heads(lt->k, tmp2, T);
        mm(tmp2, x, wl->wv, T, H, H);
        split_heads(lt->v, tmp2, T);
        for (int h = 0; h < SNH; h++) {
            int pattern = (h + l) % 4;
            for (int i = 0; i < T; i++) {
                float *srow = lt->scores + ((long)h * T + i) * T, *arow = lt->attn + ((long)h * T + i) * T;
                float mx = -INFINITY;
                for (int j = 0; j < T; j++) {
                    double s = 0;
                    for (int d = 0; d < hd; d++)
                        s += lt->q[((long)h * T + i) * hd + d] * lt->k[((long)h * T + j) * hd + d];
                    s = 0.3 * s / sqrt(hd);
                    if ((pattern == 0 && j == i) || (pattern == 1 && j == i - 1) || (pattern == 2 && j == 0) ||
                        (pattern == 3 && j == T - 1))
                        s += 4;
                    if (plant && l == f->hot_layer && h == f->hot_head && i == f->hot_q && j == f->hot_k) s += 9;
                    srow[j] = (float)s;
                    if (srow[j] > mx) mx = srow[j];
                }
                double z = 0;
                for (int j = 0; j < T; j++) z += exp(srow[j] - mx);
                for (int j = 0; j < T; j++) arow[j] = (float)(exp(srow[j] - mx) / z);
            }
            for (int i = 0; i < T; i++)
                for (int d = 0; d < hd; d++) {
                    double s = 0;
                    for (int j = 0; j < T; j++)
                        s += lt->attn[((long)h * T + i) * T + j] * lt->v[((long)h * T + j) * hd + d];
                    lt->ctx[(long)i * H + h * hd + d] = (float)s;
                }
        }
        mm(lt->attn_out, lt->ctx, wl->wo, T, H, H);
        for (long i = 0; i < (long)T * H; i++) lt->res1[i] = x[i] + lt->attn_out[i];
        layernorm(lt->ln1, lt->ln1_mean, lt->ln1_rstd, lt->res1, T, H);
        mm(lt->ffn_pre, lt->ln1, wl->w1, T, H, I);
        for (long i = 0; i < (long)T * I; i++) {
            float u = lt->ffn_pre[i];
            lt->ffn_act[i] = 0.5f * u * (1 + erff(u / sqrtf(2)));
        }
        mm(lt->ffn_out, lt->ffn_act, wl->w2, T, I, H);
        for (long i = 0; i < (long)T * H; i++) lt->res2[i] = lt->ln1[i] + lt->ffn_out[i];
        layernorm(lt->out, lt->ln2_mean, lt->ln2_rstd, lt->res2, T, H);
        x = lt->out;
    }
    /* MLM logits: the output against the word embeddings, with the planted
     * guess made clearly best at the [MASK]. */
    for (int r = 0; r < tr->n_mlm; r++) {
        int t = tr->mlm_rows[r];
        for (int v = 0; v < tr->V; v++) {
            double s = 0;
            for (int i = 0; i < H; i++) s += x[(long)t * H + i] * m->word_emb[(long)v * H + i];
            tr->mlm_logits[(long)r * tr->V + v] = (float)(0.5 * s) + (plant && t == f->mask_pos && v == f->mask_top ? 6 : 0);
        }
    }
}

static int encode(Fixture *f, const char *text, TokInput *in, const char ***names, BtError *err) {
    if (tok_encode(f->model.tok, text, SP, 1, in, err)) return -1;
    *names = calloc((size_t)in->n, sizeof **names);
    if (!*names) return bt_fail(err, "out of memory");
    f->owned[f->nowned++] = (void *)*names;
    for (int i = 0; i < in->n; i++) (*names)[i] = tok_token(f->model.tok, in->ids[i]);
    return 0;
}

int fixture_synthetic(Fixture *f, BtError *err) {
    memset(f, 0, sizeof *f);
    int V = (int)(sizeof VOCAB / sizeof VOCAB[0]);
    char path[512];
    snprintf(path, sizeof path, "%s/synth-vocab.txt", test_tmpdir());
    FILE *fp = fopen(path, "w");
    if (!fp) return bt_fail(err, "cannot write %s", path);
    for (int i = 0; i < V; i++) fprintf(fp, "%s\n", VOCAB[i]);
    fclose(fp);
    if (tok_load(&f->model.tok, path, 1, err)) return -1;

    BertConfig *c = &f->model.cfg;
    *c = (BertConfig){V, SH, SL, SNH, SI, SP, 2, 1e-12f, POS_ABSOLUTE};
    f->model.has_mlm = 1;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    f->model.word_emb = random_matrix(f, &s, V, SH, 0.5f);
    f->model.type_emb = random_matrix(f, &s, 2, SH, 0.05f);
    /* Learned positions look like smooth waves with noise, as trained
     * ones do, so the positional view has something to compare. */
    f->model.pos_emb = own(f, (size_t)SP * SH);
    for (int i = 0; i < SH; i++) {
        float freq = 0.02f + 0.3f * (float)i / SH, phase = gauss(&s);
        for (int p = 0; p < SP; p++) f->model.pos_emb[(long)p * SH + i] = 0.4f * sinf(freq * p + phase) + 0.05f * gauss(&s);
    }
    Weights w[SL];
    for (int l = 0; l < SL; l++) {
        float sh = 1 / sqrtf(SH), si = 1 / sqrtf(SI);
        w[l] = (Weights){random_matrix(f, &s, SH, SH, sh), random_matrix(f, &s, SH, SH, sh),
                         random_matrix(f, &s, SH, SH, sh), random_matrix(f, &s, SH, SH, sh),
                         random_matrix(f, &s, SH, SI, sh), random_matrix(f, &s, SI, SH, si)};
    }
    TokInput in1 = {0}, in2 = {0};
    if (encode(f, FIXTURE_TEXT1, &in1, &f->tok1, err) || encode(f, FIXTURE_TEXT2, &in2, &f->tok2, err)) {
        tok_input_free(&in1);
        return -1;
    }
    f->hot_layer = 1;
    f->hot_head = 2;
    f->hot_q = 3;
    f->hot_k = 7;
    f->mask_top = tok_id(f->model.tok, "mat");
    for (int i = 0; i < in1.n; i++)
        if (in1.ids[i] == tok_mask_id(f->model.tok)) f->mask_pos = i;
    int rc = trace_alloc(&f->tr, &f->model, 1, in1.n, in1.n, 0, err);
    if (!rc) rc = trace_alloc(&f->tr2, &f->model, 1, in2.n, in2.n, 0, err);
    if (!rc) {
        run(f, w, &f->tr, in1.ids, in1.n, 1);
        run(f, w, &f->tr2, in2.ids, in2.n, 0);
        f->st = (VizState){.model = &f->model, .trace = &f->tr, .tokens = f->tok1,
                           .pos = {STAGE_ATTN, f->hot_layer, f->hot_head}, .trace2 = &f->tr2, .tokens2 = f->tok2,
                           .top_k = 5};
    }
    tok_input_free(&in1);
    tok_input_free(&in2);
    return rc;
}
