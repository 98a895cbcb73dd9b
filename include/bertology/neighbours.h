#ifndef BERTOLOGY_NEIGHBOURS_H
#define BERTOLOGY_NEIGHBOURS_H
/* Static neighbours in the model's own input word embeddings E_word: for
 * each headword, its NEIGHBOURS_TOP nearest vocabulary pieces by cosine
 * (the word itself, special tokens and ## pieces left out); the line holds
 * when one of them is an acceptable word. A neighbours file has one item
 * per line, the headword, a tab, then the acceptable words separated by
 * spaces; '#' starts a comment. */
#include "bertology/model.h"

enum { NEIGHBOURS_TOP = 5 };

typedef struct {
    int line;                       /* in the file */
    char *word;
    char *accepted;                 /* as written */
    int n_top;                      /* neighbours found (NEIGHBOURS_TOP unless the vocabulary is tiny) */
    int top[NEIGHBOURS_TOP];        /* their vocabulary ids, nearest first */
    double cos[NEIGHBOURS_TOP];
    int hit[NEIGHBOURS_TOP];        /* 1 where the neighbour is an acceptable word */
    int holds;                      /* any hit */
} NeighbourItem;

/* Reads the file and ranks the vocabulary for every headword. Fails,
 * naming the line, on a line without a tab and acceptable words, or a
 * headword that is not a piece of the model's vocabulary. */
int neighbours_run(const BertModel *m, const char *path, NeighbourItem **items, int *n, BtError *err);
void neighbours_free(NeighbourItem *items, int n);

#endif
