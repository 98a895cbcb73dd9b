#ifndef BT_VIEW_ROLLOUT_H
#define BT_VIEW_ROLLOUT_H
/* The rollout view's own state (view_rollout.c), for tests. */
#include <SDL.h>
#include "bertology/rollout.h"

typedef struct {
    int query;              /* the row shown: the REPL's `rollout POS`, or a clicked token */
    int chosen;             /* query was chosen (else the first [MASK], or [CLS]) ... */
    unsigned long long chosen_in;  /* ... in the sentence of this fingerprint (its ids) */
    unsigned seen_gen;      /* the REPL's instrument_gen last followed */
    /* (What was computed is kept in the window's FigCache: fig_rollout.c.)
     * The last frame: the three panels of bars, the rows' top and height. */
    SDL_Rect panel[3];
    int y0;
    float step;
    int bar_w;              /* pixels of a full-length bar */
    double hi;              /* the value of a full-length bar */
} VizRolloutView;

#endif
