#ifndef BT_VIEWS_FIXTURE_H
#define BT_VIEWS_FIXTURE_H
/* What the view tests draw: a VizState for a fixed pair of sentences,
 * either from a real checkpoint run through the engine, or from a
 * synthetic trace whose values are chosen so that the pictures can be
 * checked (a known strongest attention weight, a known top guess). */
#include "bertology/forward.h"
#include "bertology/tokenizer.h"
#include "bertology/viz.h"

typedef struct {
    VizState st;
    BertModel model;
    Trace tr, tr2;
    const char **tok1, **tok2;
    int real;
    /* Synthetic only: what the pictures must show. */
    int hot_layer, hot_head, hot_q, hot_k;   /* the largest weight of that head */
    int mask_pos, mask_top;                  /* the [MASK] and its best guess */
    void *owned[64];
    int nowned;
} Fixture;

/* Sentence 1 has a [MASK]; both share the word "bank". */
#define FIXTURE_TEXT1 "the cat sat on the [MASK] by the river bank ."
#define FIXTURE_TEXT2 "i put money in the bank ."

int fixture_synthetic(Fixture *f, BtError *err);
/* The default model (BERTOLOGY_MODEL, or assets/models/default under
 * BT_SOURCE_ROOT), else a random checkpoint written by the reference
 * script into tmpdir. Returns 1 when no model can be had (skip). */
int fixture_real(Fixture *f, const char *tmpdir, BtError *err);
void fixture_free(Fixture *f);

#endif
