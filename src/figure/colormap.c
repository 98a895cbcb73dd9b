#include "bertology/colormap.h"
#include <math.h>

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

float cmap_pool(CmapId map, const float *m, long stride, int r0, int r1, int c0, int c1, float lo, float hi) {
    int diverging = map == CMAP_RDBU;
    float mid = 0.5f * (lo + hi), best = m[(long)r0 * stride + c0];
    for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) {
            float v = m[(long)r * stride + c];
            if (diverging ? fabsf(v - mid) > fabsf(best - mid) : v > best) best = v;
        }
    return best;
}
