/* View k: the REPL's last `scan`. Each head knocked out in turn; a
 * layers × heads grid of what that cost the followed word (Δ log p at
 * the [MASK]) and, beside it, IsNext, coloured blue where the model
 * needed the head and red where it did better without it, on a scale
 * symmetric about 0. The most needed head is framed; hovering a cell
 * gives its numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "view_scan.h"

/* One grid's panel: its plot of the figure, and for the tooltip what it
 * measures and its value as run. */
typedef struct {
    const Figure *f;
    const FigPlot *pl;
    const double *d;        /* the plot's L×nh values */
    double base;            /* log-probability as run */
    char what[96];          /* "p('mat')", "P(IsNext)" */
} Panel;

/* "+0.12" in a cell, dark ink on the pale middle of the map. */
static void cell_values(VizCtx *cx, const ScanResult *r, const double *d, SDL_Rect g, int cell, float s) {
    int px = label_px(cx, cell * 0.36f);
    if (text_width(cx, px, "+0.00") > cell - 4 || px > cell / 2) return;
    for (int l = 0; l < r->L; l++)
        for (int h = 0; h < r->nh; h++) {
            double v = d[(size_t)l * r->nh + h];
            if (!isfinite(v)) continue;
            SDL_Color ink = fabs(v) / s < 0.55 ? (SDL_Color){20, 20, 30, 255} : COL_TEXT;
            char buf[16];
            snprintf(buf, sizeof buf, fabs(v) < 9.995 ? "%+.2f" : "%+.0f", fabs(v) < 0.005 ? 0.0 : v);
            draw_text(cx, px, g.x + h * cell + cell / 2, g.y + l * cell + cell / 2, ALIGN_CENTER | VALIGN_MIDDLE, ink,
                      buf);
        }
}

/* One panel in box: title, grid, labels, colour bar. Returns the grid's
 * rectangle; *hl, *hh the hovered cell (-1 when none). */
static SDL_Rect panel_draw(VizCtx *cx, const ScanResult *r, const Panel *p, SDL_Rect box, int *hl, int *hh) {
    int pad = cx->pad, L = r->L, nh = r->nh;
    char fit[256];
    text_fit(cx, cx->fs, p->pl->title, box.w, fit, sizeof fit);
    draw_text(cx, cx->fs, box.x, box.y, ALIGN_LEFT | VALIGN_TOP, COL_TEXT, fit);
    int top = box.y + cx->fs * 2;
    int px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    char probe[32], wide[32];
    snprintf(probe, sizeof probe, _("layer %d"), L - 1);
    snprintf(wide, sizeof wide, _("head %d"), 10);   /* the widest head label */
    int band_w = text_width(cx, px, probe) + pad, band_h = px * 3 / 2 + pad / 2;
    int bar_band = cx->fs + text_width(cx, cx->fs_min, "-0.000") + 2 * pad;
    int aw = box.w - band_w - bar_band, ah = box.y + box.h - top - band_h;
    int cell = aw / nh < ah / L ? aw / nh : ah / L;
    if (cell > cx->fs * 7) cell = cx->fs * 7;
    if (cell < 2) cell = 2;
    SDL_Rect g = {box.x + band_w + (aw - cell * nh) / 2, top + band_h, cell * nh, cell * L};
    float s = p->pl->hi;   /* symmetric about 0: [-s, s] */
    float *m = malloc(sizeof(float) * (size_t)L * nh);
    if (!m) return g;
    for (int i = 0; i < L * nh; i++) m[i] = isfinite(p->d[i]) ? (float)p->d[i] : 0;
    draw_matrix(cx, m, L, nh, nh, g, p->pl->cmap, p->pl->lo, p->pl->hi);
    free(m);
    /* heads out already, or not measured: the panel's colour and a cross */
    for (int l = 0; l < L; l++)
        for (int h = 0; h < nh; h++) {
            if (isfinite(p->d[(size_t)l * nh + h])) continue;
            SDL_Rect c = {g.x + h * cell, g.y + l * cell, cell, cell};
            fill_rect(cx, c, COL_PANEL);
            if (cell >= 6) {
                draw_line(cx, c.x + 2, c.y + 2, c.x + c.w - 3, c.y + c.h - 3, cx->dpi, COL_DIM);
                draw_line(cx, c.x + c.w - 3, c.y + 2, c.x + 2, c.y + c.h - 3, cx->dpi, COL_DIM);
            }
        }
    if (cell >= 6)
        for (int i = 0; i <= L; i++) draw_line(cx, g.x, g.y + i * cell, g.x + g.w, g.y + i * cell, 1, COL_BG);
    if (cell >= 6)
        for (int j = 0; j <= nh; j++) draw_line(cx, g.x + j * cell, g.y, g.x + j * cell, g.y + g.h, 1, COL_BG);
    cell_values(cx, r, p->d, g, cell, s);

    /* The most needed head: the figure's marked cell. */
    const FigBlock *mb = p->pl->mark_block >= 0 ? &p->f->blocks[p->pl->mark_block] : NULL;
    for (int i = 0; mb && i < L * nh; i++)
        if (((const int32_t *)mb->base)[i])
            frame_rect(cx, (SDL_Rect){g.x + (i % nh) * cell, g.y + (i / nh) * cell, cell, cell}, COL_ACCENT, 2);

    *hl = *hh = -1;
    if (cx->mouse_in && cell_at(g, L, nh, cx->mx, cx->my, hl, hh)) {
        frame_rect(cx, (SDL_Rect){g.x + *hh * cell, g.y + *hl * cell, cell, cell}, COL_TEXT, 1);
        double v = p->d[(size_t)*hl * nh + *hh];
        tip(cx, _("head %d.%d knocked out"), *hl, *hh);
        if (ablation_find(&r->base, *hl, *hh) >= 0) tip(cx, "%s", _("already knocked out (`ablate`)"));
        else if (!isfinite(v)) tip(cx, "%s", _("no finite result"));
        else
            tip(cx, "Δ log %s = %+.4f: %.2f%% → %.2f%%", p->what, v, 100 * exp(p->base), 100 * exp(p->base + v));
    }

    /* Labels: thinned when cells are smaller than text. */
    int gr = label_group(cx), k = 1;
    while (k * cell < px * 6 / 5) k++;
    for (int l = 0; l < L; l += k) {
        char buf[24];
        snprintf(buf, sizeof buf, _("layer %d"), l);
        label_log(cx, draw_text(cx, px, g.x - pad / 2, g.y + l * cell + cell / 2, ALIGN_RIGHT | VALIGN_MIDDLE,
                                l == *hl ? COL_ACCENT : COL_TEXT, buf), gr);
    }
    gr = label_group(cx);
    k = 1;
    while (k * cell < text_width(cx, px, "h00") + pad / 2) k++;
    for (int h = 0; h < nh; h += k) {
        char buf[32];
        snprintf(buf, sizeof buf, k == 1 && cell > text_width(cx, px, wide) ? _("head %d") : "h%d", h);
        label_log(cx, draw_text(cx, px, g.x + h * cell + cell / 2, g.y - pad / 2, ALIGN_CENTER | VALIGN_BOTTOM,
                                h == *hh ? COL_ACCENT : COL_TEXT, buf), gr);
    }
    SDL_Rect bar = {g.x + g.w + pad, g.y, cx->fs, g.h < box.h / 2 ? g.h : box.h / 2};
    if (bar.h < 4 * cx->fs) bar.h = g.h;
    draw_colorbar(cx, bar, p->pl->cmap, p->pl->lo, p->pl->hi);
    return g;
}

static void view_scan_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizScanView *sv = self;
    memset(sv, 0, sizeof *sv);
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_SCAN, self, st, area, &f)) return;
    const ScanResult *r = st->scan;
    const Tokenizer *tok = st->model ? st->model->tok : NULL;
    int pad = cx->pad, x = area.x + 2 * pad, w = area.w - 4 * pad, y = area.y + pad;
    char fit[768];
    text_fit(cx, cx->fs, f.title, w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    /* the caption's two lines: the sentence, then how to read the grids */
    const char *nl = strchr(f.caption, '\n');
    snprintf(fit, sizeof fit, "%.*s", nl ? (int)(nl - f.caption) : (int)strlen(f.caption), f.caption);
    char line[768];
    text_fit(cx, cx->fs - 1, fit, w, line, sizeof line);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, line);
    y = tr.y + tr.h;
    text_fit(cx, cx->fs_min, nl ? nl + 1 : "", w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad;

    Panel p[2];
    int np = 0;
    for (int i = 0; i < f.nplots && np < 2; i++) {
        const double *d = f.blocks[f.plots[i].block].base;
        int nsp = r->d_nsp && d == r->d_nsp;
        const char *wd = tok ? tok_token(tok, r->word) : NULL;
        p[np] = (Panel){&f, &f.plots[i], d, nsp ? r->base_nsp : r->base_word, ""};
        if (nsp) snprintf(p[np].what, sizeof p[np].what, "P(IsNext)");
        else snprintf(p[np].what, sizeof p[np].what, "p('%s')", wd ? wd : "?");
        np++;
    }
    int gap = 3 * pad, pw = (w - (np - 1) * gap) / (np > 0 ? np : 1), ph = area.y + area.h - y - pad;
    if (np == 0 || pw < 8 * cx->fs || ph < 6 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the scan"), _("Make it larger."));
        fig_free(&f);
        return;
    }
    for (int i = 0; i < np; i++) {
        int hl, hh;
        SDL_Rect g = panel_draw(cx, r, &p[i], (SDL_Rect){x + i * (pw + gap), y, pw, ph}, &hl, &hh);
        sv->grid[i] = g;
        if (i == 0) set_grid(cx, g, r->L, r->nh);
    }
    sv->panels = np;
    fig_free(&f);
}

const ViewOps view_scan = {view_scan_draw, sizeof(VizScanView), NULL, NULL};
