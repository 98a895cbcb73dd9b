#ifndef BT_VIEW_SCAN_H
#define BT_VIEW_SCAN_H
/* The scan view's own state (view_scan.c), for tests: where its grids
 * were drawn in the last frame. */
#include <SDL.h>

typedef struct {
    int panels;             /* 0 when nothing was drawn; 1 or 2 (the word's grid, then NSP's) */
    SDL_Rect grid[2];       /* output pixels of each layers × heads grid */
} VizScanView;

#endif
