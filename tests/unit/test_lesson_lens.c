/* The lesson functions over the logit lens (src/lesson/lesson_probe_lens.c)
 * on a small random model: lenstop, lensrank, lensprob and lenssettle
 * give what lens_run gives at every depth (the last depth is `predict`'s
 * prediction), positions may be tokens, and bad arguments fail with a
 * message instead of reading out of range. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "bertology/lens.h"
#include "bertology/pass.h"
#include "lesson/lesson_internal.h"
#include "lessoneval.h"
#include "testutil.h"

enum { V = LESSON_TEST_V, L = 3 };

int main(void) {
    BertModel m;
    Pass p;
    LessonWorld w;
    if (lesson_test_world(&m, &p, &w, L) != 0) return test_done("lesson_lens");
    BtError err = {{0}};

    int pos = 6;   /* [CLS] the cat sat on the [MASK] . [SEP] */
    CHECK(strcmp(p.tokens[pos], "[MASK]") == 0);
    char src[128];
    LessonValue v;
    for (int word = 5; word < V; word += 3) {
        LensResult r;
        CHECKF(lens_run(&m, &p.tr, pos, 3, word, &r, &err) == 0, "%s", err.msg);
        for (int d = 0; d <= L; d++) {
            snprintf(src, sizeof src, "lensrank(%d, %d, \"%s\")", d, pos, LESSON_TEST_VOCAB[word]);
            CHECKF(lesson_test_num(&w, src) == r.rank[d], "%s = %g, lens %d", src, lesson_test_num(&w, src), r.rank[d]);
            snprintf(src, sizeof src, "lensprob(%d, \"[MASK]\", \"%s\")", d, LESSON_TEST_VOCAB[word]);
            CHECKF(lesson_test_num(&w, src) == r.prob[d], "%s = %g, lens %g", src, lesson_test_num(&w, src), r.prob[d]);
            for (int k = 1; k <= 3; k++) {
                snprintf(src, sizeof src, "lenstop(%d, %d, %d)", d, pos, k);
                CHECKF(lesson_test_eval(&w, src, &v, &err) == 0 && v.is_str && strcmp(v.str,
                        LESSON_TEST_VOCAB[r.top[d * 3 + k - 1].id]) == 0,
                       "%s = %s", src, v.is_str ? v.str : "?");
            }
        }
        lens_free(&r);
    }
    /* the last depth is the prediction; lenssettle is where its top guess stays on top */
    CHECKF(lesson_test_eval(&w, "lenstop(3, 6) == predtop(6) && lensprob(3, 6, predtop(6)) == prob(6, predtop(6))",
            &v, &err) == 0 &&
               v.num == 1,
           "the last depth is not predict's: %s", err.msg);
    LensResult r;
    CHECKF(lens_run(&m, &p.tr, pos, 1, LENS_ANSWER, &r, &err) == 0, "%s", err.msg);
    CHECK(r.answer && r.word == r.top[L].id && r.rank[L] == 1);
    int s = lens_settled(&r);
    CHECK(s >= 0 && s <= L);
    for (int d = 0; d <= L; d++) CHECKF((r.rank[d] == 1) || d < s, "depth %d: rank %d, settled at %d", d, r.rank[d], s);
    CHECK(s == 0 || r.rank[s - 1] > 1);
    snprintf(src, sizeof src, "lenssettle(6, \"%s\")", LESSON_TEST_VOCAB[r.word]);
    CHECKF(lesson_test_num(&w, src) == s, "%s = %g, want %d", src, lesson_test_num(&w, src), s);
    /* a word that is not the last depth's top guess has not settled */
    int other = r.word == 5 ? 6 : 5;
    snprintf(src, sizeof src, "lenssettle(6, \"%s\")", LESSON_TEST_VOCAB[other]);
    CHECK(lesson_test_num(&w, src) == -1);
    lens_free(&r);

    lesson_test_fails(&w, "lensrank(4, 6, \"cat\")", "the depth is a whole number from 0");
    lesson_test_fails(&w, "lensrank(-1, 6, \"cat\")", "the depth is a whole number from 0");
    lesson_test_fails(&w, "lensrank(0.5, 6, \"cat\")", "the depth is a whole number from 0");
    lesson_test_fails(&w, "lensprob(1, 6, \"zebra\")", "'zebra' is not in the vocabulary");
    lesson_test_fails(&w, "lensprob(1, 6, 3)", "must be a \"string\"");
    lesson_test_fails(&w, "lenstop(1, 9)", "out of range");
    lesson_test_fails(&w, "lenstop(1, \"zebra\")", "no token 'zebra'");
    lesson_test_fails(&w, "lenstop(1, 6, 0)", "the rank is a whole number from 1 to 100");
    lesson_test_fails(&w, "lenstop(1, 6, 101)", "the rank is a whole number from 1 to 100");
    lesson_test_fails(&w, "lenstop(1, 6, 50)", "the vocabulary has only");
    lesson_test_fails_without_sentence(&w, "lensrank(0, 6, \"cat\")");
    /* a model without its MLM head: the lens says so */
    BertModel bare = m;
    bare.has_mlm = 0;
    LessonWorld wb = w;
    wb.model = &bare;
    lesson_test_fails(&wb, "lenstop(0, 6)", "no MLM head");
    lesson_test_world_free(&m, &p);
    return test_done("lesson_lens");
}
