/* The head view's numbers: the attention of the heads shown in one layer
 * (the current one, those picked, or all), each drawn as lines from the
 * queries on the left to the keys on the right in the head's colour. */
#include "fig_internal.h"

int fig_heads_table(Figure *f, const Trace *t, const char *const *lab, const int *layers, const int *heads,
                    int count);

static int shown(const FigParams *p, int h) {
    return p->all_heads || h == p->head || (h < FIG_MAX_HEADS && p->head_on[h]);
}

FIG_FN(headview) {
    (void)cache;
    (void)err;
    const Trace *t = st->trace;
    if (!t || t->L == 0) return fig_empty(f, _("No attention to show yet"), _("Type a sentence in the REPL."));
    int nh = t->nh, l = p->layer, n = 0;
    if (l < 0 || l >= t->L) return fig_empty(f, _("No such head"), NULL);
    const char *const *lab = fig_labels(f, st->tokens, t->T);
    int *layers = fig_alloc(f, sizeof(int) * (size_t)nh), *heads = fig_alloc(f, sizeof(int) * (size_t)nh);
    if (!lab || !layers || !heads) return 0;
    for (int h = 0; h < nh; h++)
        if (shown(p, h)) {
            layers[n] = l;
            heads[n++] = h;
        }
    f->title = fig_strf(f, _("Head view of layer %d"), l);
    f->caption = _("a line from each query (left) to each key (right), as opaque as its weight");
    int first = fig_heads_table(f, t, lab, layers, heads, n);
    if (first < 0) return 0;
    FigPlot *pl = fig_plot(f, FIG_LINKS);
    if (!pl) return 0;
    pl->row_labels = pl->col_labels = lab;
    pl->row_axis = _("query");
    pl->col_axis = _("key");
    pl->series0 = f->nseries;
    pl->nseries = n;
    for (int c = 0; c < n; c++) {
        FigSeries *s = fig_series(f, FIG_LINKSET, fig_strf(f, _("head %d"), heads[c]), -1, -1, c * t->T, t->T);
        if (!s) return 0;
        s->block = first + c;
        s->rgba = fig_palette(heads[c]);
        s->width = 2;
    }
    return 0;
}
