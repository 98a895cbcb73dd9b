/* Lesson probes over the last `saliency` (core/saliency.c): they read the
 * result the lesson's own `run: saliency` or `try: saliency` line made, as
 * the scan probes read the last scan, so that a lesson states the numbers
 * the command printed and no probe runs the N + 1 backward passes again.
 * The saliency must be of the sentence now shown. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/saliency.h"
#include "lesson_internal.h"

/* 1 when r was taken of run tr: its tokens and switches, intact. */
static int is_of(const Saliency *r, const Trace *tr) {
    return r && tr && r->ids && tr->B == 1 && r->T == tr->T && r->causal == tr->causal && r->unscaled == tr->unscaled &&
           tr->ablate.n == 0 && memcmp(r->ids, tr->input_ids, sizeof(int) * (size_t)r->T) == 0;
}

static int last(const LessonWorld *w, const Saliency **r, BtError *err) {
    if (lprobe_positions(w, NULL, 0, NULL, err)) return -1;
    if (!w->saliency || !is_of(w->saliency, w->trace))
        return bt_fail(err, "no `saliency` of this sentence yet: a `run: saliency` or `try: saliency` line first");
    *r = w->saliency;
    return 0;
}

/* The column a "gx|grad|ig" names: gradient × input, the gradient's
 * norm, integrated gradients. */
static int column(const Saliency *r, const LessonValue *v, const double **col, BtError *err) {
    if (!v->is_str) return bt_fail(err, "the column is a string: \"gx\", \"grad\" or \"ig\"");
    if (strcmp(v->str, "gx") == 0) *col = r->grad_dot;
    else if (strcmp(v->str, "grad") == 0) *col = r->grad_norm;
    else if (strcmp(v->str, "ig") == 0) {
        if (!r->ig) return bt_fail(err, "the last `saliency` ran without integrated gradients (--ig 0)");
        *col = r->ig;
    } else return bt_fail(err, "no column \"%s\": \"gx\" (gradient × input), \"grad\" (its norm) or \"ig\"", v->str);
    return 0;
}

int p_salword(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    const Saliency *r = NULL;
    if (last(w, &r, err)) return -1;
    const char *t = tok_token(w->model->tok, r->word);
    lv_str(o, t ? t : "?");
    return 0;
}

int p_salpos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    const Saliency *r = NULL;
    if (last(w, &r, err)) return -1;
    lv_num(o, r->pos);
    return 0;
}

/* sal(i, "gx|grad|ig"): token i's value in that column. */
int p_sal(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const Saliency *r = NULL;
    const double *col = NULL;
    int t = 0;
    if (last(w, &r, err) || lprobe_positions(w, a, 1, &t, err) || column(r, &a[1], &col, err)) return -1;
    lv_num(o, col[t]);
    return 0;
}

/* saltop("gx|grad|ig" [, k]): the position of the k-th largest value,
 * signed (k = ntokens() gives the most negative); ties by position. */
int p_saltop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    const Saliency *r = NULL;
    const double *col = NULL;
    if (last(w, &r, err) || column(r, &a[0], &col, err)) return -1;
    double k = n > 1 ? a[1].num : 1;
    if (n > 1 && (a[1].is_str || k != floor(k) || k < 1 || k > r->T))
        return bt_fail(err, "the rank is a whole number from 1 to %d (the sentence's tokens)", r->T);
    /* the k-th of T values: count, for each token, the tokens ahead of it */
    for (int t = 0; t < r->T; t++) {
        int ahead = 0;
        for (int u = 0; u < r->T; u++) ahead += col[u] > col[t] || (col[u] == col[t] && u < t);
        if (ahead == (int)k - 1) {
            lv_num(o, t);
            return 0;
        }
    }
    return bt_fail(err, "the saliency holds a value that is not a number");
}

/* salsum("gx|grad|ig"): the column's sum over the tokens. */
int p_salsum(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const Saliency *r = NULL;
    const double *col = NULL;
    if (last(w, &r, err) || column(r, &a[0], &col, err)) return -1;
    double s = 0;
    for (int t = 0; t < r->T; t++) s += col[t];
    lv_num(o, s);
    return 0;
}

int p_sallogp(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    const Saliency *r = NULL;
    if (last(w, &r, err)) return -1;
    lv_num(o, r->logp);
    return 0;
}

int p_salbase(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    const Saliency *r = NULL;
    if (last(w, &r, err)) return -1;
    if (!r->ig) return bt_fail(err, "the last `saliency` ran without integrated gradients (--ig 0): no baseline");
    lv_num(o, r->logp_base);
    return 0;
}
