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

/* One grid's panel: its data, title and where it went. */
typedef struct {
    const double *d;
    double base;            /* log-probability as run */
    char what[96];          /* "p('mat')", "P(IsNext)" */
    char title[256];
} Panel;

static float absmax(const double *d, int n) {
    double m = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(d[i]) && fabs(d[i]) > m) m = fabs(d[i]);
    return m > 0 ? (float)m : 1e-6f;
}

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
    text_fit(cx, cx->fs, p->title, box.w, fit, sizeof fit);
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
    float s = absmax(p->d, L * nh);
    float *m = malloc(sizeof(float) * (size_t)L * nh);
    if (!m) return g;
    for (int i = 0; i < L * nh; i++) m[i] = isfinite(p->d[i]) ? (float)p->d[i] : 0;
    draw_matrix(cx, m, L, nh, nh, g, CMAP_RDBU, -s, s);
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

    /* The most needed head: the lowest cell. */
    int wl = -1, wh = -1;
    double worst = NAN;
    for (int i = 0; i < L * nh; i++)
        if (isfinite(p->d[i]) && (!isfinite(worst) || p->d[i] < worst)) {
            worst = p->d[i];
            wl = i / nh;
            wh = i % nh;
        }
    if (wl >= 0 && worst < 0) frame_rect(cx, (SDL_Rect){g.x + wh * cell, g.y + wl * cell, cell, cell}, COL_ACCENT, 2);

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
    draw_colorbar(cx, bar, CMAP_RDBU, -s, s);
    return g;
}

static void view_scan_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizScanView *sv = self;
    memset(sv, 0, sizeof *sv);
    const ScanResult *r = st->scan;
    if (!r || r->L < 1 || r->nh < 1 || (!r->d_word && !r->d_nsp)) {
        draw_notice(cx, area, _("No scan yet"),
                    _("In the REPL: the cat sat on the [MASK] .  then  scan  (each head knocked out in turn)"));
        return;
    }
    const Tokenizer *tok = st->model ? st->model->tok : NULL;
    int pad = cx->pad, x = area.x + 2 * pad, w = area.w - 4 * pad, y = area.y + pad;
    char line[768], fit[768], base[512];
    ablation_describe(&r->base, base, sizeof base);
    int heads = r->L * r->nh, n = snprintf(line, sizeof line,
        ngettext("Which heads matter: each of the %d head knocked out in turn (context vector → %s)",
                 "Which heads matter: each of the %d heads knocked out in turn (context vector → %s)", heads),
        heads, r->kind == KO_HEAD_MEAN ? _("its mean") : "0");
    /* TRANSLATORS: after the scan view's title: the knock-outs (`ablate`) the scan was run with */
    if (base[0] && n > 0 && n < (int)sizeof line) snprintf(line + n, sizeof line - n, _(", besides %s"), base);
    text_fit(cx, cx->fs, line, w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    snprintf(line, sizeof line, "“%s”", r->text ? r->text : "");
    text_fit(cx, cx->fs - 1, line, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h;
    text_fit(cx, cx->fs_min,
             _("Δ log p = log p with the head out − log p as run · blue: the model needed the head · red: better "
               "without it · framed: the most needed"),
             w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad;

    Panel p[2];
    int np = 0;
    if (r->d_word) {
        const char *wd = tok ? tok_token(tok, r->word) : NULL, *at = tok ? tok_token(tok, r->pos_id) : NULL;
        p[np] = (Panel){r->d_word, r->base_word, "", ""};
        snprintf(p[np].what, sizeof p[np].what, "p('%s')", wd ? wd : "?");
        char pc[32];
        snprintf(p[np].title, sizeof p[np].title, _("'%s' at position %d (%s): p = %s as run"), wd ? wd : "?", r->pos,
                 at ? at : "?", viz_pct(pc, sizeof pc, exp(r->base_word)));
        np++;
    }
    if (r->d_nsp) {
        p[np] = (Panel){r->d_nsp, r->base_nsp, "P(IsNext)", ""};
        char pc[32];
        snprintf(p[np].title, sizeof p[np].title, _("NSP: P(IsNext) = %s as run"), viz_pct(pc, sizeof pc, exp(r->base_nsp)));
        np++;
    }
    int gap = 3 * pad, pw = (w - (np - 1) * gap) / np, ph = area.y + area.h - y - pad;
    if (pw < 8 * cx->fs || ph < 6 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the scan"), _("Make it larger."));
        return;
    }
    for (int i = 0; i < np; i++) {
        int hl, hh;
        SDL_Rect g = panel_draw(cx, r, &p[i], (SDL_Rect){x + i * (pw + gap), y, pw, ph}, &hl, &hh);
        sv->grid[i] = g;
        if (i == 0) set_grid(cx, g, r->L, r->nh);
    }
    sv->panels = np;
}

const ViewOps view_scan = {view_scan_draw, sizeof(VizScanView), NULL};
