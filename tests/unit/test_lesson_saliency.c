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
#include "testmodel.h"
#include "testutil.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat",
                              "dog", "ran", "a", "big", "red", "hat", "##s", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0], L = 2, POS = 6 };

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

static void columns(LessonWorld *w, const Saliency *r) {
    static const char *NAMES[] = {"gx", "grad", "ig"};
    const double *cols[] = {r->grad_dot, r->grad_norm, r->ig};
    char src[96];
    for (int c = 0; c < 3; c++) {
        double sum = 0;
        for (int t = 0; t < r->T; t++) {
            snprintf(src, sizeof src, "sal(%d, \"%s\")", t, NAMES[c]);
            CHECKF(num(w, src) == cols[c][t], "%s = %g, want %g", src, num(w, src), cols[c][t]);
            sum += cols[c][t];
        }
        snprintf(src, sizeof src, "salsum(\"%s\")", NAMES[c]);
        CHECKF(fabs(num(w, src) - sum) < 1e-12, "%s = %g, want %g", src, num(w, src), sum);
        /* saltop: every position once, the values in falling order */
        int seen[16] = {0};
        double prev = INFINITY;
        for (int k = 1; k <= r->T; k++) {
            snprintf(src, sizeof src, "saltop(\"%s\", %d)", NAMES[c], k);
            int t = (int)num(w, src);
            CHECKF(t >= 0 && t < r->T && !seen[t] && cols[c][t] <= prev, "%s = %d", src, t);
            if (t < 0 || t >= r->T) continue;
            seen[t] = 1;
            prev = cols[c][t];
        }
        snprintf(src, sizeof src, "saltop(\"%s\") == saltop(\"%s\", 1)", NAMES[c], NAMES[c]);
        CHECK(num(w, src) == 1);
    }
    CHECK(num(w, "sal(\"cat\", \"gx\")") == r->grad_dot[2]);
}

int main(void) {
    BertModel m;
    BertConfig cfg = {V, 16, L, 2, 32, 32, 2, 1e-12f, POS_ABSOLUTE};
    CHECK(test_random_model(&m, &cfg, VOCAB, V) == 0);
    if (test_failures) return test_done("lesson_saliency");
    Pass a;
    BtError err = {{0}};
    PassOptions o = {.mlm = 1};
    CHECKF(pass_run(&a, &m, "the cat sat on the [MASK] .", &o, &err) == 0, "%s", err.msg);
    if (test_failures) return test_done("lesson_saliency");
    LessonWorld w;
    memset(&w, 0, sizeof w);
    w.model = &m;
    w.trace = &a.tr;
    w.tokens = (const char *const *)a.tokens;
    fails(&w, "salpos()", "no `saliency` of this sentence yet");

    Saliency r;
    CHECKF(saliency_run(&m, &a.tr, POS, -1, 50, &r, &err) == 0, "%s", err.msg);
    if (test_failures) return test_done("lesson_saliency");
    w.saliency = &r;
    columns(&w, &r);
    LessonValue v;
    CHECKF(eval(&w, "salword()", &v, &err) == 0 && v.is_str && strcmp(v.str, VOCAB[r.word]) == 0, "%s", err.msg);
    CHECK(eval(&w, "salword() == predtop(salpos())", &v, &err) == 0 && v.num == 1);
    CHECK(num(&w, "salpos()") == POS);
    CHECK(num(&w, "sallogp()") == r.logp && num(&w, "salbase()") == r.logp_base);
    CHECK(fabs(num(&w, "sallogp()") - log(num(&w, "prob(6, salword())"))) < 1e-4);
    /* completeness, as `saliency` prints it */
    CHECKF(num(&w, "abs(salsum(\"ig\") - (sallogp() - salbase()))") < 0.01, "off by %g",
           num(&w, "abs(salsum(\"ig\") - (sallogp() - salbase()))"));
    fails(&w, "sal(0, \"xx\")", "no column \"xx\"");
    fails(&w, "sal(0, 1)", "the column is a string");
    fails(&w, "sal(9, \"gx\")", "out of range");
    fails(&w, "saltop(\"gx\", 0)", "the rank is a whole number from 1 to 9");
    fails(&w, "saltop(\"gx\", 10)", "the rank is a whole number from 1 to 9");
    fails(&w, "saltop(\"gx\", 1.5)", "the rank is a whole number from 1 to 9");

    /* the saliency of another run: other switches, another sentence */
    LessonWorld other = w;
    Trace causal = a.tr;
    causal.causal = 1;
    other.trace = &causal;
    fails(&other, "sal(0, \"gx\")", "no `saliency` of this sentence yet");
    Pass c;
    CHECKF(pass_run(&c, &m, "the dog sat on the [MASK] .", &o, &err) == 0, "%s", err.msg);
    other.trace = &c.tr;
    other.tokens = (const char *const *)c.tokens;
    fails(&other, "sallogp()", "no `saliency` of this sentence yet");
    pass_free(&c);
    saliency_free(&r);

    /* without integrated gradients (--ig 0): no IG column, no baseline */
    CHECKF(saliency_run(&m, &a.tr, POS, 10, 0, &r, &err) == 0, "%s", err.msg);
    w.saliency = &r;
    CHECK(eval(&w, "salword()", &v, &err) == 0 && strcmp(v.str, "dog") == 0);
    CHECK(num(&w, "sal(2, \"gx\")") == r.grad_dot[2]);
    fails(&w, "sal(2, \"ig\")", "without integrated gradients");
    fails(&w, "salsum(\"ig\")", "without integrated gradients");
    fails(&w, "salbase()", "without integrated gradients");
    saliency_free(&r);
    LessonWorld none = w;
    none.trace = NULL;
    fails(&none, "salpos()", "no sentence");
    pass_free(&a);
    model_free(&m);
    return test_done("lesson_saliency");
}
