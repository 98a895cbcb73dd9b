/* The trainer's starting weights: position heads really attend to the
 * previous / next token through the engine's own forward pass, the word
 * split leaves the first K dimensions near zero, and bad settings are
 * messages. */
#include "bertology/forward.h"
#include "bertology/model.h"
#include "bertology/ops.h"
#include "bertology/trace.h"
#include "bertology/train_init.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fraction of query rows p of head h (layer 0, sequence 0) whose largest
 * weight is on key p + delta, and the mean weight there. */
static double head_hits(const Trace *tr, int h, int delta, double *mass) {
    int T = tr->T, n = 0, hits = 0;
    *mass = 0;
    const float *a = tr->layers[0].attn + (long)h * T * T;
    for (int p = 0; p < T; p++) {
        int j = p + delta;
        if (j < 0 || j >= T) continue;
        int best = 0;
        for (int k = 1; k < T; k++)
            if (a[(long)p * T + k] > a[(long)p * T + best]) best = k;
        hits += best == j;
        *mass += a[(long)p * T + j];
        n++;
    }
    *mass /= n;
    return (double)hits / n;
}

static void check_shape(int H, int heads, int T) {
    TrainOptions o;
    train_defaults(&o);
    BertConfig cfg = o.cfg;
    cfg.vocab_size = 500;
    cfg.hidden_size = H;
    cfg.num_heads = heads;
    cfg.intermediate_size = 4 * H;
    cfg.num_layers = 2;
    BtError err = {{0}};
    BertModel m;
    CHECKF(model_alloc(&m, &cfg, &err) == 0, "%s", err.msg);
    m.has_mlm = m.has_nsp = 1;
    int ids[3] = {7, 8, 9};
    Corpus c = {0};
    c.ids = ids;
    c.n_ids = 3;
    uint64_t rng = 42;
    CHECKF(train_init_params(&m, &o, &c, NULL, &rng, NULL, &err) == 0, "%s", err.msg);

    /* the first H/2 word dimensions start near zero, the rest carry std ~1 */
    double lo = 0, hi = 0;
    for (int v = 0; v < cfg.vocab_size; v++)
        for (int k = 0; k < H; k++) {
            double x = m.word_emb[(long)v * H + k];
            if (k < H / 2) lo += x * x; else hi += x * x;
        }
    lo = sqrt(lo / (cfg.vocab_size * H / 2));
    hi = sqrt(hi / (cfg.vocab_size * H / 2));
    CHECKF(lo < 0.05 && fabs(hi - sqrt(2.0)) < 0.1, "word std %.3f / %.3f, want ~0.02 / ~1.41", lo, hi);
    /* the decoder bias is log unigram: seen ids above unseen ones */
    CHECK(m.mlm_bias[7] > m.mlm_bias[100]);

    Trace tr;
    CHECKF(trace_alloc(&tr, &m, 1, T, T, 0, &err) == 0, "%s", err.msg);
    uint64_t r = 7;
    for (int t = 0; t < T; t++) {
        tr.input_ids[t] = 5 + (int)(rng_next(&r) % (uint64_t)(cfg.vocab_size - 5));
        tr.type_ids[t] = 0;
        tr.valid[t] = 1;
    }
    forward(&m, &tr, NULL);
    double mass_prev, mass_next, mass_other;
    double prev = head_hits(&tr, 0, -1, &mass_prev), next = head_hits(&tr, 1, +1, &mass_next);
    double other = head_hits(&tr, 2, -1, &mass_other);
    CHECKF(prev > 0.6 && mass_prev > 0.4, "H=%d head 0 looks at p-1 in %.0f%% of rows (weight %.2f)", H, 100 * prev,
           mass_prev);
    CHECKF(next > 0.6 && mass_next > 0.4, "H=%d head 1 looks at p+1 in %.0f%% of rows (weight %.2f)", H, 100 * next,
           mass_next);
    /* an ordinary head is not a position head */
    CHECKF(other < 0.5 && mass_other < 0.2, "H=%d head 2 puts %.2f on p-1", H, mass_other);
    trace_free(&tr);
    model_free(&m);
}

static void check_errors(void) {
    TrainOptions o;
    train_defaults(&o);
    BertConfig cfg = o.cfg;
    cfg.vocab_size = 100;
    BtError err = {{0}};
    BertModel m;
    CHECKF(model_alloc(&m, &cfg, &err) == 0, "%s", err.msg);
    Corpus c = {0};
    uint64_t rng = 1;
    o.word_split = 16;   /* smaller than the head size 64 */
    CHECK(train_init_params(&m, &o, &c, NULL, &rng, NULL, &err) != 0 && strstr(err.msg, "--word-split"));
    o.word_split = -1;
    o.pos_heads = 3;
    CHECK(train_init_params(&m, &o, &c, NULL, &rng, NULL, &err) != 0 && strstr(err.msg, "--pos-heads"));
    model_free(&m);
    cfg.pos_type = POS_ABSOLUTE;
    CHECKF(model_alloc(&m, &cfg, &err) == 0, "%s", err.msg);
    train_defaults(&o);
    CHECK(train_init_params(&m, &o, &c, NULL, &rng, NULL, &err) != 0 && strstr(err.msg, "sinusoidal"));
    o.pos_heads = 0;   /* plain init works with learned positions */
    CHECKF(train_init_params(&m, &o, &c, NULL, &rng, NULL, &err) == 0, "%s", err.msg);
    model_free(&m);
}

int main(void) {
    check_shape(256, 4, 128);   /* the shipped shape */
    check_shape(128, 4, 64);
    check_errors();
    return test_done("train_init");
}
