#include "colormap.h"

static const unsigned char (*table(CmapId map))[3] {
    switch (map) {
    case CMAP_MAGMA: return colormap_magma;
    case CMAP_RDBU: return colormap_rdbu;
    default: return colormap_viridis;
    }
}

uint32_t cmap_rgba(CmapId map, float v, float lo, float hi) {
    float t = hi > lo ? (v - lo) / (hi - lo) : 0.5f;
    if (!(t >= 0)) t = 0;   /* also catches NaN */
    if (t > 1) t = 1;
    int i = (int)(t * 255.0f + 0.5f);
    const unsigned char *c = table(map)[i];
    return (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | 0xffu;
}
