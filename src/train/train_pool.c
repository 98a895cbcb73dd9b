/* The length-bucketed pools the trainer's batches come from: see
 * include/bertology/train_pool.h. */
#include "bertology/train_pool.h"
#include "bertology/ops.h"
#include <stdlib.h>

/* XORed into the seed to start the data stream: were both streams started
 * at the seed, the dropout masks and the instances would be drawn from
 * the same numbers. Any constant with about half its bits set, spread
 * over the word, does. Changing it changes every run's data and where a
 * version-1 state.bin (from before the data stream was saved) resumes. */
#define DATA_STREAM_MIX 0xD1B54A32D192ED03ull

uint64_t train_data_stream(uint64_t rng) {
    return rng ^ DATA_STREAM_MIX;
}

int train_pool_alloc(TrainPool *p, int B, int T, BtError *err) {
    int n = TRAIN_POOL_BATCHES * B;
    *p = (TrainPool){.B = B, .T = T, .next_batch = TRAIN_POOL_BATCHES};
    p->inst = calloc((size_t)n, sizeof(Instance));
    p->order = malloc(sizeof(int) * n);
    p->lens = malloc(sizeof(int) * n);
    int bad = !p->inst || !p->order || !p->lens;
    for (int i = 0; !bad && i < n; i++) bad = instance_alloc(&p->inst[i], T) != 0;
    if (bad) {
        train_pool_free(p);
        return bt_fail(err, "out of memory (lower --batch)");
    }
    return 0;
}

void train_pool_free(TrainPool *p) {
    for (int i = 0; p->inst && i < TRAIN_POOL_BATCHES * p->B; i++) instance_free(&p->inst[i]);
    free(p->inst);
    free(p->order);
    free(p->lens);
    *p = (TrainPool){0};
}

void train_pool_fill(TrainPool *p, const Corpus *c, const InstanceSpec *spec, uint64_t *data_rng) {
    int n = TRAIN_POOL_BATCHES * p->B, T = spec->max_len;
    p->start_rng = *data_rng;
    for (int i = 0; i < n; i++) {
        instance_sample(c, spec, data_rng, &p->inst[i]);
        p->lens[i] = 0;
        for (int t = 0; t < T; t++) p->lens[i] += p->inst[i].valid[t];
        p->order[i] = i;
    }
    /* insertion sort by length: n is a few hundred */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && p->lens[p->order[j - 1]] > p->lens[p->order[j]]; j--) {
            int x = p->order[j]; p->order[j] = p->order[j - 1]; p->order[j - 1] = x;
        }
    for (int i = 0; i < TRAIN_POOL_BATCHES; i++) p->batch_order[i] = i;
    for (int i = TRAIN_POOL_BATCHES - 1; i > 0; i--) {
        int j = (int)(rng_next(data_rng) % (uint64_t)(i + 1)), x = p->batch_order[i];
        p->batch_order[i] = p->batch_order[j];
        p->batch_order[j] = x;
    }
    p->next_batch = 0;
}

int train_pool_next(TrainPool *p, const Corpus *c, const InstanceSpec *spec, uint64_t *data_rng,
                    const Instance **members) {
    if (p->next_batch == TRAIN_POOL_BATCHES) train_pool_fill(p, c, spec, data_rng);
    const int *idx = p->order + p->batch_order[p->next_batch++] * p->B;
    int Tb = TRAIN_BATCH_T_STEP;
    for (int b = 0; b < p->B; b++) {
        members[b] = &p->inst[idx[b]];
        if (p->lens[idx[b]] > Tb) Tb = p->lens[idx[b]];
    }
    Tb = (Tb + TRAIN_BATCH_T_STEP - 1) / TRAIN_BATCH_T_STEP * TRAIN_BATCH_T_STEP;
    return Tb < p->T ? Tb : p->T;
}

uint64_t train_pool_saved_rng(const TrainPool *p, uint64_t data_rng) {
    return p->next_batch == TRAIN_POOL_BATCHES ? data_rng : p->start_rng;
}

void train_pool_resume(TrainPool *p, const Corpus *c, const InstanceSpec *spec, uint64_t saved_rng, int next_batch,
                       uint64_t *data_rng) {
    *data_rng = saved_rng;
    if (next_batch >= TRAIN_POOL_BATCHES) return;   /* the stream stands past the used-up pool */
    train_pool_fill(p, c, spec, data_rng);
    p->next_batch = next_batch;
}
