#ifndef BT_REPL_STAGEVIEW_H
#define BT_REPL_STAGEVIEW_H
/* Shows the stage the learner is at: what it is, the shapes, the formula
 * in one line, and the numbers. */
#include "session.h"

int stage_show(Session *s, int full, BtError *err);

/* The LayerNorm table of one layer (`ln`). */
void stage_show_ln(Session *s, int layer);

/* Top-K of the MLM head at each target position (`predict`, stage mlm).
 * Returns the number of positions shown, or -1 (nothing printed, err
 * says where) when the pass gave no finite logits there. */
int stage_show_predictions(Session *s, int k, BtError *err);
/* The positions `predict` (and `lens`) read: those `mask` changed, else
 * every [MASK] typed; out holds T. Returns how many. */
int stage_targets(const Session *s, int *out);

/* "masked", "random token", "kept" (a MaskKind), translated; "" for none. */
const char *mask_kind_name(int kind);

/* Where we are, for the prompt: "L2 H1 attn", "embed". */
void stage_where(const Session *s, char *buf, size_t n);

/* Whether the stage is about one attention head. */
int stage_has_head(Stage st);

#endif
