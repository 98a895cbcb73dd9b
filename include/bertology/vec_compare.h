#ifndef BERTOLOGY_VEC_COMPARE_H
#define BERTOLOGY_VEC_COMPARE_H
/* One word in two sentences: its static vector (the same in both, so a
 * cosine of 1 by construction) against its contextual vectors at every
 * depth of the model, plus three sentence-level cosines. This struct is
 * also what the window draws (the layer-by-layer line chart, and both
 * sentences' tokens in the embedding view); it owns both forward passes. */
#include "bertology/model.h"
#include "bertology/pass.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"
#include "bertology/vectors.h"

typedef struct {
    Pass pass;                  /* the sentence through the model */
    int first, n_pieces;        /* the word's pieces: tokens first … first+n_pieces-1 */
    int occurrences;            /* how often the word occurs; the first is compared */
    int words, static_found;    /* words of the sentence, and how many the static set has */
} VecSentence;

typedef struct {
    char word[128];             /* as typed */
    char set_name[64];          /* the static set used */
    char set_desc[128];
    VecWord static_word;        /* how the word was found in that set */
    VecSentence s[2];
    /* Points along the model: 0 is the embedding output (word + position
     * + segment, LayerNorm), point l+1 the output of layer l. */
    int n_points;
    double *word_cos;           /* (n_points) the word's vectors, A vs B */
    double *mean_cos;           /* (n_points) mean of the tokens ([CLS]/[SEP] left out) */
    double *cls_cos;            /* (n_points) the [CLS] vectors */
    double static_word_cos;     /* 1 by construction */
    double static_mean_cos;     /* means of the static vectors of the sentences' words; NaN if none found */
    int not_in_set;             /* on failure: the word has no vector in the static set (the error says so) */
} VecCompare;

/* Runs both sentences through m with opt's switches (NULL: none) and fills c (zeroed first; free it with
 * vec_compare_free even after a failure). Fails with one clear line when
 * the word is not one word, is absent from a sentence or from the static
 * set (with close spellings), or a sentence is too long. */
int vec_compare(VecCompare *c, const BertModel *m, const VecSet *static_set, const char *word, const char *sentence_a,
                const char *sentence_b, const PassOptions *opt, BtError *err);
void vec_compare_free(VecCompare *c);

/* The (T,H) hidden vectors of sentence s at a point (see n_points). */
const float *vec_compare_point(const VecSentence *s, int point);

#endif
