#ifndef BERTOLOGY_CLOZE_H
#define BERTOLOGY_CLOZE_H
/* Cloze sentences a learner would type, with the words a person would
 * accept: "does the model answer sensibly?" measured, not eyeballed. A
 * cloze file has one item per line, the sentence with one [MASK], a tab,
 * then the accepted words separated by spaces; '#' starts a comment. */
#include "bertology/guesses.h"
#include "bertology/model.h"

enum { CLOZE_TOP = 5 };

typedef struct {
    int line;                  /* in the file */
    char *sentence;
    char *accepted;            /* the accepted words, as written */
    int best_rank;             /* 1-based rank of the best accepted word at the [MASK] */
    Guess top[CLOZE_TOP];      /* the model's best guesses there (V ≥ CLOZE_TOP) */
    int first_is_copy;         /* the first guess is a word of the sentence itself (whole word,
                                * case-insensitive, [MASK] left out) */
} ClozeItem;

/* Reads the file and runs the model on every sentence. Fails, naming the
 * line, on a sentence without exactly one [MASK], an item without accepted
 * words, or one none of whose words is a single word piece. */
int cloze_run(const BertModel *m, const char *path, ClozeItem **items, int *n, BtError *err);
void cloze_free(ClozeItem *items, int n);

#endif
