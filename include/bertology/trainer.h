#ifndef BERTOLOGY_TRAINER_H
#define BERTOLOGY_TRAINER_H
/* MLM + NSP pretraining with the engine's own forward() and its backward
 * twin, AdamW, warm-up + linear decay, clipping and dropout. A run lives
 * in a directory: train.log / eval.log (TSV), state.bin (to resume:
 * parameters, moments, step, random state), latest/ and step-N/
 * checkpoints in the Hugging Face layout. */
#include <stdio.h>
#include "bertology/config.h"
#include "bertology/error.h"

#define TRAIN_MAX_SNAPSHOTS 8

typedef struct {
    const char *train_path, *heldout_path, *vocab_path, *run_dir;
    BertConfig cfg;            /* vocab_size is taken from the vocabulary */
    int seq_len;               /* T of training batches (<= cfg.max_position) */
    int batch;                 /* sequences per step */
    long steps;                /* total optimizer steps */
    long warmup;
    float lr, weight_decay, beta1, beta2, eps, clip, dropout;
    float mask_rate;           /* 0.15 */
    float word_init_std;       /* std of the word embedding init (see the model card) */
    float init_std;            /* every other weight matrix (HF: 0.02) */
    float mlm_ln_init;         /* MLM head LayerNorm gamma at init (0: 1/sqrt(H)) */
    int bias_unigram;          /* MLM decoder bias starts at log unigram frequencies */
    int pos_heads;             /* layer-0 heads started as previous/next-token heads (0..2) */
    int word_split;            /* words start in dims [K, H) (-1: H/2 with position heads, else 0) */
    int pos_head_pairs;        /* sinusoid pairs a position head reads (12) */
    float pos_head_sharpness;  /* its score margin over the neighbours, in logits (8) */
    const char *init_vectors_path; /* .btv static vectors the word rows start from (NULL: random) */
    long init_vectors_scan;    /* frequent vector words whose pieces give the rest their mean (50000) */
    int mask_repeats_shared;   /* with mask_repeats: a word's occurrences share one 80/10/10 draw */
    float short_inputs;        /* share of training instances cut to a log-uniform length in
                                * [short_inputs_min, seq_len] (corpus.h cut_prob); a phase option */
    int short_inputs_min;      /* 8 */
    float unlikely_visible;    /* weight of the unlikelihood of visible words (unlikely.h; needs
                                * mask_repeats_shared); like the masking, a phase option */
    int mask_repeats;          /* copy-free masking (core/masking.h); not part of the recipe: a
                                * resumed run may switch it on for a later phase */
    const char *init_from;     /* start from this model's weights (fresh AdamW moments), e.g. the shipped
                                * float16 model on a machine without the run's state.bin */
    unsigned long long seed;
    int threads;
    long log_every, eval_every, ckpt_every;
    long eval_sequences;
    long snapshots[TRAIN_MAX_SNAPSHOTS];         /* extra steps whose checkpoints are kept as step-N/ */
    int n_snapshots;
    int resume;
    long stop_after;           /* stop (with state saved) after this step; 0: run to the end */
    FILE *progress;            /* where the progress line goes (NULL: silent) */
} TrainOptions;

void train_defaults(TrainOptions *o);
/* Every option in its range; the error names the option. */
int train_check_options(const TrainOptions *o, BtError *err);
/* RUN/recipe.txt: the options that shape the weights, written when a run
 * starts; check fails when a resumed run asks for a different recipe, and
 * fills warn (else "") when only the thread count differs. A run from
 * before the file existed gets one on its first resume. */
int train_recipe_write(const TrainOptions *o, int vocab_size, BtError *err);
int train_recipe_check(const TrainOptions *o, int vocab_size, char *warn, size_t wn, BtError *err);
int train_run(const TrainOptions *o, BtError *err);

#endif
