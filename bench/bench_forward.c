/* Forward-pass latency of the engine: one sequence (B=1) of T tokens
 * through the encoder, the MLM head over every position, and the NSP head
 * (what the REPL runs for one sentence), with the full Trace kept.
 *
 *   bench_forward --model DIR --len T [--threads 2] [policy flags] [--dump FILE] [MODE]
 *   bench_forward --list      the MODE flags, one a line
 *
 * Input ids are a fixed formula (the same in torch_bert.py):
 *   id[t] = 5 + (7919·t + 104729) mod (V − 5), type[t] = (t ≥ T/2).
 * --forward (the default) times that pass; each instrument's flag times
 * it instead, on the trace of one forward pass (the table MODES below,
 * which `--list` prints, bench/run.sh loops over and the JSON names, so
 * that a new instrument is one row): --lens, --rollout, --census, --scan,
 * --saliency, --saliency-ig, --whatif. --profile times the forward pass
 * with a clock at each of its stages (fwd_profile.h) and adds "stages":
 * each stage's milliseconds per timed call (bench/report.py sets them
 * beside the sgemm peak).
 * Besides wall times, cpu_ms is the process's CPU time per call (all
 * threads), which a loaded machine does not inflate.
 * --batch-rows N caps saliency's rows per batch (saliency_set_batch_rows),
 * to see what batching gains.
 * --dump writes the MLM logits (T,V) then the NSP logits (2) as raw
 * little-endian float32, for the equality check against PyTorch.
 * Prints one JSON line: times in ms, peak RSS, the trace's size, model
 * dimensions. */
#include "bench_util.h"
#include "bertology/census.h"
#include "bertology/forward.h"
#include "bertology/fwd_profile.h"
#include "bertology/lens.h"
#include "bertology/rollout.h"
#include "bertology/model.h"
#include "bertology/ops.h"
#include "bertology/saliency.h"
#include "bertology/scan.h"
#include "bertology/trace.h"
#include "bertology/whatif.h"
#include <sys/resource.h>

typedef struct {
    const BertModel *m;
    Trace *tr;
    Trace *tr2;             /* --whatif: run B, */
    const int *ids2, *types;    /* its ids (position T/2 replaced) and the segments */
    double *stage_s;            /* --profile: FP_N seconds per call, every call in order */
    int n_calls, cap_calls;
} Ctx;

static void run(void *p) {
    Ctx *c = p;
    forward(c->m, c->tr, NULL);
}

/* The forward pass with its stage clock on; each call's stages are kept
 * (warm-up calls too: main takes the timed ones, the last n). */
static void run_profile(void *p) {
    Ctx *c = p;
    FwdProfile fp;
    c->tr->profile = &fp;
    fwd_profile_start(&fp);
    forward(c->m, c->tr, NULL);
    c->tr->profile = NULL;
    if (c->n_calls == c->cap_calls) {
        c->cap_calls = c->cap_calls ? 2 * c->cap_calls : 64;
        c->stage_s = realloc(c->stage_s, sizeof(double) * FP_N * (size_t)c->cap_calls);
        if (!c->stage_s) {
            fprintf(stderr, "bench_forward: out of memory\n");
            exit(1);
        }
    }
    memcpy(c->stage_s + (size_t)FP_N * c->n_calls++, fp.s, sizeof fp.s);
}

static void run_lens(void *p) {
    Ctx *c = p;
    LensResult r;
    BtError err;
    if (lens_run(c->m, c->tr, c->tr->T / 2, 5, 5, &r, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    lens_free(&r);
}

static void run_rollout(void *p) {
    Ctx *c = p;
    Rollout r;
    BtError err;
    if (rollout_run(c->tr, c->tr->T / 2, &r, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    rollout_free(&r);
}

static void run_census(void *p) {
    Ctx *c = p;
    Census cs;
    BtError err;
    if (census_of_trace(&cs, c->tr, c->m->tok, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    census_free(&cs);
}

static void run_scan(void *p) {
    Ctx *c = p;
    ScanResult r;
    BtError err;
    if (scan_run(c->m, c->tr, c->tr->T / 2, -1, KO_HEAD_ZERO, &r, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    scan_free(&r);
}

static void saliency_steps(Ctx *c, int steps) {
    Saliency r;
    BtError err;
    if (saliency_run(c->m, c->tr, c->tr->T / 2, -1, steps, &r, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    saliency_free(&r);
}
static void run_saliency(void *p) { saliency_steps(p, 0); }
static void run_saliency_ig(void *p) { saliency_steps(p, SALIENCY_STEPS_DEFAULT); }
static void run_whatif(void *p) {
    Ctx *c = p;
    WhatIf w;
    BtError err;
    if (forward_prepare(c->tr2, c->ids2, c->types, c->tr->T, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    forward(c->m, c->tr2, NULL);
    if (whatif_run(c->m, c->tr, c->tr2, 1, 5, &w, &err) != 0) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        exit(1);
    }
    whatif_free(&w);
}

/* What is timed: the forward pass, or an instrument on its trace. One row
 * each: its name in the JSON, its flag, what one call does (report.py
 * prints it), issue 15's budget for one call at T = 32 on the default
 * model (0: none; the instruments 100 ms, the scan's L·nh re-runs 1 s),
 * and whether it needs a second trace (run B of the what-if). */
typedef struct {
    const char *what, *flag, *about;
    int budget_ms;
    int run_b;
    void (*run)(void *);
} Mode;

static const Mode MODES[] = {
    {"forward", "--forward", "encoder + MLM head on every position + NSP (what the REPL runs)", 0, 0, run},
    {"profile", "--profile", "the same with a clock at each stage (its × forward is the clocks' cost)", 0, 0,
     run_profile},
    {"lens", "--lens", "logit lens at position T/2: top 5 and one followed word at every depth", 100, 0, run_lens},
    {"rollout", "--rollout", "last layer, rollout and exact flow into position T/2", 100, 0, run_rollout},
    {"census", "--census", "every head's entropy and shares", 100, 0, run_census},
    {"scan", "--scan", "every head knocked out in turn (L·nh re-runs), top guess at T/2, with NSP", 1000, 0, run_scan},
    {"saliency", "--saliency", "gradient × input at T/2: one forward and one backward pass", 100, 0, run_saliency},
    {"saliency_ig", "--saliency-ig", "the same plus integrated gradients, the REPL's default steps", 100, 0,
     run_saliency_ig},
    {"whatif", "--whatif", "run B (position T/2 replaced) and the comparison", 100, 1, run_whatif},
};
enum { N_MODES = sizeof MODES / sizeof MODES[0] };

/* The row whose flag is arg, or NULL. */
static const Mode *mode_of_flag(const char *arg) {
    for (int i = 0; i < N_MODES; i++)
        if (!strcmp(MODES[i].flag, arg)) return &MODES[i];
    return NULL;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

int main(int argc, char **argv) {
    const char *dir = NULL, *dump = NULL;
    int T = 16, threads = 2;
    const Mode *mode = &MODES[0], *flag;
    BenchPolicy pol = {.warm_n = 5, .warm_s = 0.5, .min_n = 20, .min_s = 2.0, .max_n = 2000};
    for (int i = 1; i < argc; i++) {
        if (bench_policy_arg(&pol, argc, argv, &i)) continue;
        if (!strcmp(argv[i], "--model") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--len") && i + 1 < argc) T = bench_arg_int(argv[++i], "--len");
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = bench_arg_int(argv[++i], "--threads");
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc) dump = argv[++i];
        else if (!strcmp(argv[i], "--batch-rows") && i + 1 < argc)
            saliency_set_batch_rows(bench_arg_int(argv[++i], "--batch-rows"));
        else if ((flag = mode_of_flag(argv[i]))) mode = flag;
        else if (!strcmp(argv[i], "--list")) {
            for (int k = 0; k < N_MODES; k++) printf("%s\n", MODES[k].flag);
            return 0;
        } else {
            fprintf(stderr, "usage: bench_forward --model DIR --len T [--threads N] [--warmup N] [--warmup-s S]\n"
                            "       [--reps N] [--min-s S] [--max-reps N] [--dump FILE] [--batch-rows N] [--list] [MODE]\n"
                            "MODE, one of:\n");
            for (int k = 0; k < N_MODES; k++) fprintf(stderr, "  %-14s %s\n", MODES[k].flag, MODES[k].about);
            return 2;
        }
    }
    if (!dir || T < 2) {
        fprintf(stderr, "bench_forward: --model DIR and --len T (>= 2) are required\n");
        return 2;
    }
    if (pol.max_n < pol.min_n) pol.max_n = pol.min_n;
    ops_set_threads(threads);

    BertModel m;
    Trace tr;
    BtError err = {0};
    double t0 = bench_now();
    if (model_load(&m, dir, &err)) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        return 1;
    }
    double load_s = bench_now() - t0;
    const BertConfig *c = &m.cfg;
    if (T > c->max_position) {
        fprintf(stderr, "bench_forward: --len %d is over the model's maximum %d\n", T, c->max_position);
        return 1;
    }
    if (trace_alloc(&tr, &m, 1, T, T, 0.0f, &err)) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        return 1;
    }
    int *ids = malloc(sizeof(int) * T), *types = malloc(sizeof(int) * T);
    for (int t = 0; t < T; t++) {
        ids[t] = 5 + (int)((7919L * t + 104729L) % (c->vocab_size - 5));
        types[t] = t >= T / 2;
    }
    if (forward_prepare(&tr, ids, types, T, &err)) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        return 1;
    }
    Trace tr2;
    int *ids2 = malloc(sizeof(int) * T);
    memcpy(ids2, ids, sizeof(int) * T);
    ids2[T / 2] = 5 + (ids[T / 2] - 5 + 1) % (c->vocab_size - 5);   /* another ordinary token */
    if (mode->run_b && trace_alloc(&tr2, &m, 1, T, T, 0.0f, &err)) {
        fprintf(stderr, "bench_forward: %s\n", err.msg);
        return 1;
    }
    Ctx ctx = {.m = &m, .tr = &tr, .tr2 = mode->run_b ? &tr2 : NULL, .ids2 = ids2, .types = types};
    if (dump) {
        forward(&m, &tr, NULL);
        FILE *f = fopen(dump, "wb");
        int ok = f && fwrite(tr.mlm_logits, sizeof(float), (size_t)T * c->vocab_size, f) == (size_t)T * c->vocab_size;
        float nsp[2] = {0, 0};
        if (tr.nsp_logits && m.has_nsp) memcpy(nsp, tr.nsp_logits, sizeof nsp);
        ok = ok && fwrite(nsp, sizeof(float), 2, f) == 2;
        if (f) ok = fclose(f) == 0 && ok;
        if (!ok) {
            fprintf(stderr, "bench_forward: cannot write %s\n", dump);
            return 1;
        }
    }
    double *s = malloc(sizeof(double) * pol.max_n);
    if (mode->run != run && mode->run != run_profile) forward(&m, &tr, NULL);   /* the trace an instrument reads */
    void (*fn)(void *) = mode->run;
    int n = bench_repeat(&pol, fn, &ctx, s);
    int timed_end = ctx.n_calls;   /* --profile: the timed calls are the n before this */
    /* CPU time per call over a few more calls, apart from the wall times */
    int k = n < 10 ? n : 10;
    double c0 = cpu_s();
    for (int i = 0; i < k; i++) fn(&ctx);
    double cpu_ms = k ? 1e3 * (cpu_s() - c0) / k : 0;
    printf("{\"side\": \"c\", \"what\": \"%s\", \"T\": %d, \"threads\": %d, \"layers\": %d, \"hidden\": %d, "
           "\"heads\": %d, \"inter\": %d, \"vocab\": %d, \"has_mlm\": %d, \"has_nsp\": %d, \"n_params\": %zu, \"load_s\": %.3f, "
           "\"maxrss_kb\": %ld, \"rss_end_kb\": %ld, \"trace_kb\": %zu, \"mlm_rows\": %d, \"about\": \"%s\", "
           "\"budget_ms\": %d, ",
           mode->what, T, threads, c->num_layers, c->hidden_size, c->num_heads, c->intermediate_size, c->vocab_size,
           m.has_mlm, m.has_nsp, m.n_params, load_s, bench_maxrss_kb(), bench_rss_kb(),
           trace_bytes(&m, 1, T, T, 0.0f) / 1024, m.has_mlm ? tr.n_mlm : 0, mode->about, mode->budget_ms);
    bench_print_samples(stdout, "ms", s, n, 1e3);
    if (mode->run == run_profile) {
        printf(", \"stages\": {");
        for (int k = 0; k < FP_N; k++) {
            printf("%s\"%s\": [", k ? ", " : "", FWD_STAGES[k]);
            for (int i = timed_end - n; i < timed_end; i++)
                printf("%s%.6g", i > timed_end - n ? ", " : "", 1e3 * ctx.stage_s[(size_t)FP_N * i + k]);
            printf("]");
        }
        printf("}");
    }
    printf(", \"cpu_ms\": %.3f}\n", cpu_ms);
    free(s);
    free(ctx.stage_s);
    free(ids);
    free(ids2);
    free(types);
    if (mode->run_b) trace_free(&tr2);
    trace_free(&tr);
    model_free(&m);
    return 0;
}
