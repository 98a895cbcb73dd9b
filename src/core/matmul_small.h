#ifndef BT_MATMUL_SMALL_H
#define BT_MATMUL_SMALL_H
/* The products of a few rows (matmul_small.c): at most MATMUL_SMALL_N. */
enum { MATMUL_SMALL_N = 16 };

/* out (N,OC) = inp (N,C) · weight (OC,C)ᵀ + bias (OC), N <= MATMUL_SMALL_N;
 * bias may be NULL. */
void matmul_small(float *out, const float *inp, const float *weight, const float *bias, int N, int C, int OC);
#endif
