/* The heatmap view's numbers: one head's T×T attention, probabilities or
 * raw scores, queries down and keys across. */
#include <math.h>
#include "fig_internal.h"
#include "trace_pick.h"

/* Scores at or below this are the mask's stand-in for -inf. */
#define MASKED (-1e4f)

/* The colour range: the unmasked values (probabilities from 0). */
static void value_range(const float *m, long n, int scores, float *lo, float *hi) {
    *lo = scores ? INFINITY : 0;
    *hi = -INFINITY;
    for (long i = 0; i < n; i++) {
        if (!(m[i] > MASKED)) continue;
        if (m[i] < *lo) *lo = m[i];
        if (m[i] > *hi) *hi = m[i];
    }
    if (!(*hi > *lo)) *hi = *lo + 1;
}

FIG_FN(heatmap) {
    (void)cache;
    (void)err;
    const Trace *t = st->trace;
    if (!t || t->L == 0) return fig_empty(f, _("No attention to show yet"), _("Type a sentence in the REPL."));
    int T = t->T, l = p->layer, h = p->head, scores = p->scores;
    if (l < 0 || l >= t->L || h < 0 || h >= t->nh) return fig_empty(f, _("No such head"), NULL);
    const float *m = pick_attn(t, l, h, scores);
    const char *const *lab = fig_labels(f, st->tokens, T);
    if (!lab) return 0;
    f->title = fig_strf(f, _("Attention of layer %d, head %d"), l, h);
    f->caption = fig_strf(f, "%s%s", scores ? _("raw scores S = QKᵀ/√d") : _("probabilities A = softmax(S), each row sums to 1"),
                          t->causal ? _(", causal mask") : "");
    /* query | one column per key */
    fig_column(f, "query");
    for (int j = 0; j < T; j++) fig_column(f, lab[j]);
    fig_block(f, 0, 0, T, 1, FIG_STR, lab, sizeof *lab, 0);
    int b = fig_block(f, 0, 1, T, T, FIG_F32, m, sizeof(float) * T, sizeof(float));
    FigPlot *pl = fig_plot(f, FIG_HEATMAP);
    if (!pl) return 0;
    pl->block = b;
    pl->row_labels = pl->col_labels = lab;
    pl->row_axis = _("query");
    pl->col_axis = _("key");
    pl->unit = scores ? _("score") : _("weight");
    pl->cmap = CMAP_VIRIDIS;
    value_range(m, (long)T * T, scores, &pl->lo, &pl->hi);
    pl->masked_below = MASKED;
    pl->values = 1;
    pl->fmt = FIG_FMT_FIXED2;
    return 0;
}
