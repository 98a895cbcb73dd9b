#ifndef BERTOLOGY_VIZ_H
#define BERTOLOGY_VIZ_H
/* The SDL2 window. It only reads a VizState (the engine's Trace and the
 * REPL's position); the REPL owns the loop and calls viz_pump between
 * polls of stdin, so typing and drawing share one thread. */
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/stages.h"
#include "bertology/trace.h"
#include "bertology/lens.h"
#include "bertology/runlog.h"
#include "bertology/scan.h"
#include "bertology/vec_compare.h"
#include "bertology/views.h"

typedef struct Viz Viz;


typedef struct {
    const BertModel *model;
    const Trace *trace;            /* B == 1; NULL before the first sentence */
    const char *const *tokens;     /* trace->T token strings */
    StagePos pos;                  /* where the learner is */
    const Trace *trace2;           /* a second sentence (compare), or NULL */
    const char *const *tokens2;
    int top_k;                     /* predictions view */
    const RunLog *run;             /* training view: the model's training run, read by the REPL; NULL: none */
    /* The REPL's last `compare`, or NULL. Its identity is its word_cos
     * array: a new comparison is built before the old one is freed, so a
     * new one always has a new array, which tells the window to follow it. */
    const VecCompare *compare;
    unsigned model_gen;            /* changes when the model's weights are replaced (`checkpoint`) */
    /* The REPL's last instrument (`rollout`, `census`, `scan`, `lens`): the view
     * that shows it, which the window follows until the learner moves (as
     * it follows a new comparison). instrument_gen changes with each; 0:
     * none yet. */
    VizView instrument;
    unsigned instrument_gen;
    int rollout_query;             /* the query row of the last `rollout` */
    const struct Census *census;   /* the last `census FILE` on these weights, or NULL: the
                                    * census view counts the sentence itself */
    const char *census_source;     /* that file */
    const ScanResult *scan;        /* the last `scan`, or NULL */
    const struct Saliency *saliency;   /* the last `saliency`, or NULL */
    const LensResult *lens;        /* the last `lens` (its first position), or NULL */
    const struct WhatIf *whatif;   /* the last `whatif`, or NULL */
} VizState;

typedef struct {
    int width, height;             /* initial size; 0 for the default 1280×800 */
    const char *font_path;         /* NULL: find DejaVu Sans with fontconfig */
    int hidden;                    /* tests: SDL_WINDOW_HIDDEN */
} VizOptions;

/* Opens the window; fails with a clear message when there is no display
 * or no font (the REPL then carries on without a window). */
int viz_open(Viz **out, const VizOptions *opt, BtError *err);
void viz_close(Viz *v);
/* The state changed (new sentence, stage, layer, head): redraw soon. The
 * viz keeps the pointer; the REPL keeps the data alive until the next call. */
void viz_set_state(Viz *v, const VizState *st);
/* Handles pending events and redraws if needed; waits at most timeout_ms.
 * Returns 0 normally, 1 when the user closed the window. */
int viz_pump(Viz *v, int timeout_ms);
/* Saves exactly what is shown as PNG. */
int viz_screenshot(Viz *v, const char *png_path, BtError *err);

/* Shows one view (as its key does; the views: bertology/views.h), or
 * VIZ_FOLLOW to let the REPL's stage pick it again. */
void viz_select_view(Viz *v, VizView view);
/* The view on show (the one picked, else the one followed). */
VizView viz_shown_view(const Viz *v);

/* The numbers of a view as the window shows it (its layer, head, keys,
 * clicks): for `export FILE.csv|.svg`. fig_free(f) afterwards, before the
 * window draws again. */
struct Figure;
int viz_figure(Viz *v, VizView view, struct Figure *f, BtError *err);

#endif
