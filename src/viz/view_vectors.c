/* View 5: the vectors of the current stage as colour strips, one row per
 * token and one column per dimension, with each token's mean and variance
 * beside it: before and after a residual + LayerNorm the numbers show
 * what LayerNorm does (mean 0, variance 1, whatever came in). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bertology/vecstats.h"
#include "draw.h"
#include "trace_pick.h"

enum { MAX_PANELS = 6 };

typedef struct {
    const char *name;
    const float *x;         /* T×cols */
    int cols;
    int hi;                 /* the stage is about this one */
} Panel;

/* A strip of a trace array, named as in the trace's table (core/trace.c),
 * which gives its data and width. */
static Panel strip(const Trace *t, const char *label, const char *array, int l, int hi) {
    const TraceArray *a = trace_find(array);
    int64_t dims[3] = {0, 0, 0};
    if (a) trace_dims(t, a, dims);
    return (Panel){label, trace_floats(t, a, l), (int)dims[1], hi};
}

/* The strips that explain a stage; q/k/v are (T,H) copies of the heads. */
static int panels_for(const Trace *t, Stage s, int l, const float *q, const float *k, const float *v,
                      Panel *p) {
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
        p[n++] = (Panel){_("x: input of the layer"), x, H, 0};
        p[n++] = (Panel){_("Q = x·Wqᵀ + bq (heads side by side)"), q, H, s == STAGE_QKV};
        p[n++] = (Panel){"K = x·Wkᵀ + bk", k, H, s == STAGE_QKV};
        p[n++] = (Panel){"V = x·Wvᵀ + bv", v, H, s == STAGE_QKV};
        p[n++] = strip(t, _("context A·V (heads concatenated)"), "ctx", l, s == STAGE_CONTEXT);
        p[n++] = strip(t, _("O = context·Woᵀ + bo"), "attn_out", l, s == STAGE_ATTN_OUT);
    } else if (s == STAGE_LN1) {
        p[n++] = (Panel){_("x: input of the layer"), x, H, 0};
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

/* The mean and variance of a row. */
static void mean_var(const float *x, int n, float *mean, float *var) {
    float norm, std;
    row_stats(x, n, &norm, mean, &std);
    *var = std * std;
}

static void panel(VizCtx *cx, const Panel *pn, const char *const *lab, int T, SDL_Rect r, int band,
                  int stats_w) {
    int pad = cx->pad, tpx = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    float amp = robust_absmax(pn->x, (long)T * pn->cols, 0.99f);
    char title[200];
    snprintf(title, sizeof title, _("%s   (T×%d, colour ±%.2f)"), pn->name, pn->cols, amp);
    char fit[200];
    text_fit(cx, tpx, title, r.w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, tpx, r.x + band, r.y, ALIGN_LEFT, pn->hi ? COL_ACCENT : COL_TEXT, fit);
    SDL_Rect m = {r.x + band, tr.y + tr.h + 2, r.w - band - stats_w - pad, r.y + r.h - (tr.y + tr.h + 2)};
    if (m.h < T && m.h < 4) return;
    draw_matrix(cx, pn->x, T, pn->cols, pn->cols, m, CMAP_RDBU, -amp, amp);
    if (pn->hi) frame_rect(cx, (SDL_Rect){m.x - 1, m.y - 1, m.w + 2, m.h + 2}, COL_ACCENT, 1);
    float step = (float)m.h / T;
    int hover = -1, dim = -1;
    if (cx->mouse_in && point_in(&m, cx->mx, cx->my)) cell_at(m, T, pn->cols, cx->mx, cx->my, &hover, &dim);
    axis_labels_rows(cx, lab, T, m.y, step, m.x - pad / 2, band - pad, hover);

    /* Mean and variance per token, thinned like the token labels. */
    int px = label_px(cx, step), k = label_every(cx, px, step), g = label_group(cx);
    for (int i = 0; i < T; i += k) {
        float mu, var;
        mean_var(pn->x + (long)i * pn->cols, pn->cols, &mu, &var);
        char buf[48];
        snprintf(buf, sizeof buf, "μ %+.2f  σ² %.2f", fabsf(mu) < 0.005f ? 0.0f : mu, var);   /* no "-0.00" */
        label_log(cx, draw_text(cx, px, m.x + m.w + pad, m.y + (int)((i + 0.5f) * step),
                                ALIGN_LEFT | VALIGN_MIDDLE, i == hover ? COL_ACCENT : COL_DIM, buf), g);
    }
    if (hover >= 0) {
        float mu, var;
        const float *row = pn->x + (long)hover * pn->cols;
        mean_var(row, pn->cols, &mu, &var);
        tip(cx, "%s", pn->name);
        tip(cx, _("token %d \"%s\", dimension %d: %.4f"), hover, lab[hover], dim, row[dim]);
        tip(cx, _("this token: mean %.4f, variance %.4f"), mu, var);
    }
}

static void view_vectors_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    (void)self;
    const Trace *t = st->trace;
    if (!t) {
        draw_notice(cx, area, _("No vectors to show yet"), _("Type a sentence in the REPL."));
        return;
    }
    int T = t->T, H = t->H, pad = cx->pad;
    char *owned;
    const char *const *lab = pick_labels(st->tokens, T, &owned);
    float *qkv = malloc(sizeof *qkv * (size_t)3 * T * H);
    if (!lab || !qkv) {
        free(owned);
        free(qkv);
        return;
    }
    int l = cx->layer;
    Stage s = st->pos.stage;
    if (t->L > 0)
        for (int i = 0; i < 3; i++)
            pick_gather_heads(t, trace_floats(t, trace_stage_array(STAGE_QKV, TRACE_SHOWN, i), l),
                              qkv + (size_t)i * T * H);
    Panel p[MAX_PANELS];
    int n = panels_for(t, s, l, qkv, qkv + (size_t)T * H, qkv + (size_t)2 * T * H, p);

    draw_text(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_DIM,
              _("one row per token, one column per dimension (blue < 0 < red); μ and σ² over each row"));
    int top = area.y + cx->fs * 2;
    int ncol = n >= 5 && area.w >= 1100 * cx->dpi ? 2 : 1;
    int nrow = (n + ncol - 1) / ncol;
    int cw = (area.w - pad * (ncol + 1)) / ncol, ch = (area.y + area.h - top) / nrow;
    int band = labels_width(cx, lab, T, cx->fs) + pad;
    if (band > cw / 6) band = cw / 6;
    int stats_w = text_width(cx, cx->fs, "μ +0.00  σ² 00.00");
    if (stats_w > cw / 4) stats_w = cw / 4;
    for (int i = 0; i < n; i++) {
        SDL_Rect r = {area.x + pad + (i / nrow) * (cw + pad), top + (i % nrow) * ch, cw, ch - pad};
        panel(cx, &p[i], lab, T, r, band, stats_w);
    }
    free(qkv);
    free(owned);
}

const ViewOps view_vectors = {view_vectors_draw, 0, NULL};
