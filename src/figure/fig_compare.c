/* The comparison view's numbers (the REPL's last `compare`): one word in
 * two sentences, the cosine of its vectors in A and in B at each depth of
 * the model, beside the sentences' mean vectors and their [CLS]; the
 * static vectors' cosines are constants (dashed lines). Rows: depths. */
#include <math.h>
#include "bertology/vec_compare.h"
#include "fig_internal.h"

enum { C_WORD = FIG_ACCENT, C_MEAN = 0x17becfffu, C_CLS = 0x6abe5affu, C_STATIC = 0xc8cdd7c8u };

static const double *repeat(Figure *f, double v, int n) {
    double *a = fig_alloc(f, sizeof *a * (size_t)n);
    for (int i = 0; a && i < n; i++) a[i] = v;
    return a;
}

FIG_FN(compare) {
    (void)p;
    (void)cache;
    (void)err;
    const VecCompare *k = st->compare;
    if (!k || k->n_points < 1 || !k->word_cos || !k->mean_cos || !k->cls_cos)
        return fig_empty(f, _("No comparison yet"),
                         _("In the REPL: compare bank \"the bank of the river\" \"the bank raised its rates\""));
    int n = k->n_points;
    f->title = fig_strf(f, _("'%s' in two sentences: the cosine of A against B at each depth of the model"), k->word);
    f->caption = fig_strf(f, "A: %s\nB: %s", k->s[0].pass.text ? k->s[0].pass.text : "",
                          k->s[1].pass.text ? k->s[1].pass.text : "");
    const char **depth = fig_alloc(f, sizeof *depth * (size_t)n);
    for (int i = 0; depth && i < n; i++) depth[i] = i == 0 ? "emb" : fig_strf(f, "L%d", i - 1);
    const char *names[] = {"point", "depth", "word_cos", "mean_cos", "cls_cos", "static_word_cos", "static_mean_cos"};
    for (int c = 0; c < 7; c++) fig_column(f, names[c]);
    fig_block(f, 0, 0, n, 1, FIG_I32, fig_iota(f, n, 0), sizeof(int32_t), 0);
    fig_block(f, 0, 1, n, 1, FIG_STR, depth, sizeof *depth, 0);
    fig_block(f, 0, 2, n, 1, FIG_F64, k->word_cos, sizeof(double), 0);
    fig_block(f, 0, 3, n, 1, FIG_F64, k->mean_cos, sizeof(double), 0);
    fig_block(f, 0, 4, n, 1, FIG_F64, k->cls_cos, sizeof(double), 0);
    fig_block(f, 0, 5, n, 1, FIG_F64, repeat(f, k->static_word_cos, n), sizeof(double), 0);
    fig_block(f, 0, 6, n, 1, FIG_F64, repeat(f, k->static_mean_cos, n), sizeof(double), 0);

    /* Cosines can go below 0 (vectors pointing apart): then so does the axis. */
    double lo = 0;
    for (int i = 0; i < n; i++) {
        if (k->word_cos[i] < lo) lo = k->word_cos[i];
        if (k->mean_cos[i] < lo) lo = k->mean_cos[i];
        if (k->cls_cos[i] < lo) lo = k->cls_cos[i];
    }
    if (lo < 0) lo = floor(lo * 5) / 5;
    FigPlot *pl = fig_plot(f, FIG_LINES);
    if (!pl) return 0;
    pl->x_axis = _("depth: emb = embedding output (no context yet), Lk = output of layer k");
    pl->y_axis = _("cosine, A vs B");
    pl->x0 = -0.5;
    pl->x1 = n - 0.5;
    pl->y0 = lo;
    pl->y1 = 1;
    pl->x_text_col = 1;
    pl->series0 = f->nseries;
    struct {
        FigSeriesKind kind;
        const char *name;
        int col;
        uint32_t rgba;
        float width, dash, dot;
        int legend;
    } S[] = {
        /* the static cosine: a dashed line across, named above its right end */
        {FIG_HLINE, fig_strf(f, _("static vectors (%s): %.2f, the same vector in both"), k->set_name, k->static_word_cos),
         5, C_STATIC, 1.5f, 6, 0, 0},
        {FIG_HLINE, _("sentence, static (mean of its words)"), 6, (C_MEAN & ~0xffu) | 150, 1, 6, 0,
         isfinite(k->static_mean_cos) ? 4 : 0},
        {FIG_LINE, "[CLS]", 4, C_CLS, 2, 0, 3, 3},
        {FIG_LINE, _("sentence (mean of the tokens)"), 3, C_MEAN, 2, 0, 3, 2},
        /* the word last, on top: it is what the comparison is about */
        {FIG_LINE, fig_strf(f, _("'%s' (its vector in A vs in B)"), k->word), 2, C_WORD, 3, 0, 4, 1},
    };
    for (int i = 0; i < 5; i++) {
        FigSeries *s = fig_series(f, S[i].kind, S[i].name, 0, S[i].col, 0, n);
        if (!s) return 0;
        s->rgba = S[i].rgba;
        s->width = S[i].width;
        s->dash = S[i].dash;
        s->dot = S[i].dot;
        s->legend = S[i].legend;
        f->plots[0].nseries++;
    }
    return 0;
}
