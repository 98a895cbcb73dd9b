#ifndef BERTOLOGY_WHATIF_H
#define BERTOLOGY_WHATIF_H
/* What-if (issue 15, item 4): two runs of the model side by side, A (the
 * sentence as run) and B (the same sentence with a token replaced or the
 * training corruption applied, or another sentence), and what changed
 * between them:
 *   - per layer and head, how far each query's attention row moved: the
 *     total-variation distance between the two rows, TV = ½ Σ |a − b|
 *     (0: the same distribution, 1: no key in common), averaged over the
 *     paired query tokens, and its largest value;
 *   - per paired token and depth, the cosine of the two hidden vectors;
 *   - the MLM head's top-k at each [MASK] and each changed token, in both
 *     runs, and NSP's P(IsNext) when either run is a pair.
 *
 * Tokens are paired by an alignment (whatif_align): position by position
 * when B is A's sentence with some tokens changed; otherwise the longest
 * common subsequence of the token ids, then the unmatched stretches
 * between two matches paired in order when both are equally long (a word
 * replaced by a word). Tokens left over have no partner and are reported
 * as such. Attention rows are compared over the union of the keys: a key
 * and its partner are one key, a key without a partner is a key of its
 * own run alone, so the weight on it counts fully towards TV.
 *
 * It reads two Traces and knows nothing of the REPL or the window. */
#include <stdint.h>
#include "bertology/error.h"
#include "bertology/guesses.h"
#include "bertology/model.h"
#include "bertology/pass.h"
#include "bertology/trace.h"

typedef struct {
    int a, b;               /* positions in run A and run B */
    int same;               /* the same token id (else a replaced token) */
} WhatIfPair;

/* The MLM head's guesses at one pair. */
typedef struct {
    int pair;               /* index in WhatIf.pairs */
    Guess *top_a, *top_b;   /* (k) best first, in each run */
    double *p_b;            /* (k) the probability run B gives to each of A's top k */
    float *logits_b;        /* (V) run B's MLM logits there: any word's probability in B (the lesson probes) */
} WhatIfGuesses;

typedef struct WhatIf {
    int L, nh, k;
    int Ta, Tb;
    int *ids_a, *ids_b;     /* (Ta), (Tb): the token ids each run read */
    int by_position;        /* paired position by position (else by LCS) */
    int *partner_a;         /* (Ta) the partner in B of each token of A, -1: none */
    int *partner_b;         /* (Tb) likewise for B */
    int npairs;
    WhatIfPair *pairs;      /* in order of A */
    double *tv_mean;        /* (L, nh) mean over the pairs of the TV between the two query rows */
    double *tv_max;         /* (L, nh) the largest of them, */
    int *tv_row;            /* (L, nh) at this position of A (-1 without pairs) */
    double *cos;            /* (npairs, L + 1) cosine of the hidden vectors: depth 0 the embeddings'
                             * output, depth l + 1 layer l's */
    int nguess;
    WhatIfGuesses *guess;   /* at each pair with a [MASK] on either side or a changed token; none
                             * without an MLM head */
    int has_nsp;            /* the model has an NSP head and either run is a pair */
    double nsp_a, nsp_b;    /* P(IsNext) in each run */
    double ms;              /* wall time of the comparison (the second forward pass not included) */
    int causal, unscaled;   /* run A's switches, */
    Ablation base;          /* and its knock-outs: whatif_is_of tells a what-if of the run now shown */
    /* Set by the caller (malloc'd, or NULL; whatif_free frees them): the
     * two sentences and one line on how B was made, for titles. */
    char *text_a, *text_b, *how;
} WhatIf;

/* Pairs the tokens of a (na) and b (nb) as described above, into
 * partner_a (na) and partner_b (nb); by_position pairs i with i (na ==
 * nb). Returns the number of pairs, or -1 out of memory. */
int whatif_align(const int *a, int na, const int *b, int nb, int by_position, int *partner_a, int *partner_b);

/* Compares run a with run b (two traces of m, B == 1) with the guesses'
 * top k (1 ≤ k ≤ V). Fails with w empty when the traces are not of m, a
 * sentence has no tokens, by_position is asked of two lengths, or a run
 * is not finite where it is read. */
int whatif_run(const BertModel *m, const Trace *a, const Trace *b, int by_position, int k, WhatIf *w, BtError *err);
void whatif_free(WhatIf *w);

/* 1 when w compared run tr (its tokens, switches and knock-outs) with
 * something: the what-if is of the sentence now shown, not of an
 * earlier one. */
int whatif_is_of(const WhatIf *w, const Trace *tr);

/* The layer and head whose mean TV is largest, and that value (-1s and
 * NaN when there is none). */
double whatif_most_changed(const WhatIf *w, int *layer, int *head);

/* ---- Making run B (whatif_pass.c): the REPL and `bertology whatif` alike -- */

/* WORD as one token id: the vocabulary entry, or the one word piece the
 * tokenizer makes of it ("Dog" in a lower-casing vocabulary). A word of
 * several pieces, of none, or [UNK] fails naming what it is. */
int whatif_word(const Tokenizer *t, const char *word, int *id, BtError *err);
/* BERT's training corruption of ids (T) in place, by core/masking.c as
 * the trainer calls it: each word piece chosen with probability 0.15 (at
 * least one), [CLS], [SEP] and [PAD] never; of those chosen 80% [MASK],
 * 10% a random token, 10% kept. kind (T) records each (MaskKind). rng is
 * advanced. Returns how many were chosen; fails when none could be. */
int whatif_corrupt(const Tokenizer *t, int *ids, int T, uint64_t *rng, unsigned char *kind, BtError *err);
/* The text of a changed run, for titles: its word pieces between [CLS]
 * and the last [SEP], joined by spaces (malloc'd; NULL out of memory). */
char *whatif_ids_text(const Tokenizer *t, const int *ids, int n);
/* Run B of a changed sentence: a's sentence as the model reads it, with
 * the ids (T of a) and a's options. On failure b is left empty. */
int whatif_pass_ids(Pass *b, const Pass *a, const int *ids, BtError *err);

#endif
