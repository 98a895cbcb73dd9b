/* The functions lesson expressions call: what a lesson may ask of the
 * model and the current forward pass. Each reads the LessonWorld only
 * (cos2 runs its own passes), so an answer is always computed from the
 * model in use and retraining cannot make a lesson's check stale. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/checkpoints.h"
#include "bertology/pass.h"
#include "bertology/vecstats.h"
#include "bertology/guesses.h"
#include "bertology/scan.h"
#include "lesson_internal.h"
#include "bertology/i18n.h"

/* ---- arguments ------------------------------------------------------------ */

static int need_model(const LessonWorld *w, BtError *err) {
    return w->model ? 0 : bt_fail(err, "no model");
}

static int need_trace(const LessonWorld *w, BtError *err) {
    if (need_model(w, err)) return -1;
    return w->trace ? 0 : bt_fail(err, "no sentence has been analysed yet (a `text:` line first)");
}

/* what: a literal (xgettext's keywords arg_int:2, arg_str:2), translated here */
static int arg_int(const LessonValue *v, const char *what, long *out, BtError *err) {
    what = _(what);
    if (v->is_str || v->num != floor(v->num)) {
        char b[LV_STR_MAX];
        lv_format(v, b, sizeof b);
        return bt_fail(err, "%s must be a whole number, not %s%s%s", what, v->is_str ? "\"" : "", b, v->is_str ? "\"" : "");
    }
    /* token(1e300): past any position, layer or count, and past long. */
    if (fabs(v->num) > 1e9) return bt_fail(err, "%s: %g is out of range", what, v->num);
    *out = (long)v->num;
    return 0;
}

static int arg_str(const LessonValue *v, const char *what, BtError *err) {
    if (!v->is_str) return bt_fail(err, "%s must be a \"string\"", _(what));
    return 0;
}

static int arg_layer(const LessonWorld *w, const LessonValue *v, int *out, BtError *err) {
    long x = 0;
    if (arg_int(v, "the layer", &x, err)) return -1;
    int L = w->model->cfg.num_layers;
    if (x < 0 || x >= L) return bt_fail(err, "layer %ld is out of range: this model has layers 0–%d", x, L - 1);
    *out = (int)x;
    return 0;
}

static int arg_head(const LessonWorld *w, const LessonValue *v, int *out, BtError *err) {
    long x = 0;
    if (arg_int(v, "the head", &x, err)) return -1;
    int nh = w->model->cfg.num_heads;
    if (x < 0 || x >= nh) return bt_fail(err, "head %ld is out of range: this model has heads 0–%d", x, nh - 1);
    *out = (int)x;
    return 0;
}

/* A position: a number, or a token (its first occurrence). */
static int pos_in(const char *const *tokens, int T, const LessonValue *v, int *out, BtError *err) {
    if (!v->is_str) {
        long x = 0;
        if (arg_int(v, "a position", &x, err)) return -1;
        if (x < 0 || x >= T) return bt_fail(err, "position %ld is out of range: the sentence has %d tokens, 0–%d", x, T, T - 1);
        *out = (int)x;
        return 0;
    }
    for (int t = 0; t < T; t++)
        if (tokens[t] && strcmp(tokens[t], v->str) == 0) { *out = t; return 0; }
    char list[200] = "";
    for (int t = 0; t < T && strlen(list) < 150; t++) {
        strncat(list, t ? " " : "", sizeof list - strlen(list) - 1);
        strncat(list, tokens[t] ? tokens[t] : "?", sizeof list - strlen(list) - 1);
    }
    return bt_fail(err, "no token '%s' in the sentence (its tokens: %s%s)", v->str, list, strlen(list) >= 150 ? " …" : "");
}

static int arg_pos(const LessonWorld *w, const LessonValue *v, int *out, BtError *err) {
    return pos_in(w->tokens, w->trace->T, v, out, err);
}

static double dot(const float *a, const float *b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += (double)a[i] * b[i];
    return s;
}

/* ---- the model's sizes ------------------------------------------------------- */

#define CFG_PROBE(fname, expr)                                                                \
    static int fname(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) { \
        (void)a; (void)n;                                                                     \
        if (need_model(w, err)) return -1;                                                    \
        lv_num(o, (expr));                                                                    \
        return 0;                                                                             \
    }
CFG_PROBE(p_layers, w->model->cfg.num_layers)
CFG_PROBE(p_heads, w->model->cfg.num_heads)
CFG_PROBE(p_hidden, w->model->cfg.hidden_size)
CFG_PROBE(p_headdim, w->model->cfg.hidden_size / w->model->cfg.num_heads)
CFG_PROBE(p_vocab, w->model->cfg.vocab_size)
CFG_PROBE(p_maxpos, w->model->cfg.max_position)
CFG_PROBE(p_ffn, w->model->cfg.intermediate_size)
CFG_PROBE(p_sinusoidal, w->model->cfg.pos_type == POS_SINUSOIDAL)
CFG_PROBE(p_hasmlm, w->model->has_mlm)
CFG_PROBE(p_hasnsp, w->model->has_nsp)

/* The step-N snapshots that ship beside the model (the `checkpoint`
 * command's list), counted from its root, so the same while one of them
 * is loaded. A model not loaded from a directory has none. */
static int p_checkpoints(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    if (need_model(w, err)) return -1;
    CheckpointList k;
    BtError e = {{0}};
    int count = 0;
    if (w->model->dir && checkpoints_scan(w->model->dir, &k, &e) == 0) {
        count = k.n;
        checkpoints_free(&k);
    }
    lv_num(o, count);
    return 0;
}

static int p_causal(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n; (void)err;
    lv_num(o, w->causal);
    return 0;
}

static int p_scaled(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n; (void)err;
    lv_num(o, !w->unscaled);
    return 0;
}

/* ---- arithmetic ----------------------------------------------------------------- */

static int num1(const LessonValue *a, const char *f, BtError *err) {
    return a->is_str ? bt_fail(err, "%s needs a number, not \"%s\"", f, a->str) : 0;
}

static int p_sqrt(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(a, "sqrt", err)) return -1;
    if (a->num < 0) return bt_fail(err, "the square root of a negative number");
    lv_num(o, sqrt(a->num));
    return 0;
}

static int p_exp(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(a, "exp", err)) return -1;
    lv_num(o, exp(a->num));
    return 0;
}

static int p_log(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(a, "log", err)) return -1;
    if (a->num <= 0) return bt_fail(err, "the logarithm of %g", a->num);
    lv_num(o, log(a->num));
    return 0;
}

static int p_abs(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(a, "abs", err)) return -1;
    lv_num(o, fabs(a->num));
    return 0;
}

static int p_min(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(&a[0], "min", err) || num1(&a[1], "min", err)) return -1;
    lv_num(o, a[0].num < a[1].num ? a[0].num : a[1].num);
    return 0;
}

static int p_max(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(&a[0], "max", err) || num1(&a[1], "max", err)) return -1;
    lv_num(o, a[0].num > a[1].num ? a[0].num : a[1].num);
    return 0;
}

static int p_round(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w;
    long d = 0;
    if (num1(a, "round", err)) return -1;
    if (n > 1 && arg_int(&a[1], "the digits", &d, err)) return -1;
    if (d < 0 || d > 9) return bt_fail(err, "round to 0–9 digits, not %ld", d);
    double k = pow(10, (double)d);
    lv_num(o, round(a->num * k) / k);
    return 0;
}

/* A string with fixed digits: "0.250", so prose can show trailing zeros. */
static int p_fmt(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    long d = 0;
    if (num1(a, "fmt", err) || arg_int(&a[1], "the digits", &d, err)) return -1;
    if (d < 0 || d > 9) return bt_fail(err, "fmt to 0–9 digits, not %ld", d);
    o->is_str = 1;
    snprintf(o->str, sizeof o->str, "%.*f", (int)d, a->num);
    return 0;
}

static int p_pct(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    if (num1(a, "pct", err)) return -1;
    o->is_str = 1;
    snprintf(o->str, sizeof o->str, "%.1f%%", 100 * a->num);
    return 0;
}

static int p_near(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)w; (void)n;
    for (int i = 0; i < 3; i++)
        if (num1(&a[i], "near", err)) return -1;
    lv_num(o, fabs(a[0].num - a[1].num) <= a[2].num);
    return 0;
}

/* ---- the sentence and the vocabulary ------------------------------------------ */

static int p_ntokens(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    if (need_trace(w, err)) return -1;
    lv_num(o, w->trace->T);
    return 0;
}

static int p_token(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int t = 0;
    if (need_trace(w, err) || arg_pos(w, a, &t, err)) return -1;
    lv_str(o, w->tokens[t] ? w->tokens[t] : "?");
    return 0;
}

static int p_pos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    if (need_trace(w, err) || arg_str(a, "the token", err)) return -1;
    long k = 1;
    if (n > 1 && arg_int(&a[1], "the occurrence", &k, err)) return -1;
    int seen = 0;
    for (int t = 0; t < w->trace->T; t++)
        if (w->tokens[t] && strcmp(w->tokens[t], a->str) == 0 && ++seen == k) { lv_num(o, t); return 0; }
    if (seen == 0) {
        int t = 0;
        return arg_pos(w, a, &t, err);   /* the message that lists the tokens */
    }
    return bt_fail(err, ngettext("'%s' occurs %d time, not %ld", "'%s' occurs %d times, not %ld", (unsigned long)seen),
                   a->str, seen, k);
}

static int p_count(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    if (need_trace(w, err) || arg_str(a, "the token", err)) return -1;
    int c = 0;
    for (int t = 0; t < w->trace->T; t++) c += w->tokens[t] && strcmp(w->tokens[t], a->str) == 0;
    lv_num(o, c);
    return 0;
}

static int p_segment(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int t = 0;
    if (need_trace(w, err) || arg_pos(w, a, &t, err)) return -1;
    lv_num(o, w->trace->type_ids[t]);
    return 0;
}

static int p_tokid(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int t = 0;
    if (need_trace(w, err) || arg_pos(w, a, &t, err)) return -1;
    lv_num(o, w->trace->input_ids[t]);
    return 0;
}

static int need_tok(const LessonWorld *w, BtError *err) {
    if (need_model(w, err)) return -1;
    return w->model->tok ? 0 : bt_fail(err, "the model has no vocabulary");
}

static int p_id(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    if (need_tok(w, err) || arg_str(a, "the token", err)) return -1;
    int id = tok_id(w->model->tok, a->str);
    if (id < 0) return bt_fail(err, "'%s' is not in the vocabulary", a->str);
    lv_num(o, id);
    return 0;
}

static int p_invocab(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    if (need_tok(w, err) || arg_str(a, "the token", err)) return -1;
    lv_num(o, tok_id(w->model->tok, a->str) >= 0);
    return 0;
}

/* Word pieces of text (no [CLS]/[SEP]); returns the count. */
static int pieces_of(const LessonWorld *w, const char *text, char *joined, size_t jn, BtError *err) {
    int ids[256];
    int n = tok_wordpieces(w->model->tok, text, ids, NULL, 256, err);
    if (n < 0) return -1;
    if (joined) {
        joined[0] = 0;
        for (int i = 0; i < n && i < 256; i++) {
            const char *t = tok_token(w->model->tok, ids[i]);
            if (i) strncat(joined, " ", jn - strlen(joined) - 1);
            strncat(joined, t ? t : "?", jn - strlen(joined) - 1);
        }
    }
    return n;
}

static int p_pieces(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    if (need_tok(w, err) || arg_str(a, "the text", err)) return -1;
    o->is_str = 1;
    return pieces_of(w, a->str, o->str, sizeof o->str, err) < 0 ? -1 : 0;
}

static int p_npieces(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    if (need_tok(w, err) || arg_str(a, "the text", err)) return -1;
    int k = pieces_of(w, a->str, NULL, 0, err);
    if (k < 0) return -1;
    lv_num(o, k);
    return 0;
}

/* piece("text", i): the i-th (from 0) word piece of text. */
static int p_piece(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    long i = 0;
    if (need_tok(w, err) || arg_str(&a[0], "the text", err) || arg_int(&a[1], "the piece", &i, err)) return -1;
    int ids[256];
    int k = tok_wordpieces(w->model->tok, a[0].str, ids, NULL, 256, err);
    if (k < 0) return -1;
    if (i < 0 || i >= k || i >= 256)
        return bt_fail(err,
                       ngettext("\"%s\" has %d piece, numbered 0–%d, not %ld",
                                "\"%s\" has %d pieces, numbered 0–%d, not %ld", (unsigned long)k),
                       a[0].str, k, k - 1, i);
    const char *t = tok_token(w->model->tok, ids[i]);
    lv_str(o, t ? t : "?");
    return 0;
}

static int p_lowercase(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    if (need_tok(w, err)) return -1;
    lv_num(o, tok_do_lower_case(w->model->tok));
    return 0;
}

/* ---- static vectors and positions -------------------------------------------- */

static int p_embdiff(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int t = 0;
    if (need_trace(w, err) || arg_pos(w, a, &t, err)) return -1;
    int H = w->trace->H, id = w->trace->input_ids[t];
    const float *row = w->model->word_emb + (size_t)id * H, *got = w->trace->tok_emb + (size_t)t * H;
    double m = 0;
    for (int h = 0; h < H; h++) m = fmax(m, fabs((double)row[h] - got[h]));
    lv_num(o, m);
    return 0;
}

static int static_row(const LessonWorld *w, const LessonValue *a, const float **row, BtError *err) {
    if (need_tok(w, err) || arg_str(a, "the token", err)) return -1;
    int id = tok_id(w->model->tok, a->str);
    if (id < 0) return bt_fail(err, "'%s' is not in the vocabulary", a->str);
    *row = w->model->word_emb + (size_t)id * w->model->cfg.hidden_size;
    return 0;
}

static int p_scos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const float *x = NULL, *y = NULL;
    if (static_row(w, &a[0], &x, err) || static_row(w, &a[1], &y, err)) return -1;
    lv_num(o, vec_cosine(x, y, w->model->cfg.hidden_size));
    return 0;
}

static int p_snorm(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    const float *x = NULL;
    if (static_row(w, a, &x, err)) return -1;
    lv_num(o, sqrt(dot(x, x, w->model->cfg.hidden_size)));
    return 0;
}

static int arg_position(const LessonWorld *w, const LessonValue *v, int *out, BtError *err) {
    long x = 0;
    if (arg_int(v, "the position", &x, err)) return -1;
    int P = w->model->cfg.max_position;
    if (x < 0 || x >= P) return bt_fail(err, "position %ld is out of range: this model has positions 0–%d", x, P - 1);
    *out = (int)x;
    return 0;
}

static int p_pe(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int p = 0;
    long d = 0;
    if (need_model(w, err) || arg_position(w, &a[0], &p, err) || arg_int(&a[1], "the dimension", &d, err)) return -1;
    int H = w->model->cfg.hidden_size;
    if (d < 0 || d >= H) return bt_fail(err, "dimension %ld is out of range: 0–%d", d, H - 1);
    lv_num(o, w->model->pos_emb[(size_t)p * H + d]);
    return 0;
}

static int p_pedot(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int p = 0, q = 0;
    if (need_model(w, err) || arg_position(w, &a[0], &p, err) || arg_position(w, &a[1], &q, err)) return -1;
    int H = w->model->cfg.hidden_size;
    lv_num(o, dot(w->model->pos_emb + (size_t)p * H, w->model->pos_emb + (size_t)q * H, H));
    return 0;
}

/* The sinusoid's wavelength for dimension d: 2π·10000^(2⌊d/2⌋/H). */
static int p_wavelength(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    long d = 0;
    if (need_model(w, err) || arg_int(a, "the dimension", &d, err)) return -1;
    int H = w->model->cfg.hidden_size;
    if (d < 0 || d >= H) return bt_fail(err, "dimension %ld is out of range: 0–%d", d, H - 1);
    lv_num(o, 2 * M_PI * pow(10000.0, (double)(d - d % 2) / H));
    return 0;
}

/* ---- attention ------------------------------------------------------------------ */

typedef struct { int l, h, q, k; } AttnArgs;

static int attn_args(const LessonWorld *w, const LessonValue *a, int n, AttnArgs *x, BtError *err) {
    if (need_trace(w, err) || arg_layer(w, &a[0], &x->l, err) || arg_head(w, &a[1], &x->h, err)) return -1;
    if (n > 2 && arg_pos(w, &a[2], &x->q, err)) return -1;
    if (n > 3 && arg_pos(w, &a[3], &x->k, err)) return -1;
    return 0;
}

int lprobe_head_args(const LessonWorld *w, const LessonValue *a, int n, int out[4], BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    out[0] = x.l, out[1] = x.h, out[2] = x.q, out[3] = x.k;
    return 0;
}

int lprobe_positions(const LessonWorld *w, const LessonValue *a, int n, int *out, BtError *err) {
    if (need_trace(w, err)) return -1;
    for (int i = 0; i < n; i++)
        if (arg_pos(w, &a[i], &out[i], err)) return -1;
    return 0;
}

/* Row q of head h's (T,T) matrix in layer l; scores when want_scores. */
static const float *attn_row(const LessonWorld *w, const AttnArgs *x, int want_scores) {
    const Trace *tr = w->trace;
    const LayerTrace *lt = &tr->layers[x->l];
    const float *m = want_scores ? lt->scores : lt->attn;
    return m + ((size_t)x->h * tr->T + x->q) * tr->T;
}

static int p_attn(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    lv_num(o, attn_row(w, &x, 0)[x.k]);
    return 0;
}

static int p_score(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    lv_num(o, attn_row(w, &x, 1)[x.k]);
    return 0;
}

static int p_top(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    const float *r = attn_row(w, &x, 0);
    int best = 0;
    for (int k = 1; k < w->trace->T; k++)
        if (r[k] > r[best]) best = k;
    lv_num(o, best);
    return 0;
}

static int p_rowsum(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    const float *r = attn_row(w, &x, 0);
    double s = 0;
    for (int k = 0; k < w->trace->T; k++) s += r[k];
    lv_num(o, s);
    return 0;
}

static int p_rowmax(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    const float *r = attn_row(w, &x, 0);
    double m = 0;
    for (int k = 0; k < w->trace->T; k++) m = fmax(m, r[k]);
    lv_num(o, m);
    return 0;
}

static int p_entropy(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    const float *r = attn_row(w, &x, 0);
    double e = 0;
    for (int k = 0; k < w->trace->T; k++)
        if (r[k] > 0) e -= r[k] * log(r[k]);
    lv_num(o, e);
    return 0;
}

/* The most attention any query of head (l, h) pays to keys after it:
 * exactly 0 under a causal mask. */
static int p_future(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    double m = 0;
    for (x.q = 0; x.q < w->trace->T; x.q++) {
        const float *r = attn_row(w, &x, 0);
        double s = 0;
        for (int k = x.q + 1; k < w->trace->T; k++) s += r[k];
        m = fmax(m, s);
    }
    lv_num(o, m);
    return 0;
}

/* q_i · k_j of head (L, H), before the 1/√d: from the trace's q and k. */
static int p_qk(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    if (attn_args(w, a, n, &x, err)) return -1;
    const Trace *tr = w->trace;
    size_t hd = (size_t)tr->hd, T = (size_t)tr->T;
    const LayerTrace *lt = &tr->layers[x.l];
    const float *q = lt->q + ((size_t)x.h * T + x.q) * hd, *k = lt->k + ((size_t)x.h * T + x.k) * hd;
    lv_num(o, dot(q, k, (int)hd));
    return 0;
}

typedef enum { PAT_PREV, PAT_NEXT, PAT_SELF, PAT_CLS, PAT_SEP, PAT_SAME } Pattern;

static int arg_pattern(const LessonValue *v, Pattern *p, BtError *err) {
    static const char *const NAMES[] = {"prev", "next", "self", "cls", "sep", "same"};
    if (!v->is_str) return bt_fail(err, "the pattern is a string: \"prev\", \"next\", \"self\", \"cls\", \"sep\" or \"same\"");
    for (int i = 0; i < 6; i++)
        if (strcmp(v->str, NAMES[i]) == 0) { *p = (Pattern)i; return 0; }
    return bt_fail(err, "no pattern \"%s\": \"prev\", \"next\", \"self\", \"cls\", \"sep\" or \"same\"", v->str);
}

/* Mean over the queries that have a target of the attention the head
 * pays to it: the left or right neighbour, itself, [CLS], any [SEP], or
 * other occurrences of the same token. */
static double pattern_score(const LessonWorld *w, int l, int h, Pattern p) {
    const Trace *tr = w->trace;
    int T = tr->T, cls = tok_cls_id(w->model->tok), sep = tok_sep_id(w->model->tok);
    AttnArgs x = {l, h, 0, 0};
    double total = 0;
    int counted = 0;
    for (x.q = 0; x.q < T; x.q++) {
        const float *r = attn_row(w, &x, 0);
        double s = 0;
        int has = 1;
        switch (p) {
        case PAT_PREV: has = x.q > 0; if (has) s = r[x.q - 1]; break;
        case PAT_NEXT: has = x.q + 1 < T; if (has) s = r[x.q + 1]; break;
        case PAT_SELF: s = r[x.q]; break;
        case PAT_CLS:
        case PAT_SEP:
            for (int k = 0; k < T; k++)
                if (tr->input_ids[k] == (p == PAT_CLS ? cls : sep)) s += r[k];
            break;
        case PAT_SAME:
            has = 0;
            for (int k = 0; k < T; k++)
                if (k != x.q && tr->input_ids[k] == tr->input_ids[x.q]) { s += r[k]; has = 1; }
            break;
        }
        if (has) { total += s; counted++; }
    }
    return counted ? total / counted : 0;
}

static int p_pattern(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    AttnArgs x = {0, 0, 0, 0};
    Pattern p = PAT_PREV;
    if (attn_args(w, a, 2, &x, err) || arg_pattern(&a[2], &p, err)) return -1;
    (void)n;
    lv_num(o, pattern_score(w, x.l, x.h, p));
    return 0;
}

static int best_head(const LessonWorld *w, const LessonValue *a, int *bl, int *bh, BtError *err) {
    Pattern p = PAT_PREV;
    if (need_trace(w, err) || arg_pattern(a, &p, err)) return -1;
    double best = -1;
    for (int l = 0; l < w->model->cfg.num_layers; l++)
        for (int h = 0; h < w->model->cfg.num_heads; h++) {
            double s = pattern_score(w, l, h, p);
            if (s > best) { best = s; *bl = l; *bh = h; }
        }
    return 0;
}

static int p_bestlayer(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int l = 0, h = 0;
    if (best_head(w, a, &l, &h, err)) return -1;
    lv_num(o, l);
    return 0;
}

static int p_besthead(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int l = 0, h = 0;
    if (best_head(w, a, &l, &h, err)) return -1;
    lv_num(o, h);
    return 0;
}

/* ---- vectors in the residual stream ---------------------------------------------- */

static const char STAGES_DOC[] =
    "\"tok\", \"pos\", \"type\", \"sum\", \"emb\", \"ctx\", \"proj\", \"res1\", \"ln1\", \"ffnpre\", \"ffnact\", "
    "\"ffnout\", \"res2\", \"out\"";

/* Token t's vector at a named point of trace tr (layer l for per-layer
 * ones): any per-token array of the trace's table, by name or alias. */
static const float *vec_at(const Trace *tr, const char *name, int l, int t, int *dim, BtError *err) {
    const TraceArray *a = trace_find(name);
    const float *x = a && trace_per_token(a) ? trace_floats(tr, a, l) : NULL;
    if (!x) {
        bt_fail(err, "no vector \"%s\": %s", name, STAGES_DOC);
        return NULL;
    }
    int64_t dims[3];
    trace_dims(tr, a, dims);
    *dim = (int)dims[1];
    return x + (size_t)t * dims[1];
}

static const float *arg_vec(const LessonWorld *w, const LessonValue *stage, const LessonValue *layer,
                            const LessonValue *pos, int *dim, BtError *err) {
    int l = 0, t = 0;
    if (need_trace(w, err) || arg_str(stage, "the vector's name", err) || arg_layer(w, layer, &l, err) ||
        arg_pos(w, pos, &t, err))
        return NULL;
    return vec_at(w->trace, stage->str, l, t, dim, err);
}

static int p_vval(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int d = 0;
    long i = 0;
    const float *x = arg_vec(w, &a[0], &a[1], &a[2], &d, err);
    if (!x || arg_int(&a[3], "the dimension", &i, err)) return -1;
    if (i < 0 || i >= d) return bt_fail(err, "dimension %ld is out of range: 0–%d", i, d - 1);
    lv_num(o, x[i]);
    return 0;
}

/* The mean cosine between the vectors of every pair of tokens: how alike
 * the sentence's tokens have become at that point. */
static int p_meancos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int l = 0, d = 0;
    if (need_trace(w, err) || arg_str(&a[0], "the vector's name", err) || arg_layer(w, &a[1], &l, err)) return -1;
    int T = w->trace->T;
    if (T < 2) return bt_fail(err, "the sentence has one token");
    double s = 0;
    int pairs = 0;
    for (int i = 0; i < T; i++)
        for (int j = i + 1; j < T; j++) {
            const float *x = vec_at(w->trace, a[0].str, l, i, &d, err), *y = vec_at(w->trace, a[0].str, l, j, &d, err);
            if (!x || !y) return -1;
            s += vec_cosine(x, y, d);
            pairs++;
        }
    lv_num(o, s / pairs);
    return 0;
}

/* vmean, vstd, vnorm: one statistic of token i's vector. */
typedef enum { VSTAT_MEAN, VSTAT_STD, VSTAT_NORM } VecStat;

static int vec_stat(const LessonWorld *w, const LessonValue *a, LessonValue *o, VecStat which, BtError *err) {
    int d = 0;
    const float *x = arg_vec(w, &a[0], &a[1], &a[2], &d, err);
    if (!x) return -1;
    float len, m, s;
    row_stats(x, d, &len, &m, &s);
    lv_num(o, which == VSTAT_MEAN ? m : which == VSTAT_STD ? s : len);
    return 0;
}

static int p_vmean(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return vec_stat(w, a, o, VSTAT_MEAN, err);
}

static int p_vstd(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return vec_stat(w, a, o, VSTAT_STD, err);
}

static int p_vnorm(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    return vec_stat(w, a, o, VSTAT_NORM, err);
}

static int p_vcos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int d1 = 0, d2 = 0;
    const float *x = arg_vec(w, &a[0], &a[1], &a[2], &d1, err);
    const float *y = x ? arg_vec(w, &a[0], &a[1], &a[3], &d2, err) : NULL;
    if (!y) return -1;
    lv_num(o, vec_cosine(x, y, d1));
    return 0;
}

/* One token's vector at two points of the pipeline. */
static int p_xcos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int d1 = 0, d2 = 0;
    const float *x = arg_vec(w, &a[0], &a[1], &a[4], &d1, err);
    const float *y = x ? arg_vec(w, &a[2], &a[3], &a[4], &d2, err) : NULL;
    if (!y) return -1;
    if (d1 != d2) return bt_fail(err, "\"%s\" has %d values and \"%s\" %d: no cosine", a[0].str, d1, a[2].str, d2);
    lv_num(o, vec_cosine(x, y, d1));
    return 0;
}

/* How far res1 (or res2) is from sublayer input + sublayer output: 0 up
 * to rounding, which is what a residual connection means. */
static int p_resdiff(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int l = 0, t = 0;
    if (need_trace(w, err) || arg_layer(w, &a[0], &l, err) || arg_pos(w, &a[1], &t, err) ||
        arg_str(&a[2], "the sublayer (\"attn\" or \"ffn\")", err))
        return -1;
    const Trace *tr = w->trace;
    size_t H = (size_t)tr->H;
    const LayerTrace *lt = &tr->layers[l];
    const float *in, *sub, *res;
    if (!strcmp(a[2].str, "attn")) {
        in = (l == 0 ? tr->x0 : tr->layers[l - 1].out) + t * H;
        sub = lt->attn_out + t * H;
        res = lt->res1 + t * H;
    } else if (!strcmp(a[2].str, "ffn")) {
        in = lt->ln1 + t * H;
        sub = lt->ffn_out + t * H;
        res = lt->res2 + t * H;
    } else {
        return bt_fail(err, "the sublayer is \"attn\" or \"ffn\", not \"%s\"", a[2].str);
    }
    double m = 0;
    for (size_t h = 0; h < H; h++) m = fmax(m, fabs((double)res[h] - in[h] - sub[h]));
    lv_num(o, m);
    return 0;
}

/* ---- the MLM and NSP heads -------------------------------------------------------- */

static const float *mlm_logits(const LessonWorld *w, int t, BtError *err) {
    const Trace *tr = w->trace;
    if (!w->model->has_mlm || !tr->mlm_logits) { bt_fail(err, "this model has no MLM head"); return NULL; }
    const float *row = trace_mlm_logits_at(tr, t);
    if (!row) bt_fail(err, "position %d has no MLM prediction", t);
    return row;
}

static int p_predtop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    int t = 0;
    long k = 1;
    if (need_trace(w, err) || arg_pos(w, &a[0], &t, err)) return -1;
    if (n > 1 && arg_int(&a[1], "the rank", &k, err)) return -1;
    if (k < 1 || k > 100) return bt_fail(err, "the rank is 1–100, not %ld", k);
    const float *z = mlm_logits(w, t, err);
    if (!z) return -1;
    Guess top[100];
    int got = guesses_top(z, w->trace->V, (int)k, top);
    if (got < k) return bt_fail(err, "the vocabulary has only %d tokens, not %ld", got, k);
    const char *s = tok_token(w->model->tok, top[k - 1].id);
    lv_str(o, s ? s : "?");
    return 0;
}

static int arg_vocab_id(const LessonWorld *w, const LessonValue *v, int *id, BtError *err) {
    if (arg_str(v, "the token", err)) return -1;
    *id = tok_id(w->model->tok, v->str);
    return *id < 0 ? bt_fail(err, "'%s' is not in the vocabulary", v->str) : 0;
}

static int p_prob(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int t = 0, id = 0;
    if (need_trace(w, err) || arg_pos(w, &a[0], &t, err) || arg_vocab_id(w, &a[1], &id, err)) return -1;
    const float *z = mlm_logits(w, t, err);
    if (!z) return -1;
    lv_num(o, guesses_prob(z, w->trace->V, id));
    return 0;
}

static int p_rank(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int t = 0, id = 0;
    if (need_trace(w, err) || arg_pos(w, &a[0], &t, err) || arg_vocab_id(w, &a[1], &id, err)) return -1;
    const float *z = mlm_logits(w, t, err);
    if (!z) return -1;
    lv_num(o, guesses_rank(z, w->trace->V, id));
    return 0;
}

static int p_masked(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    if (need_trace(w, err)) return -1;
    int m = tok_mask_id(w->model->tok), c = 0;
    for (int t = 0; t < w->trace->T; t++) c += w->trace->input_ids[t] == m;
    lv_num(o, c);
    return 0;
}

static int p_maskpos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    long k = 0;
    if (need_trace(w, err) || arg_int(a, "which [MASK]", &k, err)) return -1;
    int m = tok_mask_id(w->model->tok), c = 0;
    for (int t = 0; t < w->trace->T; t++)
        if (w->trace->input_ids[t] == m && ++c == k) { lv_num(o, t); return 0; }
    return bt_fail(err,
                   ngettext("there is %d [MASK] in the sentence, not %ld", "there are %d [MASK]s in the sentence, not %ld",
                            (unsigned long)c),
                   c, k);
}

/* P(IsNext) from the NSP head: Hugging Face's label 0 is IsNext. */
static int p_isnext(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    if (need_trace(w, err)) return -1;
    if (!w->model->has_nsp || !w->trace->nsp_logits) return bt_fail(err, "this model has no NSP head");
    const float *z = w->trace->nsp_logits;
    lv_num(o, 1.0 / (1.0 + exp((double)z[1] - z[0])));
    return 0;
}

/* ---- knock-outs (`ablate`, `scan`) ------------------------------------------------ */

static int p_ablated(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n; (void)err;
    lv_num(o, w->ablate.n);
    return 0;
}

/* Δ log p of a token at a position with one more knock-out k, against
 * the run as it stands (core/scan.c). */
static int ko_word(const LessonWorld *w, const LessonValue *pos, const LessonValue *tok, Knockout k, LessonValue *o,
                   BtError *err) {
    int t = 0, id = 0;
    if (arg_pos(w, pos, &t, err) || arg_vocab_id(w, tok, &id, err)) return -1;
    if (!w->model->has_mlm) return bt_fail(err, "this model has no MLM head");
    double d = NAN;
    if (scan_knockout(w->model, w->trace, t, id, k, &d, NULL, err) != 0) return -1;
    lv_num(o, d);
    return 0;
}

static int p_kodelta(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    Knockout k = {.kind = KO_HEAD_ZERO};
    if (need_trace(w, err) || arg_layer(w, &a[0], &k.layer, err) || arg_head(w, &a[1], &k.head, err)) return -1;
    return ko_word(w, &a[2], &a[3], k, o, err);
}

static int p_koffn(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    Knockout k = {.head = -1, .kind = KO_FFN};
    if (need_trace(w, err) || arg_layer(w, &a[0], &k.layer, err)) return -1;
    return ko_word(w, &a[1], &a[2], k, o, err);
}

static int p_konsp(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    Knockout k = {.kind = KO_HEAD_ZERO};
    if (need_trace(w, err) || arg_layer(w, &a[0], &k.layer, err) || arg_head(w, &a[1], &k.head, err)) return -1;
    if (!w->model->has_nsp) return bt_fail(err, "this model has no NSP head");
    double d = NAN;
    if (scan_knockout(w->model, w->trace, -1, -1, k, NULL, &d, err) != 0) return -1;
    lv_num(o, d);
    return 0;
}

/* The head whose knock-out cost the followed word most in the last
 * `scan`, which must be of the run now shown (a scan takes L·H re-runs:
 * the lesson's own `scan` line makes it once, and this reads it). which
 * 0 gives its layer, 1 its head. */
static int scan_best(const LessonWorld *w, int which, LessonValue *o, BtError *err) {
    if (need_trace(w, err)) return -1;
    if (!w->scan) return bt_fail(err, "no `scan` yet: a `run: scan` or `try: scan` line first");
    if (!scan_is_of(w->scan, w->trace))
        return bt_fail(err, "the last `scan` was of another sentence or other knock-outs: scan again first");
    int l, h;
    scan_worst(w->scan, !w->scan->d_word, &l, &h);
    if (l < 0) return bt_fail(err, "no head of the last `scan` gave a finite result");
    lv_num(o, which ? h : l);
    return 0;
}

static int p_scanword(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    if (need_trace(w, err)) return -1;
    if (!w->scan || !scan_is_of(w->scan, w->trace))
        return bt_fail(err, "no `scan` of this sentence yet: a `run: scan` or `try: scan` line first");
    const char *t = w->scan->word >= 0 ? tok_token(w->model->tok, w->scan->word) : NULL;
    lv_str(o, t ? t : "");
    return 0;
}

static int p_scanlayer(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    return scan_best(w, 0, o, err);
}

static int p_scanhead(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)a; (void)n;
    return scan_best(w, 1, o, err);
}

/* ---- two sentences -------------------------------------------------------------- */

/* Each sentence in its own Pass with the switches in force; a sentence
 * longer than the model reads is cut. */
static int run_pass(const LessonWorld *w, const char *text, Pass *p, BtError *err) {
    PassOptions o = {.causal = w->causal, .unscaled = w->unscaled, .truncate = 1, .ablate = w->ablate};
    return pass_run(p, w->model, text, &o, err);
}

/* cos2(vector, L, "sentence A", a, "sentence B", b): the cosine between
 * token a's vector in A and token b's in B, each sentence in its own
 * forward pass (with the switches in force): the polysemy demonstration. */
static int p_cos2(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err) {
    (void)n;
    int l = 0;
    if (need_tok(w, err) || arg_str(&a[0], "the vector's name", err) || arg_layer(w, &a[1], &l, err) ||
        arg_str(&a[2], "the first sentence", err) || arg_str(&a[4], "the second sentence", err))
        return -1;
    Pass pa, pb;
    if (run_pass(w, a[2].str, &pa, err) != 0) return -1;
    if (run_pass(w, a[4].str, &pb, err) != 0) { pass_free(&pa); return -1; }
    int ta = 0, tb = 0, da = 0, db = 0, rc = -1;
    const float *x, *y;
    if (pos_in(pa.tokens, pa.tr.T, &a[3], &ta, err) == 0 && pos_in(pb.tokens, pb.tr.T, &a[5], &tb, err) == 0 &&
        (x = vec_at(&pa.tr, a[0].str, l, ta, &da, err)) && (y = vec_at(&pb.tr, a[0].str, l, tb, &db, err))) {
        lv_num(o, vec_cosine(x, y, da));
        rc = 0;
    }
    pass_free(&pa);
    pass_free(&pb);
    return rc;
}

/* ---- the table ---------------------------------------------------------------------- */

static const LessonProbe PROBES[] = {
    {"layers", 0, 0, p_layers, "layers(): number of layers"},
    {"heads", 0, 0, p_heads, "heads(): attention heads per layer"},
    {"hidden", 0, 0, p_hidden, "hidden(): H, the width of every token vector"},
    {"headdim", 0, 0, p_headdim, "headdim(): d = H / heads, the width of one head's q, k, v"},
    {"vocab", 0, 0, p_vocab, "vocab(): V, the number of word pieces"},
    {"maxpos", 0, 0, p_maxpos, "maxpos(): the most tokens the model reads"},
    {"ffn", 0, 0, p_ffn, "ffn(): I, the width of the feed-forward block"},
    {"sinusoidal", 0, 0, p_sinusoidal, "sinusoidal(): 1 when positions are the fixed sinusoid, 0 when learned"},
    {"hasmlm", 0, 0, p_hasmlm, "hasmlm(): 1 when the model has its MLM head"},
    {"hasnsp", 0, 0, p_hasnsp, "hasnsp(): 1 when the model has its NSP head"},
    {"checkpoints", 0, 0, p_checkpoints, "checkpoints(): how many step-N snapshots ship beside the model (`checkpoint` lists them)"},
    {"causal", 0, 0, p_causal, "causal(): 1 while `set causal on` is in force"},
    {"scaled", 0, 0, p_scaled, "scaled(): 0 while `set scale off` is in force"},
    {"sqrt", 1, 1, p_sqrt, "sqrt(x): the square root"},
    {"exp", 1, 1, p_exp, "exp(x): e to the x"},
    {"log", 1, 1, p_log, "log(x): natural logarithm"},
    {"abs", 1, 1, p_abs, "abs(x): |x|"},
    {"min", 2, 2, p_min, "min(a, b): the smaller"},
    {"max", 2, 2, p_max, "max(a, b): the larger"},
    {"round", 1, 2, p_round, "round(x [, digits]): x rounded, to whole numbers by default"},
    {"fmt", 2, 2, p_fmt, "fmt(x, digits): x as a string with that many decimals"},
    {"pct", 1, 1, p_pct, "pct(x): x as a percentage string, \"12.5%\""},
    {"near", 3, 3, p_near, "near(a, b, tol): 1 when |a - b| <= tol"},
    {"ntokens", 0, 0, p_ntokens, "ntokens(): tokens in the current sentence, [CLS] and [SEP] included"},
    {"token", 1, 1, p_token, "token(i): the token at position i"},
    {"pos", 1, 2, p_pos, "pos(\"tok\" [, n]): position of the n-th (default first) occurrence of a token"},
    {"count", 1, 1, p_count, "count(\"tok\"): how often a token occurs in the sentence"},
    {"segment", 1, 1, p_segment, "segment(i): segment (0 for A, 1 for B) of position i"},
    {"tokid", 1, 1, p_tokid, "tokid(i): vocabulary id of the token at position i"},
    {"piece", 2, 2, p_piece, "piece(\"text\", i): the i-th (from 0) word piece of text"},
    {"lowercase", 0, 0, p_lowercase, "lowercase(): 1 when the tokenizer lower-cases text first"},
    {"id", 1, 1, p_id, "id(\"tok\"): vocabulary id of a token"},
    {"invocab", 1, 1, p_invocab, "invocab(\"tok\"): 1 when the token is in the vocabulary"},
    {"pieces", 1, 1, p_pieces, "pieces(\"text\"): the word pieces of text, joined by spaces"},
    {"npieces", 1, 1, p_npieces, "npieces(\"text\"): how many word pieces text becomes"},
    {"embdiff", 1, 1, p_embdiff, "embdiff(i): max |difference| between position i's embedding and its row of the table"},
    {"scos", 2, 2, p_scos, "scos(\"a\", \"b\"): cosine of two tokens' static vectors"},
    {"snorm", 1, 1, p_snorm, "snorm(\"tok\"): length of a token's static vector"},
    {"pe", 2, 2, p_pe, "pe(p, d): the positional encoding of position p, dimension d"},
    {"pedot", 2, 2, p_pedot, "pedot(p, q): dot product of the encodings of positions p and q"},
    {"wavelength", 1, 1, p_wavelength, "wavelength(d): the sinusoid's wavelength in dimension d"},
    {"attn", 4, 4, p_attn, "attn(L, H, q, k): attention weight query q gives key k"},
    {"qk", 4, 4, p_qk, "qk(L, H, q, k): the dot product of query q and key k, before dividing by √d"},
    {"score", 4, 4, p_score, "score(L, H, q, k): the score before softmax"},
    {"top", 3, 3, p_top, "top(L, H, q): position of the key query q attends to most"},
    {"rowsum", 3, 3, p_rowsum, "rowsum(L, H, q): sum of query q's attention weights"},
    {"rowmax", 3, 3, p_rowmax, "rowmax(L, H, q): query q's largest attention weight"},
    {"entropy", 3, 3, p_entropy, "entropy(L, H, q): entropy of query q's attention (nats)"},
    {"future", 2, 2, p_future, "future(L, H): the most attention any query pays to later tokens"},
    {"pattern", 3, 3, p_pattern, "pattern(L, H, \"prev|next|self|cls|sep|same\"): mean attention to that target"},
    {"bestlayer", 1, 1, p_bestlayer, "bestlayer(\"prev|...\"): layer of the head that follows the pattern most"},
    {"besthead", 1, 1, p_besthead, "besthead(\"prev|...\"): that head's number"},
    {"share", 3, 3, p_share, "share(L, H, \"cls|sep|self|prev|next|punct\"): the head's share of attention on that target, as `census` counts it"},
    {"headbits", 2, 2, p_headbits, "headbits(L, H): the head's attention entropy in bits, mean over the query rows (`census`)"},
    {"role", 2, 2, p_role, "role(L, H): the head's role in `census`: \"prev\", … or \"mixed\""},
    {"roles", 1, 1, p_roles, "roles(\"prev|...|mixed\"): how many heads have that role"},
    {"lastattn", 2, 2, p_lastattn, "lastattn(q, k): the last layer's attention of query q on k, mean over heads (`rollout`)"},
    {"rollout", 2, 2, p_rollout, "rollout(q, k): attention rollout: how much of query q comes from input token k"},
    {"flow", 2, 2, p_flow, "flow(q, k): attention flow from input token k to query q, scaled to sum 1 over k"},
    {"vval", 4, 4, p_vval, "vval(\"vec\", L, i, d): value d of token i's vector"},
    {"meancos", 2, 2, p_meancos, "meancos(\"vec\", L): mean cosine over all pairs of the sentence's tokens"},
    {"vmean", 3, 3, p_vmean, "vmean(\"vec\", L, i): mean of token i's vector"},
    {"vstd", 3, 3, p_vstd, "vstd(\"vec\", L, i): standard deviation of token i's vector"},
    {"vnorm", 3, 3, p_vnorm, "vnorm(\"vec\", L, i): length of token i's vector"},
    {"vcos", 4, 4, p_vcos, "vcos(\"vec\", L, i, j): cosine between tokens i and j"},
    {"xcos", 5, 5, p_xcos, "xcos(\"vecA\", LA, \"vecB\", LB, i): cosine of token i's vector at two points"},
    {"resdiff", 3, 3, p_resdiff, "resdiff(L, i, \"attn|ffn\"): |residual sum − (input + sublayer output)|"},
    {"predtop", 1, 2, p_predtop, "predtop(i [, k]): the MLM head's k-th likeliest token at position i"},
    {"prob", 2, 2, p_prob, "prob(i, \"tok\"): MLM probability of a token at position i"},
    {"rank", 2, 2, p_rank, "rank(i, \"tok\"): rank (1 = top) of a token among the MLM's guesses at i"},
    {"masked", 0, 0, p_masked, "masked(): how many [MASK] tokens the sentence holds"},
    {"maskpos", 1, 1, p_maskpos, "maskpos(n): position of the n-th [MASK]"},
    {"isnext", 0, 0, p_isnext, "isnext(): the NSP head's probability that segment B follows A"},
    {"ablated", 0, 0, p_ablated, "ablated(): how many heads and FFNs `ablate` has knocked out"},
    {"kodelta", 4, 4, p_kodelta, "kodelta(L, H, i, \"tok\"): change in the log-probability of a token at position i when head H of layer L is knocked out as well"},
    {"koffn", 3, 3, p_koffn, "koffn(L, i, \"tok\"): the same when layer L's FFN is knocked out"},
    {"konsp", 2, 2, p_konsp, "konsp(L, H): change in the log-probability of IsNext when head H of layer L is knocked out"},
    {"scanlayer", 0, 0, p_scanlayer, "scanlayer(): layer of the head whose knock-out cost the followed word most in the last `scan` (of this sentence)"},
    {"scanhead", 0, 0, p_scanhead, "scanhead(): that head's number"},
    {"scanword", 0, 0, p_scanword, "scanword(): the token the last `scan` followed (\"\" for NSP only)"},
    {"lenstop", 2, 3, p_lenstop, "lenstop(d, i [, k]): the logit lens's k-th likeliest token at position i after depth d (0: the embeddings, d: layer d-1, layers(): the prediction)"},
    {"lensrank", 3, 3, p_lensrank, "lensrank(d, i, \"tok\"): rank (1 = top) of a token in the logit lens at depth d of position i"},
    {"lensprob", 3, 3, p_lensprob, "lensprob(d, i, \"tok\"): its probability there"},
    {"lenssettle", 2, 2, p_lenssettle, "lenssettle(i, \"tok\"): the first depth from which the token is the lens's top guess at every depth to the last; -1 when it is not the prediction"},
    {"wifcos", 2, 2, p_wifcos, "wifcos(i, d): in the last `whatif` (of this sentence), the cosine of token i's hidden vector and its partner's in run B after depth d (0: the embeddings, d: layer d-1)"},
    {"wiftv", 2, 2, p_wiftv, "wiftv(L, H): in the last `whatif`, how far head H of layer L's attention moved: the total-variation distance between the two runs' rows, mean over the paired tokens"},
    {"wiflayer", 0, 0, p_wiflayer, "wiflayer(): in the last `whatif`, the layer of the head whose attention moved most"},
    {"wifhead", 0, 0, p_wifhead, "wifhead(): that head's number"},
    {"wiftop", 1, 2, p_wiftop, "wiftop(i [, k]): in the last `whatif`, run B's k-th likeliest token (k ≤ 5) at the partner of token i (a [MASK] or a changed token)"},
    {"wifprob", 2, 2, p_wifprob, "wifprob(i, \"tok\"): run B's probability of a token there"},
    {"wifpartner", 1, 1, p_wifpartner, "wifpartner(i): the position in run B of token i's partner, -1 when it has none"},
    {"wifntokens", 0, 0, p_wifntokens, "wifntokens(): tokens in run B of the last `whatif`"},
    {"salword", 0, 0, p_salword, "salword(): the word the last `saliency` (of this sentence) followed"},
    {"salpos", 0, 0, p_salpos, "salpos(): its position"},
    {"sal", 2, 2, p_sal, "sal(i, \"gx|grad|ig\"): token i's gradient × input, gradient norm or integrated gradients in the last `saliency`"},
    {"saltop", 1, 2, p_saltop, "saltop(\"gx|grad|ig\" [, k]): the position with the k-th largest value of that column (k = ntokens(): the most negative)"},
    {"salsum", 1, 1, p_salsum, "salsum(\"gx|grad|ig\"): the column's sum over the tokens"},
    {"sallogp", 0, 0, p_sallogp, "sallogp(): log p of the followed word, as the last `saliency` ran"},
    {"salbase", 0, 0, p_salbase, "salbase(): log p of the word at the baseline of integrated gradients (every word vector 0)"},
    {"cos2", 6, 6, p_cos2, "cos2(\"vec\", L, \"sentence A\", a, \"sentence B\", b): cosine across two sentences"},
};

const LessonProbe *lprobe_table(int *n) {
    *n = (int)(sizeof PROBES / sizeof PROBES[0]);
    return PROBES;
}

const LessonProbe *lprobe_find(const char *name) {
    int n;
    const LessonProbe *t = lprobe_table(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) return &t[i];
    return NULL;
}
