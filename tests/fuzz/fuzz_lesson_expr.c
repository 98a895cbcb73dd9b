/* libFuzzer target: arbitrary bytes as one lesson expression, parsed with
 * three names in scope (a number, a string, a number-text) and evaluated
 * with no model; also as an {EXPR} text. Checks: a parse failure and an
 * evaluation failure each say why; a string value fits LV_STR_MAX;
 * lexpr_explain stays in its buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lesson/lesson_internal.h"
#include "fuzz_util.h"

static LessonVars vars;
static const char *const NAMES[] = {"n", "s", "p"};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    LessonValue v;
    BtError err = {{0}};
    lv_num(&v, 3);
    lvars_set(&vars, "n", &v, &err);
    lv_str(&v, "cat");
    lvars_set(&vars, "s", &v, &err);
    lv_str(&v, "0.25");
    v.numtext = 1;
    lvars_set(&vars, "p", &v, &err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *src = fuzz_cstr(data, size);
    if (!src) return 0;
    LessonScope sc = {NAMES, 3};
    LessonWorld w;
    memset(&w, 0, sizeof w);
    LessonExpr *e = NULL;
    BtError err = {{0}};
    if (lexpr_parse(src, &sc, &e, &err) != 0) {
        if (!err.msg[0]) fuzz_die("fuzz_lesson_expr", "lexpr_parse", "failed without a message");
    } else {
        LessonValue v;
        if (lexpr_eval(e, &w, &vars, &v, &err) != 0) {
            if (!err.msg[0]) fuzz_die("fuzz_lesson_expr", "lexpr_eval", "failed without a message");
        } else if (v.is_str && strlen(v.str) >= LV_STR_MAX) {
            fuzz_die("fuzz_lesson_expr", "lexpr_eval", "a string past LV_STR_MAX");
        }
        char buf[64];
        /* the longest translation of the sides' format, so that its bound is tested */
        lexpr_explain(e, &w, &vars, "с левой стороны %s, с правой стороны %s", buf, sizeof buf);
        if (strlen(buf) >= sizeof buf) fuzz_die("fuzz_lesson_expr", "lexpr_explain", "past its buffer");
        lexpr_free(e);
    }
    /* the same bytes as prose with {EXPR} in it */
    err.msg[0] = 0;
    char *t = ltext_expand(src, &w, &vars, ',', &err);
    if (!t && !err.msg[0]) fuzz_die("fuzz_lesson_expr", "ltext_expand", "failed without a message");
    free(t);
    free(src);
    return 0;
}
