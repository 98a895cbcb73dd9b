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

VizState view_state(const BertModel *m, const Pass *p, Stage stage, VizView instrument) {
    static unsigned gen;
    VizState st;
    memset(&st, 0, sizeof st);
    st.model = m;
    st.trace = &p->tr;
    st.tokens = (const char *const *)p->tokens;
    st.pos = (StagePos){stage, 0, 0};
    st.top_k = 5;
    if (instrument != VIZ_FOLLOW) {
        st.instrument = instrument;
        st.instrument_gen = ++gen;
    }
    return st;
}

int view_default_model(BertModel *m) {
    char dir[4096];
    const char *root = getenv("BT_SOURCE_ROOT");
    snprintf(dir, sizeof dir, "%s/assets/models/default", root ? root : ".");
    BtError err = {""};
    return model_load(m, dir, &err) != 0;
}

void view_notice_checks(Viz *v, const Image *im, int w, int h, const char *what) {
    CHECKF(im->w == w && im->h == h, "%s: %d×%d, want %d×%d", what, im->w, im->h, w, h);
    if (!im->rgb) return;
    int fs = v->cx.fs;
    CHECKF(image_text(im, (SDL_Rect){0, h / 2 - 3 * fs, w, 6 * fs}) > 300, "%s: no notice", what);
    CHECKF(image_text(im, (SDL_Rect){0, h / 2 + fs / 2, w / 8, 2 * fs}) == 0, "%s: the notice is not centred", what);
}

const char *view_run_what(ViewRun *r, const char *part) {
    snprintf(r->what, sizeof r->what, "%s-%s%s%s-%dx%d", r->c->name, r->real ? "model" : "random", part ? "-" : "",
             part ? part : "", r->w, r->h);
    return r->what;
}

static const char *shown_name(VizView id) {
    const char *n = id >= 0 && id < VIZ_VIEW_COUNT ? viz_view_name(id) : NULL;
    return n ? n : "(none)";
}

/* One step of a test: which view the window shows after it. */
static void expect_shown(Viz *v, VizView want, const char *test, const char *step) {
    CHECKF(v->shown == want, "%s: %s: shows %s, want %s", test, step, shown_name(v->shown), shown_name(want));
}

int view_case_test(const ViewCase *c, int w, int h) {
    ViewRun r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.v = view_open(w, h);
    r.w = w;
    r.h = h;
    Viz *v = r.v;
    for (r.real = 0; r.real < (c->random_only ? 1 : 2); r.real++) {
        view_run_what(&r, NULL);
        int rc = c->setup(c->data, r.real);
        if (rc == 1) {
            printf("no default model: the real half is skipped\n");
            c->teardown(c->data);
            continue;
        }
        CHECKF(rc == 0, "%s: setup failed", r.what);
        if (rc) {
            c->teardown(c->data);
            continue;
        }
        r.st = c->state(c->data, 1, c->stage);
        viz_set_state(v, &r.st);
        viz_select_view(v, c->id);
        Image im;
        view_shoot(v, r.what, &im);
        expect_shown(v, c->id, r.what, "picked");
        view_common_checks(v, &im, w, h, r.what);
        CHECKF(c->drawn(v), "%s: no result drawn", r.what);
        c->checks(v, &im, c->data, r.what);
        image_free(&im);
        if (c->more) c->more(&r, c->data);

        /* no result yet: a notice that says how to make one */
        r.st = c->state(c->data, 0, c->stage);
        viz_set_state(v, &r.st);
        view_shoot(v, view_run_what(&r, "none"), &im);
        expect_shown(v, c->id, r.what, "picked, without a result");
        CHECKF(!c->drawn(v), "%s: a result drawn without one", r.what);
        view_notice_checks(v, &im, w, h, r.what);
        image_free(&im);
        viz_set_state(v, NULL);
        c->teardown(c->data);
    }
    viz_close(v);
    char name[96];
    snprintf(name, sizeof name, "view_%s %dx%d", c->name, w, h);
    return test_done(name);
}

int view_case_follow(const ViewCase *c) {
    char t[96];
    snprintf(t, sizeof t, "view_%s_follow", c->name);
    int rc = c->setup(c->data, 0);
    CHECKF(rc == 0, "%s: setup failed", t);
    if (rc) {
        c->teardown(c->data);
        return test_done(t);
    }
    Viz *v = view_open(1024, 700);
    CHECKF(viz_view_by_name(c->name) == c->id && strcmp(viz_view_name(c->id), c->name) == 0,
           "%s: not %s in the views' table", t, c->name);
    VizState st = c->state(c->data, 0, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, VIZ_HEATMAP, t, "a sentence at the attention stage");
    /* a result made: followed, through other commands too; a move in the REPL: its stage again */
    st = c->state(c->data, 1, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, c->id, t, "a result made");
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, c->id, t, "the same state again");
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, VIZ_HEATMAP, t, "a move to layer 1");
    /* a picked view stays through a new result; 0 then follows it */
    view_push_key(SDLK_3);
    view_settle(v);
    expect_shown(v, VIZ_HEAD_VIEW, t, "3 pressed");
    st = c->state(c->data, 2, STAGE_ATTN);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, VIZ_HEAD_VIEW, t, "another result, 3 picked");
    view_push_key(SDLK_0);
    view_settle(v);
    expect_shown(v, c->id, t, "0 pressed after another result");
    /* its key, on the other result */
    view_push_key(SDLK_1);
    view_settle(v);
    expect_shown(v, VIZ_HEATMAP, t, "1 pressed");
    view_push_key(c->key);
    view_settle(v);
    expect_shown(v, c->id, t, "its key pressed");
    CHECKF(v->pinned == c->id, "%s: its key does not pin it (pinned %d)", t, (int)v->pinned);
    Image im;
    char shot[96];
    snprintf(shot, sizeof shot, "%s-key-1024x700", c->name);
    view_shoot(v, shot, &im);
    CHECKF(c->drawn(v), "%s: no result drawn", shot);
    if (c->pinned) c->pinned(v, c->data, shot);
    image_free(&im);
    /* followed again: the first result made anew */
    view_push_key(SDLK_0);
    st = c->state(c->data, 1, STAGE_ATTN);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, c->id, t, "0 pressed, the first result made again");
    CHECKF(v->pinned == VIZ_FOLLOW, "%s: 0 does not follow (pinned %d)", t, (int)v->pinned);
    if (!c->by_address) {
        /* the instrument the REPL ran last wins: a rollout after it, then it again */
        st.instrument = VIZ_ROLLOUT;
        st.instrument_gen++;
        viz_set_state(v, &st);
        view_settle(v);
        expect_shown(v, VIZ_ROLLOUT, t, "a rollout after it");
        st = c->state(c->data, 1, STAGE_ATTN);
        st.pos.layer = 1;
        viz_set_state(v, &st);
        view_settle(v);
        expect_shown(v, c->id, t, "it again after a rollout");
    }
    /* the result dropped with its model (no instrument any more) gives the stage back */
    VizState none = c->state(c->data, 0, STAGE_ATTN);
    none.pos = st.pos;
    none.instrument = VIZ_FOLLOW;
    none.instrument_gen = st.instrument_gen;
    st = none;
    viz_set_state(v, &st);
    view_settle(v);
    expect_shown(v, VIZ_HEATMAP, t, "the result dropped");
    if (c->follow_more) c->follow_more(v, &st, c->data);
    viz_close(v);
    c->teardown(c->data);
    return test_done(t);
}

int view_case_main(const ViewCase *c, int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "follow") == 0) return view_case_follow(c);
    if (argc < 4 || strcmp(argv[1], c->name) != 0) {
        fprintf(stderr, "usage: %s %s W H | follow\n", argv[0], c->name);
        return 2;
    }
    return view_case_test(c, atoi(argv[2]), atoi(argv[3]));
}
