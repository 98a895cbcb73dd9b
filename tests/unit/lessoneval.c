#include "lessoneval.h"
#include <stdio.h>
#include <string.h>
#include "testmodel.h"
#include "testutil.h"

const char *const LESSON_TEST_VOCAB[LESSON_TEST_V] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the",
                                                      "cat",   "sat",   "on",    "mat",   "dog",    "ran",
                                                      "a",     "big",   "red",   "hat",   "##s",    "."};

int lesson_test_world(BertModel *m, Pass *p, LessonWorld *w, int layers) {
    BertConfig cfg = {LESSON_TEST_V, 16, layers, 2, 32, 32, 2, 1e-12f, POS_ABSOLUTE};
    int rc = test_random_model(m, &cfg, LESSON_TEST_VOCAB, LESSON_TEST_V);
    CHECKF(rc == 0, "the random model: %d", rc);
    if (rc) return -1;
    BtError err = {{0}};
    PassOptions o = {.mlm = 1};
    rc = pass_run(p, m, "the cat sat on the [MASK] .", &o, &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc) {
        model_free(m);
        return -1;
    }
    memset(w, 0, sizeof *w);
    w->model = m;
    w->trace = &p->tr;
    w->tokens = (const char *const *)p->tokens;
    return 0;
}

void lesson_test_world_free(BertModel *m, Pass *p) {
    pass_free(p);
    model_free(m);
}

int lesson_test_eval(const LessonWorld *w, const char *src, LessonValue *v, BtError *err) {
    LessonExpr *e;
    if (lexpr_parse(src, NULL, &e, err) != 0) return -1;
    int rc = lexpr_eval(e, w, NULL, v, err);
    lexpr_free(e);
    return rc;
}

double lesson_test_num(const LessonWorld *w, const char *src) {
    LessonValue v;
    BtError err = {{0}};
    if (lesson_test_eval(w, src, &v, &err) != 0 || v.is_str) {
        fprintf(stderr, "%s: %s\n", src, err.msg);
        return -12345;
    }
    return v.num;
}

const char *lesson_test_str(const LessonWorld *w, const char *src) {
    static LessonValue v;
    BtError err = {{0}};
    if (lesson_test_eval(w, src, &v, &err) != 0 || !v.is_str) {
        fprintf(stderr, "%s: %s\n", src, err.msg);
        return "?";
    }
    return v.str;
}

void lesson_test_fails(const LessonWorld *w, const char *src, const char *want) {
    LessonValue v;
    BtError err = {{0}};
    int rc = lesson_test_eval(w, src, &v, &err);
    CHECKF(rc != 0 && strstr(err.msg, want), "%s: rc %d, '%s', want '%s'", src, rc, err.msg, want);
}

void lesson_test_fails_without_sentence(const LessonWorld *w, const char *src) {
    LessonWorld none = *w;
    none.trace = NULL;
    lesson_test_fails(&none, src, "no sentence");
}

void lesson_test_fails_other_run(const LessonWorld *w, const char *src_switches, const char *src_sentence,
                                 const char *want) {
    LessonWorld other = *w;
    Trace causal = *w->trace;
    causal.causal = 1;
    other.trace = &causal;
    lesson_test_fails(&other, src_switches, want);
    Pass c;
    BtError err = {{0}};
    PassOptions o = {.mlm = 1};
    int rc = pass_run(&c, w->model, "the dog sat on the [MASK] .", &o, &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc) return;
    other.trace = &c.tr;
    other.tokens = (const char *const *)c.tokens;
    lesson_test_fails(&other, src_sentence, want);
    pass_free(&c);
}
