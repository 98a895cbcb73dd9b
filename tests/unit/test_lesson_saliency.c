/* The lesson functions over the last `saliency` (src/lesson/lesson_probe_saliency.c)
 * on a small random model: sal, saltop, salsum, sallogp, salbase, salword
 * and salpos give what saliency_run computed; saltop ranks the whole
 * column (k = ntokens() is the most negative); IG's completeness holds
 * through them; a saliency without IG, of another sentence or of other
 * switches is refused, as are bad arguments. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "bertology/pass.h"
#include "bertology/saliency.h"
#include "lesson/lesson_internal.h"
#include "lessoneval.h"
#include "testutil.h"

enum { V = LESSON_TEST_V, L = 2, POS = 6 };

static void columns(LessonWorld *w, const Saliency *r) {
    static const char *NAMES[] = {"gx", "grad", "ig"};
    const double *cols[] = {r->grad_dot, r->grad_norm, r->ig};
    char src[96];
    for (int c = 0; c < 3; c++) {
        double sum = 0;
        for (int t = 0; t < r->T; t++) {
            snprintf(src, sizeof src, "sal(%d, \"%s\")", t, NAMES[c]);
            CHECKF(lesson_test_num(w, src) == cols[c][t], "%s = %g, want %g", src, lesson_test_num(w, src), cols[c][t]);
            sum += cols[c][t];
        }
        snprintf(src, sizeof src, "salsum(\"%s\")", NAMES[c]);
        CHECKF(fabs(lesson_test_num(w, src) - sum) < 1e-12, "%s = %g, want %g", src, lesson_test_num(w, src), sum);
        /* saltop: every position once, the values in falling order */
        int seen[16] = {0};
        double prev = INFINITY;
        for (int k = 1; k <= r->T; k++) {
            snprintf(src, sizeof src, "saltop(\"%s\", %d)", NAMES[c], k);
            int t = (int)lesson_test_num(w, src);
            CHECKF(t >= 0 && t < r->T && !seen[t] && cols[c][t] <= prev, "%s = %d", src, t);
            if (t < 0 || t >= r->T) continue;
            seen[t] = 1;
            prev = cols[c][t];
        }
        snprintf(src, sizeof src, "saltop(\"%s\") == saltop(\"%s\", 1)", NAMES[c], NAMES[c]);
        CHECK(lesson_test_num(w, src) == 1);
    }
    CHECK(lesson_test_num(w, "sal(\"cat\", \"gx\")") == r->grad_dot[2]);
}

int main(void) {
    BertModel m;
    Pass a;
    LessonWorld w;
    if (lesson_test_world(&m, &a, &w, L) != 0) return test_done("lesson_saliency");
    BtError err = {{0}};
    lesson_test_fails(&w, "salpos()", "no `saliency` of this sentence yet");

    Saliency r;
    CHECKF(saliency_run(&m, &a.tr, POS, -1, 50, &r, &err) == 0, "%s", err.msg);
    if (test_failures) return test_done("lesson_saliency");
    w.saliency = &r;
    columns(&w, &r);
    LessonValue v;
    CHECKF(lesson_test_eval(&w, "salword()", &v, &err) == 0 && v.is_str && strcmp(v.str,
            LESSON_TEST_VOCAB[r.word]) == 0, "%s", err.msg);
    CHECK(lesson_test_eval(&w, "salword() == predtop(salpos())", &v, &err) == 0 && v.num == 1);
    CHECK(lesson_test_num(&w, "salpos()") == POS);
    CHECK(lesson_test_num(&w, "sallogp()") == r.logp && lesson_test_num(&w, "salbase()") == r.logp_base);
    CHECK(fabs(lesson_test_num(&w, "sallogp()") - log(lesson_test_num(&w, "prob(6, salword())"))) < 1e-4);
    /* completeness, as `saliency` prints it */
    CHECKF(lesson_test_num(&w, "abs(salsum(\"ig\") - (sallogp() - salbase()))") < 0.01, "off by %g",
           lesson_test_num(&w, "abs(salsum(\"ig\") - (sallogp() - salbase()))"));
    lesson_test_fails(&w, "sal(0, \"xx\")", "no column \"xx\"");
    lesson_test_fails(&w, "sal(0, 1)", "the column is a string");
    lesson_test_fails(&w, "sal(9, \"gx\")", "out of range");
    lesson_test_fails(&w, "saltop(\"gx\", 0)", "the rank is a whole number from 1 to 9");
    lesson_test_fails(&w, "saltop(\"gx\", 10)", "the rank is a whole number from 1 to 9");
    lesson_test_fails(&w, "saltop(\"gx\", 1.5)", "the rank is a whole number from 1 to 9");

    /* the saliency of another run: other switches, another sentence */
    lesson_test_fails_other_run(&w, "sal(0, \"gx\")", "sallogp()", "no `saliency` of this sentence yet");
    saliency_free(&r);

    /* without integrated gradients (--ig 0): no IG column, no baseline */
    CHECKF(saliency_run(&m, &a.tr, POS, 10, 0, &r, &err) == 0, "%s", err.msg);
    w.saliency = &r;
    CHECK(lesson_test_eval(&w, "salword()", &v, &err) == 0 && strcmp(v.str, "dog") == 0);
    CHECK(lesson_test_num(&w, "sal(2, \"gx\")") == r.grad_dot[2]);
    lesson_test_fails(&w, "sal(2, \"ig\")", "without integrated gradients");
    lesson_test_fails(&w, "salsum(\"ig\")", "without integrated gradients");
    lesson_test_fails(&w, "salbase()", "without integrated gradients");
    saliency_free(&r);
    lesson_test_fails_without_sentence(&w, "salpos()");
    lesson_test_world_free(&m, &a);
    return test_done("lesson_saliency");
}
