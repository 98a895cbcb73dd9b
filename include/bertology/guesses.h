#ifndef BERTOLOGY_GUESSES_H
#define BERTOLOGY_GUESSES_H
/* The MLM head's guesses at one position, read from its logits (V): the
 * one reading behind `predict`, the REPL's [mlm] stage, the predictions
 * view, the lessons' probes and `eval --cloze`. Probabilities are the
 * softmax over the whole vocabulary, computed in double. */

typedef struct {
    int id;
    double p;       /* softmax probability */
    float logit;
} Guess;

/* The k best (k ≤ V), best first, ties to the lower id; returns how many. */
int guesses_top(const float *logits, int V, int k, Guess *out);
/* 1 + the number of logits above id's: 1 is the top guess. */
int guesses_rank(const float *logits, int V, int id);
/* The softmax probability of id. */
double guesses_prob(const float *logits, int V, int id);

#endif
