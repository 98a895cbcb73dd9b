#include "pca.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Top eigenvector of the symmetric m×m matrix a by power iteration;
 * returns its eigenvalue. */
static double top_eigen(const double *a, int m, double *v, double *tmp) {
    for (int i = 0; i < m; i++) v[i] = 1.0 + 0.1 * sin(1.0 + i);   /* fixed, generic start */
    double lambda = 0;
    for (int it = 0; it < 500; it++) {
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) s += a[(long)i * m + j] * v[j];
            tmp[i] = s;
        }
        double norm = 0;
        for (int i = 0; i < m; i++) norm += tmp[i] * tmp[i];
        norm = sqrt(norm);
        if (norm < 1e-30) {
            memset(v, 0, sizeof *v * (size_t)m);
            return 0;
        }
        double change = 0;
        for (int i = 0; i < m; i++) {
            double nv = tmp[i] / norm;
            change += fabs(nv - v[i]);
            v[i] = nv;
        }
        lambda = norm;
        if (change < 1e-10 * m) break;
    }
    return lambda;
}

int pca3(const float *x, int n, int d, float *out, float var[3]) {
    memset(out, 0, sizeof *out * (size_t)n * 3);
    var[0] = var[1] = var[2] = 0;
    if (n < 2 || d < 1) return 0;
    /* The smaller of the two Gram matrices has the same nonzero spectrum:
     * n×n (XXᵀ) for a sentence or two, d×d (XᵀX) for many points. */
    int gram = n <= d, m = gram ? n : d;
    double *xc = malloc(sizeof *xc * (size_t)n * d);
    double *a = malloc(sizeof *a * (size_t)m * m);
    double *vec = malloc(sizeof *vec * (size_t)m * 4);
    if (!xc || !a || !vec) {
        free(xc);
        free(a);
        free(vec);
        return -1;
    }
    for (int j = 0; j < d; j++) {
        double mu = 0;
        for (int i = 0; i < n; i++) mu += x[(long)i * d + j];
        mu /= n;
        for (int i = 0; i < n; i++) xc[(long)i * d + j] = x[(long)i * d + j] - mu;
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j <= i; j++) {
            double s = 0;
            if (gram)
                for (int k = 0; k < d; k++) s += xc[(long)i * d + k] * xc[(long)j * d + k];
            else
                for (int k = 0; k < n; k++) s += xc[(long)k * d + i] * xc[(long)k * d + j];
            a[(long)i * m + j] = a[(long)j * m + i] = s;
        }
    double total = 0;
    for (int i = 0; i < m; i++) total += a[(long)i * m + i];
    double *tmp = vec + (size_t)m * 3;
    for (int c = 0; c < 3 && c < m; c++) {
        double *v = vec + (size_t)m * c;
        double lambda = top_eigen(a, m, v, tmp);
        if (lambda <= total * 1e-9) break;
        /* Deflate, so the next power iteration finds the next component. */
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) a[(long)i * m + j] -= lambda * v[i] * v[j];
        var[c] = total > 0 ? (float)(lambda / total) : 0;
        for (int i = 0; i < n; i++) {
            double coord = 0;
            if (gram) coord = v[i] * sqrt(lambda);
            else
                for (int k = 0; k < d; k++) coord += xc[(long)i * d + k] * v[k];
            out[(long)i * 3 + c] = (float)coord;
        }
        /* An eigenvector's sign is arbitrary: make the point farthest
         * along the axis lie on its positive side. */
        int far = 0;
        for (int i = 1; i < n; i++)
            if (fabsf(out[(long)i * 3 + c]) > fabsf(out[(long)far * 3 + c])) far = i;
        if (out[(long)far * 3 + c] < 0)
            for (int i = 0; i < n; i++) out[(long)i * 3 + c] = -out[(long)i * 3 + c];
    }
    free(xc);
    free(a);
    free(vec);
    return 0;
}
