#ifndef BT_VIEW_COMPARE_H
#define BT_VIEW_COMPARE_H
/* The comparison view's own state (view_compare.c), for tests. */
#include <SDL.h>

/* Its plot in the last frame, for hovering and tests: x is the point
 * along the model (0 the embedding output), y the cosine. */
typedef struct {
    SDL_Rect plot;          /* output pixels; w == 0 when nothing was plotted */
    double x0, x1, y0, y1;  /* values at the left, right, bottom and top edges */
} VizCompareView;

#endif
