#ifndef BT_MATMUL_SMALL_H
#define BT_MATMUL_SMALL_H
/* The products of a few rows (matmul_small.c): at most MATMUL_SMALL_N. */
enum { MATMUL_SMALL_N = 16 };

/* Below this many flops a piece of work stays on one thread: waking the
 * other costs more than it saves. The few-row products and the attention
 * core both ask. Measured 2026-12-03 (default model, T = 16, 2 threads,
 * OMP_WAIT_POLICY=PASSIVE as bertology runs): every product on one thread
 * made the pass 1.5x slower than this; splitting them all, or only those
 * over 20 MFLOP, within noise of it; the attention core on one thread
 * halved its stage (0.12 -> 0.06 ms). */
#define PARALLEL_MIN_FLOPS 4.0e6

/* out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias (OC), N <= MATMUL_SMALL_N;
 * bias may be NULL. */
void matmul_small(float *out, const float *inp, const float *weight, const float *bias, int N, int C, int OC);
#endif
