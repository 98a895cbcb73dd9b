#ifndef BERTOLOGY_SENSES_H
#define BERTOLOGY_SENSES_H
/* Word in context: one word in three sentences, A and B in one sense, C in
 * another. A senses file has one item per line, the word then the three
 * sentences, separated by tabs; '#' starts a comment. At each point of the
 * model (0: the embedding output after LayerNorm, l: after layer l) the
 * word's vector is taken in each sentence (the mean of its pieces when the
 * vocabulary splits it) and the line HOLDS when cos(A,B) > max(cos(A,C),
 * cos(B,C)). The static vector (the mean of the word's input embedding
 * rows) is the same in all three sentences, so every cosine is 1 and the
 * line ties: it never holds, by construction. */
#include "bertology/model.h"

enum { SENSE_AB = 0, SENSE_AC = 1, SENSE_BC = 2 };

typedef struct {
    int line;                  /* in the file */
    char *word;                /* as the tokenizer reads it (lower-cased for an uncased vocabulary) */
    char *sentence[3];         /* A, B, C */
    int n_pieces;              /* word pieces of the word (1 when it is in the vocabulary whole) */
    int occurrences[3];        /* how often the word occurs in A, B, C; the first is used */
    double *cos;               /* (n_points,3) cos(A,B), cos(A,C), cos(B,C) at each point */
    double static_cos[3];      /* the same three for the input embedding rows: 1 by construction */
} SenseItem;

typedef struct {
    int n, n_points;           /* lines; points = layers + 1 */
    SenseItem *items;
} SenseResult;

/* Reads the file and runs the model on every sentence. Fails with one line
 * naming file and line on a line without a word and three sentences, a
 * word that is not one word, a word absent from a sentence, or a sentence
 * longer than the model reads. */
int senses_run(const BertModel *m, const char *path, SenseResult *r, BtError *err);
void senses_free(SenseResult *r);

/* 1 when cos(A,B) > max(cos(A,C), cos(B,C)) for the three cosines c. */
int senses_holds(const double *c);
/* How many lines hold at point p. */
int senses_count(const SenseResult *r, int p);
/* How many lines hold for the static vectors (0, ties by construction). */
int senses_static_count(const SenseResult *r);

#endif
