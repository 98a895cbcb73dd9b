#ifndef BERTOLOGY_SALIENCY_H
#define BERTOLOGY_SALIENCY_H
/* Saliency for a masked word: which input tokens the log-probability of
 * one word at one position depends on, by the gradient of log p(word)
 * (the trainer's backward pass, backward.h) with respect to each token's
 * input vector, and by integrated gradients (Sundararajan et al. 2017).
 *
 * The input vector differentiated is each token's WORD embedding row, the
 * position and segment vectors added to it held fixed. Not their sum:
 * the embedding LayerNorm that reads the sum is blind to its scale
 * (LN(a·s) = LN(s) up to eps), so ∇·s is 0 for every token by
 * construction, and a straight path from 0 to s would cross nothing but
 * the jump at 0. The gradient with respect to the word row is the one at
 * the sum (d sum / d word = I), so the gradient norms are those at the
 * LayerNorm's input.
 *
 *   grad_dot[t]  = ∇ₜ · xₜ          (gradient × input, summed over the H dimensions)
 *   grad_norm[t] = |∇ₜ|₂
 *   ig[t]        = Σ_h xₜₕ · (1/N) Σₖ ∇ₜₕ(αₖ·x),  αₖ = (k + ½)/N
 * with x the word rows of every token and the baseline 0 (every word row
 * zeroed, positions and segments kept: the sentence's shape with no words
 * in it; a baseline the model has never seen, but one every model has).
 * IG uses the midpoint Riemann sum of N steps; completeness says
 * Σₜ ig[t] ≈ log p(x) − log p(baseline), which each result reports.
 *
 * x itself, the N points of the path and the baseline run as the rows of
 * one batch through the forward and backward passes (several batches
 * when their trace would pass 64 MB: long sentences, many steps, large
 * models); each row is its own sequence, so the numbers are those of one
 * pass at a time, to float32's rounding.
 *
 * Runs on a trace's tokens, switches (causal, unscaled) and the word,
 * position and segment vectors its forward pass looked up; refuses a run
 * with knock-outs (the backward pass does not know them). It knows
 * nothing of the REPL or the window. */
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/trace.h"

typedef struct Saliency {
    int T;
    int *ids;            /* (T) the tokens read */
    int pos;             /* the position whose word is followed */
    int pos_id;          /* the token id read there ([MASK] usually) */
    int word;            /* the token id followed (the top guess unless chosen) */
    double logp;         /* log p(word) at pos, as run (natural log) */
    double *grad_dot;    /* (T) gradient × input */
    double *grad_norm;   /* (T) L2 norm of the gradient */
    int steps;           /* IG steps N; 0: no IG */
    double *ig;          /* (T) integrated gradients per token; NULL without IG */
    double logp_base;    /* log p(word) at the baseline (NaN without IG) */
    double ig_sum;       /* Σ ig (completeness: ≈ logp − logp_base) */
    int causal, unscaled;   /* the switches of the run */
    double ms;           /* wall time */
    char *text;          /* the sentence, for titles: set by the caller (malloc'd) or NULL; freed by saliency_free */
} Saliency;

enum { SALIENCY_STEPS_DEFAULT = 20, SALIENCY_STEPS_MAX = 1000 };

/* Saliency of word at pos in the run base (a trace of m, B == 1, as a
 * Pass leaves it; word -1: base's top guess at pos), with IG of `steps`
 * steps (0: none, else 1 ≤ steps ≤ SALIENCY_STEPS_MAX). Fails with r
 * empty when m has no MLM head, base has knock-outs, an argument is out
 * of range, or the logits are not finite. */
int saliency_run(const BertModel *m, const Trace *base, int pos, int word, int steps, Saliency *r, BtError *err);
void saliency_free(Saliency *r);
/* At most rows points of the path to a batch from now on (0: as many as
 * the 64 MB hold), for the test that every batch size gives the same
 * numbers. */
void saliency_set_batch_rows(int rows);
/* 0 when m has the MLM head saliency differentiates, else fails saying so. */
int saliency_check_model(const BertModel *m, BtError *err);
/* The largest |value| of v (T), for scaling bars; a tiny positive when all are 0. */
double saliency_absmax(const double *v, int T);

#endif
