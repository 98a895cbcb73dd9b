#ifndef BT_VIZ_INTERNAL_H
#define BT_VIZ_INTERNAL_H
/* What the window's files share: the drawing context handed to every view
 * and the Viz behind the public handle. Tests include this to look at the
 * geometry of the last frame (cell hit-testing, label rectangles). */
#include <SDL.h>
#include <stdint.h>
#include "bertology/i18n.h"
#include "bertology/figure.h"
#include "bertology/view_follow.h"
#include "bertology/viz.h"
#include "font.h"

enum { VIZ_MAX_LABELS = 2048, VIZ_MAX_TIP_LINES = 4, VIZ_MAX_HEADS = 64 };

/* A matrix drawn as equal cells: lets hover and tests map pixels to cells. */
typedef struct {
    int used;
    SDL_Rect rect;          /* output pixels covered by the cells */
    int rows, cols;         /* cells (before any pooling to fewer pixels) */
} VizGrid;

/* Labels placed in one frame; a group is one axis or one cloud of labels,
 * whose members must not overlap each other. */
typedef struct {
    SDL_Rect rect;
    int group;
} VizLabel;

/* Everything a view's draw function may use. The view reads the state
 * and the settings, draws into the renderer, and may leave a tooltip, a
 * request to open another view, and its geometry for the frame. */
typedef struct {
    SDL_Renderer *r;
    Font *font;
    float dpi;              /* output pixels per window point (HiDPI) */
    int fs;                 /* body text size, output pixels */
    int fs_min;             /* smallest size labels may shrink to */
    int pad;                /* standard gap */

    /* Input since the last frame, in output pixels. */
    int mx, my, mouse_in;
    int click;              /* a click (press and release without drag) at mx,my */

    /* Settings kept across frames, which the keys and the REPL's moves
     * change (events.c, viz_set_state). layer/head start at the REPL's
     * position; the arrow keys move them locally. What a view keeps for
     * itself (caches, the geometry of its last frame) is its own state. */
    int layer, head;
    int scores;             /* heatmap: raw scores instead of probabilities */
    int all_heads;          /* head view: overlay every head of the layer */
    uint8_t head_on[VIZ_MAX_HEADS];  /* head view: heads picked by clicking swatches */
    int level;              /* embedding view: 0 static, 1 embeddings, 2+l after layer l */
    float yaw, pitch, zoom; /* embedding view camera */
    unsigned gen;           /* bumped on every viz_set_state */
    FigCache *cache;        /* what the views' figures keep between frames (the Viz's) */

    /* Out of the frame. */
    char tip[VIZ_MAX_TIP_LINES][160];
    int ntip;
    int open_view;          /* -1, or a view a click asked for (with layer/head) */
    VizGrid grid;
    VizLabel labels[VIZ_MAX_LABELS];
    int nlabels;
    int next_group;
    /* Tests: called with every string drawn (NULL: none), so that a test
     * can read the window's words (are they in the message language?). */
    void (*on_text)(void *arg, const char *s);
    void *on_text_arg;
} VizCtx;

/* A view: src/viz/view_NAME.c defines `const ViewOps view_NAME` for its
 * row in bertology/views.h. Its state (size bytes, zeroed when the window
 * opens) is passed to draw as self and kept between frames; free releases
 * what it holds. The numbers it draws come from its figure (src/figure/
 * fig_NAME.c), built with viz_fig_params; params, when set, adds what the
 * view's own state selects (the rollout view's clicked row), so that
 * `export` writes what is shown. */
typedef struct {
    void (*draw)(VizCtx *cx, void *self, const VizState *st, SDL_Rect area);
    size_t size;
    void (*free)(void *self);
    void (*params)(void *self, const VizState *st, FigParams *p);
} ViewOps;

/* The figure settings of the window as it stands (layer, head, keys). */
void viz_fig_params(const VizCtx *cx, FigParams *p);
/* The figure of a view as the window shows it: fig_build with the
 * window's settings and cache (fig_free it; the next frame may replace
 * what it borrows from the cache). */
int viz_view_figure(VizCtx *cx, VizView view, void *self, const VizState *st, Figure *f, BtError *err);
/* viz_view_figure for drawing: 0 with a figure that has something to
 * show, else -1 with its notice (or the failure) drawn in area and f freed. */
int viz_view_figure_or_notice(VizCtx *cx, VizView view, void *self, const VizState *st, SDL_Rect area, Figure *f);

/* The ops of a view (src/viz/views.c). */
const ViewOps *viz_view_ops(VizView view);
/* A view's own state, e.g. for tests: (VizTrainView *)viz_view_state(v, VIZ_TRAINING). */
void *viz_view_state(Viz *v, VizView view);

struct Viz {
    SDL_Window *win;
    SDL_Renderer *ren;
    Font *font;
    VizCtx cx;
    void *self[VIZ_VIEW_COUNT];     /* each view's own state */
    const VizState *st;
    VizView pinned;         /* VIZ_FOLLOW, or the view the user picked */
    VizView shown;          /* the view of the last frame */
    ViewFollow follow;      /* what is shown while following the REPL */
    FigCache cache;         /* what the views' figures keep between frames */
    int help;               /* '?' overlay */
    int dirty;
    unsigned frames;        /* frames drawn, to check that idle means no drawing */
    uint32_t last_draw_ms;
    char toast[512];        /* a short message in the footer (screenshot saved) */
    uint32_t toast_until;
    int press_x, press_y, pressed, dragged;
};

/* Draws the whole frame (title, view, footer, overlays) into the back buffer. */
void viz_frame_draw(Viz *v);
/* The view shown when following: the stage's, or the comparison's after a `compare`. */
VizView viz_view_followed(const Viz *v);
/* Keeps the window's layer, head and depth inside the trace. */
void viz_clamp_position(VizCtx *cx, const Trace *t);
/* Sizes text and spacing for the current output size. */
void viz_update_metrics(Viz *v);

#endif
