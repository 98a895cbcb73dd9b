/* The window's life: opening it (display, renderer, font), taking the
 * REPL's state, picking views, and saving screenshots. */
#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>
#include "png_write.h"
#include "viz_internal.h"

VizView viz_view_followed(const Viz *v) { return view_follow_pick(&v->follow, v->st); }

void viz_update_metrics(Viz *v) {
    int ww, wh, ow, oh;
    SDL_GetWindowSize(v->win, &ww, &wh);
    if (SDL_GetRendererOutputSize(v->ren, &ow, &oh) != 0 || ww <= 0) {
        ow = ww;
        oh = wh;
    }
    float dpi = ww > 0 ? (float)ow / ww : 1;
    if (dpi < 1) dpi = 1;
    /* Sizes in window points, so that a HiDPI screen gets the same layout
     * in more pixels; smaller windows get smaller text before anything is
     * dropped. */
    float base = ww >= 1100 && wh >= 700 ? 15 : ww >= 700 && wh >= 500 ? 13 : 12;
    v->cx.dpi = dpi;
    v->cx.fs = (int)(base * dpi + 0.5f);
    v->cx.fs_min = (int)(9 * dpi + 0.5f);
    v->cx.pad = (int)(8 * dpi + 0.5f);
}

int viz_open(Viz **out, const VizOptions *opt, BtError *err) {
    *out = NULL;
    VizOptions def = {0};
    if (!opt) opt = &def;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return bt_fail(err, "no display for the window (%s); the REPL works without it", SDL_GetError());
    if (TTF_Init() != 0) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return bt_fail(err, "SDL_ttf: %s", TTF_GetError());
    }
    Viz *v = calloc(1, sizeof *v);
    if (!v) {
        TTF_Quit();
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return bt_fail(err, "out of memory");
    }
    int w = opt->width > 0 ? opt->width : 1280, h = opt->height > 0 ? opt->height : 800;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | (opt->hidden ? SDL_WINDOW_HIDDEN : 0);
    v->win = SDL_CreateWindow("Bertology", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h, flags);
    if (!v->win) {
        bt_fail(err, "cannot open a window (%s); the REPL works without it", SDL_GetError());
        goto fail;
    }
    SDL_SetWindowMinimumSize(v->win, 640, 480);
    /* Vsync paces presents to the screen; the software renderer (dummy
     * driver, no GPU) is the fallback and also what tests read back. */
    v->ren = SDL_CreateRenderer(v->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!v->ren) v->ren = SDL_CreateRenderer(v->win, -1, SDL_RENDERER_SOFTWARE);
    if (!v->ren) {
        bt_fail(err, "cannot draw in the window: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetRenderDrawBlendMode(v->ren, SDL_BLENDMODE_BLEND);
    if (font_open(&v->font, v->ren, opt->font_path, err)) goto fail;
    for (int i = 0; i < VIZ_VIEW_COUNT; i++) {
        size_t size = viz_view_ops(i)->size;
        if (size && !(v->self[i] = calloc(1, size))) {
            bt_fail(err, "out of memory");
            goto fail;
        }
    }
    v->cx.r = v->ren;
    v->cx.font = v->font;
    v->cx.cache = &v->cache;
    v->cx.zoom = 1;
    v->cx.pitch = 0.35f;
    v->cx.yaw = 0.6f;
    v->cx.open_view = -1;
    v->cx.level = 1;
    v->pinned = VIZ_FOLLOW;
    v->dirty = 1;
    viz_update_metrics(v);
    *out = v;
    return 0;
fail:
    viz_close(v);
    return -1;
}

void viz_close(Viz *v) {
    if (!v) return;
    for (int i = 0; i < VIZ_VIEW_COUNT; i++) {
        const ViewOps *ops = viz_view_ops(i);
        if (v->self[i] && ops->free) ops->free(v->self[i]);
        free(v->self[i]);
    }
    fig_cache_free(&v->cache);
    font_close(v->font);
    if (v->ren) SDL_DestroyRenderer(v->ren);
    if (v->win) SDL_DestroyWindow(v->win);
    free(v);
    TTF_Quit();
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

void viz_set_state(Viz *v, const VizState *st) {
    v->st = st;
    v->cx.gen++;
    /* A move in the REPL takes the local settings (layer, head, ...) back to it. */
    if (view_follow_update(&v->follow, st)) {
        FigParams p;
        fig_params_follow(&p, st);
        v->cx.layer = p.layer;
        v->cx.head = p.head;
        v->cx.level = p.level;
        v->cx.scores = p.scores;
    }
    v->dirty = 1;
}

VizView viz_shown_view(const Viz *v) {
    if (v->pinned != VIZ_FOLLOW) return v->pinned;
    return viz_view_followed(v);
}

int viz_figure(Viz *v, VizView view, Figure *f, BtError *err) {
    static const VizState none;
    VizState both;
    const VizState *st = fig_state_for(v->st ? v->st : &none, view, &both);
    viz_clamp_position(&v->cx, st->trace);
    return viz_view_figure(&v->cx, view, v->self[view], st, f, err);
}

void viz_select_view(Viz *v, VizView view) {
    v->pinned = view >= 0 && view < VIZ_VIEW_COUNT ? view : VIZ_FOLLOW;
    v->dirty = 1;
}

int viz_screenshot(Viz *v, const char *png_path, BtError *err) {
    /* The back buffer is undefined after a present, so draw the frame
     * again (same state, same picture), read it, then show it. */
    viz_frame_draw(v);
    int w, h;
    if (SDL_GetRendererOutputSize(v->ren, &w, &h) != 0) return bt_fail(err, "screenshot: %s", SDL_GetError());
    unsigned char *px = malloc((size_t)w * h * 3);
    if (!px) return bt_fail(err, "out of memory for a %d×%d screenshot", w, h);
    int rc = 0;
    if (SDL_RenderReadPixels(v->ren, NULL, SDL_PIXELFORMAT_RGB24, px, w * 3) != 0)
        rc = bt_fail(err, "screenshot: cannot read the window: %s", SDL_GetError());
    else
        rc = png_write_rgb(png_path, px, w, h, w * 3, err);
    free(px);
    SDL_RenderPresent(v->ren);
    v->last_draw_ms = SDL_GetTicks();
    v->dirty = 0;
    return rc;
}
