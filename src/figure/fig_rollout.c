/* The rollout view's numbers (core/rollout.c): what one query token draws
 * from each input token three ways, the last layer's attention (heads
 * averaged), attention rollout and attention flow, as bars on one length
 * scale. Rows: input tokens. */
#include <stdint.h>
#include <stdlib.h>
#include "bertology/rollout.h"
#include "fig_internal.h"

/* Every attention weight of the trace and its ids, hashed (FNV-1a over
 * their bits): a move in the REPL that changes none, the usual case,
 * costs no new max-flows. */
static unsigned long long attn_hash(const Trace *t) {
    unsigned long long h = 1469598103934665603ull ^ (unsigned)t->T;
    for (int i = 0; i < t->T; i++) h = (h ^ (unsigned)t->input_ids[i]) * 1099511628211ull;
    size_t n = (size_t)t->nh * t->T * t->T;
    for (int l = 0; l < t->L; l++) {
        const uint32_t *w = (const uint32_t *)(const void *)t->layers[l].attn;
        for (size_t i = 0; i < n; i++) h = (h ^ w[i]) * 1099511628211ull;
    }
    return h;
}

FIG_FN(rollout) {
    const Trace *t = st->trace;
    if (!t || t->L == 0)
        return fig_empty(f, _("No attention to roll out"),
                         t ? _("This model has no layers.") : _("Type a sentence in the REPL."));
    int q = p->rollout_query;
    if (q < 0 || q >= t->T) q = rollout_default_query(t, st->model ? st->model->tok : NULL);
    unsigned long long key = attn_hash(t);
    Rollout *r = cache->rollout.r;
    if (!r || cache->rollout.for_attn != key || cache->rollout.query != q || r->query != q) {
        if (r) rollout_free(r);
        else if (!(r = cache->rollout.r = calloc(1, sizeof *r))) return bt_fail(err, "out of memory");
        cache->rollout.for_attn = 0;
        BtError e;
        if (rollout_run(t, q, r, &e) != 0) return fig_empty(f, _("No rollout for this sentence"), fig_strdup(f, e.msg));
        cache->rollout.for_attn = key;
        cache->rollout.query = q;
    }
    int T = t->T;
    const char *const *lab = fig_labels(f, st->tokens, T);
    if (!lab) return 0;
    f->title = fig_strf(f, _("query %d (%s): what it draws from each input token"), q, lab[q]);
    f->caption = _("each column sums to 100%");
    const char *names[] = {"position", "token", "last_layer", "rollout", "flow", "flow_value"};
    for (int c = 0; c < 6; c++) fig_column(f, names[c]);
    fig_block(f, 0, 0, T, 1, FIG_I32, fig_iota(f, T, 0), sizeof(int32_t), 0);
    fig_block(f, 0, 1, T, 1, FIG_STR, lab, sizeof *lab, 0);
    const double *col[4] = {r->raw, r->rollout, r->flow, r->flow_value};
    int b[4];
    for (int c = 0; c < 4; c++) b[c] = fig_block(f, 0, 2 + c, T, 1, FIG_F64, col[c], sizeof(double), 0);
    /* one length scale for the three, so that what the residual connection
     * and the depth change shows as bars that grow or shrink */
    double hi = 0;
    for (int c = 0; c < 3; c++)
        for (int j = 0; j < T; j++)
            if (col[c][j] > hi) hi = col[c][j];
    if (!(hi > 0)) hi = 1;
    const char *titles[3] = {fig_strf(f, _("layer %d (attention, heads averaged)"), r->L - 1), _("rollout"),
                             _("flow (exact max-flow)")};
    for (int c = 0; c < 3; c++) {
        FigPlot *pl = fig_plot(f, FIG_BARS);
        if (!pl) return 0;
        pl->title = titles[c];
        pl->block = b[c];
        pl->row_labels = lab;
        pl->at = pl->highlight = q;
        pl->emphasis = c == 2;
        pl->lo = 0;
        pl->hi = (float)hi;
        pl->values = 1;
        pl->fmt = FIG_FMT_PERCENT;
        pl->bar_rgba = c == 2 ? FIG_ACCENT : fig_palette(c == 0 ? 0 : 3);
    }
    f->layout_cols = 3;
    f->source = r;
    return 0;
}
