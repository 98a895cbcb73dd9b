/* Helpers shared by the window-view tests (see viewcheck.h). */
#include "viewcheck.h"
#include <ctype.h>
#include <stdarg.h>
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

int view_rgb_near(const unsigned char *px, uint32_t rgba, int tol) {
    return abs(px[0] - (int)(rgba >> 24)) <= tol && abs(px[1] - (int)((rgba >> 16) & 255)) <= tol &&
           abs(px[2] - (int)((rgba >> 8) & 255)) <= tol;
}

int view_pixel_is(const unsigned char *px, uint32_t rgba, const char *fmt, ...) {
    if (view_rgb_near(px, rgba, 6)) return 1;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " is %d,%d,%d, want %d,%d,%d\n", px[0], px[1], px[2], (int)(rgba >> 24), (int)((rgba >> 16) & 255),
            (int)((rgba >> 8) & 255));
    return 0;
}

void view_header_check(Viz *v, const Image *im, const char *what) {
    int fs = v->cx.fs, bar = fs * 2 + v->cx.pad / 2;
    CHECKF(image_text(im, (SDL_Rect){0, bar, im->w, 3 * fs}) > 300, "%s: no header", what);
}

void view_grid_words(Viz *v, const Image *im, SDL_Rect g, long left_ink, const char *left, long top_ink,
                     const char *top, const char *what) {
    int fs = v->cx.fs;
    CHECKF(image_text(im, (SDL_Rect){g.x - 6 * fs, g.y, 6 * fs, g.h}) > left_ink, "%s: no %s", what, left);
    CHECKF(image_text(im, (SDL_Rect){g.x, g.y - 2 * fs, g.w, 2 * fs}) > top_ink, "%s: no %s", what, top);
    view_header_check(v, im, what);
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
        int rc = c->setup(c, r.real);
        if (rc == 1) {
            printf("no default model: the real half is skipped\n");
            c->teardown(c);
            continue;
        }
        CHECKF(rc == 0, "%s: setup failed", r.what);
        if (rc) {
            c->teardown(c);
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
        c->teardown(c);
    }
    viz_close(v);
    char name[96];
    snprintf(name, sizeof name, "view_%s %dx%d", c->name, w, h);
    return test_done(name);
}

/* The random model's setup for the test named t: 0, or nonzero (a
 * failure counted, torn down) when it failed. */
static int case_setup_random(const ViewCase *c, const char *t) {
    int rc = c->setup(c, 0);
    CHECKF(rc == 0, "%s: setup failed", t);
    if (rc) c->teardown(c);
    return rc;
}

int view_case_follow(const ViewCase *c) {
    char t[96];
    snprintf(t, sizeof t, "view_%s_follow", c->name);
    if (case_setup_random(c, t)) return test_done(t);
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
    c->teardown(c);
    return test_done(t);
}

/* ---- the window's words in the message language ---------------------------- */

enum { MAX_DRAWN = 4096 };
static char *drawn[MAX_DRAWN];
static int ndrawn;

static void keep_text(void *arg, const char *s) {
    (void)arg;
    if (ndrawn < MAX_DRAWN) drawn[ndrawn++] = strdup(s);
}

static void drop_texts(void) {
    for (int i = 0; i < ndrawn; i++) free(drawn[i]);
    ndrawn = 0;
}

/* English words of the window's text that Portuguese does not use ("a",
 * "no", "do", "as", "token", "bits" are Portuguese too). */
static const char *const ENGLISH[] = {
    "the", "of", "and", "is", "are", "each", "with", "without", "yet", "head", "heads", "layer", "layers",
    "knocked", "out", "which", "matter", "position", "word", "vector", "depends", "gradient", "gradients",
    "input", "integrated", "steps", "step", "completeness", "baseline", "every", "red", "blue", "raises",
    "lowers", "framed", "needed", "better", "most", "run", "query", "draws", "from", "column", "sums", "click",
    "ask", "about", "mixed", "role", "share", "sentence", "sentences", "rows", "entropy", "spread", "evenly",
    "self", "prev", "next", "punct", "rank", "guess", "scale", "colour", "largest", "here", "moved", "mean",
    "distance", "per", "hidden", "cosine", "partner", "changed", "window", "small", "larger", "make", "type",
    "this", "that", "its", "to", "at", "by", "for", "flow", "attention", "averaged", "what", "exact", "takes",
    "file", "target", "half", "after", "open", "besides", "finite", "result", "already", "sign", "bar", "off",
    "nothing", "follow", "following", "pinned", "stage", "keys", "views", "pick", "save", "hover", "drag", "wheel",
    "then", "in", "on", "it", "or", "raw", "scores", "probabilities", "reset", "camera", "view", "dimensions",
    "positions", "sinusoid",
};

static int in_list(const char *w, const char *const *list, int n) {
    for (int i = 0; i < n; i++)
        if (!strcmp(w, list[i])) return 1;
    return 0;
}

static int allowed(const char *w, const char *const *words) {
    /* the English names a translation keeps beside its own (pt/ru: "rollout") */
    static const char *const KEEP[] = {"log", "cos", "sin", "softmax", "rollout", "emb", "bits"};
    if (in_list(w, KEEP, (int)(sizeof KEEP / sizeof KEEP[0]))) return 1;
    /* the REPL's stage names, typed as they are (`stage attn`) */
    for (int st = 0; st < STAGE_COUNT; st++)
        if (!strcmp(w, stage_info((Stage)st)->name)) return 1;
    for (int i = 0; words && words[i]; i++)
        if (!strcmp(w, words[i])) return 1;
    return 0;
}

/* Whether the chunk (no spaces) is a name with inner punctuation:
 * "bertology-YYYYMMDD.png", "what-if", "step-N", "0.5". */
static int identifier(const char *c, size_t n) {
    for (size_t i = 1; i + 1 < n; i++)
        if (strchr("-_./", c[i]) && isalnum((unsigned char)c[i - 1]) && isalnum((unsigned char)c[i + 1])) return 1;
    return 0;
}

/* s without what the user typed or the model gave: quotes of every kind,
 * [TOKENS], `code`, identifiers and file names. An apostrophe between
 * letters ("token's") is no quote. */
static void unquote(const char *s, char *out, size_t n) {
    static const char *const PAIRS[][2] = {{"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xC2\xAB", "\xC2\xBB"},
                                           {"\"", "\""}, {"`", "`"}, {"[", "]"}, {"'", "'"}};
    size_t o = 0;
    for (size_t i = 0; s[i] && o + 1 < n;) {
        int skipped = 0;
        for (size_t p = 0; p < sizeof PAIRS / sizeof PAIRS[0] && !skipped; p++) {
            size_t ol = strlen(PAIRS[p][0]);
            if (strncmp(s + i, PAIRS[p][0], ol) != 0) continue;
            if (PAIRS[p][0][0] == '\'' && i > 0 && isalpha((unsigned char)s[i - 1])) continue;
            const char *end = strstr(s + i + ol, PAIRS[p][1]);
            if (!end) continue;
            i = (size_t)(end - s) + strlen(PAIRS[p][1]);
            out[o++] = ' ';
            skipped = 1;
        }
        if (!skipped) out[o++] = s[i++];
    }
    out[o] = 0;
    for (char *c = out; *c;) {
        size_t k = strcspn(c, " \t(),;:");
        if (k && identifier(c, k)) memset(c, ' ', k);
        c += k ? k : 1;
    }
}

/* Words of s: runs of letters (ASCII or any UTF-8 byte). Of the words in
 * lower-case ASCII letters (*latin counts them), returns how many are
 * English for lang ("en" and "pt": in the list; "ru": every one). */
static int english_words(const char *s, const char *lang, const char *const *words, const char *what, int *latin) {
    char buf[1024];
    unquote(s, buf, sizeof buf);
    int found = 0;
    *latin = 0;
    for (const char *p = buf; *p;) {
        if (!isalpha((unsigned char)*p) && !((unsigned char)*p & 0x80)) { p++; continue; }
        const char *q = p;
        int ascii = 1, upper = 0;
        while (*q && (isalpha((unsigned char)*q) || ((unsigned char)*q & 0x80))) {
            if ((unsigned char)*q & 0x80) ascii = 0;
            else if (isupper((unsigned char)*q)) upper = 1;
            q++;
        }
        char w[64];
        snprintf(w, sizeof w, "%.*s", (int)(q - p < 63 ? q - p : 63), p);
        p = q;
        /* a name or an abbreviation (NSP, IsNext, Tab), one or two letters (p, x, h3, bq in a formula,
         * et al.: a sentence left in English has longer words too) */
        if (!ascii || upper || strlen(w) < 3 || allowed(w, words)) continue;
        ++*latin;
        int english = !strcmp(lang, "ru") ? 1 : in_list(w, ENGLISH, (int)(sizeof ENGLISH / sizeof ENGLISH[0]));
        if (!english) continue;
        if (strcmp(lang, "en") != 0) fprintf(stderr, "%s (%s): English '%s' in \"%s\"\n", what, lang, w, s);
        found++;
    }
    return found;
}

int view_check_language(Viz *v, const char *what, const char *const *words) {
    static const char *const LANGS[] = {"en", "pt", "ru"};
    int was_in = v->cx.mouse_in, mx = v->cx.mx, my = v->cx.my, bad = 0;
    if (!was_in) {
        viz_frame_draw(v);
        if (v->cx.grid.used) {
            const VizGrid *g = &v->cx.grid;
            v->cx.mx = g->rect.x + g->rect.w / (2 * g->cols);
            v->cx.my = g->rect.y + g->rect.h / (2 * g->rows);
            v->cx.mouse_in = 1;
        }
    }
    for (int l = 0; l < 3; l++) {
        bt_i18n_use(LANGS[l]);
        drop_texts();
        v->cx.on_text = keep_text;
        v->help = 1;
        viz_frame_draw(v);
        v->help = 0;
        v->cx.on_text = NULL;
        int strings = 0, english = 0, tips = v->cx.ntip, wordy = 0, wordy_english = 0;
        for (int i = 0; i < ndrawn; i++) {
            int latin, n = english_words(drawn[i], LANGS[l], words, what, &latin);
            english += n;
            strings += n > 0;
            wordy += latin >= 3;
            wordy_english += latin >= 3 && n > 0;
            if (l == 0 && latin >= 3 && n == 0) fprintf(stderr, "%s (en): no English found in \"%s\"\n", what, drawn[i]);
        }
        printf("%s: %s: %d strings drawn (%d tooltip lines), %d with English, %d English words\n", what, LANGS[l],
               ndrawn, tips, strings, english);
        CHECKF(ndrawn > 20, "%s: %s: only %d strings drawn", what, LANGS[l], ndrawn);
        if (l == 0) {
            /* the same frame in English: the list finds English in (nearly) every string of three words or more */
            CHECKF(wordy >= 10 && wordy_english * 10 >= wordy * 9, "%s: the list finds English in only %d of the %d "
                   "English strings of 3 words or more: the check would not see English", what, wordy_english, wordy);
        } else {
            CHECKF(english == 0, "%s: %d English words in the %s window (above)", what, english, LANGS[l]);
            bad += english;
            char name[160];
            Image im;
            snprintf(name, sizeof name, "%s-%s", what, LANGS[l]);
            view_shoot(v, name, &im);
            image_free(&im);
        }
        drop_texts();
    }
    bt_i18n_use("en");
    v->cx.mouse_in = was_in;
    v->cx.mx = mx;
    v->cx.my = my;
    return bad;
}

int view_case_language(const ViewCase *c) {
    char t[96];
    snprintf(t, sizeof t, "view_%s_language", c->name);
    if (case_setup_random(c, t)) return test_done(t);
    if (c->language_prep) c->language_prep(c->data);
    /* what the view may show as it is: the model's words, the commands typed */
    int nt = 0;
    while (c->typed && c->typed[nt]) nt++;
    const char **words = calloc((size_t)(c->nvocab + nt + 1), sizeof *words);
    if (!words) {
        c->teardown(c);
        CHECKF(0, "%s: out of memory", t);
        return test_done(t);
    }
    for (int i = 0; i < c->nvocab; i++) words[i] = c->vocab[i];
    for (int i = 0; i < nt; i++) words[c->nvocab + i] = c->typed[i];
    static const int SIZES[2][2] = {{1280, 800}, {800, 600}};
    for (int z = 0; z < 2; z++) {
        Viz *v = view_open(SIZES[z][0], SIZES[z][1]);
        char what[96];
        /* its first result (hovered by view_check_language: its tooltip too), then its notice */
        VizState st = c->state(c->data, 1, c->stage);
        viz_set_state(v, &st);
        viz_select_view(v, c->id);
        snprintf(what, sizeof what, "%s-language-%dx%d", c->name, SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        st = c->state(c->data, 0, c->stage);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "%s-none-language-%dx%d", c->name, SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        viz_set_state(v, NULL);
        viz_close(v);
    }
    free(words);
    c->teardown(c);
    return test_done(t);
}

int view_case_main(const ViewCase *c, int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "follow") == 0) return view_case_follow(c);
    if (argc >= 2 && strcmp(argv[1], "language") == 0) return view_case_language(c);
    if (argc < 4 || strcmp(argv[1], c->name) != 0) {
        fprintf(stderr, "usage: %s %s W H | follow | language\n", argv[0], c->name);
        return 2;
    }
    return view_case_test(c, atoi(argv[2]), atoi(argv[3]));
}
