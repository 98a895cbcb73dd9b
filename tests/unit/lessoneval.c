#include "lessoneval.h"
#include <stdio.h>
#include <string.h>
#include "testutil.h"

const char *const LESSON_TEST_VOCAB[LESSON_TEST_V] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the",
                                                      "cat",   "sat",   "on",    "mat",   "dog",    "ran",
                                                      "a",     "big",   "red",   "hat",   "##s",    "."};

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
