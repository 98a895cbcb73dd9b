#ifndef BT_MATMUL_SMALL_H
#define BT_MATMUL_SMALL_H
/* The products of a few rows (matmul_small.c): at most MATMUL_SMALL_N. */
enum { MATMUL_SMALL_N = 16 };

/* Below this many flops a piece of work stays on one thread: waking the
 * other costs more than it saves (bench/README.md, 2026-12-03). The
 * few-row products and the attention core both ask. */
#define PARALLEL_MIN_FLOPS 4.0e6

/* out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias (OC), N <= MATMUL_SMALL_N;
 * bias may be NULL. */
void matmul_small(float *out, const float *inp, const float *weight, const float *bias, int N, int C, int OC);
#endif
