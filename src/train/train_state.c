/* state.bin: see include/bertology/train_state.h. */
#include "bertology/train_state.h"
#include "bertology/train_pool.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The file: this header, then the parameters, AdamW's m and v (floats),
 * each block in the parameter table's order (model_param_table). That
 * order, not the params block's layout in memory (which keeps each
 * layer's Q, K, V weights side by side for the fused product), is the
 * file's: states written before that layout load unchanged. */
typedef struct {
    char magic[8];
    int version;
    int next_batch;        /* position in the current length-bucketed pool */
    long step;
    uint64_t rng;          /* dropout stream */
    uint64_t pool_rng;     /* data stream at the start of the current pool */
    size_t n_params;
    double tokens;
    double elapsed;
} StateHeader;

static const char STATE_MAGIC[8] = "BTSTATE";
enum { STATE_VERSION = 2 };
/* Read first: magic, version and 4 bytes that are next_batch in version 2
 * and padding before the step in version 1. */
enum { STATE_PREFIX = offsetof(StateHeader, step) };

/* One block of n_params floats to or from f, in table order. */
static int block_io(FILE *f, float *block, const ParamInfo *tab, int np, int writing) {
    for (int i = 0; i < np; i++) {
        float *p = block + tab[i].offset;
        size_t n = tab[i].numel;
        if ((writing ? fwrite(p, sizeof(float), n, f) : fread(p, sizeof(float), n, f)) != n) return 0;
    }
    return 1;
}

/* params, AdamW's m and v, in table order */
static int state_io(FILE *f, const BertModel *m, const AdamW *opt, int writing) {
    ParamInfo *tab = NULL;
    int np = model_param_table(&m->cfg, &tab);
    int ok = tab != NULL && block_io(f, m->params, tab, np, writing) && block_io(f, opt->m, tab, np, writing) &&
             block_io(f, opt->v, tab, np, writing);
    free(tab);
    return ok;
}

static void state_path(char *buf, size_t n, const char *run_dir) {
    snprintf(buf, n, "%s/state.bin", run_dir);
}

int train_state_check(const char *run_dir, BtError *err) {
    char path[4200];
    state_path(path, sizeof path, run_dir);
    if (access(path, R_OK) != 0)
        return bt_fail(err, "%s: cannot resume: %s (was the run started with this --out?)", path, strerror(errno));
    return 0;
}

int train_state_save(const char *run_dir, const BertModel *m, const AdamW *opt, const TrainState *st, BtError *err) {
    char path[4200], tmp[4210];
    state_path(path, sizeof path, run_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return bt_fail(err, "%s: cannot write: %s", tmp, strerror(errno));
    StateHeader h = {{0}, STATE_VERSION, st->next_batch, st->step, st->rng, st->pool_rng, m->n_params,
                     st->tokens, st->elapsed};
    memcpy(h.magic, STATE_MAGIC, sizeof h.magic);
    int ok = fwrite(&h, sizeof h, 1, f) == 1 && opt->n == m->n_params && state_io(f, m, opt, 1);
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return bt_fail(err, "%s: write failed", path);
    }
    return 0;
}

/* Version 1, from before pools were saved: the same fields minus the data
 * stream. The run goes on from a fresh pool, which changes its data order
 * only. */
static int read_v1(FILE *f, StateHeader *h) {
    struct { long step; uint64_t rng; size_t n_params; double tokens, elapsed; } v1;
    if (fread(&v1, sizeof v1, 1, f) != 1) return 0;
    h->step = v1.step;
    h->rng = v1.rng;
    h->pool_rng = train_data_stream(v1.rng);
    h->next_batch = TRAIN_POOL_BATCHES;
    h->n_params = v1.n_params;
    h->tokens = v1.tokens;
    h->elapsed = v1.elapsed;
    return 1;
}

int train_state_load(const char *run_dir, BertModel *m, AdamW *opt, TrainState *st, BtError *err) {
    char path[4200];
    state_path(path, sizeof path, run_dir);
    FILE *f = fopen(path, "rb");
    if (!f) return bt_fail(err, "%s: cannot resume: %s", path, strerror(errno));
    StateHeader h;
    int ok = fread(&h, STATE_PREFIX, 1, f) == 1 && !memcmp(h.magic, STATE_MAGIC, sizeof h.magic);
    if (ok && h.version == STATE_VERSION)
        ok = fread((char *)&h + STATE_PREFIX, sizeof h - STATE_PREFIX, 1, f) == 1;
    else if (ok && h.version == 1)
        ok = read_v1(f, &h);
    else
        ok = 0;
    ok = ok && h.next_batch >= 0 && h.next_batch <= TRAIN_POOL_BATCHES;
    if (ok && h.n_params != m->n_params) {
        fclose(f);
        return bt_fail(err, "%s: holds %zu parameters, this configuration has %zu", path, h.n_params, m->n_params);
    }
    ok = ok && opt->n == m->n_params && state_io(f, m, opt, 0);
    fclose(f);
    if (!ok) return bt_fail(err, "%s: truncated or not a bertology training state", path);
    *st = (TrainState){h.step, h.rng, h.pool_rng, h.next_batch, h.tokens, h.elapsed};
    opt->t = h.step;
    return 0;
}
