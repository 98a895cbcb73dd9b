/* Training throughput of the engine's trainer: the step of
 * src/train/trainer.c: its train_grad (forward with dropout, MLM
 * cross-entropy on the chosen rows only, NSP cross-entropy, backward,
 * gradient clipping) and AdamW with the trainer's schedule and defaults, on
 * the synthetic batches that
 * bench_data.py wrote, starting from the weights in --model.
 *
 *   bench_train --model DIR --batches FILE [--threads 2] [--warmup N]
 *               [--windows W] [--check]
 *
 * After N warm-up steps, W windows each run every batch of the file once, in
 * file order; a window's throughput is its real (non-padding) tokens over its
 * wall time. Prints one JSON line.
 * --check instead runs batch 0 without dropout and prints the MLM and NSP
 * losses and the gradient norm, then one AdamW step at lr 1e-3 and the loss
 * again: torch_bert.py check-train prints the same numbers. */
#include "bench_util.h"
#include "bertology/adamw.h"
#include "bertology/backward.h"
#include "bertology/forward.h"
#include "bertology/model.h"
#include "bertology/ops.h"
#include "bertology/trace.h"
#include "bertology/train_step.h"
#include <math.h>

typedef struct {
    int T, n_chosen;
    int *ids, *types, *valid, *labels, *nsp;
} Batch;

static int read_batches(const char *path, Batch **out, int *nb, int *B, int *maxT, int *V) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char magic[8];
    int h[4];
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "BTBATCH1", 8) || fread(h, sizeof(int), 4, f) != 4 ||
        h[0] < 1 || h[1] < 1 || h[2] < 8 || h[3] < 6) {
        fclose(f);
        return -1;
    }
    *nb = h[0], *B = h[1], *maxT = h[2], *V = h[3];
    Batch *b = calloc(*nb, sizeof(Batch));
    for (int i = 0; i < *nb; i++) {
        int th[2];
        if (fread(th, sizeof(int), 2, f) != 2 || th[0] < 2 || th[0] > *maxT) { fclose(f); return -1; }
        b[i].T = th[0];
        b[i].n_chosen = th[1];
        size_t n = (size_t)*B * b[i].T;
        int **arr[4] = {&b[i].ids, &b[i].types, &b[i].valid, &b[i].labels};
        for (int k = 0; k < 4; k++) {
            *arr[k] = malloc(sizeof(int) * n);
            if (fread(*arr[k], sizeof(int), n, f) != n) { fclose(f); return -1; }
        }
        b[i].nsp = malloc(sizeof(int) * *B);
        if (fread(b[i].nsp, sizeof(int), *B, f) != (size_t)*B) { fclose(f); return -1; }
    }
    fclose(f);
    *out = b;
    return 0;
}

typedef struct {
    BertModel *m, *g;
    Trace *tr;
    BackwardScratch *s;
    AdamW *opt;
    int *labels;
    float *dlogits, *dnsp;
    uint64_t rng;
    long step;
} Trainer;

/* Loads batch b into the trace exactly as train_run does. */
static int load_batch(Trainer *t, const Batch *b, int B) {
    Trace *tr = t->tr;
    int n = 0, Tb = b->T;
    BtError err = {{0}};
    if (trace_set_T(tr, Tb, &err) != 0) {   /* as train_run: the arrays' strides follow T */
        fprintf(stderr, "bench_train: %s\n", err.msg);   /* a batch file longer than its header says */
        exit(2);
    }
    for (int i = 0; i < B * Tb; i++) {
        tr->input_ids[i] = b->ids[i];
        tr->type_ids[i] = b->types[i];
        tr->valid[i] = b->valid[i];
        if (b->labels[i] >= 0 && n < tr->mlm_cap) {
            tr->mlm_rows[n] = i;
            t->labels[n++] = b->labels[i];
        }
    }
    tr->n_mlm = n;
    return n;
}

/* the trainer's own gradient step (train_grad), clipping at 1.0 as the recipe */
static float grad_step(Trainer *t, const Batch *b, int B, double *mlm, double *nsp) {
    load_batch(t, b, B);
    StepLoss sl;
    train_grad(t->m, t->g, t->tr, t->s, t->labels, b->nsp, t->dlogits, t->dnsp, 1.0f, NULL, &t->rng, &sl);
    *mlm = sl.mlm_loss;
    *nsp = sl.nsp_loss;
    return sl.grad_norm;
}

static void train_step(Trainer *t, const Batch *b, int B) {
    double mlm, nsp;
    grad_step(t, b, B, &mlm, &nsp);
    /* trainer defaults: warm-up 500, 10000 steps, peak 5e-4 */
    adamw_step(t->opt, t->m->params, t->g->params, lr_schedule(t->step, 500, 10000, 5e-4f));
    t->step++;
    if (!isfinite(mlm + nsp)) {
        fprintf(stderr, "bench_train: the loss became %f\n", mlm + nsp);
        exit(1);
    }
}

int main(int argc, char **argv) {
    const char *dir = NULL, *bpath = NULL;
    int threads = 2, warm = 2, windows = 3, check = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--batches") && i + 1 < argc) bpath = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = bench_arg_int(argv[++i], "--threads");
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warm = bench_arg_int(argv[++i], "--warmup");
        else if (!strcmp(argv[i], "--windows") && i + 1 < argc) windows = bench_arg_int(argv[++i], "--windows");
        else if (!strcmp(argv[i], "--check")) check = 1;
        else {
            fprintf(stderr, "usage: bench_train --model DIR --batches FILE [--threads N] [--warmup N] [--windows W] [--check]\n");
            return 2;
        }
    }
    if (!dir || !bpath) {
        fprintf(stderr, "bench_train: --model DIR and --batches FILE are required\n");
        return 2;
    }
    ops_set_threads(threads);
    Batch *batches;
    int nb, B, maxT, V;
    if (read_batches(bpath, &batches, &nb, &B, &maxT, &V)) {
        fprintf(stderr, "bench_train: %s: not a readable batch file (bench_data.py batches)\n", bpath);
        return 1;
    }
    BertModel m, g;
    AdamW opt;
    Trace tr;
    BackwardScratch s;
    BtError err = {0};
    if (model_load(&m, dir, &err)) {
        fprintf(stderr, "bench_train: %s\n", err.msg);
        return 1;
    }
    if (V != m.cfg.vocab_size || maxT > m.cfg.max_position) {
        fprintf(stderr, "bench_train: the batches (vocab %d, length %d) do not fit the model (vocab %d, max %d)\n",
                V, maxT, m.cfg.vocab_size, m.cfg.max_position);
        return 1;
    }
    int mlm_cap = B * maxT / 4 + B;   /* as the trainer */
    float dropout = check ? 0.0f : 0.1f;
    memset(&g, 0, sizeof g);
    if (model_alloc(&g, &m.cfg, &err) || adamw_init(&opt, &m, 0.9f, 0.98f, 1e-6f, 0.01f) ||
        trace_alloc(&tr, &m, B, maxT, mlm_cap, dropout, &err) || backward_scratch_alloc(&s, &tr, &err)) {
        fprintf(stderr, "bench_train: %s\n", err.msg[0] ? err.msg : "out of memory");
        return 1;
    }
    m.has_mlm = m.has_nsp = 1;
    Trainer t = {&m, &g, &tr, &s, &opt, malloc(sizeof(int) * mlm_cap),
                 malloc(sizeof(float) * (size_t)mlm_cap * V), malloc(sizeof(float) * 2 * B), 42, 0};

    if (check) {
        double mlm, nsp, mlm2, nsp2;
        float gn = grad_step(&t, &batches[0], B, &mlm, &nsp);
        adamw_step(&opt, m.params, g.params, 1e-3f);
        grad_step(&t, &batches[0], B, &mlm2, &nsp2);
        printf("{\"side\": \"c\", \"what\": \"check-train\", \"n_mlm\": %d, \"mlm_loss\": %.6f, \"nsp_loss\": %.6f, "
               "\"grad_norm\": %.6f, \"mlm_loss_after\": %.6f, \"nsp_loss_after\": %.6f}\n",
               tr.n_mlm, mlm, nsp, gn, mlm2, nsp2);
        return 0;
    }

    for (int i = 0; i < warm; i++) train_step(&t, &batches[i % nb], B);
    printf("{\"side\": \"c\", \"what\": \"train\", \"threads\": %d, \"B\": %d, \"batches\": %d, \"warmup\": %d, "
           "\"layers\": %d, \"hidden\": %d, \"vocab\": %d, \"windows\": [",
           threads, B, nb, warm, m.cfg.num_layers, m.cfg.hidden_size, V);
    double *step_s = malloc(sizeof(double) * (size_t)windows * nb);
    for (int w = 0; w < windows; w++) {
        long tokens = 0;
        double t0 = bench_now();
        for (int i = 0; i < nb; i++) {
            double a = bench_now();
            train_step(&t, &batches[i], B);
            step_s[w * nb + i] = bench_now() - a;
            for (int k = 0; k < B * batches[i].T; k++) tokens += batches[i].valid[k];
        }
        printf("%s{\"tokens\": %ld, \"s\": %.6f}", w ? ", " : "", tokens, bench_now() - t0);
        fflush(stdout);
    }
    printf("], \"maxrss_kb\": %ld, ", bench_maxrss_kb());
    bench_print_samples(stdout, "step_ms", step_s, windows * nb, 1e3);
    printf("}\n");
    return 0;
}
