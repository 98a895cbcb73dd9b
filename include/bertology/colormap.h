#ifndef BERTOLOGY_COLORMAP_H
#define BERTOLOGY_COLORMAP_H
/* Perceptual colour maps as 256-entry sRGB tables (src/figure/
 * colormap_tables.c), shared by the window and the SVG writer. */
#include <stdint.h>

typedef enum { CMAP_VIRIDIS = 0, CMAP_MAGMA, CMAP_RDBU } CmapId;

extern const unsigned char colormap_viridis[256][3];
extern const unsigned char colormap_magma[256][3];
extern const unsigned char colormap_rdbu[256][3];

/* Colour of v on the scale [lo, hi] (clamped; NaN maps to lo), packed as
 * 0xRRGGBBAA with full alpha, the layout of SDL_PIXELFORMAT_RGBA8888. */
uint32_t cmap_rgba(CmapId map, float v, float lo, float hi);

/* The one value that stands for cells [r0,r1) × [c0,c1) of m (row stride
 * in floats) when they share a pixel: the one farthest from the middle of
 * [lo, hi] on a diverging map, the largest on a sequential one, so that a
 * lone spike stays visible. */
float cmap_pool(CmapId map, const float *m, long stride, int r0, int r1, int c0, int c1, float lo, float hi);

#endif
