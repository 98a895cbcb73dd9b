/* --init-vectors: word rows started from static vectors. Checked against
 * what the rows must be, computed here independently in double:
 * - a whole word's slow dimensions [K, H) keep every cosine of the static
 *   table (the map is orthonormal) and have norm hi * sqrt(H - K);
 * - a piece without a vector points along the normalised mean of the unit
 *   vectors of the words whose pieces contain it;
 * - a piece nothing covers, dims [0, K), and every other weight are the
 *   draw a run without vectors makes (a separate random stream);
 * - a file that does not fit fails with one line. */
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "bertology/train_init.h"
#include "bertology/vectors.h"
#include "testutil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D = 4, V = 12 };
static const char *VOCAB[V] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cat", "dog", "run", "walk",
                               "##ing", "zzz", "sea"};
/* static vectors: cat, dog, run, walk, walking (walk ##ing), sea, seaing (sea ##ing) */
static const char *WORDS[] = {"cat", "dog", "run", "walk", "walking", "sea", "seaing"};
static const float VECS[][D] = {{1, 2, 0, 1}, {1, 2.5f, 0.5f, 1}, {0, 1, 3, -1}, {0.2f, 1, 2.5f, -1.5f},
                                {3, -1, 1, 0}, {-2, 0, 1, 4}, {1, -2, 2, 0.5f}};

static double cosd(const float *a, const float *b, int n) {
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < n; k++) {
        ab += (double)a[k] * b[k];
        aa += (double)a[k] * a[k];
        bb += (double)b[k] * b[k];
    }
    return ab / sqrt(aa * bb);
}

static double normd(const float *a, int n) {
    double s = 0;
    for (int k = 0; k < n; k++) s += (double)a[k] * a[k];
    return sqrt(s);
}

static int row_of(const char *w) {
    for (int i = 0; i < (int)(sizeof WORDS / sizeof *WORDS); i++)
        if (!strcmp(WORDS[i], w)) return i;
    return -1;
}

static void setup_model(BertModel *m, TrainOptions *o) {
    train_defaults(o);
    BertConfig cfg = o->cfg;
    cfg.vocab_size = V;
    cfg.hidden_size = 16;
    cfg.num_heads = 2;
    cfg.intermediate_size = 32;
    cfg.num_layers = 1;
    o->cfg = cfg;
    BtError err = {{0}};
    CHECKF(model_alloc(m, &cfg, &err) == 0, "%s", err.msg);
    m->has_mlm = m->has_nsp = 1;
}

int main(void) {
    const char *vocab = test_tmp_path("vocab.txt"), *text = test_tmp_path("vec.txt"), *btv = test_tmp_path("vec.btv");
    FILE *f = fopen(vocab, "w");
    for (int i = 0; i < V; i++) fprintf(f, "%s\n", VOCAB[i]);
    fclose(f);
    f = fopen(text, "w");
    for (int i = 0; i < (int)(sizeof WORDS / sizeof *WORDS); i++) {
        fprintf(f, "%s", WORDS[i]);
        for (int k = 0; k < D; k++) fprintf(f, " %.6f", VECS[i][k]);
        fprintf(f, "\n");
    }
    fclose(f);
    BtError err = {{0}};
    VecConvertOptions co = {0};
    VecConvertStats cs;
    CHECKF(vec_convert(text, btv, &co, &cs, &err) == 0, "%s", err.msg);
    Tokenizer *tok;
    CHECKF(tok_load(&tok, vocab, 1, &err) == 0, "%s", err.msg);

    int ids[3] = {5, 6, 7};
    Corpus c = {0};
    c.ids = ids;
    c.n_ids = 3;
    BertModel plain, m;
    TrainOptions o;
    setup_model(&plain, &o);
    uint64_t rng = 42;
    CHECKF(train_init_params(&plain, &o, &c, NULL, &rng, NULL, &err) == 0, "%s", err.msg);
    setup_model(&m, &o);
    o.init_vectors_path = btv;
    rng = 42;
    TrainInitStats st;
    CHECKF(train_init_params(&m, &o, &c, tok, &rng, &st, &err) == 0, "%s", err.msg);

    int H = 16, K = train_word_split(&o, &m.cfg), W = H - K;
    CHECK(K == 8);
    /* cat dog run walk sea have vectors; ##ing is in walking and seaing */
    CHECKF(st.direct == 5 && st.mean == 1, "direct %d mean %d random %d", st.direct, st.mean, st.random);
    CHECK(st.random == V - 6);

    double hi = o.word_init_std * sqrt((double)H / W), want_norm = hi * sqrt((double)W);
    const char *direct[] = {"cat", "dog", "run", "walk", "sea"};
    int dir_id[] = {5, 6, 7, 8, 11};
    for (int a = 0; a < 5; a++) {
        const float *ea = m.word_emb + (long)dir_id[a] * H + K;
        CHECKF(fabs(normd(ea, W) - want_norm) < 1e-4 * want_norm, "%s norm %g want %g", direct[a], normd(ea, W),
               want_norm);
        for (int b = 0; b < 5; b++) {
            double want = cosd(VECS[row_of(direct[a])], VECS[row_of(direct[b])], D);
            double have = cosd(ea, m.word_emb + (long)dir_id[b] * H + K, W);
            CHECKF(fabs(have - want) < 1e-5, "cos(%s, %s) = %g, static %g", direct[a], direct[b], have, want);
        }
    }
    /* ##ing: along the normalised mean of unit(walking) and unit(running),
     * seen through the same map: its cosine with each whole word equals the
     * static cosine of that mean with the word */
    float mean[D] = {0};
    const char *holders[] = {"walking", "seaing"};   /* "sea ##ing"; a word with an unknown piece is [UNK] whole */
    for (int i = 0; i < 2; i++) {
        const float *g = VECS[row_of(holders[i])];
        double n = normd(g, D);
        for (int k = 0; k < D; k++) mean[k] += (float)(g[k] / n);
    }
    const float *ing = m.word_emb + 9L * H + K;
    CHECK(fabs(normd(ing, W) - want_norm) < 1e-4 * want_norm);
    for (int b = 0; b < 5; b++) {
        double want = cosd(mean, VECS[row_of(direct[b])], D);
        double have = cosd(ing, m.word_emb + (long)dir_id[b] * H + K, W);
        CHECKF(fabs(have - want) < 1e-5, "cos(##ing, %s) = %g, want %g", direct[b], have, want);
    }
    /* untouched: dims [0, K) of every row, whole rows nothing covers, and
     * every other parameter except layer 0's Q/K rows of the position
     * heads (their gain depends on the embedding variance) */
    for (int v = 0; v < V; v++)
        for (int k = 0; k < K; k++) CHECK(m.word_emb[(long)v * H + k] == plain.word_emb[(long)v * H + k]);
    CHECK(!memcmp(m.word_emb + 10L * H, plain.word_emb + 10L * H, sizeof(float) * H));   /* zzz */
    CHECK(!memcmp(m.word_emb + 0L * H, plain.word_emb + 0L * H, sizeof(float) * H));    /* [PAD] */
    CHECK(!memcmp(m.layers[0].wv, plain.layers[0].wv, sizeof(float) * H * H));
    CHECK(!memcmp(m.mlm_bias, plain.mlm_bias, sizeof(float) * V));
    CHECK(!memcmp(m.type_emb, plain.type_emb, sizeof(float) * 2 * H));

    /* vectors wider than the slow dimensions: one line naming the option */
    BertModel m2;
    setup_model(&m2, &o);
    o.init_vectors_path = btv;
    o.word_split = 14;   /* W = 2 < D = 4 */
    o.pos_heads = 0;
    rng = 42;
    CHECK(train_init_params(&m2, &o, &c, tok, &rng, NULL, &err) != 0 && strstr(err.msg, "--word-split"));
    o.word_split = -1;
    o.pos_heads = 2;
    o.init_vectors_path = test_tmp_path("missing.btv");
    CHECK(train_init_params(&m2, &o, &c, tok, &rng, NULL, &err) != 0 && strstr(err.msg, "missing.btv"));
    o.init_vectors_path = btv;
    CHECK(train_init_params(&m2, &o, &c, NULL, &rng, NULL, &err) != 0 && strstr(err.msg, "tokenizer"));

    model_free(&m2);
    model_free(&m);
    model_free(&plain);
    tok_free(tok);
    return test_done("train_init_vectors");
}
