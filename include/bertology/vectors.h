#ifndef BERTOLOGY_VECTORS_H
#define BERTOLOGY_VECTORS_H
/* Static word vectors: one vector per word, whatever the sentence. A set
 * is either a converted file (GloVe, word2vec, ...; see src/vectors/README.md
 * for the .btv format, memory-mapped so that a 400k-word table opens at
 * once) or the model's own input embedding table E_word. */
#include <stddef.h>
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/vecstats.h"

typedef struct VecSet VecSet;

/* ---------------------------------------------------------------- sets */

/* Maps a .btv file and checks its header, sections and what lookups rely
 * on, so that a truncated or foreign file fails here with one line, and a
 * damaged one can give wrong words but never read outside the map. O(1)
 * in the vectors and ~1 ms per 400k words. */
int vecset_open(VecSet **out, const char *path, BtError *err);
/* The slower full check of an open file (every word, the index's order);
 * `bertology vectors info` runs it. */
int vecset_verify(const VecSet *vs, BtError *err);
/* The model's word embeddings (V,H) and vocabulary as a set. The set
 * points into m, which must outlive it. Special tokens ([PAD], [unused3])
 * are rows but never neighbours. */
int vecset_from_model(VecSet **out, const BertModel *m, BtError *err);
void vecset_free(VecSet *vs);
/* 1 when path starts like a .btv file, 0 when it does not, -1 when it
 * cannot be read. */
int vec_is_btv(const char *path);

/* Short name: "model", or the file's base name without .btv ("glove-100d"). */
const char *vecset_name(const VecSet *vs);
/* What it is: "GloVe 6B 100d", "the model's input embeddings E_word". */
const char *vecset_desc(const VecSet *vs);
/* The file behind it, NULL for the model's table. */
const char *vecset_path(const VecSet *vs);
long vecset_count(const VecSet *vs);
int vecset_dim(const VecSet *vs);
int vecset_is_model(const VecSet *vs);
/* Row r: its word (NUL-terminated), vector, and Euclidean norm. Rows keep
 * the source file's order, which for GloVe and word2vec is by frequency. */
const char *vecset_word(const VecSet *vs, long r);
const float *vecset_row(const VecSet *vs, long r);
float vecset_norm(const VecSet *vs, long r);
/* 1 when row r may appear in neighbour lists (not a special token, not 0). */
int vecset_listable(const VecSet *vs, long r);

/* The row of word exactly as given, or -1. */
long vecset_find(const VecSet *vs, const char *word);

/* How a word's vector was found. */
typedef struct {
    long row;           /* the row, or -1 when the vector is a mean of pieces */
    int n_pieces;       /* 1, or how many WordPieces were averaged (model set) */
    int folded;         /* found only after case folding ("Paris" -> "paris") */
    char pieces[256];   /* "ban ##k" when n_pieces > 1 */
} VecWord;

/* The vector of word into out (vecset_dim floats): its row, else the row
 * of its case-folded form; in the model's set a word outside the
 * vocabulary is the mean of its WordPieces. A missing word fails with a
 * message that suggests close spellings. */
int vecset_word_vector(const VecSet *vs, const char *word, float *out, VecWord *info, BtError *err);

/* Up to max words of vs within a small edit distance of word, nearest and
 * then most frequent first. Returns how many. */
int vecset_suggest(const VecSet *vs, const char *word, long *rows, int max);

/* 341479 -> "341,479", for messages and tables. */
void vec_fmt_count(char *buf, size_t n, long v);

/* ---------------------------------------------------------------- maths */

/* vec_cosine: bertology/vecstats.h */

typedef struct {
    long row;
    double cos;
} VecHit;

/* The k listable rows nearest to q by cosine, best first, leaving out the
 * rows in skip[0..n_skip). Returns how many were found (<= k). */
int vec_nearest(const VecSet *vs, const float *q, const long *skip, int n_skip, int k, VecHit *out);

/* The analogy target a − b + c, each first scaled to unit length (as
 * word2vec's and gensim's 3CosAdd do, so that no word dominates by its
 * norm). Fails only for a zero vector. */
int vec_analogy_target(const float *a, const float *b, const float *c, int n, float *out, BtError *err);

/* ---------------------------------------------------------------- conversion */

typedef enum { VEC_FMT_AUTO = 0, VEC_FMT_TEXT, VEC_FMT_BINARY, VEC_FMT_WINK } VecFormat;

typedef struct {
    VecFormat format;
    long top;           /* keep the top most frequent words; 0 for all */
    const char *name;   /* description stored in the file; NULL: the input's base name */
} VecConvertOptions;

typedef struct {
    VecFormat format;   /* what the input turned out to be */
    long read;          /* vectors read */
    long kept;          /* rows written */
    long duplicates;    /* later copies of a word, dropped */
    long bad_words;     /* words that are not valid UTF-8 or hold a NUL, dropped */
    int dim;
    long long bytes;    /* size of the output */
} VecConvertStats;

/* Converts GloVe/word2vec text ("word v1 v2 …", optional "count dim"
 * header), word2vec binary, or a wink-embeddings JSON file to .btv,
 * atomically (the output appears complete or not at all). */
int vec_convert(const char *in, const char *out, const VecConvertOptions *opt, VecConvertStats *st,
                BtError *err);
const char *vec_format_name(VecFormat f);

#endif
