/* The vectors view's numbers: the arrays that explain the current stage,
 * one row per token and one column per dimension, each followed by the
 * mean and variance of its rows (before and after a residual + LayerNorm
 * they show what LayerNorm does). Rows: tokens. Each array's columns are
 * NAME_d0 … NAME_d{n-1}, NAME_mean, NAME_var, NAME its trace name. */
#include <stdlib.h>
#include "bertology/vecstats.h"
#include "fig_internal.h"
#include "trace_pick.h"

enum { MAX_PANELS = 6 };

typedef struct {
    const char *title;      /* as the view names it */
    const char *name;       /* the trace's name, for the columns */
    const float *x;         /* T×cols */
    int cols;
    int hi;                 /* the stage is about this one */
} Panel;

/* A strip of a trace array, named as in the trace's table (core/trace.c),
 * which gives its data and width. */
static Panel strip(const Trace *t, const char *title, const char *array, int l, int hi) {
    const TraceArray *a = trace_find(array);
    int64_t dims[3] = {0, 0, 0};
    if (a) trace_dims(t, a, dims);
    return (Panel){title, array, trace_floats(t, a, l), (int)dims[1], hi};
}

/* The strips that explain a stage; q/k/v are (T,H) copies of the heads. */
static int panels_for(const Trace *t, Stage s, int l, const float *q, const float *k, const float *v, Panel *p) {
    int n = 0, H = t->H;
    if (s < STAGE_QKV || t->L == 0) {
        p[n++] = strip(t, _("word embedding E_word[id]"), "tok_emb", l, s == STAGE_EMBED);
        p[n++] = strip(t, _("position embedding"), "pos_emb", l, s == STAGE_POS);
        p[n++] = strip(t, _("segment embedding E_type[segment]"), "type_emb", l, s == STAGE_SEGMENT);
        p[n++] = strip(t, _("sum"), "emb_sum", l, s == STAGE_EMB_LN);
        p[n++] = strip(t, _("LayerNorm(sum): input to layer 0"), "emb", l, s == STAGE_EMB_LN);
        return n;
    }
    const float *x = pick_layer_input(t, l);
    if (s <= STAGE_ATTN_OUT) {
        p[n++] = (Panel){_("x: input of the layer"), "x", x, H, 0};
        p[n++] = (Panel){_("Q = x·Wqᵀ + bq (heads side by side)"), "q", q, H, s == STAGE_QKV};
        p[n++] = (Panel){"K = x·Wkᵀ + bk", "k", k, H, s == STAGE_QKV};
        p[n++] = (Panel){"V = x·Wvᵀ + bv", "v", v, H, s == STAGE_QKV};
        p[n++] = strip(t, _("context A·V (heads concatenated)"), "ctx", l, s == STAGE_CONTEXT);
        p[n++] = strip(t, _("O = context·Woᵀ + bo"), "attn_out", l, s == STAGE_ATTN_OUT);
    } else if (s == STAGE_LN1) {
        p[n++] = (Panel){_("x: input of the layer"), "x", x, H, 0};
        p[n++] = strip(t, _("O: attention output"), "attn_out", l, 0);
        p[n++] = strip(t, _("x + O: the residual stream"), "res1", l, 1);
        p[n++] = strip(t, "h = LayerNorm(x + O)", "ln1", l, 1);
    } else {
        p[n++] = strip(t, _("h: after attention"), "ln1", l, 0);
        p[n++] = strip(t, "u = GELU(h·W1ᵀ + b1)", "ffn_act", l, s == STAGE_FFN);
        p[n++] = strip(t, "u·W2ᵀ + b2", "ffn_out", l, 0);
        p[n++] = strip(t, _("h + FFN: the residual stream"), "res2", l, s == STAGE_LN2);
        p[n++] = strip(t, _("LayerNorm: output of the layer"), "out", l, s == STAGE_LN2 || s == STAGE_MLM);
    }
    return n;
}

FIG_FN(vectors) {
    (void)cache;
    (void)err;
    const Trace *t = st->trace;
    if (!t) return fig_empty(f, _("No vectors to show yet"), _("Type a sentence in the REPL."));
    int T = t->T, H = t->H, l = p->layer;
    if (t->L > 0 && (l < 0 || l >= t->L)) return fig_empty(f, _("No such layer"), NULL);
    const char *const *lab = fig_labels(f, st->tokens, T);
    float *qkv = fig_alloc(f, sizeof *qkv * (size_t)3 * T * H);
    if (!lab || !qkv) return 0;
    if (t->L > 0)
        for (int i = 0; i < 3; i++)
            pick_gather_heads(t, trace_floats(t, trace_stage_array(STAGE_QKV, TRACE_SHOWN, i), l),
                              qkv + (size_t)i * T * H);
    Panel pn[MAX_PANELS];
    int n = panels_for(t, st->pos.stage, l, qkv, qkv + (size_t)T * H, qkv + (size_t)2 * T * H, pn);
    const StageInfo *si = stage_info(st->pos.stage);
    f->title = si && si->per_layer && t->L > 0 ? fig_strf(f, _("Vectors of layer %d"), l) : _("Vectors of the embeddings");
    f->caption = _("one row per token, one column per dimension (blue < 0 < red); μ and σ² over each row");
    fig_column(f, "token");
    fig_block(f, 0, 0, T, 1, FIG_STR, lab, sizeof *lab, 0);
    for (int i = 0; i < n; i++) {
        if (!pn[i].x || pn[i].cols <= 0) continue;
        int c = pn[i].cols;
        int c0 = fig_columns(f, c, fig_strf(f, "%s_d%%d", pn[i].name), 0);
        int b = fig_block(f, 0, c0, T, c, FIG_F32, pn[i].x, sizeof(float) * c, sizeof(float));
        /* each row's mean and variance, as the view writes them beside it */
        float *stats = fig_alloc(f, sizeof *stats * (size_t)2 * T);
        if (c0 < 0 || !stats) return 0;
        for (int r = 0; r < T; r++) {
            float norm, mean, std;
            row_stats(pn[i].x + (long)r * c, c, &norm, &mean, &std);
            stats[2 * r] = mean;
            stats[2 * r + 1] = std * std;
        }
        fig_column(f, fig_strf(f, "%s_mean", pn[i].name));
        fig_column(f, fig_strf(f, "%s_var", pn[i].name));
        fig_block(f, 0, c0 + c, T, 2, FIG_F32, stats, 2 * sizeof(float), sizeof(float));
        const char **dims = fig_alloc(f, sizeof(char *) * (size_t)c);
        for (int d = 0; dims && d < c; d++) dims[d] = fig_strf(f, "%d", d);
        float amp = robust_absmax(pn[i].x, (long)T * c, 0.99f);
        FigPlot *pl = fig_plot(f, FIG_HEATMAP);
        if (!pl) return 0;
        pl->title = pn[i].title;
        pl->block = b;
        pl->emphasis = pn[i].hi;
        pl->row_labels = lab;
        pl->col_labels = dims;
        pl->row_axis = _("token");
        pl->col_axis = _("dimension");
        pl->cmap = CMAP_RDBU;
        pl->lo = -amp;
        pl->hi = amp;
    }
    f->layout_cols = 1;
    return 0;
}
