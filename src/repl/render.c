#include "render.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "term.h"
#include "textw.h"

enum { MAX_ROWS = 48, LABEL_MAX = 16 };

Out out_for(const Session *s) {
    Out o = {s->out, term_width(&s->set), term_colour_level(&s->set), s->set.precision};
    return o;
}

int fmt_num(char *buf, size_t n, float x, int p) {
    if (isinf(x)) return snprintf(buf, n, "%s", x < 0 ? "-∞" : "+∞");
    if (isnan(x)) return snprintf(buf, n, "nan");
    /* -0.000 reads as a sign error to a learner; print it as 0.000. */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", p, x);
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1)) return snprintf(buf, n, "%s", tmp + 1);
    return snprintf(buf, n, "%s", tmp);
}

/* Display width of a number: "-∞" is 2 columns but 4 bytes. */
static int num_width(float x, int p) {
    char b[64];
    fmt_num(b, sizeof b, x, p);
    return textw_width(b);
}

typedef struct {
    int lw;          /* row label column */
    int cw;          /* one data cell, without the leading space */
    int sw;          /* one summary/extra cell */
    int n_side;      /* summary + extra columns */
    float scale;     /* RAMP_DIV: max |x| */
    char (*labels)[64];
    float *side;     /* rows × n_side */
    const char *side_name[3 + MAT_MAX_EXTRA];
} Layout;

static float cell(const MatView *mv, int r, int c) { return mv->data[(long)r * mv->stride + c]; }

static void print_cell(const Out *o, const MatView *mv, const Layout *L, float x) {
    char num[64], sgr[64] = "";
    fmt_num(num, sizeof num, x, o->precision);
    if (o->colour && mv->ramp != RAMP_NONE && isfinite(x)) {
        float t = mv->ramp == RAMP_SEQ ? (mv->hi > mv->lo ? (x - mv->lo) / (mv->hi - mv->lo) : 0.5f)
                                       : (L->scale > 0 ? x / L->scale : 0);
        colour_cell(sgr, sizeof sgr, o->colour, mv->ramp, t);
    }
    fputs(sgr, o->f);
    fputc(' ', o->f);
    textw_print(o->f, num, L->cw, 1);
    if (sgr[0]) fputs(COLOUR_RESET, o->f);
}

/* One block of columns [c0, c1) with an optional "…" and the side columns. */
static void print_block(const Out *o, const MatView *mv, const Layout *L, int r1, int c0, int c1,
                        int ellipsis, int side) {
    FILE *f = o->f;
    fprintf(f, "%*s", L->lw, "");
    for (int c = c0; c < c1; c++) {
        char lab[64];
        if (mv->col_labels) snprintf(lab, sizeof lab, "%s", mv->col_labels[c]);
        else snprintf(lab, sizeof lab, "%d", c);
        fputc(' ', f);
        textw_print(f, lab, L->cw, 1);
    }
    if (ellipsis) fputs(" …", f);
    if (side && L->n_side) {
        fputs(" │", f);
        for (int k = 0; k < L->n_side; k++) { fputc(' ', f); textw_print(f, L->side_name[k], L->sw, 1); }
    }
    fputc('\n', f);
    for (int r = 0; r < r1; r++) {
        textw_print(f, L->labels[r], L->lw, 0);
        for (int c = c0; c < c1; c++) print_cell(o, mv, L, cell(mv, r, c));
        if (ellipsis) fputs(" …", f);
        if (side && L->n_side) {
            fputs(" │", f);
            for (int k = 0; k < L->n_side; k++) {
                char num[64];
                fmt_num(num, sizeof num, L->side[r * L->n_side + k], o->precision);
                fputc(' ', f);
                textw_print(f, num, L->sw, 1);
            }
        }
        fputc('\n', f);
    }
}

void render_matrix(const Out *o, const MatView *mv) {
    Layout L = {0};
    int rows = mv->rows, cols = mv->cols, p = o->precision;
    int r1 = (!mv->full && rows > MAX_ROWS) ? MAX_ROWS : rows;
    L.labels = calloc((size_t)rows, sizeof *L.labels);
    L.n_side = (mv->summary ? 3 : 0) + mv->n_extra;
    L.side = calloc((size_t)rows * (L.n_side ? L.n_side : 1), sizeof *L.side);
    if (!L.labels || !L.side) { free(L.labels); free(L.side); fputs(_("(out of memory)\n"), o->f); return; }
    int k = 0;
    /* TRANSLATORS: column heads of a matrix's summary, short (the column
     * widens to fit them) */
    if (mv->summary) {
        L.side_name[k++] = P_("column", "norm");
        L.side_name[k++] = P_("column", "mean");
        L.side_name[k++] = P_("column", "std");
    }
    for (int e = 0; e < mv->n_extra; e++) L.side_name[k++] = mv->extra_name[e];

    L.cw = 1;
    for (int r = 0; r < rows; r++) {
        if (mv->row_labels) snprintf(L.labels[r], sizeof L.labels[r], "%s", mv->row_labels[r]);
        else snprintf(L.labels[r], sizeof L.labels[r], "%d", r);
        int w = textw_width(L.labels[r]);
        if (r < r1 && w > L.lw) L.lw = w;
        for (int c = 0; c < cols; c++) {
            float x = cell(mv, r, c);
            int nw = num_width(x, p);
            if (r < r1 && nw > L.cw) L.cw = nw;
            if (isfinite(x) && fabsf(x) > L.scale) L.scale = fabsf(x);
        }
        float *sd = L.side + (size_t)r * (L.n_side ? L.n_side : 1);
        int j = 0;
        if (mv->summary) { row_stats(mv->data + (long)r * mv->stride, cols, &sd[0], &sd[1], &sd[2]); j = 3; }
        for (int e = 0; e < mv->n_extra; e++) sd[j++] = mv->extra[e][r];
    }
    if (L.lw > LABEL_MAX) L.lw = LABEL_MAX;
    /* Column labels are usually short ("12") or tokens; tokens are cut. */
    if (!mv->col_labels) { int w = snprintf(NULL, 0, "%d", cols - 1); if (w > L.cw) L.cw = w; }
    if (L.cw < 4) L.cw = 4;
    L.sw = 4;
    for (int j = 0; j < L.n_side; j++) { int w = textw_width(L.side_name[j]); if (w > L.sw) L.sw = w; }
    for (int r = 0; r < r1; r++)
        for (int j = 0; j < L.n_side; j++) { int w = num_width(L.side[r * L.n_side + j], p); if (w > L.sw) L.sw = w; }

    int side_w = L.n_side ? 2 + L.n_side * (L.sw + 1) : 0;
    int avail = o->width - L.lw;
    int fit_all = (avail - side_w) / (L.cw + 1);
    if (fit_all >= cols || mv->full) {
        if (!mv->full || fit_all >= cols) {
            print_block(o, mv, &L, r1, 0, cols, 0, 1);
        } else {
            /* Full: blocks of what fits, the side columns with the last one. */
            int per = (avail) / (L.cw + 1);
            if (per < 1) per = 1;
            for (int c0 = 0; c0 < cols; c0 += per) {
                int c1 = c0 + per < cols ? c0 + per : cols;
                int last = c1 == cols;
                if (last && (c1 - c0) * (L.cw + 1) + side_w > avail && L.n_side) {
                    fprintf(o->f, "%s %d–%d:\n", mv->col_noun, c0, c1 - 1);
                    print_block(o, mv, &L, r1, c0, c1, 0, 0);
                    fputc('\n', o->f);
                    print_block(o, mv, &L, r1, c1, c1, 0, 1);
                    break;
                }
                fprintf(o->f, "%s %d–%d:\n", mv->col_noun, c0, c1 - 1);
                print_block(o, mv, &L, r1, c0, c1, 0, last);
                if (!last) fputc('\n', o->f);
            }
        }
    } else {
        int fit = (avail - side_w - 2) / (L.cw + 1);
        if (fit < 1) fit = 1;
        if (fit > cols) fit = cols;
        print_block(o, mv, &L, r1, 0, fit, 1, 1);
        /* TRANSLATORS: "… dims 9–255 of 256 not shown (width 100); ..." */
        fprintf(o->f, _("… %s %d–%d of %d not shown (width %d); add `full` to see them all\n"),
                mv->col_noun, fit, cols - 1, cols, o->width);
    }
    if (r1 < rows)
        fprintf(o->f, _("… rows %d–%d of %d not shown; add `full` to see them all\n"), r1, rows - 1, rows);
    char n1[32], n2[32];
    if (o->colour && mv->ramp == RAMP_DIV)
        fprintf(o->f, _("shading: blue < 0 < red, full colour at |x| = %s\n"), bt_decimal(n1, sizeof n1, p, L.scale));
    else if (o->colour && mv->ramp == RAMP_SEQ)
        fprintf(o->f, _("shading: viridis, dark = %s, yellow = %s\n"), bt_decimal(n1, sizeof n1, p, mv->lo),
                bt_decimal(n2, sizeof n2, p, mv->hi));
    free(L.labels);
    free(L.side);
}

void render_vector(const Out *o, const char *label, const float *v, int n, int full) {
    FILE *f = o->f;
    int p = o->precision;
    float norm, mean, std;
    row_stats(v, n, &norm, &mean, &std);
    char nb[3][64];
    fmt_num(nb[0], sizeof nb[0], norm, p);
    fmt_num(nb[1], sizeof nb[1], mean, p);
    fmt_num(nb[2], sizeof nb[2], std, p);
    if (full) {
        fprintf(f, ngettext("%s: %d value, norm %s, mean %s, std %s\n", "%s: %d values, norm %s, mean %s, std %s\n", n),
                safe_str(label), n, nb[0], nb[1], nb[2]);
        int cw = 1;
        for (int i = 0; i < n; i++) { int w = num_width(v[i], p); if (w > cw) cw = w; }
        int iw = snprintf(NULL, 0, "%d", n - 1);
        int per = (o->width - iw - 3) / (cw + 1);
        if (per < 1) per = 1;
        for (int i = 0; i < n; i += per) {
            fprintf(f, "[%*d]", iw, i);
            for (int j = i; j < i + per && j < n; j++) {
                char b[64];
                fmt_num(b, sizeof b, v[j], p);
                fputc(' ', f);
                textw_print(f, b, cw, 1);
            }
            fputc('\n', f);
        }
        return;
    }
    char tail[256];
    snprintf(tail, sizeof tail, " │ %s %s  %s %s  %s %s", P_("column", "norm"), nb[0], P_("column", "mean"), nb[1],
             P_("column", "std"), nb[2]);
    int used = textw_width(label) + 1 + textw_width(tail);
    fputs(safe_str(label), f);   /* labels name tokens and words from files */
    int shown = 0;
    for (int i = 0; i < n; i++) {
        char b[64];
        int w = fmt_num(b, sizeof b, v[i], p);
        int more = i + 1 < n;
        if (used + w + 1 + (more ? 2 : 0) > o->width && i > 0) break;
        fprintf(f, " %s", b);
        used += w + 1;
        shown++;
    }
    if (shown < n) fputs(" …", f);
    fprintf(f, "%s\n", tail);
    if (shown < n) fprintf(f, _("(first %d of %d values; add `full` to see them all)\n"), shown, n);
}
