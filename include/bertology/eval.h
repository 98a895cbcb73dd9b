#ifndef BERTOLOGY_EVAL_H
#define BERTOLOGY_EVAL_H
/* Held-out measurement of a pretrained model: masked-LM accuracy counted
 * at [MASK] positions only (the honest figure), at all chosen positions
 * (the usual one, inflated by the 10% left unchanged), the word-frequency
 * baseline on the same [MASK] positions, and NSP accuracy. */
#include "bertology/corpus.h"
#include "bertology/model.h"

typedef struct {
    long n_seq, n_mask, n_chosen;
    double mlm_loss;                  /* mean over chosen positions */
    double mask_top1, mask_top5;      /* at [MASK] positions */
    double chosen_top1, chosen_top5;  /* at every chosen position */
    double base_top1, base_top5;      /* always guess the most frequent tokens */
    double nsp_acc;                   /* -1 when the model has no NSP head */
    int top_freq[5];                  /* the baseline's guesses */
} EvalResult;

/* The held-out draw the trainer's eval.log is measured on, and `bertology
 * eval`'s default: one fixed seed, so that every checkpoint of every run
 * is measured on the same instances. */
enum { EVAL_SEED = 12345 };
/* The trainer's held-out sequences are this long (or the model's limit),
 * whatever its --seq-len: a phase trained on shorter pairs is measured on
 * the same held-out pairs as the phases before it. */
enum { EVAL_MAX_LEN = 128 };

/* Draws n_seq instances with a fixed seed (so figures are comparable
 * between checkpoints) and measures them in batches. */
int eval_run(const BertModel *m, const Corpus *c, const InstanceSpec *spec, long n_seq,
             uint64_t seed, EvalResult *r, BtError *err);

#endif
