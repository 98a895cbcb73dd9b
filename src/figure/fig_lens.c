/* The lens view's numbers (the REPL's last `lens`): the MLM head's top K
 * read after the embeddings and after each layer, each cell coloured by
 * its probability on one scale from 0 to the table's largest; and the
 * followed word's rank at each depth on a log scale (1 = the top guess).
 * Rows: depths. */
#include <math.h>
#include "bertology/lens.h"
#include "fig_internal.h"

static const char *token_of(Figure *f, const VizState *st, int id) {
    const char *s = st->model && st->model->tok ? tok_token(st->model->tok, id) : NULL;
    return s ? fig_strdup(f, s) : fig_strf(f, "#%d", id);
}

FIG_FN(lens) {
    (void)p;
    (void)cache;
    (void)err;
    const LensResult *r = st->lens;
    if (!r || r->depths < 1 || r->k < 1 || !r->top)
        return fig_empty(f, _("No lens yet"),
                         _("In the REPL: the cat sat on the [MASK] .  then  lens  (the MLM head read at every depth)"));
    int D = r->depths, k = r->k, follow = r->word >= 0 && r->rank;
    const char *at = token_of(f, st, r->pos_id), *word = r->word >= 0 ? token_of(f, st, r->word) : "";
    f->title = fig_strf(f, _("Position %d (%s): the MLM head read after the embeddings and after each layer"), r->pos, at);
    /* the colour scale's top: the table's largest probability (a small model
     * is seldom sure: on 0–100% every cell would be dark) */
    double pmax = 0;
    for (int i = 0; i < D * k; i++)
        if (isfinite(r->top[i].p) && r->top[i].p > pmax) pmax = r->top[i].p;
    if (!(pmax > 0)) pmax = 1;
    const char *legend = fig_strf(f, _("colour: probability, from 0 to %s (the largest here)"), fig_pct(f, pmax));
    const char *line = !follow ? legend
                       : r->answer ? fig_strf(f, _("%s · framed and the line: the model's answer '%s', its rank at each "
                                                   "depth (log scale, 1 = top guess)"), legend, word)
                                   : fig_strf(f, _("%s · framed and the line: '%s', its rank at each depth (log scale, 1 = "
                                                   "top guess)"), legend, word);
    f->caption = fig_strf(f, "“%s”\n%s", r->text ? r->text : "", line);
    /* depth: the table's column, English whatever the language (as lens --json); names: the window's rows */
    const char **depth = fig_alloc(f, sizeof *depth * (size_t)D), **names = fig_alloc(f, sizeof *names * (size_t)D);
    const char **tok = fig_alloc(f, sizeof *tok * (size_t)D * k);
    const char **cols = fig_alloc(f, sizeof *cols * (size_t)k);
    int32_t *mark = fig_alloc(f, sizeof *mark * (size_t)D * k);
    if (!depth || !names || !tok || !cols || !mark) return 0;
    for (int d = 0; d < D; d++) {
        char name[32];
        lens_depth_key(d, name, sizeof name);
        depth[d] = fig_strdup(f, name);
        lens_depth_name(d, name, sizeof name);
        names[d] = fig_strdup(f, name);
        for (int j = 0; j < k; j++) {
            tok[d * k + j] = token_of(f, st, r->top[d * k + j].id);
            mark[d * k + j] = r->top[d * k + j].id == r->word;
        }
    }
    for (int j = 0; j < k; j++) cols[j] = fig_strf(f, "%d", j + 1);
    fig_column(f, "depth");
    fig_columns(f, k, "token_%d", 1);
    fig_columns(f, k, "p_%d", 1);
    fig_block(f, 0, 0, D, 1, FIG_STR, depth, sizeof *depth, 0);
    int tb = fig_block(f, 0, 1, D, k, FIG_STR, tok, sizeof *tok * k, sizeof *tok);
    int pb = fig_block(f, 0, 1 + k, D, k, FIG_F64, &r->top[0].p, sizeof(Guess) * k, sizeof(Guess));
    int rank_col = 1 + 2 * k;
    if (follow) {
        fig_column(f, "word_rank");
        fig_column(f, "word_p");
        fig_block(f, 0, rank_col, D, 1, FIG_I32, r->rank, sizeof(int), 0);
        fig_block(f, 0, rank_col + 1, D, 1, FIG_F64, r->prob, sizeof(double), 0);
    }
    FigPlot *pl = fig_plot(f, FIG_HEATMAP);
    if (!pl) return 0;
    pl->block = pb;
    pl->text_block = tb;
    pl->mark_block = fig_aux_block(f, D, k, FIG_I32, mark, sizeof *mark * k, sizeof *mark);
    pl->row_labels = names;
    pl->col_labels = cols;
    pl->row_axis = _("depth");
    pl->col_axis = _("guess");
    pl->unit = _("probability");
    pl->cmap = CMAP_VIRIDIS;
    pl->lo = 0;
    pl->hi = (float)pmax;
    pl->values = 1;
    pl->fmt = FIG_FMT_PERCENT;
    if (!follow) return 0;
    f->layout_cols = 2;
    /* the word's rank at each depth: the axis runs to the next power of ten above the worst rank */
    double top = 1;
    for (int d = 0; d < D; d++)
        if (r->rank[d] > top) top = r->rank[d];
    if (!(pl = fig_plot(f, FIG_LINES))) return 0;
    pl->title = fig_strf(f, _("rank of '%s'"), word);
    pl->x_axis = _("depth");
    pl->y_axis = _("rank (1 = top guess)");
    pl->x_text_col = 0;
    pl->x0 = -0.5;
    pl->x1 = D - 0.5;
    pl->ylog = 1;
    pl->y0 = ceil(log10(top < 10 ? 10 : top));   /* log10: the worst rank's decade at the bottom, */
    pl->y1 = 0;                                  /* rank 1 at the top */
    pl->series0 = f->nseries;
    FigSeries *s = fig_series(f, FIG_LINE, word, -1, rank_col, 0, D);
    if (!s) return 0;
    s->rgba = FIG_ACCENT;
    s->width = 2.5f;
    s->dot = 3.5f;
    f->plots[f->nplots - 1].nseries = 1;
    return 0;
}
