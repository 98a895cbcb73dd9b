/* The model's own table as a static set, and `compare` on a small random
 * model: the static cosine is exactly 1, the contextual ones are below 1
 * for a word in two contexts and match the trace; split words average
 * their pieces; each mistake gets its message. */
#include "bertology/vec_compare.h"
#include "testutil.h"
#include "testmodel.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", ".",
                              "[unused0]"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 16 };

static int make_model(BertModel *m) {
    BertConfig cfg = {V, H, 2, 2, 32, 32, 2, 1e-12f, POS_ABSOLUTE};
    return test_random_model(m, &cfg, VOCAB, V);
}

static double cos_rows(const float *a, const float *b) {
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < H; i++) ab += (double)a[i] * b[i], aa += (double)a[i] * a[i], bb += (double)b[i] * b[i];
    return ab / sqrt(aa * bb);
}

static void test_model_set(const BertModel *m) {
    VecSet *vs;
    BtError err = {{0}};
    CHECK(vecset_from_model(&vs, m, &err) == 0);
    CHECK(vecset_is_model(vs) && vecset_count(vs) == V && vecset_dim(vs) == H);
    CHECK(strcmp(vecset_name(vs), "model") == 0);
    CHECK(vecset_find(vs, "bank") == 6);
    CHECK(!vecset_listable(vs, 0) && !vecset_listable(vs, V - 1) && vecset_listable(vs, 6));
    VecHit h[V];
    int n = vec_nearest(vs, vecset_row(vs, 6), NULL, 0, V, h);
    CHECK(n == V - 6);   /* [PAD] [UNK] [CLS] [SEP] [MASK] [unused0] never listed */
    CHECK(h[0].row == 6 && h[0].cos == 1.0);
    float v[H];
    VecWord w;
    /* "banks" is not a piece: the mean of bank and ##s, as BERT reads it. */
    CHECK(vecset_word_vector(vs, "banks", v, &w, &err) == 0);
    CHECK(w.row == -1 && w.n_pieces == 2 && strcmp(w.pieces, "bank ##s") == 0);
    float want[H];
    for (int i = 0; i < H; i++) want[i] = (m->word_emb[6 * H + i] + m->word_emb[17 * H + i]) / 2;
    CHECK(test_max_abs_diff(v, want, H) < 1e-6f);
    CHECK(vecset_word_vector(vs, "Bank", v, &w, &err) == 0 && w.row == 6 && w.folded);
    CHECK(vecset_word_vector(vs, "zebra", v, &w, &err) == -1);
    CHECKF(strstr(err.msg, "'zebra' is not in the model's vocabulary") != NULL, "%s", err.msg);
    vecset_free(vs);
}

static void test_compare(const BertModel *m) {
    VecSet *vs;
    BtError err = {{0}};
    CHECK(vecset_from_model(&vs, m, &err) == 0);
    VecCompare c;
    int rc = vec_compare(&c, m, vs, "bank", "the bank of the river", "the bank raised its rates", NULL, &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc == 0) {
        CHECK(c.n_points == 3);
        CHECK(c.static_word_cos == 1.0);   /* exactly, by construction */
        CHECK(c.s[0].first == 2 && c.s[0].n_pieces == 1 && c.s[1].first == 2);
        CHECK(strcmp(c.s[0].pass.tokens[c.s[0].first], "bank") == 0);
        /* At the embedding output "bank" is token + position 2 + segment A
         * in both: no context yet, so exactly 1; every layer then mixes
         * the other words in. */
        CHECK(c.word_cos[0] == 1.0);
        for (int p = 0; p < c.n_points; p++) {
            CHECKF(p == 0 || c.word_cos[p] < 0.9999, "point %d: %.9f", p, c.word_cos[p]);
            const float *a = vec_compare_point(&c.s[0], p), *b = vec_compare_point(&c.s[1], p);
            CHECK(fabs(c.word_cos[p] - cos_rows(a + 2 * H, b + 2 * H)) < 1e-12);
            CHECK(fabs(c.cls_cos[p] - cos_rows(a, b)) < 1e-12);
        }
        /* [CLS] at the embedding output has the same token, position and
         * segment in both sentences; only attention mixes context in. */
        CHECK(c.cls_cos[0] == 1.0);
        CHECK(c.s[0].static_found == 5 && c.s[0].words == 5);
        CHECK(!isnan(c.static_mean_cos) && c.static_mean_cos < 1);
    }
    vec_compare_free(&c);

    /* At another position the embedding output differs already. */
    rc = vec_compare(&c, m, vs, "bank", "bank of the river", "the bank raised its rates", NULL, &err);
    CHECK(rc == 0 && c.word_cos[0] < 0.9999 && c.static_word_cos == 1.0);
    vec_compare_free(&c);

    /* The same sentence twice: every cosine is 1. */
    rc = vec_compare(&c, m, vs, "cat", "a cat sat on the mat", "a cat sat on the mat", NULL, &err);
    CHECK(rc == 0);
    for (int p = 0; rc == 0 && p < c.n_points; p++) CHECK(c.word_cos[p] > 1 - 1e-12 && c.mean_cos[p] > 1 - 1e-12);
    vec_compare_free(&c);

    /* A split word: its pieces are averaged; the second occurrence noted. */
    rc = vec_compare(&c, m, vs, "banks", "the banks of the banks", "its banks raised rates", NULL, &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc == 0) {
        CHECK(c.s[0].first == 2 && c.s[0].n_pieces == 2 && c.s[0].occurrences == 2 && c.s[1].occurrences == 1);
        CHECK(c.static_word.n_pieces == 2 && c.static_word_cos == 1.0);
        const float *a = vec_compare_point(&c.s[0], 2), *b = vec_compare_point(&c.s[1], 2);
        float ma[H], mb[H];
        for (int i = 0; i < H; i++) ma[i] = (a[2 * H + i] + a[3 * H + i]) / 2, mb[i] = (b[2 * H + i] + b[3 * H + i]) / 2;
        CHECK(fabs(c.word_cos[2] - cos_rows(ma, mb)) < 1e-6);
    }
    vec_compare_free(&c);

    /* Causal attention changes the numbers (the switch reaches the pass). */
    PassOptions causal = {.causal = 1};
    double plain = 0;
    if (vec_compare(&c, m, vs, "bank", "the bank of the river", "the bank raised its rates", NULL, &err) == 0)
        plain = c.word_cos[2];
    vec_compare_free(&c);
    CHECK(vec_compare(&c, m, vs, "bank", "the bank of the river", "the bank raised its rates", &causal, &err) == 0);
    CHECK(c.n_points == 3 && c.word_cos[2] != plain);
    vec_compare_free(&c);

    struct {
        const char *word, *a, *b, *want;
    } bad[] = {
        {"cat", "the cat sat", "the bank of the river", "'cat' does not occur in sentence 2 (\"the bank of the river\"); its words: the bank of the river"},
        {"bank river", "the bank", "the river", "compare takes one word"},
        {"", "the bank", "the river", "no word"},
        {"bank", "the bank ||| of it", "the bank", "sentence 1 contains |||"},
        {"zebra", "a zebra", "the zebra", "'zebra' is not in the model's vocabulary"},
        {"bank", "the bank", "the bank the bank the bank the bank the bank the bank the bank the bank the bank "
                            "the bank the bank the bank the bank the bank the bank the bank", "sentence 2 is 34 tokens; this model reads at most 32"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rc = vec_compare(&c, m, vs, bad[i].word, bad[i].a, bad[i].b, NULL, &err);
        CHECKF(rc == -1, "'%s' was accepted", bad[i].word);
        CHECKF(strstr(err.msg, bad[i].want) != NULL, "'%s' lacks '%s'", err.msg, bad[i].want);
        vec_compare_free(&c);
    }
    vecset_free(vs);
}

/* With a file as the static set: the word must be in it, and the
 * sentence means count the words the file has. */
static void test_compare_file(const BertModel *m) {
    FILE *f = fopen(test_tmp_path("small.txt"), "w");
    fprintf(f, "the 1 0 0\nbank 0 1 0\nriver 0 0 1\nof 1 1 0\n");
    fclose(f);
    VecConvertOptions o = {VEC_FMT_AUTO, 0, "small"};
    VecConvertStats st;
    BtError err = {{0}};
    VecSet *vs;
    CHECK(vec_convert(test_tmp_path("small.txt"), test_tmp_path("small.btv"), &o, &st, &err) == 0);
    CHECK(vecset_open(&vs, test_tmp_path("small.btv"), &err) == 0);
    VecCompare c;
    int rc = vec_compare(&c, m, vs, "bank", "the bank of the river", "the bank raised its rates", NULL, &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc == 0) {
        CHECK(c.static_word_cos == 1.0 && strcmp(c.set_name, "small") == 0);
        CHECK(c.s[0].static_found == 5 && c.s[1].static_found == 2 && c.s[1].words == 5);
        /* A: the bank of the river = (3,2,1)/5; B: the bank = (1,1,0)/2. */
        CHECK(fabs(c.static_mean_cos - 5 / (sqrt(14) * sqrt(2))) < 1e-6);
    }
    vec_compare_free(&c);
    rc = vec_compare(&c, m, vs, "cat", "a cat sat", "the cat sat", NULL, &err);
    CHECK(rc == -1 && strstr(err.msg, "'cat' is not in small (4 words)") != NULL);
    vec_compare_free(&c);
    vecset_free(vs);
}

int main(void) {
    BertModel m;
    memset(&m, 0, sizeof m);
    if (make_model(&m) != 0) return 1;
    test_model_set(&m);
    test_compare(&m);
    test_compare_file(&m);
    model_free(&m);
    return test_done("vectors_compare");
}
