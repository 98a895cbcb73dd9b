/* Helpers shared by the window-view tests (see viewcheck.h). */
#include "viewcheck.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testutil.h"

const unsigned char VIEW_BG[3] = {18, 20, 25};

Viz *view_open(int w, int h) {
    VizOptions o = {w, h, NULL, 1};
    BtError err = {""};
    Viz *v = NULL;
    if (viz_open(&v, &o, &err)) {
        fprintf(stderr, "viz_open: %s\n", err.msg);
        exit(1);
    }
    return v;
}

void view_shoot(Viz *v, const char *name, Image *im) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.png", test_tmpdir(), name);
    BtError err = {""};
    int rc = viz_screenshot(v, path, &err);
    CHECKF(rc == 0, "screenshot %s: %s", name, err.msg);
    const char *keep = getenv("BT_VIEW_PNG_DIR");
    if (keep && *keep) {
        char copy[1024];
        snprintf(copy, sizeof copy, "%s/%s.png", keep, name);
        viz_screenshot(v, copy, &err);
    }
    CHECKF(image_load(im, path) == 0, "cannot read back %s", path);
}

void view_common_checks(Viz *v, const Image *im, int w, int h, const char *what) {
    CHECKF(im->w == w && im->h == h, "%s: %d×%d, want %d×%d", what, im->w, im->h, w, h);
    if (!im->rgb) return;
    int bar = v->cx.fs * 2 + v->cx.pad / 2;
    SDL_Rect area = {0, bar, w, h - 2 * bar};
    CHECKF(image_colours(im, area) > 40, "%s: blank (%d colours)", what, image_colours(im, area));
    CHECKF(image_text(im, (SDL_Rect){0, 0, w, bar}) > 80, "%s: no title text", what);
    CHECKF(image_text(im, (SDL_Rect){0, h - bar, w, bar}) > 80, "%s: no footer text", what);
    const VizCtx *cx = &v->cx;
    int bad = 0, blank = 0;
    for (int i = 0; i < cx->nlabels; i++) {
        const SDL_Rect *a = &cx->labels[i].rect;
        if (image_ink(im, *a, VIEW_BG, 40) == 0 && a->w > 0) blank++;
        for (int j = i + 1; j < cx->nlabels; j++)
            if (cx->labels[j].group == cx->labels[i].group && SDL_HasIntersection(a, &cx->labels[j].rect)) {
                if (bad++ < 3)
                    fprintf(stderr, "%s: labels %d and %d of group %d overlap\n", what, i, j, cx->labels[i].group);
            }
    }
    CHECKF(bad == 0, "%s: %d overlapping labels", what, bad);
    CHECKF(blank == 0, "%s: %d labels without ink", what, blank);
}

void view_push_key(SDL_Keycode k) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    SDL_PushEvent(&e);
}

void view_settle(Viz *v) {
    for (int i = 0; i < 4; i++) viz_pump(v, 20);
}
