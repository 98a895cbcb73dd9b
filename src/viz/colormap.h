#ifndef BT_VIZ_COLORMAP_H
#define BT_VIZ_COLORMAP_H
/* Perceptual colour maps as 256-entry sRGB tables (colormap_tables.c). */
#include <stdint.h>

typedef enum { CMAP_VIRIDIS = 0, CMAP_MAGMA, CMAP_RDBU } CmapId;

extern const unsigned char colormap_viridis[256][3];
extern const unsigned char colormap_magma[256][3];
extern const unsigned char colormap_rdbu[256][3];

/* Colour of v on the scale [lo, hi] (clamped; NaN maps to lo), packed as
 * 0xRRGGBBAA with full alpha, the layout of SDL_PIXELFORMAT_RGBA8888. */
uint32_t cmap_rgba(CmapId map, float v, float lo, float hi);

#endif
