/* Small helpers shared by the C bench programs: a clock, the repeat policy,
 * peak memory, and one JSON line of results on stdout (bench/report.py
 * reads it). Header-only so each program stays one file. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Peak resident set size of this process, in kB. */
static inline long bench_maxrss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Current resident set size (VmRSS), in kB; -1 if unknown. */
static inline long bench_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

/* The repeat policy (the same in torch_bert.py): warm up for at least
 * warm_n calls and warm_s seconds, then time single calls until at least
 * min_n calls and min_s seconds, at most max_n calls. */
typedef struct {
    int warm_n, min_n, max_n;
    double warm_s, min_s;
} BenchPolicy;

/* Runs fn(ctx) per the policy; returns the number of samples written to
 * out (seconds each, out holds max_n). */
static inline int bench_repeat(const BenchPolicy *p, void (*fn)(void *), void *ctx, double *out) {
    double t0 = bench_now();
    for (int i = 0; i < p->warm_n || bench_now() - t0 < p->warm_s; i++) fn(ctx);
    int n = 0;
    t0 = bench_now();
    while (n < p->max_n && (n < p->min_n || bench_now() - t0 < p->min_s)) {
        double a = bench_now();
        fn(ctx);
        out[n++] = bench_now() - a;
    }
    return n;
}

static inline void bench_print_samples(FILE *f, const char *key, const double *s, int n, double scale) {
    fprintf(f, "\"%s\": [", key);
    for (int i = 0; i < n; i++) fprintf(f, "%s%.6g", i ? ", " : "", s[i] * scale);
    fprintf(f, "]");
}

static inline int bench_arg_int(const char *v, const char *name) {
    char *end;
    long x = strtol(v, &end, 10);
    if (*end || x < 0 || x > 1000000000) {
        fprintf(stderr, "bench: bad value for %s: %s\n", name, v);
        exit(2);
    }
    return (int)x;
}

static inline double bench_arg_double(const char *v, const char *name) {
    char *end;
    double x = strtod(v, &end);
    if (*end || x < 0) {
        fprintf(stderr, "bench: bad value for %s: %s\n", name, v);
        exit(2);
    }
    return x;
}

/* Parses the policy flags shared by the programs; returns 1 if argv[*i] was one. */
static inline int bench_policy_arg(BenchPolicy *p, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (*i + 1 >= argc) return 0;
    if (!strcmp(a, "--warmup")) p->warm_n = bench_arg_int(argv[++*i], a);
    else if (!strcmp(a, "--warmup-s")) p->warm_s = bench_arg_double(argv[++*i], a);
    else if (!strcmp(a, "--reps")) p->min_n = bench_arg_int(argv[++*i], a);
    else if (!strcmp(a, "--min-s")) p->min_s = bench_arg_double(argv[++*i], a);
    else if (!strcmp(a, "--max-reps")) p->max_n = bench_arg_int(argv[++*i], a);
    else return 0;
    return 1;
}

#endif
