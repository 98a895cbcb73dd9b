#include "bertology/ops.h"
#include "fastmath.h"
#include <math.h>

/* out (N,C) = (inp - mean)·rstd·gamma + beta, statistics per row.
 * Accumulated in double: with eps = 1e-12 nothing else guards a row whose
 * variance float rounding would wrongly put at zero. */
void layernorm_forward(float *out, float *mean, float *rstd, const float *inp,
                       const float *gamma, const float *beta, int N, int C, float eps) {
    #pragma omp parallel for schedule(static) if (N > 64)
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        float *y = out + (size_t)n * C;
        double m = 0;
        for (int c = 0; c < C; c++) m += x[c];
        m /= C;
        double v = 0;
        for (int c = 0; c < C; c++) v += (x[c] - m) * (x[c] - m);
        v /= C;
        float s = (float)(1.0 / sqrt(v + eps));
        for (int c = 0; c < C; c++) y[c] = (float)(x[c] - m) * s * gamma[c] + beta[c];
        if (mean) mean[n] = (float)m;
        if (rstd) rstd[n] = s;
    }
}

/* dinp (N,C) += LN'ᵀ·dout; dgamma, dbeta (C) += per-column sums. */
void layernorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                        const float *inp, const float *gamma, const float *mean,
                        const float *rstd, int N, int C) {
    /* rows in parallel; the column sums dgamma/dbeta are reduced in a
     * second, serial pass so the result does not depend on thread count */
    #pragma omp parallel for schedule(static) if (N > 64)
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        const float *g = dout + (size_t)n * C;
        float m = mean[n], s = rstd[n];
        /* the two row means the normalisation couples every input through */
        float dnorm_mean = 0, dnorm_norm_mean = 0;
        for (int c = 0; c < C; c++) {
            float xhat = (x[c] - m) * s;
            float dnorm = gamma[c] * g[c];
            dnorm_mean += dnorm;
            dnorm_norm_mean += dnorm * xhat;
        }
        dnorm_mean /= C;
        dnorm_norm_mean /= C;
        float *dx = dinp + (size_t)n * C;
        for (int c = 0; c < C; c++) {
            float xhat = (x[c] - m) * s;
            dx[c] += (gamma[c] * g[c] - dnorm_mean - xhat * dnorm_norm_mean) * s;
        }
    }
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        const float *g = dout + (size_t)n * C;
        float m = mean[n], s = rstd[n];
        for (int c = 0; c < C; c++) {
            if (dbeta) dbeta[c] += g[c];
            if (dgamma) dgamma[c] += (x[c] - m) * s * g[c];
        }
    }
}

/* 0.5·x·(1 + erf(x/√2)) — BERT's exact GELU, not the tanh approximation. */
void gelu_forward(float *out, const float *inp, size_t n) {
    #pragma omp parallel for simd schedule(static)
    for (size_t i = 0; i < n; i++) out[i] = 0.5f * inp[i] * (1.0f + bt_erff(inp[i] * (float)M_SQRT1_2));
}

/* d/dx = Φ(x) + x·φ(x) */
void gelu_backward(float *dinp, const float *inp, const float *dout, size_t n) {
    const float inv_sqrt_2pi = 0.3989422804014327f;
    #pragma omp parallel for simd schedule(static)
    for (size_t i = 0; i < n; i++) {
        float x = inp[i];
        float cdf = 0.5f * (1.0f + bt_erff(x * (float)M_SQRT1_2));
        float pdf = inv_sqrt_2pi * bt_expf(-0.5f * x * x);
        dinp[i] += dout[i] * (cdf + x * pdf);
    }
}

/* Row-wise softmax in place, max-subtracted so large scores cannot
 * overflow; masked entries are -inf and come out as exact zeros. */
void softmax_forward(float *x, int N, int C) {
    for (int n = 0; n < N; n++) {
        float *r = x + (size_t)n * C;
        float mx = -INFINITY;
        for (int c = 0; c < C; c++) if (r[c] > mx) mx = r[c];
        if (mx == -INFINITY) {
            for (int c = 0; c < C; c++) r[c] = 1.0f / C;
            continue;
        }
        double sum = 0;
        for (int c = 0; c < C; c++) r[c] = bt_expf(r[c] - mx);
        for (int c = 0; c < C; c++) sum += r[c];
        float inv = (float)(1.0 / sum);
        for (int c = 0; c < C; c++) r[c] *= inv;
    }
}
