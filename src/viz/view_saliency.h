#ifndef BT_VIEW_SALIENCY_H
#define BT_VIEW_SALIENCY_H
/* The saliency view's own state (view_saliency.c), for tests: where its
 * panels of bars were drawn in the last frame. */
#include <SDL.h>
#include <stdint.h>

enum { SAL_PANELS = 3 };   /* ∇·x, |∇|, IG */

typedef struct {
    int panels;                 /* 0 when nothing was drawn; 2 without IG, else 3 */
    SDL_Rect panel[SAL_PANELS]; /* the bars' area of each panel */
    int axis[SAL_PANELS];       /* x of each panel's zero */
    int y0;                     /* top of the first token's row */
    float step;                 /* pixels per token row */
    double scale[SAL_PANELS];   /* the value of a bar as long as half a signed panel (the whole of |∇|'s) */
} VizSaliencyView;

/* The colour of a bar of value v in the signed panels (0xRRGGBBAA). */
uint32_t view_saliency_sign_rgba(double v);

#endif
