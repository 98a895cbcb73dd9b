/* The scan view's numbers (the REPL's last `scan`): each head knocked out
 * in turn, the change in log p of the followed word at the [MASK] and of
 * IsNext, as layers × heads grids on a blue–red scale symmetric about 0
 * (blue: the model needed the head). Rows: layers; a NaN (empty) cell is
 * a head already knocked out. */
#include <math.h>
#include <stdio.h>
#include "bertology/scan.h"
#include "fig_internal.h"

static float absmax(const double *d, int n) {
    double m = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(d[i]) && fabs(d[i]) > m) m = fabs(d[i]);
    return m > 0 ? (float)m : 1e-6f;
}

/* One grid: its columns, its plot, the most needed head framed. */
static void grid(Figure *f, const ScanResult *r, const double *d, const char *name, const char *title,
                 const char *unit, const char *const *rows, const char *const *heads) {
    int L = r->L, nh = r->nh;
    int c0 = fig_columns(f, nh, fig_strf(f, "%s_h%%d", name), 0);
    int b = fig_block(f, 0, c0, L, nh, FIG_F64, d, sizeof(double) * nh, sizeof(double));
    /* the most needed head: the lowest cell, when it is below 0 */
    int32_t *mark = fig_alloc(f, sizeof *mark * (size_t)L * nh);
    if (c0 < 0 || !mark) return;
    int worst = -1;
    for (int i = 0; i < L * nh; i++)
        if (isfinite(d[i]) && (worst < 0 || d[i] < d[worst])) worst = i;
    if (worst >= 0 && d[worst] < 0) mark[worst] = 1;
    int mb = fig_aux_block(f, L, nh, FIG_I32, mark, sizeof *mark * nh, sizeof *mark);
    FigPlot *pl = fig_plot(f, FIG_HEATMAP);
    if (!pl) return;
    pl->title = title;
    pl->block = b;
    pl->mark_block = mb;
    pl->row_labels = rows;
    pl->col_labels = heads;
    pl->row_axis = _("layer");
    pl->col_axis = _("head");
    pl->unit = unit;
    pl->cmap = CMAP_RDBU;
    float s = absmax(d, L * nh);
    pl->lo = -s;
    pl->hi = s;
    pl->values = 1;
    pl->fmt = FIG_FMT_SIGNED2;
}

FIG_FN(scan) {
    (void)p;
    (void)cache;
    (void)err;
    const ScanResult *r = st->scan;
    if (!r || r->L < 1 || r->nh < 1 || (!r->d_word && !r->d_nsp))
        return fig_empty(f, _("No scan yet"),
                         _("In the REPL: the cat sat on the [MASK] .  then  scan  (each head knocked out in turn)"));
    const Tokenizer *tok = st->model ? st->model->tok : NULL;
    char base[512];
    ablation_describe(&r->base, base, sizeof base);
    int n = r->L * r->nh;
    const char *title = fig_strf(f,
        ngettext("Which heads matter: each of the %d head knocked out in turn (context vector → %s)",
                 "Which heads matter: each of the %d heads knocked out in turn (context vector → %s)", n),
        n, r->kind == KO_HEAD_MEAN ? _("its mean") : "0");
    /* TRANSLATORS: after the scan view's title: the knock-outs (`ablate`) the scan was run with */
    f->title = base[0] ? fig_strf(f, "%s%s", title, fig_strf(f, _(", besides %s"), base)) : title;
    f->caption = fig_strf(f, "“%s”\n%s", r->text ? r->text : "",
                          _("Δ log p = log p with the head out − log p as run · blue: the model needed the head · red: "
                            "better without it · framed: the most needed"));
    const char **rows = fig_alloc(f, sizeof *rows * (size_t)r->L), **heads = fig_alloc(f, sizeof *heads * (size_t)r->nh);
    if (!rows || !heads) return 0;
    for (int l = 0; l < r->L; l++) rows[l] = fig_strf(f, _("layer %d"), l);
    for (int h = 0; h < r->nh; h++) heads[h] = fig_strf(f, _("head %d"), h);
    fig_column(f, "layer");
    fig_block(f, 0, 0, r->L, 1, FIG_I32, fig_iota(f, r->L, 0), sizeof(int32_t), 0);
    if (r->d_word) {
        const char *wd = tok ? tok_token(tok, r->word) : NULL, *at = tok ? tok_token(tok, r->pos_id) : NULL;
        grid(f, r, r->d_word, "dlogp_word",
             fig_strf(f, _("'%s' at position %d (%s): p = %s as run"), wd ? wd : "?", r->pos, at ? at : "?",
                      fig_pct(f, exp(r->base_word))),
             fig_strf(f, "Δ log p('%s')", wd ? wd : "?"), rows, heads);
    }
    if (r->d_nsp)
        grid(f, r, r->d_nsp, "dlogp_isnext", fig_strf(f, _("NSP: P(IsNext) = %s as run"), fig_pct(f, exp(r->base_nsp))),
             "Δ log P(IsNext)", rows, heads);
    f->layout_cols = 2;
    f->source = r;
    return 0;
}
