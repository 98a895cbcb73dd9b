#ifndef BERTOLOGY_TRAIN_POOL_H
#define BERTOLOGY_TRAIN_POOL_H
/* Where the trainer's batches come from. Training data comes in pools:
 * TRAIN_POOL_BATCHES batches' worth of instances drawn from the data
 * stream, sorted by length and cut into batches used in a random order,
 * so a batch rarely pays for one long member's padding. A pool is a pure
 * function of the data stream at its start, which is what makes a resumed
 * run continue exactly where it stopped (state.bin keeps that position
 * and how many of the pool's batches were used). */
#include <stdint.h>
#include "bertology/corpus.h"
#include "bertology/error.h"

/* Batches per pool: more sorts the lengths more finely (less padding) but
 * draws more instances at once; 8 keeps a pool at a few hundred instances
 * for the batch sizes we train with. Part of what a run's data order is:
 * changing it changes every run's batches. */
enum { TRAIN_POOL_BATCHES = 8 };

/* Batch lengths are rounded up to a multiple of this (and are at least
 * this): few distinct shapes, rows that stay whole SIMD widths, and at
 * most 7 padding positions per sequence. */
enum { TRAIN_BATCH_T_STEP = 8 };

typedef struct {
    int B, T;              /* sequences per batch, tokens per instance */
    Instance *inst;        /* TRAIN_POOL_BATCHES·B */
    int *order, *lens;     /* TRAIN_POOL_BATCHES·B: instances by length; each one's valid tokens */
    int batch_order[TRAIN_POOL_BATCHES];
    int next_batch;        /* TRAIN_POOL_BATCHES: used up, the next batch draws a new pool */
    uint64_t start_rng;    /* the data stream where this pool was drawn */
} TrainPool;

/* The data stream (instances, pairing, masking, pool order) of a run whose
 * dropout stream starts at rng: one seed gives both, and they differ. */
uint64_t train_data_stream(uint64_t rng);

/* A used-up pool of B sequences of T tokens (the first batch draws). */
int train_pool_alloc(TrainPool *p, int B, int T, BtError *err);
void train_pool_free(TrainPool *p);

/* Draws a new pool from c at *data_rng (which moves on past it). */
void train_pool_fill(TrainPool *p, const Corpus *c, const InstanceSpec *spec, uint64_t *data_rng);

/* The next batch: members[0..B) point into the pool (valid until the next
 * call), drawing a new pool first when this one is used up. Returns the
 * length to run it at: its longest member rounded up to
 * TRAIN_BATCH_T_STEP, at most p->T. */
int train_pool_next(TrainPool *p, const Corpus *c, const InstanceSpec *spec, uint64_t *data_rng,
                    const Instance **members);

/* What state.bin keeps: the data stream at the start of the current pool,
 * or where it stands now (*data_rng) once the pool is used up. */
uint64_t train_pool_saved_rng(const TrainPool *p, uint64_t data_rng);
/* Back to where train_pool_saved_rng and next_batch left it: the same
 * pool drawn again with next_batch of its batches used, or, for a used-up
 * pool (next_batch == TRAIN_POOL_BATCHES), the stream at saved_rng. */
void train_pool_resume(TrainPool *p, const Corpus *c, const InstanceSpec *spec, uint64_t saved_rng, int next_batch,
                       uint64_t *data_rng);

#endif
