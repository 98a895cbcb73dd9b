#ifndef BERTOLOGY_ROLLOUT_H
#define BERTOLOGY_ROLLOUT_H
/* Attention rollout and attention flow (Abnar & Zuidema 2020,
 * "Quantifying Attention Flow in Transformers"): how much of token i at
 * the top of the model comes from input token j, through every layer
 * rather than one layer's attention.
 *
 * Each layer mixes the tokens by its attention and keeps its input by the
 * residual connection: Â_l = (A_l + I) / 2, A_l the layer's attention
 * averaged over its heads, each row then divided by its sum (a row of
 * attention already sums to 1; the division keeps Â a mixing matrix).
 *   rollout  R = Â_{L-1} ⋯ Â_1 Â_0; row i spreads token i over the inputs,
 *            as if each layer only mixed its inputs linearly.
 *   flow     the layers as a graph: a node per token at each depth (0: the
 *            input tokens, l + 1: after layer l) and an edge from token k
 *            at depth l to token q at depth l + 1 of capacity Â_l[q][k].
 *            flow_value[j] is the maximum flow from input j to token i at
 *            the top, computed exactly (core/maxflow.c), one max-flow per
 *            input token; flow is those values divided by their sum, as
 *            the paper normalises them.
 * Both read only the attention probabilities of a Trace (sequence 0). */
#include "bertology/error.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"

typedef struct {
    int T, L;
    int query;          /* the row: the token at the top whose sources these are */
    double *raw;        /* (T) the last layer's attention of that row, mean over heads */
    double *rollout;    /* (T) row `query` of R */
    double *flow;       /* (T) flow_value / its sum */
    double *flow_value; /* (T) maximum flow from each input token to `query` */
} Rollout;

/* Â_l of layer l of tr, (T, T) row-major into mix. Fails, naming the first
 * array that went NaN or ∞, when the attention is not finite. */
int rollout_mix(const Trace *tr, int layer, double *mix, BtError *err);
/* Raw attention, rollout and flow for one query row of tr. Fails with r
 * left empty when the model has no layers or query is out of range. */
int rollout_run(const Trace *tr, int query, Rollout *r, BtError *err);
/* Only the flow values (T) into query, given the L mixing matrices
 * (L, T, T) of rollout_mix. */
int rollout_flow(const double *mix, int L, int T, int query, double *flow_value, BtError *err);
void rollout_free(Rollout *r);
/* The row to show when none is asked for: the first [MASK], else 0 ([CLS]). */
int rollout_default_query(const Trace *tr, const Tokenizer *tok);

#endif
