#ifndef BT_TESTS_VIEWCHECK_H
#define BT_TESTS_VIEWCHECK_H
/* What every window-view test needs: a window, a screenshot read back,
 * the checks every view must pass, and synthetic key presses. */
#include "bertology/pass.h"
#include "image.h"
#include "viz/viz_internal.h"

/* The window's background colour (src/viz palette). */
extern const unsigned char VIEW_BG[3];

/* Opens a headless-capable window of w×h; exits the test if it cannot. */
Viz *view_open(int w, int h);
/* Saves what the window shows as name.png in the test's temporary
 * directory (and in $BT_VIEW_PNG_DIR when set) and reads it back. */
void view_shoot(Viz *v, const char *name, Image *im);
/* The right size, a picture, text in the title and footer, labels that
 * do not overlap and are inked. */
void view_common_checks(Viz *v, const Image *im, int w, int h, const char *what);
void view_push_key(SDL_Keycode k);
/* Whether the pixel px is the colour rgba (0xRRGGBBAA, as cmap_rgba
 * gives) within tol in each channel. */
int view_rgb_near(const unsigned char *px, uint32_t rgba, int tol);
/* The same within 6 (a cell of a view's colour scale); when not, says
 * so on stderr: the place named by fmt, its colour and the one wanted. */
int view_pixel_is(const unsigned char *px, uint32_t rgba, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The header a view writes under the title bar has text. */
void view_header_check(Viz *v, const Image *im, const char *what);
/* The words around a grid or panel g: more than left_ink text pixels in
 * the 6 font sizes left of it (left names them: "layer labels"), more
 * than top_ink in the 2 lines above it (top names them), and the header. */
void view_grid_words(Viz *v, const Image *im, SDL_Rect g, long left_ink, const char *left, long top_ink,
                     const char *top, const char *what);
/* The window speaks the message language: the view as it stands (the
 * mouse over the grid's first cell unless the caller placed it, so that
 * the tooltip is read too) and the keys' help over it are drawn in en, pt
 * and ru, and every string drawn is read (VizCtx.on_text). In ru no word
 * in Latin letters may be left, in pt none of a list of English words;
 * in en that list must find English (the check is proved on the same
 * frame). words: what the view may show as it is (the model's tokens),
 * NULL-terminated. Pictures: what-pt.png and what-ru.png. Returns the
 * number of English words found in pt and ru. */
int view_check_language(Viz *v, const char *what, const char *const *words);
/* Pumps until the queued events are handled and the frame is drawn. */
void view_settle(Viz *v);
/* The REPL's state with a sentence's pass at stage, the top 5 asked for;
 * with an instrument (not VIZ_FOLLOW), just after its command made a
 * result: the window's instrument is that view, with a new generation (as
 * the command sets it). The caller sets the result's own field. */
VizState view_state(const BertModel *m, const Pass *p, Stage stage, VizView instrument);
/* Loads the shipped default model (assets/models/default under
 * $BT_SOURCE_ROOT): 0, or 1 when there is none (a test then skips it). */
int view_default_model(BertModel *m);
/* The notice a view draws without its result: the right size, a line of
 * text across the middle of the window, centred (none at its far left). */
void view_notice_checks(Viz *v, const Image *im, int w, int h, const char *what);

/* One instrument's view (lens, scan, saliency, what-if, compare) as the
 * two harnesses below drive it: what differs between them, and nothing else. */
typedef struct ViewCase ViewCase;

/* One picture's run of view_case_test: the window, its size, the model
 * and the name every failure carries ("lens-random-800x600"). */
typedef struct {
    const ViewCase *c;
    Viz *v;
    int w, h;
    int real;                   /* 0: the random model, 1: the default model */
    char what[96];
    VizState st;                /* the state the window holds (it keeps the pointer) */
} ViewRun;

struct ViewCase {
    VizView id;                 /* VIZ_LENS ... */
    const char *name;           /* its name in the views' table, and in the PNGs' names */
    SDL_Keycode key;            /* the key that pins it */
    Stage stage;                /* where the REPL stands in view_case_test */
    int random_only;            /* no half on the default model */
    int by_address;             /* followed by its result's address, not by instrument_gen (compare) */
    void *data;                 /* the test's own setup, handed to every callback */
    /* Builds the models and results: 0, 1 when real and there is no
     * default model (the real half is skipped), -1 on failure. teardown
     * is called after either. The instruments run on one sentence use
     * view_sentence_setup and view_sentence_teardown (sentencecase.h). */
    int (*setup)(const ViewCase *c, int real);
    void (*teardown)(const ViewCase *c);
    /* For view_sentence_setup: data (size bytes) starts with a
     * ViewSentence; the random model's layers; the pass's options (NULL:
     * the MLM head on); make() makes the results from the pass (-1 on
     * failure, err says why); drop() frees them. */
    size_t size;
    int layers;
    const PassOptions *pass_opts;
    int (*make)(void *data, BtError *err);
    void (*drop)(void *data);
    /* The REPL's state at stage: which 0 without a result, 1 just after
     * the first result was made, 2 just after another one (a new generation
     * each time, as the REPL's command sets it). */
    VizState (*state)(void *data, int which, Stage stage);
    /* Whether the view drew a result (0: its notice). */
    int (*drawn)(Viz *v);
    /* The view's own checks of the first result's picture. */
    void (*checks)(Viz *v, const Image *im, void *data, const char *what);
    /* Optional: more of the first result (hovering, other variants),
     * between the checks and the notice. */
    void (*more)(ViewRun *r, void *data);
    /* Optional: what the second result must show once pinned by the key. */
    void (*pinned)(Viz *v, void *data, const char *what);
    /* Optional: more of the follow test, before the window closes. */
    void (*follow_more)(Viz *v, VizState *st, void *data);
    /* The language test (view_case_language): the random model's words
     * (nvocab of them) and the commands its notice tells the learner to
     * type (NULL-terminated), which pt and ru keep as they are. */
    const char *const *vocab;
    int nvocab;
    const char *const *typed;
    /* Optional: before the language test draws (after setup). */
    void (*language_prep)(void *data);
};

/* Sets r->what to "NAME-MODEL[-part]-WxH" and returns it. */
const char *view_run_what(ViewRun *r, const char *part);
/* The view at w×h on the random model and the default one: drawn,
 * shot, the common checks, its own, more, then its notice without a
 * result. Returns test_done's code. */
int view_case_test(const ViewCase *c, int w, int h);
/* The window follows a new result unless a view is pinned; the key pins
 * it; the result dropped gives the stage back. Returns test_done's code. */
int view_case_follow(const ViewCase *c);
/* The view with its first result and its notice, at 1280×800 and
 * 800×600 on the random model, read in en, pt and ru by
 * view_check_language (its tooltip and the keys' help too). Returns
 * test_done's code ("view_NAME_language"). */
int view_case_language(const ViewCase *c);
/* main() of a test: "NAME W H", "follow" or "language". */
int view_case_main(const ViewCase *c, int argc, char **argv);

#endif
