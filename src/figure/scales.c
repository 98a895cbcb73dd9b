/* Scales shared by the window and the SVG writer: the palette of heads
 * and curves, a colour range that outliers do not wash out, and tick
 * values that read well. */
#include <math.h>
#include <stdlib.h>
#include "bertology/figure.h"

uint32_t fig_palette(int i) {
    /* Tableau 10, then two of Category10's, for the 12 heads of BERT-base. */
    static const uint32_t p[12] = {
        0x4e79a7ffu, 0xf28e2cffu, 0xe15759ffu, 0x76b7b2ffu, 0x59a14fffu, 0xedc949ffu,
        0xaf7aa1ffu, 0xff9da7ffu, 0x9c755fffu, 0xbab0abffu, 0x17becfffu, 0xbcbd22ffu,
    };
    if (i < 0) i = -i;
    return p[i % 12];
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

float robust_absmax(const float *v, long n, float q) {
    if (n <= 0) return 1;
    /* A strided sample is plenty for a colour range and keeps big
     * matrices (T×3072) cheap to redraw. */
    long stride = n > 8192 ? n / 8192 + 1 : 1, m = (n + stride - 1) / stride;
    float *a = malloc(sizeof *a * (size_t)m);
    if (!a) return 1;
    long k = 0;
    for (long i = 0; i < n && k < m; i += stride) {
        float x = fabsf(v[i]);
        a[k++] = isfinite(x) ? x : 0;
    }
    qsort(a, (size_t)k, sizeof *a, cmp_float);
    long at = (long)(q * (k - 1) + 0.5f);
    float r = a[at];
    free(a);
    return r > 0 ? r : 1;
}

static double nice_step(double raw) {
    double mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

int fig_ticks(double lo, double hi, int n, double *out, int cap) {
    if (!(hi > lo) || n < 1) return 0;
    double step = nice_step((hi - lo) / n);
    int k = 0;
    for (double i = ceil(lo / step - 1e-9); k < cap; i++) {
        double v = i * step;
        if (v > hi + step * 1e-9) break;
        out[k++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
    return k;
}

static int decade_ticks(double lo, double hi, const int *mant, int nm, int every, double *out, int cap) {
    int k = 0;
    for (int d = (int)floor(lo); d <= (int)ceil(hi) && k < cap; d++) {
        if (((d % every) + every) % every) continue;
        for (int i = 0; i < nm && k < cap; i++) {
            double v = mant[i] * pow(10, d), l = log10(v);
            if (l >= lo - 1e-9 && l <= hi + 1e-9) out[k++] = v;
        }
    }
    return k;
}

int fig_log_ticks(double lo, double hi, int n, double *out, int cap) {
    static const int one[] = {1}, three[] = {1, 2, 5}, nine[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    if (!(hi > lo) || n < 1) return 0;
    double tmp[256];
    int c125 = decade_ticks(lo, hi, three, 3, 1, tmp, 256);
    if (c125 < 3 && decade_ticks(lo, hi, nine, 9, 1, tmp, 256) <= n)
        return decade_ticks(lo, hi, nine, 9, 1, out, cap);
    if (c125 <= n) return decade_ticks(lo, hi, three, 3, 1, out, cap);
    int every = 1;
    while (decade_ticks(lo, hi, one, 1, every, tmp, 256) > n) every++;
    return decade_ticks(lo, hi, one, 1, every, out, cap);
}
