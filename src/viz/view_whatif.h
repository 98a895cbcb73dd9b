#ifndef BT_VIEW_WHATIF_H
#define BT_VIEW_WHATIF_H
/* The what-if view's own state (view_whatif.c), for tests: where its two
 * grids were drawn in the last frame and their colour scales. */
#include <SDL.h>
#include "bertology/whatif.h"

typedef struct {
    int drawn;              /* 0 when only a notice was drawn */
    SDL_Rect attn;          /* output pixels of the layers × heads grid of mean TV */
    SDL_Rect cos;           /* ... of the paired tokens × depths grid of 1 − cosine */
    double hi_tv, hi_cos;   /* the value at the top of each colour scale (0 at the bottom) */
} VizWhatIfView;

#endif
