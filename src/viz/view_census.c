/* View H: the head census (core/census.c) as the layers × heads grid,
 * each tile in the colour of the head's role, as strong as the share of
 * attention behind it; the share and the entropy written in the tile
 * when it is large enough. The REPL's `census FILE` is shown while it is
 * the latest census; otherwise the view counts the REPL's sentence
 * itself. Hover for every number, click a head to open it. */
#include <stdio.h>
#include "draw.h"
#include "view_census.h"

SDL_Color census_role_colour(int role) {
    if (role == CENSUS_MIXED) return (SDL_Color){120, 126, 138, 255};
    return palette_color(role);
}

/* The role colour over the panel, as opaque as the share is large. */
static SDL_Color tile_colour(int role, double share) {
    SDL_Color c = census_role_colour(role), p = COL_PANEL;
    double a = role == CENSUS_MIXED ? 0.55 : 0.3 + 0.7 * share;
    return (SDL_Color){(Uint8)(p.r + (c.r - p.r) * a), (Uint8)(p.g + (c.g - p.g) * a), (Uint8)(p.b + (c.b - p.b) * a),
                       255};
}

static void legend(VizCtx *cx, int x, int y, int w) {
    int px = cx->fs_min + 1, sw = px, g = label_group(cx), x0 = x;
    for (int role = 0; role <= CENSUS_MIXED; role++) {
        const CensusRoleInfo *ri = census_role_info(role);
        const char *label = _(ri->label);
        int tw = text_width(cx, px, label);
        if (x + sw + tw + 2 * cx->pad > x0 + w) break;
        fill_rect(cx, (SDL_Rect){x, y - sw / 2, sw, sw}, census_role_colour(role));
        label_log(cx, draw_text(cx, px, x + sw + cx->pad / 2, y, ALIGN_LEFT | VALIGN_MIDDLE, COL_TEXT, label), g);
        x += sw + tw + 2 * cx->pad;
    }
}

static void view_census_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizCensusView *v = self;
    v->shown = NULL;
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_CENSUS, self, st, area, &f)) return;
    const Census *c = f.source;   /* the census the figure's table reads */
    v->shown = c;
    int L = c->L, nh = c->nh, pad = cx->pad;
    char fit[512], line[512];
    text_fit(cx, cx->fs, f.title, area.w - 2 * pad, fit, sizeof fit);
    SDL_Rect hr = draw_text(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_TEXT, fit);
    /* TRANSLATORS: after the census view's caption (the figure's, also in its CSV-less export) */
    snprintf(line, sizeof line, _("%s · click a head to open it"), f.caption);
    text_fit(cx, cx->fs_min + 1, line, area.w - 2 * pad, fit, sizeof fit);
    SDL_Rect sr = draw_text(cx, cx->fs_min + 1, area.x + pad, hr.y + hr.h, ALIGN_LEFT | VALIGN_TOP, COL_DIM, fit);

    int px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    char probe[32], wide[32];
    snprintf(probe, sizeof probe, _("layer %d"), L - 1);
    snprintf(wide, sizeof wide, _("head %d"), 10);   /* the widest head label */
    int band_w = text_width(cx, px, probe) + pad, band_h = px * 3 / 2 + pad / 2, legend_h = cx->fs * 2;
    int top = sr.y + sr.h + pad + band_h;
    int aw = area.w - 2 * pad - band_w, ah = area.y + area.h - top - legend_h - pad;
    int tile_w = aw * 10 / (nh * 11), tile_h = ah * 10 / (L * 11);
    int tile = tile_w < tile_h ? tile_w : tile_h;
    if (tile > cx->fs * 9) tile = cx->fs * 9;
    if (tile < 2) tile = 2;
    int gap = tile / 10 > 2 ? tile / 10 : 2;
    int gw = nh * tile + (nh - 1) * gap, gh = L * tile + (L - 1) * gap;
    int gx = area.x + pad + band_w + (aw - gw) / 2, gy = top;
    v->grid = (SDL_Rect){gx, gy, nh * (tile + gap), L * (tile + gap)};
    v->tile = tile;
    set_grid(cx, v->grid, L, nh);

    /* Text in a tile: the share on two lines when there is room, one, or none. */
    int tpx = tile / 4 < cx->fs ? tile / 4 : cx->fs, g = label_group(cx);
    /* the widest either line can be, in the message language */
    char probe_text[96];
    snprintf(probe_text, sizeof probe_text, _("mixed · %.2f bits"), 9.99);
    int widest = text_width(cx, tpx, probe_text);
    for (int role = 0; role <= CENSUS_MIXED; role++) {
        snprintf(probe_text, sizeof probe_text, "%s 100%%", _(census_role_info(role)->label));
        int tw = text_width(cx, tpx, probe_text);
        if (tw > widest) widest = tw;
    }
    int hl = -1, hh = -1;
    for (int l = 0; l < L; l++)
        for (int h = 0; h < nh; h++) {
            size_t i = (size_t)l * nh + h;
            int role = c->role[i];
            const double *sh = c->share + i * CENSUS_TARGETS;
            int best = 0;
            for (int k = 1; k < CENSUS_TARGETS; k++)
                if (sh[k] > sh[best]) best = k;
            SDL_Rect r = {gx + h * (tile + gap), gy + l * (tile + gap), tile, tile};
            fill_rect(cx, r, tile_colour(role, sh[best]));
            if (tpx >= cx->fs_min && widest < tile - pad / 2) {
                SDL_Color tc = {250, 250, 250, 255};
                label_log(cx, draw_textf(cx, tpx, r.x + tile / 2, r.y + tile / 2, ALIGN_CENTER | VALIGN_BOTTOM, tc,
                                         "%s %.0f%%", _(census_role_info(role == CENSUS_MIXED ? best : role)->label),
                                         100 * sh[best]), g);
                label_log(cx, draw_textf(cx, tpx, r.x + tile / 2, r.y + tile / 2, ALIGN_CENTER | VALIGN_TOP, tc,
                                         role == CENSUS_MIXED ? _("mixed · %.2f bits") : _("%.2f bits"), c->entropy[i]),
                          g);
            }
            if (cx->mouse_in && point_in(&r, cx->mx, cx->my)) {
                hl = l;
                hh = h;
            }
        }
    if (cx->layer < L && cx->head < nh)
        frame_rect(cx, (SDL_Rect){gx + cx->head * (tile + gap), gy + cx->layer * (tile + gap), tile, tile}, COL_ACCENT, 2);
    if (hl >= 0) {
        size_t i = (size_t)hl * nh + hh;
        const double *sh = c->share + i * CENSUS_TARGETS;
        frame_rect(cx, (SDL_Rect){gx + hh * (tile + gap), gy + hl * (tile + gap), tile, tile}, COL_TEXT, 1);
        tip(cx, _("layer %d · head %d: %s"), hl, hh, _(census_role_info(c->role[i])->what));
        tip(cx, _("entropy %.2f bits (spread evenly: %.2f)"), c->entropy[i], c->uniform);
        tip(cx, _("[CLS] %.1f%% · [SEP] %.1f%% · self %.1f%%"), 100 * sh[CENSUS_CLS], 100 * sh[CENSUS_SEP],
            100 * sh[CENSUS_SELF]);
        tip(cx, _("prev %.1f%% · next %.1f%% · punct %.1f%% · click to open"), 100 * sh[CENSUS_PREV],
            100 * sh[CENSUS_NEXT], 100 * sh[CENSUS_PUNCT]);
        if (cx->click && st->trace && hl < st->trace->L && hh < st->trace->nh) {
            cx->layer = hl;
            cx->head = hh;
            cx->open_view = VIZ_HEATMAP;
        }
    }
    int gl = label_group(cx);
    for (int l = 0; l < L; l++) {
        char buf[24];
        snprintf(buf, sizeof buf, _("layer %d"), l);
        if (tile >= px)
            label_log(cx, draw_text(cx, px, gx - pad / 2, gy + l * (tile + gap) + tile / 2, ALIGN_RIGHT | VALIGN_MIDDLE,
                                    l == hl ? COL_ACCENT : COL_TEXT, buf), gl);
    }
    gl = label_group(cx);
    for (int h = 0; h < nh; h++) {
        char buf[32];
        snprintf(buf, sizeof buf, tile > text_width(cx, px, wide) ? _("head %d") : "h%d", h);
        if (tile + gap > text_width(cx, px, buf))
            label_log(cx, draw_text(cx, px, gx + h * (tile + gap) + tile / 2, gy - pad / 2, ALIGN_CENTER | VALIGN_BOTTOM,
                                    h == hh ? COL_ACCENT : COL_TEXT, buf), gl);
    }
    legend(cx, gx, gy + gh + pad + legend_h / 2, area.w - (gx - area.x) - pad);
    fig_free(&f);
}

const ViewOps view_census = {view_census_draw, sizeof(VizCensusView), NULL, NULL};
