/* Lesson probes over the logit lens (core/lens.c): the MLM head read at
 * every depth of one position, run on the current sentence's trace each
 * time they are asked, so that a lesson states the numbers `lens`
 * prints. Depth 0 is the embeddings' output, depth d the output of
 * layer d-1, depth layers() the model's own prediction. */
#include <math.h>
#include <string.h>
#include "bertology/lens.h"
#include "lesson_internal.h"

static int arg_depth(const LessonWorld *w, const LessonValue *v, int *out, BtError *err) {
    int L = w->model->cfg.num_layers;
    if (v->is_str || v->num != floor(v->num) || v->num < 0 || v->num > L)
        return bt_fail(err, "the depth is a whole number from 0 (the embeddings) to %d (the last layer's output)", L);
    *out = (int)v->num;
    return 0;
}

static int arg_word(const LessonWorld *w, const LessonValue *v, int *id, BtError *err) {
    if (!v->is_str) return bt_fail(err, "the token must be a \"string\"");
    *id = tok_id(w->model->tok, v->str);
    return *id < 0 ? bt_fail(err, "'%s' is not in the vocabulary", v->str) : 0;
}

/* The lens at position a_pos following a_word (word -1 when NULL), top k. */
static int lens_at(const LessonWorld *w, const LessonValue *a_pos, const LessonValue *a_word, int k, LensResult *r,
                   BtError *err) {
    int t = 0, id = -1;
    if (lprobe_positions(w, a_pos, 1, &t, err)) return -1;
    if (a_word && arg_word(w, a_word, &id, err)) return -1;
    return lens_run(w->model, w->trace, t, k, id, r, err);
}

/* lensrank(d, i, "tok") and lensprob(d, i, "tok"). */
static int rank_or_prob(const LessonWorld *w, const LessonValue *a, int want_prob, LessonValue *o, BtError *err) {
    int d = 0;
    LensResult r;
    if (lprobe_positions(w, NULL, 0, NULL, err) || arg_depth(w, &a[0], &d, err) || lens_at(w, &a[1], &a[2], 1, &r, err))
        return -1;
    if (want_prob) lv_num(o, r.prob[d]);
    else lv_num(o, r.rank[d]);
    lens_free(&r);
    return 0;
}

int p_lensrank(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return rank_or_prob(w, a, 0, o, err);
}

int p_lensprob(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return rank_or_prob(w, a, 1, o, err);
}

/* lenstop(d, i [, k]): the k-th likeliest token at depth d. */
int p_lenstop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    int d = 0;
    double k = n > 2 ? a[2].num : 1;
    if (lprobe_positions(w, NULL, 0, NULL, err) || arg_depth(w, &a[0], &d, err)) return -1;
    if (n > 2 && (a[2].is_str || k != floor(k) || k < 1 || k > 100))
        return bt_fail(err, "the rank is a whole number from 1 to 100");
    if (k > w->model->cfg.vocab_size) return bt_fail(err, "the vocabulary has only %d tokens", w->model->cfg.vocab_size);
    LensResult r;
    if (lens_at(w, &a[1], NULL, (int)k, &r, err)) return -1;
    const char *s = tok_token(w->model->tok, r.top[(size_t)d * r.k + (int)k - 1].id);
    lv_str(o, s ? s : "?");
    lens_free(&r);
    return 0;
}

/* lenssettle(i, "tok"): the first depth from which the token is the top
 * guess at every depth to the last (lens_settled), -1 when it is not the
 * model's answer. */
int p_lenssettle(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    LensResult r;
    if (lprobe_positions(w, NULL, 0, NULL, err) || lens_at(w, &a[0], &a[1], 1, &r, err)) return -1;
    lv_num(o, lens_settled(&r));
    lens_free(&r);
    return 0;
}
