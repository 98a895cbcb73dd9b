/* Lesson probes over the attention instruments: the head census
 * (core/census.c) and rollout and flow (core/rollout.c), computed from the
 * current sentence's trace each time they are asked, so that a lesson
 * states the numbers `census` and `rollout` print. */
#include <string.h>
#include "bertology/census.h"
#include "bertology/rollout.h"
#include "lesson_internal.h"
#include "bertology/i18n.h"

/* The census of the current sentence, or -1. */
static int census_now(const LessonWorld *w, Census *c, BtError *err) {
    return census_of_trace(c, w->trace, w->model->tok, err);
}

/* A target or role by its census name ("prev"); roles include "mixed". */
static int role_named(const LessonValue *v, int roles, int *out, BtError *err) {
    int last = roles ? CENSUS_MIXED : CENSUS_TARGETS - 1;
    if (v->is_str)
        for (int r = 0; r <= last; r++)
            if (strcmp(v->str, census_role_info(r)->name) == 0) return *out = r, 0;
    const char *name = v->is_str ? v->str : _("(a number)");
    return roles ? bt_fail(err, "no role \"%s\": \"cls\", \"sep\", \"self\", \"prev\", \"next\", \"punct\" or \"mixed\"", name)
                 : bt_fail(err, "no target \"%s\": \"cls\", \"sep\", \"self\", \"prev\", \"next\" or \"punct\"", name);
}

int p_share(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int x[4], t = 0;
    Census c;
    if (lprobe_head_args(w, a, 2, x, err) || role_named(&a[2], 0, &t, err) || census_now(w, &c, err)) return -1;
    lv_num(o, c.share[((size_t)x[0] * c.nh + x[1]) * CENSUS_TARGETS + t]);
    census_free(&c);
    return 0;
}

int p_headbits(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    int x[4];
    Census c;
    if (lprobe_head_args(w, a, n, x, err) || census_now(w, &c, err)) return -1;
    lv_num(o, c.entropy[(size_t)x[0] * c.nh + x[1]]);
    census_free(&c);
    return 0;
}

int p_role(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    int x[4];
    Census c;
    if (lprobe_head_args(w, a, n, x, err) || census_now(w, &c, err)) return -1;
    lv_str(o, census_role_info(c.role[(size_t)x[0] * c.nh + x[1]])->name);
    census_free(&c);
    return 0;
}

int p_roles(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int r = 0, count = 0;
    Census c;
    if (lprobe_positions(w, a, 0, NULL, err) || role_named(&a[0], 1, &r, err) || census_now(w, &c, err)) return -1;
    for (int i = 0; i < c.L * c.nh; i++) count += c.role[i] == r;
    lv_num(o, count);
    census_free(&c);
    return 0;
}

/* Which column of the rollout: 0 the last layer, 1 rollout, 2 flow. */
static int rollout_probe(const LessonWorld *w, const LessonValue *a, int column, LessonValue *o, BtError *err) {
    int p[2];
    Rollout r;
    if (lprobe_positions(w, a, 2, p, err) || rollout_run(w->trace, p[0], &r, err)) return -1;
    const double *col[3] = {r.raw, r.rollout, r.flow};
    lv_num(o, col[column][p[1]]);
    rollout_free(&r);
    return 0;
}

int p_lastattn(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return rollout_probe(w, a, 0, o, err);
}

int p_rollout(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return rollout_probe(w, a, 1, o, err);
}

int p_flow(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return rollout_probe(w, a, 2, o, err);
}
