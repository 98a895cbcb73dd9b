#ifndef BT_VIEW_CENSUS_H
#define BT_VIEW_CENSUS_H
/* The census view's own state (view_census.c), for tests. */
#include <SDL.h>
#include "bertology/census.h"

typedef struct {
    /* what the last frame drew: the census of the sentence (its figure's,
     * src/figure/fig_census.c), or the REPL's census of a file */
    const Census *shown;
    SDL_Rect grid;          /* its cells: L rows, nh columns, each a tile and the gap after it */
    int tile;
} VizCensusView;

/* The colour of a role (CensusRole): the targets in the palette's order, mixed grey. */
SDL_Color census_role_colour(int role);

#endif
