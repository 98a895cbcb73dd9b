#ifndef BERTOLOGY_VECSTATS_H
#define BERTOLOGY_VECSTATS_H
/* Statistics of one vector and of a pair, in one place for the REPL's
 * tables, the lessons, the static vectors and the evaluators. */

/* cos(a, b) = a·b / (|a| |b|) in double; exactly 1 for a == b (non-zero),
 * 0 when either is the zero vector. */
double vec_cosine(const float *a, const float *b, int n);

/* Length, mean and standard deviation (over n, not n − 1) of v. */
void row_stats(const float *v, int n, float *norm, float *mean, float *std);

/* The mean of rows [from, to) of a (T, H) matrix into out (H). */
void mean_rows(const float *x, int H, int from, int to, float *out);

#endif
