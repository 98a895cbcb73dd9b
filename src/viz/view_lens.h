#ifndef BT_VIEW_LENS_H
#define BT_VIEW_LENS_H
/* The lens view's own state (view_lens.c), for tests: where its table
 * and the rank line were drawn in the last frame. */
#include <SDL.h>
#include "bertology/lens.h"

enum { VIZ_LENS_MAX_DEPTHS = 128 };

typedef struct {
    int drawn;              /* 1 when the table was drawn */
    SDL_Rect table;         /* output pixels of the depths × top-K cells */
    int rows, cols;         /* depths, K */
    SDL_Rect plot;          /* the rank panel beside the table (w 0: no word followed) */
    int npts;               /* points of the rank line: one per depth */
    SDL_Point pt[VIZ_LENS_MAX_DEPTHS];
    float pmax;             /* the top of the table's colour scale: its largest probability */
} VizLensView;

#endif
