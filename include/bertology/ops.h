#ifndef BERTOLOGY_OPS_H
#define BERTOLOGY_OPS_H
/* The layer math, one plain function per layer, llm.c style. Shapes are in
 * the comment above each; N is a number of rows (tokens). Linear weights
 * are [out, in]. Matrix products go through cblas unless built with
 * -Dblas=false, which uses the plain loops in matmul.c; those of 2 to 16
 * rows through matmul_small.c in either build. */
#include <stddef.h>
#include <stdint.h>

/* out (N,OC) = inp (N,C) · weight(OC,C)ᵀ + bias(OC); bias may be NULL. */
void matmul_forward(float *out, const float *inp, const float *weight, const float *bias,
                    int N, int C, int OC);
/* dinp (N,C) += dout·weight; dweight (OC,C) += doutᵀ·inp; dbias (OC) += Σ dout.
 * Any of dinp/dweight/dbias may be NULL. */
void matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                     const float *inp, const float *weight, int N, int C, int OC);

/* out (N,C) = (inp - mean)·rstd·gamma + beta, per row; mean/rstd (N) kept for backward. */
void layernorm_forward(float *out, float *mean, float *rstd, const float *inp,
                       const float *gamma, const float *beta, int N, int C, float eps);
void layernorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                        const float *inp, const float *gamma, const float *mean,
                        const float *rstd, int N, int C);

/* Exact erf GELU: 0.5·x·(1 + erf(x/√2)), elementwise over n. */
void gelu_forward(float *out, const float *inp, size_t n);
void gelu_backward(float *dinp, const float *inp, const float *dout, size_t n);

/* Row-wise softmax in place over (N,C), max-subtracted; rows of all -inf
 * (cannot happen with [CLS] always visible) would become uniform. */
void softmax_forward(float *x, int N, int C);

/* Multi-head attention core for B sequences.
 * q,k,v (B,nh,T,hd) -> scores (B,nh,T,T) = q·kᵀ·scale + mask, attn = softmax(scores),
 * ctx (B,T,nh*hd) = attn·v with heads concatenated. valid (B,T) masks padded keys;
 * causal masks keys after the query. drop (B,nh,T,T) or NULL: dropout mask on attn
 * applied before attn·v (attn itself stays the clean softmax). */
void attention_forward(float *ctx, float *scores, float *attn, const float *q, const float *k,
                       const float *v, const int *valid, const float *drop, int B, int T,
                       int nh, int hd, float scale, int causal);
void attention_backward(float *dq, float *dk, float *dv, const float *dctx, const float *q,
                        const float *k, const float *v, const float *attn, const float *drop,
                        int B, int T, int nh, int hd, float scale);

/* (B,T,nh*hd) <-> (B,nh,T,hd) head split/merge of a projection, its rows
 * ld floats apart: nh*hd, or more for one part of wider rows (Q of the
 * fused (B,T,3H) Q|K|V of forward.c). */
void heads_split(float *dst, const float *src, int ld, int B, int T, int nh, int hd);
void heads_merge(float *dst, int ld, const float *src, int B, int T, int nh, int hd);

/* y = x ⊙ mask elementwise (dropout with a precomputed mask). */
void mul_forward(float *out, const float *x, const float *mask, size_t n);

/* Dropout mask: each entry 0 with probability p, else 1/(1-p). */
void dropout_mask(float *mask, size_t n, float p, uint64_t *rng);

/* xorshift64* random numbers for masks and init (no global state). */
uint64_t rng_next(uint64_t *s);
float rng_uniform(uint64_t *s);        /* [0,1) */
float rng_normal(uint64_t *s);

/* Sets the BLAS thread count (no-op without BLAS). */
void ops_set_threads(int n);

#endif
