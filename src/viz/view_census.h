#ifndef BT_VIEW_CENSUS_H
#define BT_VIEW_CENSUS_H
/* The census view's own state (view_census.c), for tests. */
#include <SDL.h>
#include "bertology/census.h"

typedef struct {
    Census own;             /* the census of the REPL's sentence, counted here */
    const void *for_trace;
    unsigned for_gen;
    int have;
    char error[512];
    const Census *shown;    /* what the last frame drew: own, or the REPL's census of a file */
    SDL_Rect grid;          /* its cells: L rows, nh columns, each a tile and the gap after it */
    int tile;
} VizCensusView;

/* The colour of a role (CensusRole): the targets in the palette's order, mixed grey. */
SDL_Color census_role_colour(int role);

#endif
