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
/* The one rank rule, guesses_top's order: a token is ahead of id when its
 * logit is higher, or the same and its id lower (a tie is not a shared
 * place). guesses_ahead counts those tokens, stopping once it has `stop`
 * (the trainer's top-1/top-5 accuracy needs no more); guesses_rank is
 * 1 + all of them: 1 is the top guess, the place id has in guesses_top. */
int guesses_ahead(const float *logits, int V, int id, int stop);
int guesses_rank(const float *logits, int V, int id);
/* The softmax probability of id. */
double guesses_prob(const float *logits, int V, int id);
/* Its natural log, finite however small the probability (knock-outs
 * compare log-probabilities that may be far below double's exp range). */
double guesses_logprob(const float *logits, int V, int id);

#endif
