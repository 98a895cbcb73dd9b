#ifndef BERTOLOGY_LENS_H
#define BERTOLOGY_LENS_H
/* The logit lens for the masked-word head: the model's own MLM head
 * (forward.h, mlm_head_forward) read at every depth of one position, not
 * only after the last layer. Depth 0 is the embeddings' output (the input
 * of layer 0), depth d the output of layer d-1, depth L the last layer's,
 * which is the model's prediction itself. It shows where the answer forms;
 * the caveat is that the head was trained on the last layer's output only,
 * so early depths are read through a head not made for them (the Tuned
 * Lens learns one translator per depth for that reason).
 *
 * It reads a Trace and knows nothing of the REPL or the command line. */
#include "bertology/error.h"
#include "bertology/guesses.h"
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"

typedef struct {
    int pos;        /* the position read (in sequence 0 of the trace) */
    int depths;     /* L + 1 */
    int k;          /* guesses per depth */
    int word;       /* the followed token id, or -1 for none */
    int answer;     /* 1 when word is the last depth's top guess (asked for as LENS_ANSWER) */
    int pos_id;     /* the token id the model reads at pos ([MASK] usually) */
    Guess *top;     /* (depths, k) best first, probabilities over the whole vocabulary */
    int *rank;      /* (depths) the followed word's rank, 1 = top (guesses_rank); NULL without a word */
    double *prob;   /* (depths) its probability; NULL without a word */
    char *text;     /* the sentence, for titles: set by the caller (malloc'd) or NULL; lens_free frees it */
} LensResult;

/* word for lens_run: follow the model's answer, the last depth's top
 * guess (the window draws its rank when no word was chosen). */
#define LENS_ANSWER (-2)

/* The lens at position pos of tr (a pass of m): the k best guesses
 * (1 ≤ k ≤ V) at each depth, and word's rank and probability (word -1:
 * none; LENS_ANSWER: the last depth's top guess). The last depth is read from the logits the forward pass made
 * when the trace has pos's row, so that it is the model's prediction to
 * the bit (BLAS may round a row differently in a block of another size).
 * Fails, with r left empty, when m has no MLM head or an argument is out
 * of range. */
int lens_run(const BertModel *m, const Trace *tr, int pos, int k, int word, LensResult *r, BtError *err);
void lens_free(LensResult *r);
/* 0 when m has the MLM head the lens reads, else fails saying so. */
int lens_check_model(const BertModel *m, BtError *err);
/* The token id of word to follow: the vocabulary entry, or the one word
 * piece the tokenizer makes of it ("Paris" in a lower-casing vocabulary).
 * A word of several pieces fails naming them, so one can be chosen. */
int lens_word(const Tokenizer *t, const char *word, int *id, BtError *err);

/* The (H) hidden vector at depth d of position pos (depth 0: the
 * embeddings' output; d: layer d-1's), or NULL out of range. */
const float *lens_hidden(const Trace *tr, int d, int pos);
/* The first depth from which r's word is the top guess at every depth
 * up to the last, or -1 when it is not the last depth's top guess (or r
 * follows no word): where the answer settles. */
int lens_settled(const LensResult *r);
/* "emb", "layer 0", …: the name of a depth in tables and the window, in
 * the message language. */
void lens_depth_name(int d, char *buf, size_t n);
/* The same in English whatever the language: JSON's "name". */
void lens_depth_key(int d, char *buf, size_t n);

#endif
