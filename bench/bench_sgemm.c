/* The machine's sgemm peak as the engine sees it: OpenBLAS cblas_sgemm on
 * square N×N×N products (default 768, bert-base's hidden size) with the
 * same thread count as the engine. GFLOP/s = 2·N³ / time.
 *
 *   bench_sgemm [--n 768] [--threads 2] [policy flags]
 *
 * Prints one JSON line (times in ms). */
#include "bench_util.h"
#include <stdint.h>
#ifdef BT_USE_BLAS
#include <cblas.h>
void openblas_set_num_threads(int);
char *openblas_get_config(void);
char *openblas_get_corename(void);
#endif

typedef struct {
    int n;
    float *a, *b, *c;
} Ctx;

#ifdef BT_USE_BLAS
static void run(void *p) {
    Ctx *x = p;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, x->n, x->n, x->n, 1.0f, x->a, x->n, x->b, x->n,
                0.0f, x->c, x->n);
}
#endif

int main(int argc, char **argv) {
    int n = 768, threads = 2;
    BenchPolicy pol = {.warm_n = 5, .warm_s = 0.5, .min_n = 20, .min_s = 2.0, .max_n = 5000};
    for (int i = 1; i < argc; i++) {
        if (bench_policy_arg(&pol, argc, argv, &i)) continue;
        if (!strcmp(argv[i], "--n") && i + 1 < argc) n = bench_arg_int(argv[++i], "--n");
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = bench_arg_int(argv[++i], "--threads");
        else {
            fprintf(stderr, "usage: bench_sgemm [--n N] [--threads N] [--warmup N] [--warmup-s S] [--reps N] [--min-s S]\n");
            return 2;
        }
    }
#ifndef BT_USE_BLAS
    (void)threads;
    fprintf(stderr, "bench_sgemm: built without BLAS (-Dblas=false): no sgemm peak to measure\n");
    return 1;
#else
    if (pol.max_n < pol.min_n) pol.max_n = pol.min_n;
    openblas_set_num_threads(threads);
    size_t nn = (size_t)n * n;
    Ctx x = {n, malloc(sizeof(float) * nn), malloc(sizeof(float) * nn), malloc(sizeof(float) * nn)};
    uint64_t r = 88172645463325252ull;
    for (size_t i = 0; i < nn; i++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        x.a[i] = (float)(r >> 40) / (float)(1 << 24) - 0.5f;
        x.b[i] = (float)((r >> 16) & 0xffffff) / (float)(1 << 24) - 0.5f;
    }
    double *s = malloc(sizeof(double) * pol.max_n);
    int k = bench_repeat(&pol, run, &x, s);
    printf("{\"side\": \"c\", \"what\": \"sgemm\", \"n\": %d, \"threads\": %d, \"flop\": %.0f, "
           "\"openblas_core\": \"%s\", \"openblas_config\": \"%s\", ",
           n, threads, 2.0 * n * n * (double)n, openblas_get_corename(), openblas_get_config());
    bench_print_samples(stdout, "ms", s, k, 1e3);
    printf("}\n");
    free(s);
    free(x.a);
    free(x.b);
    free(x.c);
    return 0;
#endif
}
