#ifndef BERTOLOGY_ABLATE_H
#define BERTOLOGY_ABLATE_H
/* Knock-outs: parts of the model removed from a forward pass, to see what
 * they were doing (issue 15, item 2). A head is knocked out by replacing
 * its context vector (its columns of ctx, before the output projection)
 * with zeros, or with its mean over the sentence's tokens; a layer's
 * feed-forward block by adding nothing to the residual (ffn_out = 0).
 *
 * An Ablation is a small value (it sits in PassOptions and in the Trace,
 * copied with them), so a Pass can be run again with one more or one
 * less knock-out and the two compared. The forward pass applies it
 * (forward.c); the backward pass does not know it (training never
 * ablates). */
#include <stddef.h>
#include "bertology/error.h"

/* Knock-outs in force at once: plenty for a learner or a script; `scan`
 * adds one to those, so it needs one spare. */
enum { ABLATE_MAX = 64 };

typedef enum {
    KO_HEAD_ZERO = 0,   /* the head's context vector is 0 at every token */
    KO_HEAD_MEAN,       /* ... is its mean over the sentence's tokens at every token */
    KO_FFN,             /* the layer's FFN output is 0: the residual skips it */
} KnockoutKind;

typedef struct {
    int layer;
    int head;           /* -1 for KO_FFN */
    KnockoutKind kind;
    int only_seq;       /* 0: every sequence of the trace; s > 0: sequence s-1 only, so that one batched
                         * pass runs several knock-outs side by side (scan.c) */
} Knockout;

typedef struct {
    int n;
    Knockout ko[ABLATE_MAX];
} Ablation;

/* The knock-out of head (layer, head), or of layer's FFN with head -1:
 * its index in a, or -1. */
int ablation_find(const Ablation *a, int layer, int head);
/* Adds k; a knock-out of the same head or FFN is replaced (zero ↔ mean).
 * Fails when a is full. */
int ablation_add(Ablation *a, Knockout k, BtError *err);
/* Removes the knock-out of (layer, head); 0 if there was one, -1 if not. */
int ablation_remove(Ablation *a, int layer, int head);
/* "1.2 1.3 (mean) ffn 2" in the order given, "" when none: the one way
 * the REPL, the window and JSON name them. */
void ablation_describe(const Ablation *a, char *buf, size_t n);
/* One knock-out's name: "1.2", "1.3 (mean)", "ffn 2". */
void knockout_name(const Knockout *k, char *buf, size_t n);
/* Whether the two hold the same knock-outs, order aside. */
int ablation_same(const Ablation *a, const Ablation *b);

#endif
