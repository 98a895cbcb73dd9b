/* The what-if view's numbers (the REPL's last `whatif`): per layer and
 * head, how far the attention moved between run A and run B (mean
 * total-variation distance over the paired queries), and per paired token
 * and depth 1 − the cosine of their hidden vectors (0: unchanged). Rows:
 * depths (emb, then each layer: its heads' TV and its output's 1 − cos);
 * the window draws the second grid with the pairs down. */
#include <math.h>
#include <stdio.h>
#include "bertology/lens.h"
#include "bertology/whatif.h"
#include "fig_internal.h"

static const char *tok(const VizState *st, int id) {
    const char *t = st->model && st->model->tok ? tok_token(st->model->tok, id) : NULL;
    return t ? t : "?";
}

/* One line: the tokens without a partner, then the first guesses, then NSP. */
static const char *footer(Figure *f, const VizState *st, const WhatIf *w) {
    char line[1024];
    int n = 0;
    for (int r = 0; r < 2; r++) {
        const int *partner = r ? w->partner_b : w->partner_a, *ids = r ? w->ids_b : w->ids_a;
        for (int i = 0; i < (r ? w->Tb : w->Ta) && n < (int)sizeof line - 64; i++)
            if (partner[i] < 0)
                n += snprintf(line + n, sizeof line - n, "%s%c%d %s", n ? ", " : _("no partner: "), r ? 'B' : 'A', i,
                              tok(st, ids[i]));
    }
    if (!n) n = snprintf(line, sizeof line, "%s", _("every token has a partner"));
    if (w->nguess > 0 && n < (int)sizeof line - 200) {
        /* the first [MASK] if there is one: the question the sentence asks */
        const WhatIfGuesses *G = &w->guess[0];
        int mask = st->model && st->model->tok ? tok_mask_id(st->model->tok) : -1;
        for (int g = w->nguess - 1; g >= 0; g--) {
            const WhatIfPair *q = &w->pairs[w->guess[g].pair];
            if (w->ids_a[q->a] == mask || w->ids_b[q->b] == mask) G = &w->guess[g];
        }
        const WhatIfPair *q = &w->pairs[G->pair];
        char pa[24], pb[24], pab[24];
        n += snprintf(line + n, sizeof line - n, _(" · at %d: A '%s' %s, B '%s' %s ('%s' %s in B)"), q->a,
                      tok(st, G->top_a[0].id), bt_pct(pa, sizeof pa, G->top_a[0].p), tok(st, G->top_b[0].id),
                      bt_pct(pb, sizeof pb, G->top_b[0].p), tok(st, G->top_a[0].id), bt_pct(pab, sizeof pab, G->p_b[0]));
    }
    if (w->has_nsp && n < (int)sizeof line - 80) {
        char na[24], nb[24];
        snprintf(line + n, sizeof line - n, _(" · P(IsNext) %s → %s"), bt_pct(na, sizeof na, w->nsp_a),
                 bt_pct(nb, sizeof nb, w->nsp_b));
    }
    return fig_strdup(f, line);
}

FIG_FN(whatif) {
    (void)p;
    (void)cache;
    (void)err;
    const WhatIf *w = st->whatif;
    if (!w || w->L < 1 || w->nh < 1)
        return fig_empty(f, _("No what-if yet"),
                         _("In the REPL: the cat sat on the [MASK] .  then  whatif 2 dog  (or whatif corrupt)"));
    if (w->npairs == 0) return fig_empty(f, _("Nothing to compare"), _("No token of run A has a partner in run B."));
    int L = w->L, nh = w->nh, D = L + 1, n = w->npairs;
    f->title = fig_strf(f, _("What if — run B: %s"), w->how ? w->how : "");
    f->caption = fig_strf(f, "A “%s”   B “%s”\n%s", w->text_a ? w->text_a : "", w->text_b ? w->text_b : "", footer(f, st, w));
    const char **depth = fig_alloc(f, sizeof *depth * (size_t)D), **layers = fig_alloc(f, sizeof *layers * (size_t)L);
    const char **heads = fig_alloc(f, sizeof *heads * (size_t)nh), **pairs = fig_alloc(f, sizeof *pairs * (size_t)n);
    const char **depth_short = fig_alloc(f, sizeof *depth_short * (size_t)D);
    float *m = fig_alloc(f, sizeof *m * (size_t)n * D);
    if (!depth || !layers || !heads || !pairs || !depth_short || !m) return 0;
    for (int d = 0; d < D; d++) {
        depth[d] = d ? fig_strf(f, "layer %d", d - 1) : "emb";   /* the table's column: English, as lens_depth_key */
        char emb[32];
        lens_depth_name(0, emb, sizeof emb);                     /* the window's and the SVG's: translated */
        depth_short[d] = d ? fig_strf(f, "L%d", d - 1) : fig_strdup(f, emb);
    }
    for (int l = 0; l < L; l++) layers[l] = fig_strf(f, _("layer %d"), l);
    for (int h = 0; h < nh; h++) heads[h] = fig_strf(f, "h%d", h);
    /* 1 − cosine, so that what moved is bright (a cosine that is not a number: 0) */
    for (int q = 0; q < n; q++) {
        const WhatIfPair *pr = &w->pairs[q];
        if (pr->same) pairs[q] = fig_strf(f, "%d %s", pr->a, tok(st, w->ids_a[pr->a]));
        else pairs[q] = fig_strf(f, "%d %s ≠ %s", pr->a, tok(st, w->ids_a[pr->a]), tok(st, w->ids_b[pr->b]));
        for (int d = 0; d < D; d++) {
            double c = w->cos[(size_t)q * D + d];
            m[(size_t)q * D + d] = isfinite(c) ? (float)(1 - c) : 0;
        }
    }
    fig_column(f, "depth");
    int tv0 = fig_columns(f, nh, "tv_h%d", 0);
    int c0 = f->ncols;
    for (int q = 0; q < n; q++) fig_column(f, fig_strf(f, "1-cos %s", pairs[q]));
    fig_block(f, 0, 0, D, 1, FIG_STR, depth, sizeof *depth, 0);
    int tb = fig_block(f, 1, tv0, L, nh, FIG_F64, w->tv_mean, sizeof(double) * nh, sizeof(double));
    int cb = fig_block(f, 0, c0, D, n, FIG_F32, m, sizeof(float), sizeof(float) * D);
    /* Each grid's scale: from 0 to its largest value, so that a small change still shows. */
    double hi_tv = 1e-6, hi_cos = 1e-6;
    for (int i = 0; i < L * nh; i++)
        if (isfinite(w->tv_mean[i]) && w->tv_mean[i] > hi_tv) hi_tv = w->tv_mean[i];
    for (int i = 0; i < n * D; i++)
        if (m[i] > hi_cos) hi_cos = m[i];
    FigPlot *pl = fig_plot(f, FIG_HEATMAP);
    if (!pl) return 0;
    pl->title = _("attention moved: mean total-variation distance per head");
    pl->block = tb;
    pl->row_labels = layers;
    pl->col_labels = heads;
    pl->row_axis = _("layer");
    pl->col_axis = _("head");
    pl->unit = "TV";
    pl->cmap = CMAP_MAGMA;
    pl->lo = 0;
    pl->hi = (float)hi_tv;
    pl->values = 1;
    pl->fmt = FIG_FMT_FIXED2;
    if (!(pl = fig_plot(f, FIG_HEATMAP))) return 0;
    pl->title = _("hidden vectors: 1 − cosine per paired token and depth");
    pl->block = cb;
    pl->transpose = 1;   /* pairs down, depths across */
    pl->row_labels = pairs;
    pl->col_labels = depth_short;
    pl->row_axis = _("token");
    pl->col_axis = _("depth");
    pl->unit = "1 − cos";
    pl->cmap = CMAP_MAGMA;
    pl->lo = 0;
    pl->hi = (float)hi_cos;
    f->layout_cols = 2;
    f->source = w;
    return 0;
}
