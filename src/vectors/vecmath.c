/* Cosine, nearest neighbours and the analogy target. */
#include <math.h>
#include "bertology/vectors.h"

/* The scan over every row is the hot loop: eight float partial sums let
 * the compiler vectorise it (a single running sum may not be reordered).
 * Ranking needs no more precision; the reported cosines are recomputed in
 * double. */
static float dot_f(const float *a, const float *b, int n) {
    float s[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) s[k] += a[i + k] * b[i + k];
    float t = 0;
    for (; i < n; i++) t += a[i] * b[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])) + t;
}

int vec_nearest(const VecSet *vs, const float *q, const long *skip, int n_skip, int k, VecHit *out) {
    int dim = vecset_dim(vs), n = 0;
    double qq = 0;
    for (int i = 0; i < dim; i++) qq += (double)q[i] * q[i];
    if (qq == 0 || k <= 0) return 0;
    double qn = sqrt(qq);
    long count = vecset_count(vs);
    for (long r = 0; r < count; r++) {
        if (!vecset_listable(vs, r)) continue;
        const float *x = vecset_row(vs, r);
        double c = dot_f(q, x, dim) / (qn * vecset_norm(vs, r));
        if (n == k && c <= out[n - 1].cos) continue;
        int skipped = 0;
        for (int s = 0; s < n_skip; s++) skipped |= skip[s] == r;
        if (skipped) continue;
        int j = n < k ? n++ : k - 1;
        while (j > 0 && out[j - 1].cos < c) {
            out[j] = out[j - 1];
            j--;
        }
        out[j].row = r;
        out[j].cos = c;
    }
    for (int i = 0; i < n; i++) out[i].cos = vec_cosine(q, vecset_row(vs, out[i].row), dim);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && out[j - 1].cos < out[j].cos; j--) {
            VecHit t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

int vec_analogy_target(const float *a, const float *b, const float *c, int n, float *out, BtError *err) {
    double na = 0, nb = 0, nc = 0;
    for (int i = 0; i < n; i++) {
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
        nc += (double)c[i] * c[i];
    }
    if (na == 0 || nb == 0 || nc == 0) return bt_fail(err, "a word of the analogy has the zero vector, which has no direction");
    na = sqrt(na), nb = sqrt(nb), nc = sqrt(nc);
    for (int i = 0; i < n; i++) out[i] = (float)(a[i] / na - b[i] / nb + c[i] / nc);
    return 0;
}
