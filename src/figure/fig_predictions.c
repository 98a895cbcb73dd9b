/* The predictions view's numbers: the MLM head's top K at each [MASK],
 * best first, as bars on a 0–100% scale. Rows: each [MASK]'s K guesses. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "bertology/guesses.h"
#include "fig_internal.h"
#include "trace_pick.h"

enum { MAX_K = 32, MAX_MASKS = 64 };

static int find_masks(const VizState *st, int *pos) {
    const Trace *t = st->trace;
    int mask = st->model && st->model->tok ? tok_mask_id(st->model->tok) : -1, n = 0;
    for (int i = 0; i < t->T && n < MAX_MASKS; i++) {
        int hit = mask >= 0 ? t->input_ids[i] == mask : st->tokens && strcmp(st->tokens[i], "[MASK]") == 0;
        if (hit) pos[n++] = i;
    }
    return n;
}

static const char *token_text(Figure *f, const VizState *st, int id) {
    const char *s = st->model && st->model->tok ? tok_token(st->model->tok, id) : NULL;
    return s ? fig_strdup(f, s) : fig_strf(f, "#%d", id);
}

/* The words around the mask, to say which one this is. */
static const char *context_line(Figure *f, const char *const *lab, int T, int at) {
    char buf[400];
    size_t len = 0, n = sizeof buf;
    int from = at - 4 < 0 ? 0 : at - 4, to = at + 4 >= T ? T - 1 : at + 4;
    len += (size_t)snprintf(buf, n, "%s", from > 0 ? "… " : "");
    for (int i = from; i <= to && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", lab[i], i < to ? " " : "");
    if (len < n && to < T - 1) snprintf(buf + len, n - len, " …");
    return fig_strdup(f, buf);
}

FIG_FN(predictions) {
    (void)p;
    (void)cache;
    (void)err;
    const Trace *t = st->trace;
    if (!t) return fig_empty(f, _("No sentence yet"), _("Type one with [MASK] in it, e.g.: the cat sat on the [MASK] ."));
    if (!t->mlm_logits)
        return fig_empty(f, _("This model has no MLM head"), _("Its checkpoint holds the encoder only (no cls.predictions)."));
    int pos[MAX_MASKS];
    int nm = find_masks(st, pos);
    if (nm == 0)
        return fig_empty(f, _("No [MASK] in this sentence"),
                         _("Put [MASK] where a word should be, e.g.: the capital of france is [MASK] ."));
    const char *const *lab = fig_labels(f, st->tokens, t->T);
    int k = st->top_k > 0 ? st->top_k : 5;
    if (k > MAX_K) k = MAX_K;
    if (k > t->V) k = t->V;
    Guess *g = fig_alloc(f, sizeof *g * (size_t)nm * k);
    int32_t *at = fig_alloc(f, sizeof *at * (size_t)nm * k);
    const char **name = fig_alloc(f, sizeof *name * (size_t)nm * k);
    if (!lab || !g || !at || !name) return 0;
    f->title = _("Predictions");
    f->caption = fig_strf(f, _("the MLM head's top %d at each [MASK]"), k);
    fig_column(f, "mask_position");
    fig_column(f, "rank");
    fig_column(f, "token");
    fig_column(f, "id");
    fig_column(f, "probability");
    fig_column(f, "logit");
    int rows = 0;
    for (int m = 0; m < nm; m++) {
        FigPlot *pl = fig_plot(f, FIG_BARS);
        if (!pl) return 0;
        pl->title = fig_strf(f, _("[MASK] at position %d"), pos[m]);
        pl->subtitle = context_line(f, lab, t->T, pos[m]);
        pl->at = pos[m];
        pl->lo = 0;
        pl->hi = 1;   /* 0–100%: a confident guess looks it */
        pl->values = 1;
        pl->fmt = FIG_FMT_PERCENT;
        pl->unit = _("probability");
        pl->bar_rgba = fig_palette(0);
        pl->accent_row = 0;   /* the top guess */
        const float *row = pick_mlm_row(t, pos[m]);
        if (!row) {
            pl->note = _("the MLM head did not run at this position");
            continue;
        }
        Guess *gm = g + rows;
        int n = guesses_top(row, t->V, k, gm);
        int finite = 1;
        for (int i = 0; i < n; i++) finite &= isfinite(gm[i].p) != 0;
        if (!finite) {   /* huge weights overflow float: no bar has a length */
            pl->note = _("the MLM head's scores are not finite numbers here (the weights overflow float)");
            continue;
        }
        const char **names = name + rows;
        for (int i = 0; i < n; i++) {
            at[rows + i] = pos[m];
            names[i] = token_text(f, st, gm[i].id);
        }
        fig_block(f, rows, 0, n, 1, FIG_I32, at + rows, sizeof *at, 0);
        fig_block(f, rows, 1, n, 1, FIG_I32, fig_iota(f, n, 1), sizeof(int32_t), 0);
        fig_block(f, rows, 2, n, 1, FIG_STR, names, sizeof *names, 0);
        fig_block(f, rows, 3, n, 1, FIG_I32, &gm->id, sizeof *gm, 0);
        int b = fig_block(f, rows, 4, n, 1, FIG_F64, &gm->p, sizeof *gm, 0);
        fig_block(f, rows, 5, n, 1, FIG_F32, &gm->logit, sizeof *gm, 0);
        pl = &f->plots[f->nplots - 1];
        pl->block = b;
        pl->row_labels = names;
        rows += n;
    }
    f->layout_cols = nm < 3 ? nm : 3;
    return 0;
}
