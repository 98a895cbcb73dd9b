#ifndef BT_VIEW_TRAINING_H
#define BT_VIEW_TRAINING_H
/* The training view's own state (view_training.c), for tests. */
#include <SDL.h>

/* The geometry of its last frame, for hovering and tests. */
typedef struct {
    SDL_Rect loss_rect, acc_rect;   /* the two plots, output pixels */
    double x_lo, x_hi;      /* log10(tokens) at the plots' left and right edges */
    double loss_lo, loss_hi;        /* loss at the loss plot's bottom and top */
} VizTrainView;

#endif
