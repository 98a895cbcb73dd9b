#ifndef BERTOLOGY_MASKING_H
#define BERTOLOGY_MASKING_H
/* BERT's masked-LM corruption: choose ~15% of the non-special tokens;
 * of those 80% become [MASK], 10% a random token, 10% stay unchanged.
 * Used by the trainer, `eval`, and the REPL's `mask` command. */
#include <stdint.h>

typedef enum { MASK_NONE = 0, MASK_MASKED = 1, MASK_RANDOM = 2, MASK_KEPT = 3 } MaskKind;

typedef struct {
    float rate;          /* 0.15 */
    float p_mask;        /* 0.8 */
    float p_random;      /* 0.1 (the rest stay unchanged) */
    int mask_id;
    int first_normal_id; /* random replacements are drawn from [first_normal_id, vocab) */
    int vocab_size;
} MaskSpec;

/* ids (n) are corrupted in place; special[i] != 0 marks positions never
 * chosen ([CLS], [SEP], [PAD]). kind[i] records what happened and labels[i]
 * the original id (-1 where not chosen). At least one position is chosen
 * when any is eligible. Returns the number chosen. */
int mask_apply(int *ids, int n, const unsigned char *special, const MaskSpec *spec,
               uint64_t *rng, int *labels, unsigned char *kind);

#endif
