#include "stageview.h"
#include "bertology/guesses.h"
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "render.h"
#include "textw.h"

int stage_has_head(Stage st) {
    return st == STAGE_QKV || st == STAGE_SCORES || st == STAGE_ATTN || st == STAGE_CONTEXT;
}

void stage_where(const Session *s, char *buf, size_t n) {
    const StageInfo *si = stage_info(s->pos.stage);
    if (!si->per_layer) snprintf(buf, n, "%s", si->name);
    else if (stage_has_head(s->pos.stage)) snprintf(buf, n, "L%d H%d %s", s->pos.layer, s->pos.head, si->name);
    else snprintf(buf, n, "L%d %s", s->pos.layer, si->name);
}

/* "3 cat" row labels, plus a segment letter when asked. */
typedef struct {
    char (*buf)[64];
    const char **ptr;
} Labels;

static int labels_make(const Session *s, Labels *lb, int with_index, int with_segment) {
    int T = session_T(s);
    lb->buf = calloc((size_t)T, sizeof *lb->buf);
    lb->ptr = calloc((size_t)T, sizeof *lb->ptr);
    if (!lb->buf || !lb->ptr) { free(lb->buf); free(lb->ptr); return -1; }
    for (int i = 0; i < T; i++) {
        const char *t = s->pass.tokens[i] ? s->pass.tokens[i] : "?";
        if (with_index && with_segment)
            snprintf(lb->buf[i], sizeof lb->buf[i], "%d %s %c", i, t, s->pass.in.type_ids[i] ? 'B' : 'A');
        else if (with_index) snprintf(lb->buf[i], sizeof lb->buf[i], "%d %s", i, t);
        else snprintf(lb->buf[i], sizeof lb->buf[i], "%s", t);
        lb->ptr[i] = lb->buf[i];
    }
    return 0;
}

const char *mask_kind_name(int kind) {
    static const char *const KIND[] = {"", N_("masked"), N_("random token"), N_("kept")};
    return kind > 0 && kind < 4 ? _(KIND[kind]) : "";
}

static void labels_free(Labels *lb) {
    free(lb->buf);
    free(lb->ptr);
}

static void header(Session *s, const char *shape) {
    const StageInfo *si = stage_info(s->pos.stage);
    char where[64];
    stage_where(s, where, sizeof where);
    fprintf(s->out, "[%s] %s\n", where, _(si->title));
    /* stages.h gives the sinusoid; a learned table is simply looked up. */
    if (s->pos.stage == STAGE_POS && s->model.cfg.pos_type != POS_SINUSOIDAL)
        fputs(_("  formula: P[p], row p of a learned table (the sinusoid PE is the fixed alternative)\n"), s->out);
    else
        fprintf(s->out, _("  formula: %s\n"), _(si->formula));
    if (shape) fprintf(s->out, _("  shape:   %s\n"), shape);
}

/* A (T, cols) activation matrix with row labels, diverging shading and
 * norm/mean/std, optionally with extra per-row columns. */
static void show_rows(Session *s, const float *data, int cols, int stride, int full, const char *noun,
                      int n_extra, const char **names, const float **extra, int summary, int seg_labels) {
    Labels lb;
    if (labels_make(s, &lb, 1, seg_labels) != 0) { fputs(_("(out of memory)\n"), s->out); return; }
    Out o = out_for(s);
    MatView mv = {0};
    mv.data = data;
    mv.rows = session_T(s);
    mv.cols = cols;
    mv.stride = stride;
    mv.row_labels = lb.ptr;
    mv.col_noun = noun;
    mv.ramp = RAMP_DIV;
    mv.summary = summary;
    mv.full = full;
    mv.n_extra = n_extra;
    for (int i = 0; i < n_extra; i++) { mv.extra_name[i] = names[i]; mv.extra[i] = extra[i]; }
    render_matrix(&o, &mv);
    labels_free(&lb);
}

/* A T×T matrix of one head: queries down, keys across. */
static void show_square(Session *s, const float *data, int full, RampKind ramp, float lo, float hi,
                        int n_extra, const char **names, const float **extra) {
    Labels rows, cols;
    if (labels_make(s, &rows, 1, 0) != 0) return;
    if (labels_make(s, &cols, 0, 0) != 0) { labels_free(&rows); return; }
    int T = session_T(s);
    Out o = out_for(s);
    MatView mv = {0};
    mv.data = data;
    mv.rows = mv.cols = mv.stride = T;
    mv.row_labels = rows.ptr;
    mv.col_labels = cols.ptr;
    mv.col_noun = P_("columns", "keys");
    mv.ramp = ramp;
    mv.lo = lo;
    mv.hi = hi;
    mv.full = full;
    mv.n_extra = n_extra;
    for (int i = 0; i < n_extra; i++) { mv.extra_name[i] = names[i]; mv.extra[i] = extra[i]; }
    render_matrix(&o, &mv);
    labels_free(&rows);
    labels_free(&cols);
}

/* Mean and std of each row of in (before LayerNorm) and out (after). */
static void ln_columns(const Session *s, const float *in, const float *out, int H, float *cols[4]) {
    int T = session_T(s);
    for (int t = 0; t < T; t++) {
        float norm;
        row_stats(in + (long)t * H, H, &norm, &cols[0][t], &cols[1][t]);
        row_stats(out + (long)t * H, H, &norm, &cols[2][t], &cols[3][t]);
    }
}

static void show_ln_stage(Session *s, const float *in, const float *out, int full, const char *what_in) {
    int T = session_T(s), H = s->pass.tr.H;
    float *buf = malloc((size_t)4 * T * sizeof *buf);
    if (!buf) return;
    float *cols[4] = {buf, buf + T, buf + 2 * T, buf + 3 * T};
    ln_columns(s, in, out, H, cols);
    /* TRANSLATORS: column heads of 5 characters at most: "in" is what
     * LayerNorm reads, "out" what it gives (the line under the table says) */
    const char *names[4] = {P_("column", "μ in"), P_("column", "σ in"), P_("column", "μ out"), P_("column", "σ out")};
    const float *ex[4] = {cols[0], cols[1], cols[2], cols[3]};
    show_rows(s, out, H, H, full, P_("columns", "dims"), 4, names, ex, 0, 0);
    fprintf(s->out, _("in = %s; each row is brought to mean 0, std 1, then scaled by γ and shifted by β (H=%d each)\n"),
            _(what_in), H);
    free(buf);
}

static void show_tokens(Session *s) {
    int T = session_T(s);
    char shape[160];
    snprintf(shape, sizeof shape,
             ngettext("T = %d token (this model reads at most %d), vocabulary of %d",
                      "T = %d tokens (this model reads at most %d), vocabulary of %d", T),
             T, s->model.cfg.max_position, s->model.cfg.vocab_size);
    header(s, shape);
    int any_mask = 0, tw = 5;
    for (int i = 0; i < T; i++) {
        if (s->mask[i]) any_mask = 1;
        int w = textw_width(s->pass.tokens[i] ? s->pass.tokens[i] : "?");
        if (w > tw) tw = w;
    }
    if (tw > 24) tw = 24;
    FILE *f = s->out;
    fprintf(f, "  %4s  ", "#");
    /* TRANSLATORS: the heads of the `tokens` table */
    textw_print(f, P_("column", "token"), tw, 0);
    fprintf(f, "  %6s  %s%s%s\n", "id", P_("column", "segment"), any_mask ? "  " : "",
            any_mask ? P_("column", "masking") : "");
    for (int i = 0; i < T; i++) {
        fprintf(f, "  %4d  ", i);
        textw_print(f, s->pass.tokens[i] ? s->pass.tokens[i] : "?", tw, 0);
        fprintf(f, "  %6d  %s", s->pass.ids[i], s->pass.in.type_ids[i] ? "B" : "A");
        if (s->mask[i]) {
            const char *orig = tok_token(s->model.tok, s->pass.in.ids[i]);
            fprintf(f, _("        %s (was %s)"), mask_kind_name(s->mask[i]), safe_str(orig));
        }
        fputc('\n', f);
    }
    if (s->pass.in.n_full > s->pass.in.n) {
        fprintf(f, ngettext("(cut from %d to %d token: truncate is on)\n", "(cut from %d to %d tokens: truncate is on)\n",
                            s->pass.in.n), s->pass.in.n_full, s->pass.in.n);
        /* a [MASK] in the cut part leaves predict, lens and saliency with
         * nothing to guess, and they would only say "no masked position" */
        int typed = 0, kept = 0, mid = tok_mask_id(s->model.tok);
        for (const char *q = s->pass.text; q && (q = strstr(q, "[MASK]")); q += 6) typed++;
        for (int i = 0; i < s->pass.in.n; i++) kept += s->pass.in.ids[i] == mid;
        if (typed > kept)
            fprintf(f, ngettext("(%d [MASK] was in the part cut off: put it earlier, or shorten the sentence)\n",
                                "(%d [MASK] were in the part cut off: put them earlier, or shorten the sentence)\n",
                                typed - kept),
                    typed - kept);
    }
}

static int show_mlm(Session *s, BtError *err) {
    int T = session_T(s);
    char shape[160];
    snprintf(shape, sizeof shape, _("logits (T=%d, V=%d): one score per vocabulary token at each position"), T,
             s->model.cfg.vocab_size);
    header(s, shape);
    if (!s->model.has_mlm) { fputs(_("this model has no MLM head (a bare encoder checkpoint)\n"), s->out); return 0; }
    int shown = stage_show_predictions(s, 5, err);
    if (shown != 0) return shown < 0 ? -1 : 0;
    /* Nothing masked: what the model reads back at every position. */
    FILE *f = s->out;
    int V = s->model.cfg.vocab_size;
    if (trace_check_finite(&s->pass.tr, s->pass.tr.mlm_logits, (size_t)T * V, err) != 0) return -1;
    fputs(_("nothing is masked: the model's top guess at every position (`mask` hides tokens)\n"), f);
    for (int t = 0; t < T; t++) {
        Guess best;
        guesses_top(s->pass.tr.mlm_logits + (long)t * V, V, 1, &best);
        char lab[80];
        snprintf(lab, sizeof lab, "%d %s", t, s->pass.tokens[t] ? s->pass.tokens[t] : "?");
        fputs("  ", f);
        textw_print(f, lab, 18, 0);
        const char *g = tok_token(s->model.tok, best.id);
        fputs(" → ", f);
        textw_print(f, g ? g : "?", 14, 0);
        fprintf(f, " %.*f\n", s->set.precision, best.p);
    }
    return 0;
}

/* The nth array a stage shows (or its LayerNorm reads) in layer l, from
 * the trace's table (core/trace.c). */
static const float *stage_array(const Trace *tr, Stage st, TraceRole role, int nth, int l) {
    return trace_floats(tr, trace_stage_array(st, role, nth), l);
}

static int stage_show_body(Session *s, int full, BtError *err);

/* What the knock-outs in force (`ablate`) do at this stage, said where it
 * shows, as the causal mask is: the heads of layer l knocked out at its
 * attention stages, its FFN at the FFN stages. */
static void ablation_note(Session *s, Stage st, int l, int h) {
    const Ablation *a = &s->pass.tr.ablate;
    FILE *f = s->out;
    if (a->n == 0) return;
    if (st == STAGE_QKV || st == STAGE_SCORES || st == STAGE_ATTN || st == STAGE_CONTEXT || st == STAGE_ATTN_OUT) {
        char heads[256] = "";
        int nk = 0, own = -1;
        size_t used = 0;
        for (int i = 0; i < a->n; i++) {
            const Knockout *k = &a->ko[i];
            if (k->layer != l || k->kind == KO_FFN) continue;
            if (k->head == h) own = k->kind;
            if (used < sizeof heads)
                used += (size_t)snprintf(heads + used, sizeof heads - used, "%s%d%s", nk ? ", " : "", k->head,
                                         k->kind == KO_HEAD_MEAN ? " (mean)" : "");
            nk++;
        }
        const char *value = own == KO_HEAD_MEAN ? _("its mean over the sentence") : "0";
        if (own >= 0 && st == STAGE_CONTEXT)
            fprintf(f, _("head %d is knocked out (`ablate %d.%d%s`): its context vector is %s at every token\n"), h, l, h,
                    own == KO_HEAD_MEAN ? " mean" : "", value);
        else if (own >= 0 && st != STAGE_ATTN_OUT)
            fprintf(f, _("head %d is knocked out (`ablate`): it computes this as usual, but its context vector is %s, "
                         "so none of it reaches the layer's output\n"), h, value);
        if (nk && st == STAGE_ATTN_OUT)
            fprintf(f, ngettext("knocked out in layer %d: head %s; O is what the other heads and the bias give\n",
                                "knocked out in layer %d: heads %s; O is what the other heads and the bias give\n", nk),
                    l, heads);
        else if (nk && st == STAGE_CONTEXT && own < 0)
            fprintf(f, ngettext("knocked out in layer %d: head %s (`head N` shows its slice of C)\n",
                                "knocked out in layer %d: heads %s (`head N` shows its slice of C)\n", nk),
                    l, heads);
    }
    if ((st == STAGE_FFN || st == STAGE_LN2) && ablation_find(a, l, -1) >= 0) {
        if (st == STAGE_FFN)
            fprintf(f, _("layer %d's FFN is knocked out (`ablate ffn %d`): these are the units it would compute, but its "
                         "output F is replaced by 0\n"), l, l);
        else
            fprintf(f, _("layer %d's FFN is knocked out (`ablate ffn %d`): F = 0, so this LayerNorm reads h alone\n"), l,
                    l);
    }
}

int stage_show(Session *s, int full, BtError *err) {
    int rc = stage_show_body(s, full, err);
    if (rc == 0 && pass_has_trace(&s->pass) && stage_info(s->pos.stage)->per_layer)
        ablation_note(s, s->pos.stage, s->pos.layer, s->pos.head);
    return rc;
}

static int stage_show_body(Session *s, int full, BtError *err) {
    if (session_need_sentence(s, err) != 0) return -1;
    const Trace *tr = &s->pass.tr;
    const BertConfig *cfg = &s->model.cfg;
    int T = tr->T, H = tr->H, hd = tr->hd, nh = tr->nh, l = s->pos.layer, h = s->pos.head;
    Stage st = s->pos.stage;
    const float *shown = stage_array(tr, st, TRACE_SHOWN, 0, l);   /* what the stage is about */
    const float *ln_in = stage_array(tr, st, TRACE_LN_IN, 0, l);   /* what its LayerNorm reads */
    char shape[256];
    FILE *f = s->out;
    switch (st) {
    case STAGE_TOKENS:
        show_tokens(s);
        break;
    case STAGE_EMBED:
        snprintf(shape, sizeof shape, _("table E_word (V=%d, H=%d); one row per token → (T=%d, H=%d)"), cfg->vocab_size,
                 H, T, H);
        header(s, shape);
        show_rows(s, shown, H, H, full, P_("columns", "dims"), 0, NULL, NULL, 1, 0);
        break;
    case STAGE_POS:
        if (cfg->pos_type == POS_SINUSOIDAL)
            snprintf(shape, sizeof shape, _("fixed sinusoid, rows 0–%d of (P=%d, H=%d) → (T=%d, H=%d)"), T - 1,
                     cfg->max_position, H, T, H);
        else
            snprintf(shape, sizeof shape,
                     _("learned table (P=%d, H=%d), rows 0–%d → (T=%d, H=%d)"),
                     cfg->max_position, H, T - 1, T, H);
        header(s, shape);
        show_rows(s, shown, H, H, full, P_("columns", "dims"), 0, NULL, NULL, 1, 0);
        break;
    case STAGE_SEGMENT:
        snprintf(shape, sizeof shape, _("table E_type (%d, H=%d); row A (0) or B (1) per token → (T=%d, H=%d)"),
                 cfg->type_vocab_size, H, T, H);
        header(s, shape);
        show_rows(s, shown, H, H, full, P_("columns", "dims"), 0, NULL, NULL, 1, 1);
        break;
    case STAGE_EMB_LN:
        snprintf(shape, sizeof shape, _("(T=%d, H=%d) in and out"), T, H);
        header(s, shape);
        show_ln_stage(s, ln_in, shown, full, "E_word + PE + E_type");
        break;
    case STAGE_QKV: {
        snprintf(shape, sizeof shape,
                 ngettext("Q, K, V (T=%d, H=%d), split into %d head of d=%d; head %d: (T=%d, d=%d) each",
                          "Q, K, V (T=%d, H=%d), split into %d heads of d=%d; head %d: (T=%d, d=%d) each", nh),
                 T, H, nh, hd, h, T, hd);
        header(s, shape);
        const float *m[3] = {shown, stage_array(tr, st, TRACE_SHOWN, 1, l), stage_array(tr, st, TRACE_SHOWN, 2, l)};
        const char *name[3] = {"Q", "K", "V"};
        for (int i = 0; i < 3; i++) {
            fprintf(f, _("%s (head %d):\n"), name[i], h);
            show_rows(s, m[i] + (long)h * T * hd, hd, hd, full, P_("columns", "dims"), 0, NULL, NULL, 1, 0);
        }
        break;
    }
    case STAGE_SCORES: {
        const float *sc = shown + (long)h * T * T;
        char num[32];
        if (tr->unscaled)
            snprintf(shape, sizeof shape, _("(T=%d queries, T=%d keys) for head %d of %d; UNSCALED: no 1/√%d (set scale on)"),
                     T, T, h, nh, hd);
        else
            snprintf(shape, sizeof shape, _("(T=%d queries, T=%d keys) for head %d of %d; 1/√%d = %s"), T, T, h, nh, hd,
                     bt_decimal(num, sizeof num, 3, 1.0 / sqrt(hd)));
        header(s, shape);
        float lo = INFINITY, hi = -INFINITY;
        for (long i = 0; i < (long)T * T; i++)
            if (isfinite(sc[i])) { if (sc[i] < lo) lo = sc[i]; if (sc[i] > hi) hi = sc[i]; }
        show_square(s, sc, full, RAMP_SEQ, lo, hi, 0, NULL, NULL);
        if (tr->causal) fputs(_("causal mask on: keys after the query are -∞, so softmax gives them 0\n"), f);
        break;
    }
    case STAGE_ATTN: {
        const float *a = shown + (long)h * T * T;
        snprintf(shape, sizeof shape, _("(T=%d queries, T=%d keys) for head %d of %d; each row sums to 1"), T, T, h, nh);
        header(s, shape);
        float *best = malloc((size_t)T * sizeof *best);
        if (!best) return bt_fail(err, "out of memory");
        for (int i = 0; i < T; i++) {
            int b = 0;
            for (int j = 1; j < T; j++) if (a[(long)i * T + j] > a[(long)i * T + b]) b = j;
            best[i] = (float)b;
        }
        show_square(s, a, full, RAMP_SEQ, 0, 1, 0, NULL, NULL);
        fputs(_("most attended key per query:"), f);
        for (int i = 0; i < T; i++) fprintf(f, " %d→%d", i, (int)best[i]);
        fputc('\n', f);
        if (tr->causal) fputs(_("causal mask on: each token attends only to itself and earlier tokens\n"), f);
        free(best);
        break;
    }
    case STAGE_CONTEXT:
        snprintf(shape, sizeof shape, _("(T=%d, H=%d), heads concatenated; head %d fills dims %d–%d: (T=%d, d=%d)"), T,
                 H, h, h * hd, (h + 1) * hd - 1, T, hd);
        header(s, shape);
        show_rows(s, shown + (long)h * hd, hd, H, full, P_("columns", "dims"), 0, NULL, NULL, 1, 0);
        break;
    case STAGE_ATTN_OUT:
        snprintf(shape, sizeof shape, "C (T=%d, H=%d) · Woᵀ (H=%d, H=%d) → O (T=%d, H=%d)", T, H, H, H, T, H);
        header(s, shape);
        show_rows(s, shown, H, H, full, P_("columns", "dims"), 0, NULL, NULL, 1, 0);
        break;
    case STAGE_LN1:
        snprintf(shape, sizeof shape, _("(T=%d, H=%d) in and out"), T, H);
        header(s, shape);
        show_ln_stage(s, ln_in, shown, full, N_("x + O (the layer's input plus attention)"));
        break;
    case STAGE_FFN: {
        snprintf(shape, sizeof shape, "h (T=%d, H=%d) · W1ᵀ (I=%d, H=%d) → u (T=%d, I=%d)", T, H, tr->I, H, T, tr->I);
        header(s, shape);
        float *active = malloc((size_t)T * sizeof *active);
        if (!active) return bt_fail(err, "out of memory");
        for (int t = 0; t < T; t++) {
            int n = 0;
            for (int i = 0; i < tr->I; i++) n += shown[(long)t * tr->I + i] > 0;
            active[t] = (float)n / tr->I;
        }
        /* TRANSLATORS: column head (5 characters at most) explained by the line "on = share of units ..." */
        const char *names[1] = {P_("column", "on")};
        const float *ex[1] = {active};
        show_rows(s, shown, tr->I, tr->I, full, P_("columns", "units"), 1, names, ex, 1, 0);
        fputs(_("on = share of units above 0 after GELU\n"), f);
        free(active);
        break;
    }
    case STAGE_LN2:
        snprintf(shape, sizeof shape, _("u (T=%d, I=%d) · W2ᵀ → (T=%d, H=%d); in and out (T=%d, H=%d)"), T, tr->I, T, H,
                 T, H);
        header(s, shape);
        show_ln_stage(s, ln_in, shown, full, "h + FFN(h)");
        if (l == tr->L - 1) fputs(_("this is the encoder's output: one contextual vector per token\n"), f);
        break;
    case STAGE_MLM:
        if (show_mlm(s, err) != 0) return -1;
        break;
    case STAGE_COUNT:
        break;
    }
    return 0;
}

void stage_show_ln(Session *s, int layer) {
    const Trace *tr = &s->pass.tr;
    const float *ln1 = stage_array(tr, STAGE_LN1, TRACE_SHOWN, 0, layer);
    const float *ln2 = stage_array(tr, STAGE_LN2, TRACE_SHOWN, 0, layer);
    int T = session_T(s), H = s->pass.tr.H;
    fprintf(s->out, _("[L%d] LayerNorm in layer %d: mean (μ) and std (σ) of each token's vector\n"), layer, layer);
    fprintf(s->out, _("  formula: %s\n"), _("LN(x) = γ ⊙ (x − μ)/σ + β, per token, μ and σ over its H values"));
    float *buf = malloc((size_t)8 * T * sizeof *buf);
    if (!buf) return;
    float *c[8];
    for (int i = 0; i < 8; i++) c[i] = buf + (long)i * T;
    ln_columns(s, stage_array(tr, STAGE_LN1, TRACE_LN_IN, 0, layer), ln1, H, c);
    ln_columns(s, stage_array(tr, STAGE_LN2, TRACE_LN_IN, 0, layer), ln2, H, c + 4);
    const char *names[8] = {"μ x+O", "σ x+O", "μ ln1", "σ ln1", "μ h+F", "σ h+F", "μ ln2", "σ ln2"};
    const float *ex[8];
    for (int i = 0; i < 8; i++) ex[i] = c[i];
    show_rows(s, ln1, 0, H, 0, P_("columns", "dims"), 8, names, ex, 0, 0);
    const BertLayer *bl = &s->model.layers[layer];
    float n, m1, s1, m2, s2;
    row_stats(bl->ln1_g, H, &n, &m1, &s1);
    row_stats(bl->ln1_b, H, &n, &m2, &s2);
    int p = s->set.precision;
    char b[4][32];
    fprintf(s->out, _("%s: γ mean %s std %s, β mean %s std %s\n"), "ln1", bt_decimal(b[0], 32, p, m1),
            bt_decimal(b[1], 32, p, s1), bt_decimal(b[2], 32, p, m2), bt_decimal(b[3], 32, p, s2));
    row_stats(bl->ln2_g, H, &n, &m1, &s1);
    row_stats(bl->ln2_b, H, &n, &m2, &s2);
    fprintf(s->out, _("%s: γ mean %s std %s, β mean %s std %s\n"), "ln2", bt_decimal(b[0], 32, p, m1),
            bt_decimal(b[1], 32, p, s1), bt_decimal(b[2], 32, p, m2), bt_decimal(b[3], 32, p, s2));
    free(buf);
}

int stage_targets(const Session *s, int *out) {
    int T = session_T(s), n = 0;
    for (int t = 0; t < T; t++)
        if (s->mask[t]) out[n++] = t;
    if (n) return n;
    int mid = tok_mask_id(s->model.tok);
    for (int t = 0; t < T; t++)
        if (s->pass.ids[t] == mid) out[n++] = t;
    return n;
}

/* The guesses at position t against the intact run's (logits zi) while
 * knock-outs are in force: each of the top k with its probability intact
 * → ablated, then the intact top k that the knock-outs pushed out. */
static void show_change(Session *s, const float *z, const float *zi, int k, const Guess *top, int m) {
    FILE *f = s->out;
    int V = s->model.cfg.vocab_size, pd = s->set.precision > 1 ? s->set.precision - 1 : 1;
    char ko[512];
    ablation_describe(&s->pass.tr.ablate, ko, sizeof ko);
    fprintf(f, _("  knocked out: %s; probability intact → ablated\n"), ko);
    int tw = 4;
    for (int j = 0; j < m; j++) {
        const char *g = tok_token(s->model.tok, top[j].id);
        int w = textw_width(g ? g : "?");
        if (w > tw) tw = w;
    }
    if (tw > 20) tw = 20;
    for (int j = 0; j < m; j++) {
        const char *g = tok_token(s->model.tok, top[j].id);
        fprintf(f, "  %2d. ", j + 1);
        textw_print(f, g ? g : "?", tw, 0);
        fprintf(f, "  %6.*f%% → %6.*f%%  ", pd, 100 * guesses_prob(zi, V, top[j].id), pd, 100 * top[j].p);
        int bar = (int)lround(top[j].p * 30);
        for (int b = 0; b < bar; b++) fputs(s->set.plain ? "#" : "█", f);
        fputc('\n', f);
    }
    Guess *was = malloc((size_t)k * sizeof *was);
    if (!was) return;
    int mi = guesses_top(zi, V, k, was);
    for (int j = 0; j < mi; j++) {
        int kept = 0;
        for (int i = 0; i < m; i++) kept |= top[i].id == was[j].id;
        if (kept) continue;
        const char *g = tok_token(s->model.tok, was[j].id);
        fprintf(f, _("  intact #%d '%s' %.*f%% → %.*f%%, now #%d\n"), j + 1, safe_str(g ? g : "?"), pd, 100 * was[j].p,
                pd, 100 * guesses_prob(z, V, was[j].id), guesses_rank(z, V, was[j].id));
    }
    free(was);
}

/* The same sentence without the knock-outs, for `predict`'s comparison. */
static int intact_pass(const Session *s, Pass *out, BtError *err) {
    PassOptions o = s->pass.opt;
    memset(&o.ablate, 0, sizeof o.ablate);
    return pass_copy(out, &s->pass, &o, err);
}

int stage_show_predictions(Session *s, int k, BtError *err) {
    int T = session_T(s), V = s->model.cfg.vocab_size;
    int *tg = malloc((size_t)T * sizeof *tg);
    Guess *top = malloc((size_t)k * sizeof *top);
    if (!tg || !top) { free(tg); free(top); return 0; }
    int n = stage_targets(s, tg);
    for (int i = 0; i < n; i++)
        if (trace_check_finite(&s->pass.tr, s->pass.tr.mlm_logits + (long)tg[i] * V, (size_t)V, err) != 0) {
            free(tg);
            free(top);
            return -1;
        }
    Pass intact = {0};
    if (n && s->pass.tr.ablate.n && intact_pass(s, &intact, err) != 0) {
        free(tg);
        free(top);
        return -1;
    }
    FILE *f = s->out;
    for (int i = 0; i < n; i++) {
        int t = tg[i];
        int m = guesses_top(s->pass.tr.mlm_logits + (long)t * V, V, k, top);
        const char *orig = tok_token(s->model.tok, s->pass.in.ids[t]);
        if (s->mask[t] == MASK_NONE)
            fprintf(f, _("position %d: [MASK] (typed)\n"), t);
        else
            fprintf(f, _("position %d: %s (%s; was '%s')\n"), t, safe_str(s->pass.tokens[t]), mask_kind_name(s->mask[t]),
                    safe_str(orig));
        if (pass_has_trace(&intact)) {
            show_change(s, s->pass.tr.mlm_logits + (long)t * V, intact.tr.mlm_logits + (long)t * V, k, top, m);
            continue;
        }
        int tw = 4;
        for (int j = 0; j < m; j++) {
            const char *g = tok_token(s->model.tok, top[j].id);
            int w = textw_width(g ? g : "?");
            if (w > tw) tw = w;
        }
        if (tw > 20) tw = 20;
        for (int j = 0; j < m; j++) {
            double p = top[j].p;
            const char *g = tok_token(s->model.tok, top[j].id);
            fprintf(f, "  %2d. ", j + 1);
            textw_print(f, g ? g : "?", tw, 0);
            fprintf(f, "  %6.*f%%  ", s->set.precision > 1 ? s->set.precision - 1 : 1, 100 * p);
            int bar = (int)lround(p * 30);
            for (int b = 0; b < bar; b++) fputs(s->set.plain ? "#" : "█", f);
            fputc('\n', f);
        }
    }
    pass_free(&intact);
    free(tg);
    free(top);
    return n;
}
