/* The lesson functions over the last `whatif` (src/lesson/lesson_probe_whatif.c)
 * on a small random model: wifcos, wiftv, wiflayer/wifhead, wiftop,
 * wifprob, wifpartner and wifntokens give what whatif_run computed (run
 * B's probabilities against B's own trace, for every word of the
 * vocabulary); positions are run A's, tokens may name them; a what-if of
 * another sentence or other switches is refused, as are bad arguments,
 * with a message instead of a read out of range. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "bertology/guesses.h"
#include "bertology/pass.h"
#include "bertology/whatif.h"
#include "lesson/lesson_internal.h"
#include "lessoneval.h"
#include "testutil.h"

enum { V = LESSON_TEST_V, L = 3, K = 3 };

/* A token replaced: every number against the WhatIf and run B's trace. */
static void replaced(const BertModel *m, const Pass *a, LessonWorld *w) {
    BtError err = {{0}};
    int T = pass_T(a), ids[16];
    memcpy(ids, a->ids, sizeof(int) * (size_t)T);
    ids[2] = 10;   /* cat → dog */
    Pass b;
    WhatIf wi;
    CHECKF(whatif_pass_ids(&b, a, ids, &err) == 0, "%s", err.msg);
    CHECKF(whatif_run(m, &a->tr, &b.tr, 1, K, &wi, &err) == 0, "%s", err.msg);
    if (test_failures) return;
    w->whatif = &wi;
    char src[160];
    for (int p = 0; p < wi.npairs; p++)
        for (int d = 0; d <= L; d++) {
            snprintf(src, sizeof src, "wifcos(%d, %d)", wi.pairs[p].a, d);
            CHECKF(lesson_test_num(w, src) == wi.cos[p * (L + 1) + d], "%s = %g", src, lesson_test_num(w, src));
        }
    CHECK(fabs(lesson_test_num(w, "wifcos(\"sat\", 0)") - 1) < 1e-6 &&
          lesson_test_num(w, "wifcos(\"cat\", 0)") < 0.99999);
    for (int l = 0; l < L; l++)
        for (int h = 0; h < 2; h++) {
            snprintf(src, sizeof src, "wiftv(%d, %d)", l, h);
            CHECKF(lesson_test_num(w, src) == wi.tv_mean[l * 2 + h], "%s = %g", src, lesson_test_num(w, src));
        }
    int ml, mh;
    whatif_most_changed(&wi, &ml, &mh);
    CHECK(lesson_test_num(w, "wiflayer()") == ml && lesson_test_num(w, "wifhead()") == mh);
    CHECK(lesson_test_num(w, "wifntokens()") == T && lesson_test_num(w, "wifpartner(\"[MASK]\")") == 6);
    /* at the [MASK] (6) and the changed token (2): B's guesses, and any word's probability */
    for (int pos = 2; pos <= 6; pos += 4) {
        const float *lb = trace_mlm_logits_at(&b.tr, pos);
        Guess top[K];
        guesses_top(lb, V, K, top);
        for (int k = 1; k <= K; k++) {
            snprintf(src, sizeof src, "wiftop(%d, %d)", pos, k);
            CHECKF(strcmp(lesson_test_str(w, src), LESSON_TEST_VOCAB[top[k - 1].id]) == 0, "%s = %s", src,
                    lesson_test_str(w, src));
        }
        for (int id = 0; id < V; id++) {
            snprintf(src, sizeof src, "wifprob(%d, \"%s\")", pos, LESSON_TEST_VOCAB[id]);
            CHECKF(fabs(lesson_test_num(w, src) - guesses_prob(lb, V, id)) < 1e-12, "%s = %g", src,
                    lesson_test_num(w, src));
        }
    }
    CHECK(strcmp(lesson_test_str(w, "wiftop(6)"), lesson_test_str(w, "wiftop(6, 1)")) == 0);
    lesson_test_fails(w, "wiftop(1)", "compared no guesses at position 1");
    lesson_test_fails(w, "wiftop(6, 4)", "the rank is a whole number from 1 to 3");
    lesson_test_fails(w, "wiftop(6, 0)", "the rank is a whole number from 1 to 3");
    lesson_test_fails(w, "wifcos(0, 4)", "the depth is a whole number from 0");
    lesson_test_fails(w, "wifcos(0, -1)", "the depth is a whole number from 0");
    lesson_test_fails(w, "wifcos(10, 0)", "out of range");
    lesson_test_fails(w, "wifprob(6, \"zebra\")", "'zebra' is not in the vocabulary");
    lesson_test_fails(w, "wifprob(6, 3)", "must be a \"string\"");
    lesson_test_fails(w, "wiftv(3, 0)", "layer 3 is out of range");
    lesson_test_fails(w, "wiftv(0, 2)", "head 2 is out of range");
    /* the what-if of another run: other switches, another sentence */
    lesson_test_fails_other_run(w, "wifcos(0, 0)", "wifntokens()", "no `whatif` of this sentence yet");
    w->whatif = NULL;
    lesson_test_fails(w, "wiflayer()", "no `whatif` of this sentence yet");
    whatif_free(&wi);
    pass_free(&b);
}

/* Another sentence, one word shorter: paired by the common subsequence. */
static void another(const BertModel *m, const Pass *a, LessonWorld *w) {
    BtError err = {{0}};
    Pass b;
    PassOptions o = {.mlm = 1};
    CHECKF(pass_run(&b, m, "cat sat on the [MASK] .", &o, &err) == 0, "%s", err.msg);
    WhatIf wi;
    CHECKF(whatif_run(m, &a->tr, &b.tr, 0, K, &wi, &err) == 0, "%s", err.msg);
    if (test_failures) return;
    w->whatif = &wi;
    /* [CLS] the cat sat on the [MASK] . [SEP] against [CLS] cat sat on the [MASK] . [SEP] */
    CHECK(lesson_test_num(w, "wifntokens()") == pass_T(a) - 1);
    CHECK(lesson_test_num(w, "wifpartner(0)") == 0 && lesson_test_num(w, "wifpartner(1)") == -1 && lesson_test_num(w,
            "wifpartner(\"cat\")") == 1);
    CHECK(lesson_test_num(w, "wifpartner(\"[MASK]\")") == 5);
    lesson_test_fails(w, "wifcos(1, 0)", "position 1 of run A has no partner in run B");
    /* "cat" moved from position 2 to 1: even its embeddings differ */
    CHECK(lesson_test_num(w, "wifcos(\"cat\", 0)") < 0.99999);
    CHECK(lesson_test_num(w, "wifprob(\"[MASK]\", wiftop(\"[MASK]\"))") == wi.guess[0].top_b[0].p);
    w->whatif = NULL;
    whatif_free(&wi);
    pass_free(&b);
}

int main(void) {
    BertModel m;
    Pass a;
    LessonWorld w;
    if (lesson_test_world(&m, &a, &w, L) != 0) return test_done("lesson_whatif");
    lesson_test_fails(&w, "wifcos(0, 0)", "no `whatif` of this sentence yet");
    replaced(&m, &a, &w);
    another(&m, &a, &w);
    lesson_test_fails_without_sentence(&w, "wifntokens()");
    lesson_test_world_free(&m, &a);
    return test_done("lesson_whatif");
}
