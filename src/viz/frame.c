/* One frame: title bar, the view, the footer with the keys, then the
 * tooltip and the help overlay on top; presented once by the caller so
 * nothing half-drawn is ever seen. */
#include <ctype.h>
#include <string.h>
#include "draw.h"

static const char *const KEYS[][2] = {
    {"Tab / Shift+Tab", N_("next / previous view")},
    {NULL, NULL},   /* the views' keys, from their table: see help_views */
    {"0", N_("follow the REPL's stage again")},
    {"← →", N_("head (embedding view: turn the camera)")},
    {"↑ ↓", N_("layer (embedding view: which layer's vectors)")},
    {"R", N_("heatmap: raw scores or probabilities")},
    {"A", N_("head view: all heads of the layer or the picked ones")},
    {N_("mouse"), N_("hover for values · click a head to open it · drag to orbit · wheel to zoom")},
    {"C", N_("embedding view: reset the camera")},
    {"S", N_("save a screenshot (bertology-YYYYMMDD-HHMMSS.png)")},
    {N_("? or F1 / Esc"), N_("show / hide this help")},
};

/* Clamps the local layer/head to what the trace has. */
void viz_clamp_position(VizCtx *cx, const Trace *t) {
    if (!t) return;
    if (cx->layer >= t->L) cx->layer = t->L - 1;
    if (cx->layer < 0) cx->layer = 0;
    if (cx->head >= t->nh) cx->head = t->nh - 1;
    if (cx->head < 0) cx->head = 0;
    if (cx->level > t->L + 1) cx->level = t->L + 1;
    if (cx->level < 0) cx->level = 0;
}

static void draw_title(Viz *v, VizView view, SDL_Rect bar) {
    VizCtx *cx = &v->cx;
    fill_rect(cx, bar, COL_PANEL);
    int y = bar.y + bar.h / 2, x = bar.x + cx->pad;
    const ViewInfo *vi = viz_view_info(view);
    SDL_Rect r = draw_textf(cx, cx->fs + 1, x, y, ALIGN_LEFT | VALIGN_MIDDLE, COL_TEXT, "%c  %s",
                            toupper((unsigned char)vi->key), _(vi->title));
    x = r.x + r.w + 2 * cx->pad;
    const VizState *st = v->st;
    const Trace *t = st ? st->trace : NULL;
    int per_head = view == VIZ_HEATMAP || view == VIZ_HEAD_VIEW;
    /* The strips of the embedding stages belong to no layer. */
    int layer_strips = view == VIZ_VECTORS && st && st->pos.stage >= STAGE_QKV;
    if (t && t->L > 0 && (per_head || layer_strips || view == VIZ_ALL_HEADS)) {
        char buf[64];
        if (per_head) snprintf(buf, sizeof buf, _("layer %d · head %d"), cx->layer, cx->head);
        else snprintf(buf, sizeof buf, _("layer %d"), cx->layer);
        r = draw_text(cx, cx->fs, x, y, ALIGN_LEFT | VALIGN_MIDDLE, COL_ACCENT, buf);
        x = r.x + r.w + 2 * cx->pad;
    }
    /* Right side: the REPL's stage, or that the view is pinned. */
    char right[320];
    const StageInfo *si = st ? stage_info(st->pos.stage) : NULL;
    if (view == VIZ_TRAINING)
        snprintf(right, sizeof right, "%.*s", (int)sizeof right - 1, st && st->run ? st->run->source : "");
    else if (view == VIZ_EMBEDDINGS && st && st->compare)
        /* Says why the sentence on show is not the REPL's own (see viz_frame_draw). */
        snprintf(right, sizeof right, _("the two sentences of the last `compare %s`%s"), st->compare->word,
                 v->pinned != VIZ_FOLLOW ? _(" · pinned (0: follow)") : "");
    else if (v->pinned == VIZ_FOLLOW && v->follow.follow_instrument && st && view == st->instrument)
        /* Says why the view is not the stage's: the REPL's last command asked for it. */
        snprintf(right, sizeof right, _("following the REPL's last `%s`"), viz_view_name(view));
    else if (v->pinned != VIZ_FOLLOW)
        snprintf(right, sizeof right, _("pinned (0: follow the REPL)%s%s"), si ? _(" · stage ") : "",
                 si ? si->name : "");
    else if (si)
        snprintf(right, sizeof right, "%s: %s", si->name, _(si->formula));
    else
        right[0] = '\0';
    /* Knock-outs in force (`ablate`): every view shows the ablated run, and says so first. */
    char shown[640];
    snprintf(shown, sizeof shown, "%s", right);
    if (t && t->ablate.n && view != VIZ_TRAINING) {
        char ko[256];
        ablation_describe(&t->ablate, ko, sizeof ko);
        snprintf(shown, sizeof shown, _("knocked out: %s%s%s"), ko, right[0] ? " · " : "", right);
    }
    char fit[640];
    text_fit(cx, cx->fs, shown, bar.x + bar.w - cx->pad - x, fit, sizeof fit);
    draw_text(cx, cx->fs, bar.x + bar.w - cx->pad, y, ALIGN_RIGHT | VALIGN_MIDDLE, COL_DIM, fit);
}

/* The views' keys from their table, a run of digits as a range: "1–9 F H". */
static void view_keys(char *keys, size_t nk) {
    size_t used = 0;
    keys[0] = '\0';
    for (int i = 0; i < VIZ_VIEW_COUNT && used < nk; i++) {
        char k = viz_view_info(i)->key;
        int j = i;
        while (isdigit((unsigned char)k) && j + 1 < VIZ_VIEW_COUNT && viz_view_info(j + 1)->key == viz_view_info(j)->key + 1)
            j++;
        if (j > i + 1) {
            used += (size_t)snprintf(keys + used, nk - used, "%s%c–%c", used ? " " : "", k, viz_view_info(j)->key);
            i = j;
        } else {
            used += (size_t)snprintf(keys + used, nk - used, "%s%c", used ? " " : "", toupper((unsigned char)k));
        }
    }
}

static void draw_footer(Viz *v, SDL_Rect bar) {
    VizCtx *cx = &v->cx;
    fill_rect(cx, bar, COL_PANEL);
    int y = bar.y + bar.h / 2;
    char vk[64], keys[256];
    view_keys(vk, sizeof vk);
    if (bar.w > 60 * cx->fs)
        snprintf(keys, sizeof keys, _("Tab views · %s pick · 0 follow · ←→ head · ↑↓ layer · R scores · A heads · "
                 "S screenshot · ? keys"), vk);
    else
        snprintf(keys, sizeof keys, _("Tab · %s views · ←→ head · ↑↓ layer · S save · ? keys"), vk);
    int right_w = 0;
    if (v->toast[0]) {
        char fit[512];
        text_fit(cx, cx->fs, v->toast, bar.w / 2, fit, sizeof fit);
        right_w = draw_text(cx, cx->fs, bar.x + bar.w - cx->pad, y, ALIGN_RIGHT | VALIGN_MIDDLE,
                            COL_ACCENT, fit).w + 2 * cx->pad;
    }
    char fit[256];
    text_fit(cx, cx->fs, keys, bar.w - 2 * cx->pad - right_w, fit, sizeof fit);
    draw_text(cx, cx->fs, bar.x + cx->pad, y, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM, fit);
}

static void draw_tooltip(VizCtx *cx, int w, int h) {
    if (cx->ntip == 0 || !cx->mouse_in) return;
    int px = cx->fs, lw = 0, lh = 0;
    for (int i = 0; i < cx->ntip; i++) {
        int tw, th;
        font_size(cx->font, px, cx->tip[i], &tw, &th);
        if (tw > lw) lw = tw;
        lh = th;
    }
    SDL_Rect box = {cx->mx + 2 * cx->pad, cx->my + 2 * cx->pad, lw + 2 * cx->pad, lh * cx->ntip + cx->pad};
    /* Flip to the other side of the pointer near the window's edges. */
    if (box.x + box.w > w) box.x = cx->mx - cx->pad - box.w;
    if (box.y + box.h > h) box.y = cx->my - cx->pad - box.h;
    if (box.x < 0) box.x = 0;
    if (box.y < 0) box.y = 0;
    fill_rect(cx, box, (SDL_Color){10, 11, 14, 235});
    frame_rect(cx, box, COL_GRID, 1);
    for (int i = 0; i < cx->ntip; i++)
        draw_text(cx, px, box.x + cx->pad, box.y + cx->pad / 2 + i * lh, ALIGN_LEFT, COL_TEXT, cx->tip[i]);
}

/* The help's line for the views: their keys and labels, in Tab order. */
static void help_views(char *keys, size_t nk, char *labels, size_t nl) {
    view_keys(keys, nk);
    size_t used = 0;
    labels[0] = '\0';
    for (int i = 0; i < VIZ_VIEW_COUNT && used < nl; i++)
        used += (size_t)snprintf(labels + used, nl - used, "%s%s", i ? " · " : "", _(viz_view_info(i)->label));
}

static void draw_help(VizCtx *cx, int w, int h) {
    int n = (int)(sizeof KEYS / sizeof KEYS[0]);
    char vkeys[64], view_labels[256];
    help_views(vkeys, sizeof vkeys, view_labels, sizeof view_labels);
    const char *keys[sizeof KEYS / sizeof KEYS[0]][2];
    for (int i = 0; i < n; i++) {
        keys[i][0] = KEYS[i][0] ? _(KEYS[i][0]) : vkeys;
        keys[i][1] = KEYS[i][1] ? _(KEYS[i][1]) : view_labels;
    }
    int px = cx->fs, lh = px * 3 / 2 + 2, kw = 0;
    for (int i = 0; i < n; i++) {
        int tw = text_width(cx, px, keys[i][0]);
        if (tw > kw) kw = tw;
    }
    SDL_Rect box = {w / 12, h / 2 - (n + 2) * lh / 2, w - w / 6, (n + 2) * lh};
    fill_rect(cx, (SDL_Rect){0, 0, w, h}, (SDL_Color){0, 0, 0, 150});
    fill_rect(cx, box, (SDL_Color){24, 27, 33, 250});
    frame_rect(cx, box, COL_ACCENT, 1);
    draw_text(cx, px + 2, box.x + 2 * cx->pad, box.y + lh / 2, ALIGN_LEFT, COL_ACCENT, _("Keys"));
    for (int i = 0; i < n; i++) {
        int y = box.y + (i + 1) * lh + lh / 2;
        draw_text(cx, px, box.x + 2 * cx->pad, y, ALIGN_LEFT, COL_TEXT, keys[i][0]);
        char fit[256];
        text_fit(cx, px, keys[i][1], box.w - kw - 6 * cx->pad, fit, sizeof fit);
        draw_text(cx, px, box.x + 4 * cx->pad + kw, y, ALIGN_LEFT, COL_DIM, fit);
    }
}

void viz_frame_draw(Viz *v) {
    VizCtx *cx = &v->cx;
    int w, h;
    if (SDL_GetRendererOutputSize(v->ren, &w, &h) != 0) return;
    viz_update_metrics(v);
    const VizState *st = v->st;
    VizView view = v->pinned;
    if (view == VIZ_FOLLOW) view = viz_view_followed(v);
    v->shown = view;
    v->frames++;
    VizState both;
    st = fig_state_for(st, view, &both);
    viz_clamp_position(cx, st ? st->trace : NULL);
    cx->ntip = 0;
    cx->nlabels = 0;
    cx->next_group = 0;
    cx->grid.used = 0;
    cx->open_view = -1;

    SDL_SetRenderDrawBlendMode(v->ren, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(v->ren, COL_BG.r, COL_BG.g, COL_BG.b, 255);
    SDL_RenderClear(v->ren);
    int bar_h = cx->fs * 2 + cx->pad / 2;
    SDL_Rect title = {0, 0, w, bar_h}, foot = {0, h - bar_h, w, bar_h};
    SDL_Rect area = {0, bar_h, w, h - 2 * bar_h};
    SDL_RenderSetClipRect(v->ren, &area);
    if (st) viz_view_ops(view)->draw(cx, v->self[view], st, area);
    else draw_notice(cx, area, "Bertology", _("Type a sentence in the REPL to see inside the model."));
    SDL_RenderSetClipRect(v->ren, NULL);
    draw_title(v, view, title);
    draw_footer(v, foot);
    draw_tooltip(cx, w, h);
    if (v->help) draw_help(cx, w, h);
    cx->click = 0;
    if (cx->open_view >= 0) {
        /* A click asked for another view: show it on the next frame. */
        v->pinned = cx->open_view;
        v->dirty = 1;
    }
}
