/* The what-if (core/whatif.c) on a small random model, for what the
 * numpy reference (tests/ref/test_whatif.py) does not reach: the pairing
 * rule on hand-made id sequences (ties, stretches of equal and unequal
 * length, nothing in common, an empty side); a run against itself
 * changes nothing (TV 0, cosines 1, the same guesses); a replaced token
 * changes the attention of the rows that see it and its own hidden
 * vector from the embeddings on; bad arguments fail with one line. */
#include "bertology/pass.h"
#include "bertology/whatif.h"
#include "testmodel.h"
#include "testutil.h"
#include <math.h>
#include <string.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "dog", "##s"};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };

/* align(a, b) and its partners against the expected ones. */
static void pairing(const char *what, const int *a, int na, const int *b, int nb, const int *want_a, const int *want_b,
                    int want_n) {
    int pa[16], pb[16];
    int n = whatif_align(a, na, b, nb, 0, pa, pb);
    CHECKF(n == want_n, "%s: %d pairs, want %d", what, n, want_n);
    for (int i = 0; i < na; i++) CHECKF(pa[i] == want_a[i], "%s: partner of A%d is %d, want %d", what, i, pa[i], want_a[i]);
    for (int j = 0; j < nb; j++) CHECKF(pb[j] == want_b[j], "%s: partner of B%d is %d, want %d", what, j, pb[j], want_b[j]);
}

static void alignment(void) {
    /* a word replaced by a word: the stretch of one is paired */
    pairing("replaced", (int[]){2, 5, 6, 7, 3}, 5, (int[]){2, 5, 10, 7, 3}, 5, (int[]){0, 1, 2, 3, 4},
            (int[]){0, 1, 2, 3, 4}, 5);
    /* one word where there were two: no partner for either of the two, nor the one */
    pairing("unequal", (int[]){2, 6, 6, 7, 3}, 5, (int[]){2, 10, 7, 3}, 4, (int[]){0, -1, -1, 2, 3},
            (int[]){0, -1, 3, 4}, 3);
    /* a word inserted: the rest matched in order */
    pairing("inserted", (int[]){2, 5, 7, 3}, 4, (int[]){2, 5, 9, 7, 3}, 5, (int[]){0, 1, 3, 4}, (int[]){0, 1, -1, 2, 3},
            4);
    /* a tie: "the" once against twice; equal ids are matched at once, the first with the first */
    pairing("tie", (int[]){2, 5, 3}, 3, (int[]){2, 5, 5, 3}, 4, (int[]){0, 1, 3}, (int[]){0, 1, -1, 2}, 3);
    /* nothing in common and unequal lengths: nobody has a partner */
    pairing("disjoint", (int[]){5, 6}, 2, (int[]){7, 8, 9}, 3, (int[]){-1, -1}, (int[]){-1, -1, -1}, 0);
    /* an empty side */
    pairing("empty", (int[]){5, 6}, 2, NULL, 0, (int[]){-1, -1}, NULL, 0);
    /* by position: i with i */
    int pa[3], pb[3];
    CHECK(whatif_align((int[]){5, 6, 7}, 3, (int[]){8, 9, 10}, 3, 1, pa, pb) == 3 && pa[2] == 2 && pb[0] == 0);
}

static void runs(void) {
    BertModel m;
    BertConfig cfg = {V, 16, 2, 2, 32, 32, 2, 1e-12f, POS_ABSOLUTE};
    CHECK(test_random_model(&m, &cfg, VOCAB, V) == 0);
    PassOptions o = {.mlm = 1};
    Pass a, b;
    BtError err = {{0}};
    CHECK(pass_run(&a, &m, "the cat sat on the [MASK]", &o, &err) == 0);
    int T = pass_T(&a);

    /* against itself: nothing moved */
    CHECK(whatif_pass_ids(&b, &a, a.ids, &err) == 0);
    WhatIf w;
    CHECK(whatif_run(&m, &a.tr, &b.tr, 1, 3, &w, &err) == 0);
    double tv = 0, cs = 1;
    for (int i = 0; i < w.L * w.nh; i++) tv = fmax(tv, w.tv_max[i]);
    for (int i = 0; i < w.npairs * (w.L + 1); i++) cs = fmin(cs, w.cos[i]);
    CHECKF(tv < 1e-6 && cs > 1 - 1e-6, "a run against itself: TV %g, cosine %g", tv, cs);
    CHECKF(w.nguess == 1 && w.guess[0].top_a[0].id == w.guess[0].top_b[0].id, "guesses at the [MASK]: %d", w.nguess);
    CHECK(!w.has_nsp);
    whatif_free(&w);
    pass_free(&b);

    /* 'cat' → 'dog' at 2: its embedding moved, [CLS]'s did not; attention moved */
    int ids[16];
    memcpy(ids, a.ids, sizeof(int) * T);
    int dog;
    CHECK(whatif_word(m.tok, "dog", &dog, &err) == 0 && dog == 10);
    ids[2] = dog;
    CHECK(whatif_pass_ids(&b, &a, ids, &err) == 0);
    CHECK(whatif_run(&m, &a.tr, &b.tr, 1, 3, &w, &err) == 0);
    int D = w.L + 1;
    CHECKF(w.cos[2 * D] < 0.999 && fabs(w.cos[0] - 1) < 1e-9, "cosines at emb: cat %g, [CLS] %g", w.cos[2 * D], w.cos[0]);
    int l, h;
    CHECK(whatif_most_changed(&w, &l, &h) > 1e-4 && l >= 0 && h >= 0);
    CHECKF(w.nguess == 2, "guesses at the [MASK] and the change: %d", w.nguess);
    whatif_free(&w);

    /* bad arguments: one line each, w empty */
    CHECK(whatif_word(m.tok, "cats", &dog, &err) != 0 && strstr(err.msg, "cat ##s"));   /* two pieces */
    CHECK(whatif_run(&m, &a.tr, &b.tr, 1, 0, &w, &err) != 0 && strchr(err.msg, '\n') == NULL && w.pairs == NULL);
    CHECK(whatif_word(m.tok, "zzz", &dog, &err) != 0);
    pass_free(&b);
    CHECK(pass_run(&b, &m, "the dog", &o, &err) == 0);
    CHECK(whatif_run(&m, &a.tr, &b.tr, 1, 3, &w, &err) != 0 && strstr(err.msg, "position by position"));
    CHECK(whatif_run(&m, &a.tr, &b.tr, 0, 3, &w, &err) == 0 && w.npairs == 3);   /* [CLS] the ... [SEP] */
    whatif_free(&w);
    pass_free(&b);
    pass_free(&a);
    model_free(&m);
}

int main(void) {
    alignment();
    runs();
    return test_done("whatif");
}
