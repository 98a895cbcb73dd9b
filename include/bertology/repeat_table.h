#ifndef BERTOLOGY_REPEAT_TABLE_H
#define BERTOLOGY_REPEAT_TABLE_H
/* The ids copy-free masking takes together (MaskSpec.repeats, masking.h)
 * and whose visibility --unlikely-visible penalises (unlikely.h). */
#include "bertology/corpus.h"
#include "bertology/tokenizer.h"

/* Per id of tok's vocabulary, 1 for whole words (a piece that starts with
 * a letter, not "##", not special) outside the REPEAT_COMMON commonest
 * ids of c; NULL when out of memory (the caller frees it). */
unsigned char *repeat_table(const Tokenizer *tok, const Corpus *c);

#endif
