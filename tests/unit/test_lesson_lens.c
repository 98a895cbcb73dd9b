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
#include "testmodel.h"
#include "testutil.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat",
                              "dog", "ran", "a", "big", "red", "hat", "##s", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0], L = 3 };

static int eval(const LessonWorld *w, const char *src, LessonValue *v, BtError *err) {
    LessonExpr *e;
    if (lexpr_parse(src, NULL, &e, err) != 0) return -1;
    int rc = lexpr_eval(e, w, NULL, v, err);
    lexpr_free(e);
    return rc;
}

static double num(const LessonWorld *w, const char *src) {
    LessonValue v;
    BtError err = {{0}};
    if (eval(w, src, &v, &err) != 0 || v.is_str) {
        fprintf(stderr, "%s: %s\n", src, err.msg);
        return -12345;
    }
    return v.num;
}

static void fails(const LessonWorld *w, const char *src, const char *want) {
    LessonValue v;
    BtError err = {{0}};
    int rc = eval(w, src, &v, &err);
    CHECKF(rc != 0 && strstr(err.msg, want), "%s: rc %d, '%s', want '%s'", src, rc, err.msg, want);
}

int main(void) {
    BertModel m;
    BertConfig cfg = {V, 16, L, 2, 32, 32, 2, 1e-12f, POS_ABSOLUTE};
    CHECK(test_random_model(&m, &cfg, VOCAB, V) == 0);
    if (test_failures) return test_done("lesson_lens");
    Pass p;
    BtError err = {{0}};
    PassOptions o = {.mlm = 1};
    CHECKF(pass_run(&p, &m, "the cat sat on the [MASK] .", &o, &err) == 0, "%s", err.msg);
    if (test_failures) return test_done("lesson_lens");
    LessonWorld w;
    memset(&w, 0, sizeof w);
    w.model = &m;
    w.trace = &p.tr;
    w.tokens = (const char *const *)p.tokens;

    int pos = 6;   /* [CLS] the cat sat on the [MASK] . [SEP] */
    CHECK(strcmp(p.tokens[pos], "[MASK]") == 0);
    char src[128];
    LessonValue v;
    for (int word = 5; word < V; word += 3) {
        LensResult r;
        CHECKF(lens_run(&m, &p.tr, pos, 3, word, &r, &err) == 0, "%s", err.msg);
        for (int d = 0; d <= L; d++) {
            snprintf(src, sizeof src, "lensrank(%d, %d, \"%s\")", d, pos, VOCAB[word]);
            CHECKF(num(&w, src) == r.rank[d], "%s = %g, lens %d", src, num(&w, src), r.rank[d]);
            snprintf(src, sizeof src, "lensprob(%d, \"[MASK]\", \"%s\")", d, VOCAB[word]);
            CHECKF(num(&w, src) == r.prob[d], "%s = %g, lens %g", src, num(&w, src), r.prob[d]);
            for (int k = 1; k <= 3; k++) {
                snprintf(src, sizeof src, "lenstop(%d, %d, %d)", d, pos, k);
                CHECKF(eval(&w, src, &v, &err) == 0 && v.is_str && strcmp(v.str, VOCAB[r.top[d * 3 + k - 1].id]) == 0,
                       "%s = %s", src, v.is_str ? v.str : "?");
            }
        }
        lens_free(&r);
    }
    /* the last depth is the prediction; lenssettle is where its top guess stays on top */
    CHECKF(eval(&w, "lenstop(3, 6) == predtop(6) && lensprob(3, 6, predtop(6)) == prob(6, predtop(6))", &v, &err) == 0 &&
               v.num == 1,
           "the last depth is not predict's: %s", err.msg);
    LensResult r;
    CHECKF(lens_run(&m, &p.tr, pos, 1, LENS_ANSWER, &r, &err) == 0, "%s", err.msg);
    CHECK(r.answer && r.word == r.top[L].id && r.rank[L] == 1);
    int s = lens_settled(&r);
    CHECK(s >= 0 && s <= L);
    for (int d = 0; d <= L; d++) CHECKF((r.rank[d] == 1) || d < s, "depth %d: rank %d, settled at %d", d, r.rank[d], s);
    CHECK(s == 0 || r.rank[s - 1] > 1);
    snprintf(src, sizeof src, "lenssettle(6, \"%s\")", VOCAB[r.word]);
    CHECKF(num(&w, src) == s, "%s = %g, want %d", src, num(&w, src), s);
    /* a word that is not the last depth's top guess has not settled */
    int other = r.word == 5 ? 6 : 5;
    snprintf(src, sizeof src, "lenssettle(6, \"%s\")", VOCAB[other]);
    CHECK(num(&w, src) == -1);
    lens_free(&r);

    fails(&w, "lensrank(4, 6, \"cat\")", "the depth is a whole number from 0");
    fails(&w, "lensrank(-1, 6, \"cat\")", "the depth is a whole number from 0");
    fails(&w, "lensrank(0.5, 6, \"cat\")", "the depth is a whole number from 0");
    fails(&w, "lensprob(1, 6, \"zebra\")", "'zebra' is not in the vocabulary");
    fails(&w, "lensprob(1, 6, 3)", "must be a \"string\"");
    fails(&w, "lenstop(1, 9)", "out of range");
    fails(&w, "lenstop(1, \"zebra\")", "no token 'zebra'");
    fails(&w, "lenstop(1, 6, 0)", "the rank is a whole number from 1 to 100");
    fails(&w, "lenstop(1, 6, 101)", "the rank is a whole number from 1 to 100");
    fails(&w, "lenstop(1, 6, 50)", "the vocabulary has only");
    LessonWorld none = w;
    none.trace = NULL;
    fails(&none, "lensrank(0, 6, \"cat\")", "no sentence");
    /* a model without its MLM head: the lens says so */
    BertModel bare = m;
    bare.has_mlm = 0;
    LessonWorld wb = w;
    wb.model = &bare;
    fails(&wb, "lenstop(0, 6)", "no MLM head");
    pass_free(&p);
    model_free(&m);
    return test_done("lesson_lens");
}
