#ifndef BERTOLOGY_MASKING_H
#define BERTOLOGY_MASKING_H
/* BERT's masked-LM corruption: choose ~15% of the non-special tokens;
 * of those 80% become [MASK], 10% a random token, 10% stay unchanged.
 * The one masking of the project: the trainer, `eval`, and the REPL's
 * `mask` command all call mask_apply. */
#include <stdint.h>
#include "bertology/error.h"
#include "bertology/tokenizer.h"

/* What the masking did to a position. */
typedef enum { MASK_NONE = 0, MASK_MASKED = 1, MASK_RANDOM = 2, MASK_KEPT = 3 } MaskKind;

typedef struct {
    float rate;          /* 0.15 */
    float p_mask;        /* 0.8 */
    float p_random;      /* 0.1 (the rest stay unchanged) */
    int mask_id;
    int first_normal_id; /* random replacements are drawn from [first_normal_id, vocab) */
    int vocab_size;
    int exact;           /* 0: each eligible position is chosen with probability rate
                          * (the trainer, as Hugging Face's collator does); 1: exactly
                          * round(rate × eligible), at least one, as Google's
                          * create_pretraining_data does (the REPL: one sentence
                          * should always show the learner some masking, never 30%) */
    const unsigned char *repeats; /* NULL, or per id: 1 when a chosen token takes every other
                          * occurrence of its id in the sequence with it ("copy-free
                          * masking": a word the model must guess is never shown as
                          * itself elsewhere, so copying a word of the sentence does
                          * not pay) */
    int repeats_shared;  /* with repeats: 0, each occurrence has its own 80/10/10 draw
                          * (so one may stay unchanged while another is [MASK], which
                          * still rewards copying it: 16% of two-occurrence words; the
                          * v2 model's last 2,700 steps); 1, every chosen occurrence of
                          * a marked id takes the draw of its first one (all [MASK],
                          * all random, or all unchanged) */
} MaskSpec;

/* The 80/10/10 recipe at `rate` on tok's [MASK], random replacements from
 * the ids after the last special token (our vocabularies and HF's put the
 * specials first; a vocabulary with them last draws from all of it).
 * exact = 0. Fails when tok has no [MASK]. */
int mask_spec_init(MaskSpec *spec, const Tokenizer *tok, float rate, BtError *err);

/* ids (n) are corrupted in place; special[i] != 0 marks positions never
 * chosen ([CLS], [SEP], [PAD]). kind[i] records what happened (MaskKind)
 * and labels[i] the original id (-1 where not chosen). At least one
 * position is chosen when any is eligible. Returns the number chosen. */
int mask_apply(int *ids, int n, const unsigned char *special, const MaskSpec *spec,
               uint64_t *rng, int *labels, unsigned char *kind);

#endif
