/* Statistics of vectors (bertology/vecstats.h). */
#include "bertology/vecstats.h"
#include <math.h>
#include <string.h>

/* Dividing by sqrt(|a|²·|b|²) instead of |a|·|b| makes cos(a, a) exactly 1:
 * sqrt of a correctly rounded square is the number itself. */
double vec_cosine(const float *a, const float *b, int n) {
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; i++) {
        ab += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
    }
    if (aa == 0 || bb == 0) return 0;
    double c = ab / sqrt(aa * bb);
    return c > 1 ? 1 : c < -1 ? -1 : c;
}

/* Two passes, the deviations from the mean summed in double: E[x²] − μ²
 * would cancel away the variance of a row far from 0. */
void row_stats(const float *v, int n, float *norm, float *mean, float *std) {
    double s = 0, ss = 0, dev = 0;
    for (int i = 0; i < n; i++) { s += v[i]; ss += (double)v[i] * v[i]; }
    double m = n ? s / n : 0;
    for (int i = 0; i < n; i++) dev += ((double)v[i] - m) * ((double)v[i] - m);
    *norm = (float)sqrt(ss);
    *mean = (float)m;
    *std = (float)sqrt(n ? dev / n : 0);
}

void mean_rows(const float *x, int H, int from, int to, float *out) {
    memset(out, 0, (size_t)H * sizeof *out);
    for (int t = from; t < to; t++)
        for (int d = 0; d < H; d++) out[d] += x[(long)t * H + d];
    for (int d = 0; d < H; d++) out[d] /= (float)(to - from);
}
