#include "bertology/ops.h"
#include "matmul_small.h"
#ifdef _OPENMP
#include <omp.h>
#endif
#include <string.h>
#ifdef BT_USE_BLAS
#include <cblas.h>
#endif

/* out (N,OC) = inp (N,C) · weight(OC,C)ᵀ + bias(OC) */
void matmul_forward(float *out, const float *inp, const float *weight, const float *bias,
                    int N, int C, int OC) {
    /* 2 to 16 rows (a short sentence): BLAS would copy all the weights
     * first (matmul_small.c); one row is its matrix-vector product,
     * which copies nothing */
    if (N > 1 && N <= MATMUL_SMALL_N) {
        matmul_small(out, inp, weight, bias, N, C, OC);
        return;
    }
#ifdef BT_USE_BLAS
    float beta = 0.0f;
    if (bias) {
        for (int n = 0; n < N; n++) memcpy(out + (size_t)n * OC, bias, sizeof(float) * OC);
        beta = 1.0f;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, OC, C, 1.0f, inp, C, weight, C,
                beta, out, OC);
#else
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        float *y = out + (size_t)n * OC;
        for (int o = 0; o < OC; o++) {
            const float *w = weight + (size_t)o * C;
            float acc = bias ? bias[o] : 0.0f;
            for (int c = 0; c < C; c++) acc += x[c] * w[c];
            y[o] = acc;
        }
    }
#endif
}

/* dinp (N,C) += dout (N,OC) · weight (OC,C)
 * dweight (OC,C) += doutᵀ · inp,  dbias (OC) += Σ_n dout */
void matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                     const float *inp, const float *weight, int N, int C, int OC) {
#ifdef BT_USE_BLAS
    if (dinp)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, OC, 1.0f, dout, OC, weight, C,
                    1.0f, dinp, C);
    if (dweight)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, N, 1.0f, dout, OC, inp, C,
                    1.0f, dweight, C);
#else
    for (int n = 0; n < N; n++) {
        const float *g = dout + (size_t)n * OC;
        const float *x = inp + (size_t)n * C;
        for (int o = 0; o < OC; o++) {
            const float *w = weight + (size_t)o * C;
            if (dinp) {
                float *dx = dinp + (size_t)n * C;
                for (int c = 0; c < C; c++) dx[c] += g[o] * w[c];
            }
            if (dweight) {
                float *dw = dweight + (size_t)o * C;
                for (int c = 0; c < C; c++) dw[c] += g[o] * x[c];
            }
        }
    }
#endif
    if (dbias)
        for (int n = 0; n < N; n++)
            for (int o = 0; o < OC; o++) dbias[o] += dout[(size_t)n * OC + o];
}

void ops_set_threads(int n) {
#ifdef BT_USE_BLAS
    openblas_set_num_threads(n);
#endif
#ifdef _OPENMP
    omp_set_num_threads(n);   /* every OpenMP loop: attention, AdamW, the losses */
#endif
    (void)n;
}
