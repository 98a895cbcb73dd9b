/* Starting weights for pretraining.
 *
 * BERT's initialisation (normal(0, init_std) matrices, zero biases, unit
 * LayerNorm) leaves a small model on the "always predict the commonest
 * token" plateau for millions of tokens. Four departures, none of which
 * changes the forward pass (word + position + segment, then LayerNorm):
 * - word embeddings of std ~1: the ±1 sinusoid added to rows of std 0.02
 *   would drown them before the first LayerNorm;
 * - so the tied decoder would start with logits of std ~sqrt(H): the MLM
 *   head's LayerNorm gamma starts at 1/sqrt(H) to bring them back to ~1;
 * - the decoder bias starts at log unigram frequencies, so step 0 already
 *   predicts the frequency baseline and gradients go to context;
 * - with --init-vectors, word rows start from GloVe (init_vectors.c);
 * - "position heads": the plateau is a model that has not learned to look
 *   at its neighbours (a bigram count model beats it), and with attention
 *   spread over ~40 tokens the gradient that would build such a head is
 *   diluted ~40x. So two heads of layer 0 start as previous-token and
 *   next-token heads, built from the sinusoid itself (below), and words
 *   start in the slow half of the dimensions, where the sinusoid is nearly
 *   constant, so that they do not blur those heads' scores. */
#include "bertology/train_init.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/ops.h"
#include "bertology/posenc.h"

/* Per-vector variance of word + position + segment 0 at init, averaged
 * over random (token, position < 64) pairs: the scale the embedding
 * LayerNorm divides by, which the position heads' gain must undo. */
static double embedding_variance(const BertModel *m, uint64_t *rng) {
    int H = m->cfg.hidden_size, V = m->cfg.vocab_size;
    int P = m->cfg.max_position < 64 ? m->cfg.max_position : 64;
    float *pe = malloc(sizeof(float) * P * H);
    if (!pe) return 1.0;
    posenc_sinusoidal(pe, P, H);
    double total = 0;
    enum { SAMPLES = 256 };
    for (int s = 0; s < SAMPLES; s++) {
        int id = V > 5 ? 5 + (int)(rng_next(rng) % (uint64_t)(V - 5)) : 0;
        int p = (int)(rng_next(rng) % (uint64_t)P);
        double sum = 0, sq = 0;
        for (int k = 0; k < H; k++) {
            double x = m->word_emb[(long)id * H + k] + pe[(long)p * H + k] + m->type_emb[k];
            sum += x;
            sq += x * x;
        }
        double mean = sum / H;
        total += sq / H - mean * mean;
    }
    free(pe);
    return total / SAMPLES;
}

/* Head h of layer 0 attends at offset delta (-1: previous token, +1: next).
 * PE[p, 2i] = sin(p w_i), PE[p, 2i+1] = cos(p w_i): W_K copies the first
 * `pairs` sinusoid pairs, W_Q rotates each by w_i * delta, so
 *   q_p . k_j  ~  sum_i cos(w_i (p + delta - j)),
 * largest at j = p + delta. The gain c makes the score there `sharpness`
 * logits above its neighbours' after LayerNorm and the 1/sqrt(d) scale.
 * Rows end with zero mean: blind to the mean LayerNorm subtracts anyway. */
static void init_position_head(BertModel *m, int h, int delta, int pairs, float sharpness, double var) {
    int H = m->cfg.hidden_size, d = H / m->cfg.num_heads;
    float *wq = m->layers[0].wq, *wk = m->layers[0].wk;   /* (H out, H in) */
    if (pairs > d / 2) pairs = d / 2;
    double gap = 0;
    for (int i = 0; i < pairs; i++) gap += 1.0 - cos(pow(10000.0, -2.0 * i / H));
    double c = sharpness * sqrt((double)d) * var / gap;
    for (int i = 0; i < pairs; i++) {
        double a = pow(10000.0, -2.0 * i / H) * delta;
        long r0 = (long)(h * d + 2 * i) * H, r1 = r0 + H;
        wk[r0 + 2 * i] += 1.0f;
        wk[r1 + 2 * i + 1] += 1.0f;
        wq[r0 + 2 * i] += (float)(c * cos(a));
        wq[r0 + 2 * i + 1] += (float)(c * sin(a));
        wq[r1 + 2 * i] += (float)(-c * sin(a));
        wq[r1 + 2 * i + 1] += (float)(c * cos(a));
    }
    for (int r = h * d; r < (h + 1) * d; r++) {
        float *rows[2] = {wq + (long)r * H, wk + (long)r * H};
        for (int t = 0; t < 2; t++) {
            double mean = 0;
            for (int k = 0; k < H; k++) mean += rows[t][k];
            mean /= H;
            for (int k = 0; k < H; k++) rows[t][k] -= (float)mean;
        }
    }
}

/* The word split actually used: -1 means H/2 with position heads, else 0. */
int train_word_split(const TrainOptions *o, const BertConfig *cfg) {
    return o->word_split >= 0 ? o->word_split : o->pos_heads > 0 ? cfg->hidden_size / 2 : 0;
}

/* Every weight from a saved model of the same shape and vocabulary: how a
 * run continues on a machine that has the shipped weights but not the
 * run's state.bin (AdamW's moments then restart from zero; a float16 file
 * is rounded to 11 bits, far below what one step moves). The draws above
 * still happen, so the random stream is the same as a fresh run's. */
static int load_init_from(BertModel *src, const char *dir, const BertConfig *b, const Tokenizer *tok, BtError *err) {
    if (model_load(src, dir, err)) return -1;
    const BertConfig *a = &src->cfg;
    int rc = 0;
    if (!config_same_shape(a, b))
        rc = bt_fail(err, "--init-from %s: its shape (%d layers, H %d, %d heads, FFN %d, V %d) is not this run's "
                     "(%d, %d, %d, %d, %d)", dir, a->num_layers, a->hidden_size, a->num_heads, a->intermediate_size,
                     a->vocab_size, b->num_layers, b->hidden_size, b->num_heads, b->intermediate_size, b->vocab_size);
    else if (!src->has_mlm || !src->has_nsp || src->untied_decoder)
        rc = bt_fail(err, "--init-from %s: the model needs both pretraining heads and a tied decoder", dir);
    int v = !rc && tok && src->tok ? tok_first_difference(tok, src->tok, b->vocab_size) : -1;
    if (v >= 0)
        rc = bt_fail(err, "--init-from %s: its vocabulary differs from --vocab at id %d ('%s' vs '%s')", dir, v,
                     tok_token(src->tok, v), tok_token(tok, v));
    if (rc) model_free(src);
    return rc;
}

int train_check_init_from(const TrainOptions *o, const BertConfig *cfg, const Tokenizer *tok, BtError *err) {
    BertModel src;
    if (!o->init_from || o->resume) return 0;
    if (load_init_from(&src, o->init_from, cfg, tok, err)) return -1;
    model_free(&src);
    return 0;
}

static int init_from(BertModel *m, const char *dir, const Tokenizer *tok, BtError *err) {
    BertModel src;
    if (load_init_from(&src, dir, &m->cfg, tok, err)) return -1;
    memcpy(m->params, src.params, sizeof(float) * m->n_params);
    model_free(&src);
    return 0;
}

int train_check_init(const TrainOptions *o, const BertConfig *cfg, BtError *err) {
    int H = cfg->hidden_size, d = H / (cfg->num_heads > 0 ? cfg->num_heads : 1);
    int K = train_word_split(o, cfg);
    if (o->pos_heads > 0) {
        if (cfg->pos_type != POS_SINUSOIDAL)
            return bt_fail(err, "--pos-heads needs sinusoidal positions (use --pos-heads 0 with --positions absolute)");
        if (o->pos_heads > 2 || o->pos_heads > cfg->num_heads)
            return bt_fail(err, "--pos-heads must be 0, 1 or 2 (and at most the number of heads)");
        if (K < d) return bt_fail(err, "--word-split must be at least the head size (%d) for position heads", d);
    }
    if (K >= H) return bt_fail(err, "--word-split must be between 0 and the hidden size - 1 (%d)", H - 1);
    return 0;
}

int train_init_params(BertModel *m, const TrainOptions *o, const Corpus *c, const Tokenizer *tok, uint64_t *rng,
                      TrainInitStats *st, BtError *err) {
    TrainInitStats unused;
    if (!st) st = &unused;
    memset(st, 0, sizeof *st);
    if (train_check_init(o, &m->cfg, err)) return -1;
    if (o->init_vectors_path && !tok) return bt_fail(err, "--init-vectors needs the vocabulary's tokenizer");
    int H = m->cfg.hidden_size, V = m->cfg.vocab_size;
    int K = train_word_split(o, &m->cfg);

    /* Words: std word_init_std overall; with a split, ~0 in the first K
     * dimensions and all of that variance in the rest. (K = 0 draws the
     * same stream as before position heads existed.) */
    float hi = o->word_init_std * sqrtf((float)H / (float)(H - K));
    ParamInfo *tab;
    int n = model_param_table(&m->cfg, &tab);
    if (n <= 0) return bt_fail(err, "out of memory");
    for (int i = 0; i < n; i++) {
        float *p = m->params + tab[i].offset;
        int is_word = strstr(tab[i].name, "word_embeddings") != NULL;
        int is_ln_weight = strstr(tab[i].name, "LayerNorm.weight") != NULL;
        for (size_t k = 0; k < tab[i].numel; k++) {
            float std = !is_word ? o->init_std : (int)(k % H) < K ? o->init_std : hi;
            p[k] = tab[i].ndim == 2 ? std * rng_normal(rng) : (is_ln_weight ? 1.0f : 0.0f);
        }
    }
    free(tab);
    /* transfer: word rows from static vectors, before the position heads
     * measure the embedding variance they must undo */
    if (train_init_vectors(m, o, tok, st, err)) return -1;

    float g = o->mlm_ln_init > 0 ? o->mlm_ln_init : 1.0f / sqrtf((float)H);
    for (int k = 0; k < H; k++) m->mlm_ln_g[k] = g;
    if (o->bias_unigram) {
        long *count = corpus_id_counts(c, V);
        double total = 0;
        if (!count) return bt_fail(err, "out of memory");
        for (int v = 0; v < V; v++) total += (double)count[v] + 1;
        for (int v = 0; v < V; v++) m->mlm_bias[v] = (float)log(((double)count[v] + 1) / total);
        free(count);
    }
    if (o->pos_heads > 0) {
        double var = embedding_variance(m, rng);
        static const int offsets[2] = {-1, +1};
        for (int h = 0; h < o->pos_heads; h++)
            init_position_head(m, h, offsets[h], o->pos_head_pairs, o->pos_head_sharpness, var);
    }
    if (o->init_from) return init_from(m, o->init_from, tok, err);
    return 0;
}
