/* Lesson probes over the last `whatif` (core/whatif.c): they read the
 * comparison the lesson's own `run: whatif` or `try: whatif` line made, as
 * the scan probes read the last scan, so that a lesson states the numbers
 * the command printed. Run A must be the sentence now shown (the what-if
 * is forgotten by nothing else: a new sentence leaves it in place).
 * Positions are run A's; a token's partner in run B is found for them. */
#include <math.h>
#include <string.h>
#include "bertology/guesses.h"
#include "bertology/whatif.h"
#include "lesson_internal.h"

static int last(const LessonWorld *w, const WhatIf **r, BtError *err) {
    if (lprobe_positions(w, NULL, 0, NULL, err)) return -1;
    if (!w->whatif || !whatif_is_of(w->whatif, w->trace))
        return bt_fail(err, "no `whatif` of this sentence yet: a `run: whatif` or `try: whatif` line first");
    *r = w->whatif;
    return 0;
}

/* The pair of A's position a[0], or -1 with err when it has no partner. */
static int pair_of(const LessonWorld *w, const WhatIf *r, const LessonValue *a, BtError *err) {
    int t = 0;
    if (lprobe_positions(w, a, 1, &t, err)) return -1;
    for (int p = 0; p < r->npairs; p++)
        if (r->pairs[p].a == t) return p;
    bt_fail(err, "position %d of run A has no partner in run B", t);
    return -1;
}

/* The guesses `whatif` compared at A's position a[0]. */
static const WhatIfGuesses *guesses_at(const LessonWorld *w, const WhatIf *r, const LessonValue *a, BtError *err) {
    int p = pair_of(w, r, a, err);
    if (p < 0) return NULL;
    for (int g = 0; g < r->nguess; g++)
        if (r->guess[g].pair == p) return &r->guess[g];
    bt_fail(err, "`whatif` compared no guesses at position %d: only at a [MASK] or a changed token", r->pairs[p].a);
    return NULL;
}

/* wifcos(i, d): the cosine of A's token i and its partner at depth d. */
int p_wifcos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const WhatIf *r = NULL;
    if (last(w, &r, err)) return -1;
    int p = pair_of(w, r, &a[0], err);
    if (p < 0) return -1;
    if (a[1].is_str || a[1].num != floor(a[1].num) || a[1].num < 0 || a[1].num > r->L)
        return bt_fail(err, "the depth is a whole number from 0 (the embeddings) to %d (the last layer's output)", r->L);
    lv_num(o, r->cos[(size_t)p * (r->L + 1) + (int)a[1].num]);
    return 0;
}

/* wiftv(L, H): the head's total-variation distance, mean over the pairs. */
int p_wiftv(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const WhatIf *r = NULL;
    int x[4];
    if (last(w, &r, err) || lprobe_head_args(w, a, 2, x, err)) return -1;
    lv_num(o, r->tv_mean[(size_t)x[0] * r->nh + x[1]]);
    return 0;
}

/* The head whose attention moved most (whatif_most_changed): which 0
 * gives its layer, 1 its head. */
static int most(const LessonWorld *w, int which, LessonValue *o, BtError *err) {
    const WhatIf *r = NULL;
    if (last(w, &r, err)) return -1;
    int l, h;
    whatif_most_changed(r, &l, &h);
    if (l < 0) return bt_fail(err, "the last `whatif` has no paired tokens to compare attention over");
    lv_num(o, which ? h : l);
    return 0;
}

int p_wiflayer(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    return most(w, 0, o, err);
}

int p_wifhead(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    return most(w, 1, o, err);
}

/* wiftop(i [, k]): run B's k-th guess at the partner of A's token i. */
int p_wiftop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    const WhatIf *r = NULL;
    const WhatIfGuesses *g = NULL;
    if (last(w, &r, err) || !(g = guesses_at(w, r, &a[0], err))) return -1;
    double k = n > 1 ? a[1].num : 1;
    if (n > 1 && (a[1].is_str || k != floor(k) || k < 1 || k > r->k))
        return bt_fail(err, "the rank is a whole number from 1 to %d (the guesses `whatif` shows)", r->k);
    const char *t = tok_token(w->model->tok, g->top_b[(int)k - 1].id);
    lv_str(o, t ? t : "?");
    return 0;
}

/* wifprob(i, "tok"): run B's probability of a token at the partner of
 * A's token i (its logits are kept for this: any word, not only the top 5). */
int p_wifprob(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const WhatIf *r = NULL;
    const WhatIfGuesses *g = NULL;
    if (last(w, &r, err) || !(g = guesses_at(w, r, &a[0], err))) return -1;
    if (!a[1].is_str) return bt_fail(err, "the token must be a \"string\"");
    int id = tok_id(w->model->tok, a[1].str);
    if (id < 0) return bt_fail(err, "'%s' is not in the vocabulary", a[1].str);
    lv_num(o, guesses_prob(g->logits_b, w->model->cfg.vocab_size, id));
    return 0;
}

/* wifpartner(i): the position in run B of A's token i, -1 for none. */
int p_wifpartner(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const WhatIf *r = NULL;
    int t = 0;
    if (last(w, &r, err) || lprobe_positions(w, a, 1, &t, err)) return -1;
    lv_num(o, r->partner_a[t]);
    return 0;
}

int p_wifntokens(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    const WhatIf *r = NULL;
    if (last(w, &r, err)) return -1;
    lv_num(o, r->Tb);
    return 0;
}
