#ifndef BT_FIGURE_TRACE_PICK_H
#define BT_FIGURE_TRACE_PICK_H
/* Reading the arrays a view needs out of a Trace (B == 1). */
#include "bertology/trace.h"

/* One head's T×T attention: probabilities, or the raw scores. */
const float *pick_attn(const Trace *t, int layer, int head, int scores);
/* What layer l reads: the embeddings for l == 0, else layer l-1's output. */
const float *pick_layer_input(const Trace *t, int layer);
/* Heads stored (nh,T,hd) laid side by side as (T,H) into dst. */
void pick_gather_heads(const Trace *t, const float *src, float *dst);
/* The MLM logits of token position pos, or NULL when the head did not run there. */
const float *pick_mlm_row(const Trace *t, int pos);
/* Token strings for the trace: tokens itself, or "#0", "#1", ... made into
 * *owned (free it) when the REPL gave none. NULL only when out of memory. */
const char *const *pick_labels(const char *const *tokens, int T, char **owned);

#endif
