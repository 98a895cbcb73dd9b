/* Products of a few rows: one sequence of up to 16 tokens through a
 * linear layer. BLAS copies ("packs") the whole weight matrix on every
 * call, which at 16 rows costs as much as the arithmetic: bench/README.md
 * measured every product of a 16-token pass at 3-5x its peak time. Here
 * the weights are read where they lie, once, and the rows go the other
 * way: the (up to) 16 input rows, transposed, are one 16-float vector per
 * input column, and each output column is 16 lanes of fused
 * multiply-adds, a weight broadcast against that vector. gcc's vector
 * extension says it once for every target (AVX-512: one register). */
#include "matmul_small.h"
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum {
    VL = MATMUL_SMALL_N,   /* lanes: the rows */
    KC = 256,              /* input columns transposed at a time: 16 KiB on the stack */
    OB = 16,               /* output columns at a time: 16 accumulators */
};
/* weights from this size on are fetched ahead (ACCUMULATE): above a
 * core's L2 (1 MiB here, 0.5-2 MiB on current x86) by a margin */
#define FETCH_MIN_BYTES ((size_t)4 << 20)
typedef float vrow __attribute__((vector_size(VL * sizeof(float))));

/* acc[j] = Σ_c xt[c] · w[j][c] for j < ob, c < kc; w rows ld apart.
 * Meanwhile the next block's nb rows are fetched towards L2, a cache line
 * of each every 16 columns: the hardware prefetcher follows a few
 * sequential streams, not 16 interleaved rows that each end after kc
 * columns, and a matrix far larger than L2 (the default model's decoder,
 * 16 MB) waited on memory. Only for such matrices (FETCH_MIN_BYTES):
 * one that stays in cache pays the extra instructions for nothing. */
#define ACCUMULATE(ob, fetch)                                                      \
    for (int c = 0; c < kc; c++) {                                                 \
        vrow xv;                                                                   \
        memcpy(&xv, xt + (size_t)c * VL, sizeof xv);                               \
        if ((fetch) && (c & 15) == 0)                                              \
            for (int j = 0; j < nb; j++) __builtin_prefetch(next + (size_t)j * ld + c, 0, 1); \
        for (int j = 0; j < (ob); j++) acc[j] += xv * w[(size_t)j * ld + c];      \
    }

/* out[:, o_begin:o_end] for rows < N, its input columns c0.. added to
 * what the columns before c0 left (bias first); fetch (a constant in
 * each caller below, so that the loop without it stays as it was)
 * fetches each next block while this one is computed. */
static inline __attribute__((always_inline)) void columns_body(float *out, int OC, const float *xt, int kc, int c0,
                                                               const float *weight, const float *bias, int N, int C,
                                                               int o_begin, int o_end, const int fetch) {
    /* weight rows a multiple of 2 KiB apart fall in the same cache sets:
     * 16 of them at once would evict each other (C = 1024, 3072) */
    int ob_max = C % 512 == 0 ? OB / 2 : OB;
    size_t ld = (size_t)C;
    for (int o0 = o_begin; o0 < o_end; o0 += ob_max) {
        int ob = o_end - o0 < ob_max ? o_end - o0 : ob_max;
        vrow acc[OB];
        memset(acc, 0, sizeof acc);
        const float *w = weight + (size_t)o0 * ld + c0;
        int nb = o_end - (o0 + ob) < ob_max ? o_end - (o0 + ob) : ob_max;   /* the next block's rows */
        const float *next = nb > 0 ? w + (size_t)ob * ld : w;
        if (ob == OB) ACCUMULATE(OB, fetch)          /* constant bounds: unrolled */
        else if (ob == OB / 2) ACCUMULATE(OB / 2, fetch)
        else ACCUMULATE(ob, fetch)
        float tile[OB][VL];
        memcpy(tile, acc, sizeof(vrow) * (size_t)ob);
        /* row by row: each output row's ob columns written together */
        for (int n = 0; n < N; n++) {
            float *y = out + (size_t)n * OC + o0;
            for (int j = 0; j < ob; j++)
                y[j] = (c0 ? y[j] : bias ? bias[o0 + j] : 0.0f) + tile[j][n];
        }
    }
}

static void columns(float *out, int OC, const float *xt, int kc, int c0, const float *weight, const float *bias,
                    int N, int C, int o_begin, int o_end) {
    if ((size_t)OC * (size_t)C * sizeof(float) >= FETCH_MIN_BYTES)
        columns_body(out, OC, xt, kc, c0, weight, bias, N, C, o_begin, o_end, 1);
    else
        columns_body(out, OC, xt, kc, c0, weight, bias, N, C, o_begin, o_end, 0);
}

/* out columns [o_begin, o_end) of the product, all input columns */
static void product(float *out, int OC, const float *inp, const float *weight, const float *bias, int N, int C,
                    int o_begin, int o_end) {
    float xt[KC * VL] __attribute__((aligned(64)));
    for (int c0 = 0; c0 < C; c0 += KC) {
        int kc = C - c0 < KC ? C - c0 : KC;
        /* xt (kc, VL): column c0+c of the rows, zero past row N */
        for (int c = 0; c < kc; c++)
            for (int n = 0; n < VL; n++) xt[(size_t)c * VL + n] = n < N ? inp[(size_t)n * C + c0 + c] : 0.0f;
        columns(out, OC, xt, kc, c0, weight, bias, N, C, o_begin, o_end);
    }
}

void matmul_small(float *out, const float *inp, const float *weight, const float *bias, int N, int C, int OC) {
#ifdef _OPENMP
    /* the output's columns split in whole blocks between the threads;
     * each transposes the few input rows for itself */
    int blocks = (OC + OB - 1) / OB;
    if (2.0 * N * C * OC >= PARALLEL_MIN_FLOPS && blocks > 1 && !omp_in_parallel() && omp_get_max_threads() > 1) {
        #pragma omp parallel
        {
            int nt = omp_get_num_threads(), it = omp_get_thread_num();
            int b0 = (int)((long)blocks * it / nt), b1 = (int)((long)blocks * (it + 1) / nt);
            int o1 = b1 * OB < OC ? b1 * OB : OC;
            if (b0 < b1) product(out, OC, inp, weight, bias, N, C, b0 * OB, o1);
        }
        return;
    }
#endif
    product(out, OC, inp, weight, bias, N, C, 0, OC);
}
