#ifndef BT_VIZ_INTERNAL_H
#define BT_VIZ_INTERNAL_H
/* What the window's files share: the drawing context handed to every view
 * and the Viz behind the public handle. Tests include this to look at the
 * geometry of the last frame (cell hit-testing, label rectangles). */
#include <SDL.h>
#include <stdint.h>
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

/* The embedding view's PCA, kept between frames so that orbiting the
 * camera does not redo it. */
typedef struct {
    const Trace *t1, *t2;
    unsigned gen;
    int level;
    int n;                  /* points: T of trace, then T of trace2 */
    float *xyz;             /* n×3, scaled into [-1,1] */
    float var[3];           /* share of the variance on each axis */
} VizPca;

/* The positional view's tables, kept between frames: the dot products
 * are P²·H multiply-adds, too many to redo on every hover. */
typedef struct {
    const void *model;
    unsigned model_gen;     /* VizState.model_gen they were computed for */
    int P, H;
    float *sin;             /* P×H sinusoid */
    float *sin_dot;         /* P×P */
    float *learned_dot;     /* P×P, or NULL without learned positions */
} VizPosCache;

/* The training view's logs, read again when the REPL's state changes (a
 * run being trained grows between looks), and the geometry of its last
 * frame for hovering and tests. */
typedef struct {
    char *dir;              /* whose logs these are; NULL before the first look */
    unsigned gen;           /* the state they were read for */
    int status;             /* 0 read, 1 none there, -1 unreadable (msg says why) */
    char msg[512];
    char source[512];       /* what the title bar names as the curves' origin */
    TrainLog log;
    long model_step;        /* the checkpoint on show (its step-N), or -1 */
    SDL_Rect loss_rect, acc_rect;   /* the two plots, output pixels */
    double x_lo, x_hi;      /* log10(tokens) at the plots' left and right edges */
    double loss_lo, loss_hi;        /* loss at the loss plot's bottom and top */
} VizTrainView;

/* The comparison view's plot in its last frame, for hovering and tests:
 * x is the point along the model (0 the embedding output), y the cosine. */
typedef struct {
    SDL_Rect plot;          /* output pixels; w == 0 when nothing was plotted */
    double x0, x1, y0, y1;  /* values at the left, right, bottom and top edges */
} VizCompareView;

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

    /* Per-view settings, kept across frames. layer/head start at the
     * REPL's position; the arrow keys move them locally. */
    int layer, head;
    int scores;             /* heatmap: raw scores instead of probabilities */
    int all_heads;          /* head view: overlay every head of the layer */
    uint8_t head_on[VIZ_MAX_HEADS];  /* head view: heads picked by clicking swatches */
    int level;              /* embedding view: 0 static, 1 embeddings, 2+l after layer l */
    float yaw, pitch, zoom; /* embedding view camera */
    VizPca pca;
    VizPosCache pos;
    VizTrainView train;
    VizCompareView cmp;
    unsigned gen;           /* bumped on every viz_set_state */

    /* Out of the frame. */
    char tip[VIZ_MAX_TIP_LINES][160];
    int ntip;
    int open_view;          /* -1, or a view a click asked for (with layer/head) */
    VizGrid grid;
    VizLabel labels[VIZ_MAX_LABELS];
    int nlabels;
    int next_group;
} VizCtx;

typedef void (*ViewDrawFn)(VizCtx *cx, const VizState *st, SDL_Rect area);

void view_heatmap_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_heads_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_headview_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_positions_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_vectors_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_embeddings_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_predictions_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_training_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
void view_compare_draw(VizCtx *cx, const VizState *st, SDL_Rect area);
/* Where the training view's curves come from, for the title bar. */
const char *view_training_source(const VizCtx *cx);
void view_training_free(VizCtx *cx);

struct Viz {
    SDL_Window *win;
    SDL_Renderer *ren;
    Font *font;
    VizCtx cx;
    const VizState *st;
    StagePos last_pos;      /* the REPL's position at the last set_state */
    int have_state;
    VizView pinned;         /* VIZ_FOLLOW, or the view the user picked */
    VizView shown;          /* the view of the last frame */
    uintptr_t compare_seen; /* identity (word_cos) of the last comparison seen, 0 for none */
    int follow_compare;     /* following: a comparison is newer than the last move in the REPL */
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
/* The view for a stage when following the REPL. */
VizView viz_view_for_stage(Stage s);
/* The view shown when following: the stage's, or the comparison's after a `compare`. */
VizView viz_view_followed(const Viz *v);
/* Sizes text and spacing for the current output size. */
void viz_update_metrics(Viz *v);

#endif
