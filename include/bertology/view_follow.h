#ifndef BERTOLOGY_VIEW_FOLLOW_H
#define BERTOLOGY_VIEW_FOLLOW_H
/* Which view the window shows while it follows the REPL: the view of the
 * REPL's stage, or the view of the REPL's latest comparison or instrument
 * (`compare`, `rollout`, `census`, `scan`, ...) until the learner moves
 * again. The window keeps one; the REPL keeps one too, so that `export
 * FILE.csv` without a window writes the view a window would show. */
#include <stdint.h>
#include "bertology/viz.h"

typedef struct {
    StagePos last_pos;      /* the REPL's position at the last state */
    int have_state;
    uintptr_t compare_seen; /* identity (word_cos) of the last comparison seen, 0 for none */
    int follow_compare;     /* a comparison is newer than the last move in the REPL */
    unsigned instrument_seen; /* VizState.instrument_gen of the last state */
    int follow_instrument;  /* an instrument is the REPL's latest move */
} ViewFollow;

/* Takes the REPL's new state (NULL: none). Returns 1 when the REPL moved
 * (a new stage, layer or head: the window's settings go back to it). */
int view_follow_update(ViewFollow *f, const VizState *st);
/* The view shown when following. */
VizView view_follow_pick(const ViewFollow *f, const VizState *st);

#endif
