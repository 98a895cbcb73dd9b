/* The all-heads view's numbers: every head's T×T attention, layers down
 * and heads across, on one scale from 0 to the largest weight of all. */
#include "fig_internal.h"
#include "trace_pick.h"

/* Columns layer, head, query for the n = count·T rows of count heads
 * starting at (layer of each, head of each): filled by the caller. */
typedef struct {
    int32_t *layer, *head;
    const char **query;
} KeyCols;

/* The table of count heads, T rows each, and their blocks; returns the
 * first attention block. Shared by the head view (fig_headview.c). */
int fig_heads_table(Figure *f, const Trace *t, const char *const *lab, const int *layers, const int *heads,
                    int count);

int fig_heads_table(Figure *f, const Trace *t, const char *const *lab, const int *layers, const int *heads,
                    int count) {
    int T = t->T, n = count * T;
    KeyCols k = {fig_alloc(f, sizeof(int32_t) * (size_t)n), fig_alloc(f, sizeof(int32_t) * (size_t)n),
                 fig_alloc(f, sizeof(char *) * (size_t)n)};
    if (!k.layer || !k.head || !k.query) return -1;
    for (int c = 0; c < count; c++)
        for (int i = 0; i < T; i++) {
            k.layer[c * T + i] = layers[c];
            k.head[c * T + i] = heads[c];
            k.query[c * T + i] = lab[i];
        }
    fig_column(f, "layer");
    fig_column(f, "head");
    fig_column(f, "query");
    for (int j = 0; j < T; j++) fig_column(f, lab[j]);
    fig_block(f, 0, 0, n, 1, FIG_I32, k.layer, sizeof(int32_t), 0);
    fig_block(f, 0, 1, n, 1, FIG_I32, k.head, sizeof(int32_t), 0);
    fig_block(f, 0, 2, n, 1, FIG_STR, k.query, sizeof(char *), 0);
    int first = f->nblocks;
    for (int c = 0; c < count; c++)
        fig_block(f, c * T, 3, T, T, FIG_F32, pick_attn(t, layers[c], heads[c], 0), sizeof(float) * T, sizeof(float));
    return first;
}

FIG_FN(heads) {
    (void)cache;
    (void)err;
    const Trace *t = st->trace;
    if (!t || t->L == 0) return fig_empty(f, _("No attention to show yet"), _("Type a sentence in the REPL."));
    int L = t->L, nh = t->nh, T = t->T;
    const char *const *lab = fig_labels(f, st->tokens, T);
    int *layers = fig_alloc(f, sizeof(int) * (size_t)L * nh), *heads = fig_alloc(f, sizeof(int) * (size_t)L * nh);
    if (!lab || !layers || !heads) return 0;
    /* one scale for every head, so that they can be compared */
    float hi = 0;
    for (int l = 0; l < L; l++) {
        const float *a = t->layers[l].attn;
        for (long i = 0; i < (long)nh * T * T; i++)
            if (a[i] > hi) hi = a[i];
        for (int h = 0; h < nh; h++) {
            layers[l * nh + h] = l;
            heads[l * nh + h] = h;
        }
    }
    if (!(hi > 0)) hi = 1;
    f->title = _("All heads");
    f->caption = _("attention weights of every head (rows: queries, columns: keys)");
    int first = fig_heads_table(f, t, lab, layers, heads, L * nh);
    if (first < 0) return 0;
    for (int c = 0; c < L * nh; c++) {
        FigPlot *pl = fig_plot(f, FIG_HEATMAP);
        if (!pl) return 0;
        pl->block = first + c;
        pl->tile = 1;
        pl->emphasis = layers[c] == p->layer && heads[c] == p->head;
        pl->title = fig_strf(f, _("layer %d · head %d"), layers[c], heads[c]);
        pl->row_labels = pl->col_labels = lab;
        pl->row_axis = _("query");
        pl->col_axis = _("key");
        pl->unit = _("weight");
        pl->cmap = CMAP_VIRIDIS;
        pl->lo = 0;
        pl->hi = hi;
    }
    f->layout_cols = nh;
    return 0;
}
