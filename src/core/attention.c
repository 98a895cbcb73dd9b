#include "bertology/ops.h"
#include "matmul_small.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef BT_USE_BLAS
#include <cblas.h>
#endif

/* The per-head products are small; run them one head per OpenMP thread
 * with single-threaded BLAS inside, or the two thread pools fight. */
static int blas_single(void) {
#ifdef BT_USE_BLAS
    int n = openblas_get_num_threads();
    openblas_set_num_threads(1);
    return n;
#else
    return 1;
#endif
}

static void blas_restore(int n) {
#ifdef BT_USE_BLAS
    openblas_set_num_threads(n);
#else
    (void)n;
#endif
}

/* C (M,N) = alpha·op(A)·op(B) + beta·C for the small per-head products;
 * the loop version is the reference the BLAS one is tested against. */
static void gemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                 const float *B, int ldb, float beta, float *C, int ldc) {
#ifdef BT_USE_BLAS
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#else
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            float acc = 0;
            for (int k = 0; k < K; k++) {
                float a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                float b = tb ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
                acc += a * b;
            }
            C[(size_t)i * ldc + j] = alpha * acc + (beta != 0.0f ? beta * C[(size_t)i * ldc + j] : 0.0f);
        }
#endif
}

/* src (B,T,nh*hd), rows ld apart -> dst (B,nh,T,hd) */
void heads_split(float *dst, const float *src, int ld, int B, int T, int nh, int hd) {
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            for (int h = 0; h < nh; h++)
                memcpy(dst + (((size_t)b * nh + h) * T + t) * hd,
                       src + ((size_t)b * T + t) * ld + (size_t)h * hd, sizeof(float) * hd);
}

/* src (B,nh,T,hd) -> dst (B,T,nh*hd), rows ld apart */
void heads_merge(float *dst, int ld, const float *src, int B, int T, int nh, int hd) {
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            for (int h = 0; h < nh; h++)
                memcpy(dst + ((size_t)b * T + t) * ld + (size_t)h * hd,
                       src + (((size_t)b * nh + h) * T + t) * hd, sizeof(float) * hd);
}

/* q,k,v (B,nh,T,hd) -> scores, attn (B,nh,T,T), ctx (B,T,nh*hd).
 * Masked keys get -inf so that their weight is exactly zero. */
void attention_forward(float *ctx, float *scores, float *attn, const float *q, const float *k,
                       const float *v, const int *valid, const float *drop, int B, int T,
                       int nh, int hd, float scale, int causal) {
    int H = nh * hd;
    int threads = blas_single();
    /* heads are independent: one per thread, each with its own buffer;
     * a short sentence's heads all on this one (4·B·nh·T²·hd flops) */
    double flops = 4.0 * B * nh * (double)T * T * hd;
    #pragma omp parallel if (B * nh > 1 && flops >= PARALLEL_MIN_FLOPS)
    {
        float *dropped = drop ? malloc(sizeof(float) * T * T) : NULL;
        #pragma omp for schedule(static)
        for (int bhi = 0; bhi < B * nh; bhi++) {
            int b = bhi / nh, h = bhi % nh;
            size_t bh = (size_t)bhi;
            const float *qh = q + bh * T * hd, *kh = k + bh * T * hd, *vh = v + bh * T * hd;
            float *s = scores + bh * T * T, *a = attn + bh * T * T;
            gemm(0, 1, T, T, hd, scale, qh, hd, kh, hd, 0.0f, s, T);
            for (int i = 0; i < T; i++)
                for (int j = 0; j < T; j++)
                    if ((valid && !valid[(size_t)b * T + j]) || (causal && j > i))
                        s[(size_t)i * T + j] = -INFINITY;
            memcpy(a, s, sizeof(float) * T * T);
            softmax_forward(a, T, T);
            const float *use = a;
            if (drop) {
                mul_forward(dropped, a, drop + bh * T * T, (size_t)T * T);
                use = dropped;
            }
            /* ctx rows of this head sit at column h*hd of the (T,H) block */
            gemm(0, 0, T, hd, T, 1.0f, use, T, vh, hd, 0.0f, ctx + (size_t)b * T * H + (size_t)h * hd, H);
        }
        free(dropped);
    }
    blas_restore(threads);
}

/* Given dctx (B,T,nh*hd), accumulate dq, dk, dv (B,nh,T,hd). */
void attention_backward(float *dq, float *dk, float *dv, const float *dctx, const float *q,
                        const float *k, const float *v, const float *attn, const float *drop,
                        int B, int T, int nh, int hd, float scale) {
    int H = nh * hd;
    int threads = blas_single();
    #pragma omp parallel if (B * nh > 1)
    {
        float *da = malloc(sizeof(float) * T * T);
        float *dropped = drop ? malloc(sizeof(float) * T * T) : NULL;
        #pragma omp for schedule(static)
        for (int bhi = 0; bhi < B * nh; bhi++) {
            int b = bhi / nh, h = bhi % nh;
            size_t bh = (size_t)bhi;
            const float *qh = q + bh * T * hd, *kh = k + bh * T * hd, *vh = v + bh * T * hd;
            const float *a = attn + bh * T * T;
            const float *g = dctx + (size_t)b * T * H + (size_t)h * hd;
            const float *use = a;
            if (drop) {
                mul_forward(dropped, a, drop + bh * T * T, (size_t)T * T);
                use = dropped;
            }
            /* ctx = A'·V: dA' = dctx·Vᵀ, dV += A'ᵀ·dctx */
            gemm(0, 1, T, T, hd, 1.0f, g, H, vh, hd, 0.0f, da, T);
            gemm(1, 0, T, hd, T, 1.0f, use, T, g, H, 1.0f, dv + bh * T * hd, hd);
            if (drop) mul_forward(da, da, drop + bh * T * T, (size_t)T * T);
            /* softmax: dS = A ⊙ (dA − Σ_j dA·A); masked entries have A = 0 */
            for (int i = 0; i < T; i++) {
                float *dr = da + (size_t)i * T;
                const float *ar = a + (size_t)i * T;
                float dot = 0;
                for (int j = 0; j < T; j++) dot += dr[j] * ar[j];
                for (int j = 0; j < T; j++) dr[j] = ar[j] * (dr[j] - dot);
            }
            /* S = scale·Q·Kᵀ */
            gemm(0, 0, T, hd, T, scale, da, T, kh, hd, 1.0f, dq + bh * T * hd, hd);
            gemm(1, 0, T, hd, T, scale, da, T, qh, hd, 1.0f, dk + bh * T * hd, hd);
        }
        free(da);
        free(dropped);
    }
    blas_restore(threads);
}
