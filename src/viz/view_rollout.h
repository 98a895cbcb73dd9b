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
    /* What was computed, and for which attention (a hash of every
     * weight: a move in the REPL that changes none, the usual case, costs
     * no new max-flows). */
    Rollout r;
    unsigned long long for_attn;
    int have;
    char error[512];        /* why there is nothing to draw (non-finite attention) */
    /* The last frame: the three panels of bars, the rows' top and height. */
    SDL_Rect panel[3];
    int y0;
    float step;
    int bar_w;              /* pixels of a full-length bar */
    double hi;              /* the value of a full-length bar */
} VizRolloutView;

#endif
