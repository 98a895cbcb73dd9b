#ifndef BERTOLOGY_CORPUS_H
#define BERTOLOGY_CORPUS_H
/* A tokenized corpus for pretraining: text with one sentence per line and
 * documents separated by blank lines, turned once into WordPiece ids.
 * Instances follow BERT's create_instances_from_document: sentence A is a
 * run of sentences, B is what follows in the same document (IsNext) or a
 * run from another document (NotNext), 50/50. */
#include <stdint.h>
#include "bertology/error.h"
#include "bertology/masking.h"
#include "bertology/tokenizer.h"

typedef struct {
    int *ids;             /* all sentences' pieces back to back */
    long n_ids;
    long *sent_start;     /* n_sents + 1 offsets into ids */
    long n_sents;
    long *doc_start;      /* n_docs + 1 offsets into sentences */
    long n_docs;
    long *multi;          /* documents with at least 2 sentences: the only ones an
                           * NSP sentence A is drawn from, so that A's shape never
                           * gives the label away */
    long n_multi;
    long n_words;         /* whitespace words read (for reporting) */
    long n_unk;
} Corpus;

int corpus_load(Corpus *c, const char *path, const Tokenizer *tok, BtError *err);
void corpus_free(Corpus *c);
/* How often each id 0..V-1 occurs in the corpus (V longs, the caller
 * frees them); NULL when out of memory. */
long *corpus_id_counts(const Corpus *c, int V);

/* One training example, already padded to T. */
typedef struct {
    int T;
    int *ids, *type_ids, *valid;   /* (T) */
    int *labels;                   /* (T) original id where chosen, else -1 */
    unsigned char *kind;           /* (T) MaskKind */
    int is_next;                   /* NSP label: 1 = B follows A (HF label 0) */
    int *scratch;                  /* (2T) sentences A and B before truncation */
    unsigned char *special;        /* (T) positions masking must not choose */
} Instance;

typedef struct {
    int max_len;            /* T, including [CLS] and 2×[SEP] */
    float short_seq_prob;   /* BERT: 0.1 of instances get a shorter random target */
    float cut_prob;         /* 0 (BERT), or the share of instances cut to a length drawn
                             * log-uniformly in [cut_min, max_len]: the one-sentence inputs a
                             * learner types are far shorter than any pair BERT's recipe makes
                             * (two whole sentences at least), and a model that never saw so
                             * few words copies one of them into the [MASK] */
    int cut_min;            /* 8 */
    MaskSpec mask;
    int cls_id, sep_id, pad_id;
} InstanceSpec;

/* BERT's recipe (80/10/10 of rate chosen, 10% short targets) on the
 * special tokens of tok; fails, naming them, when tok lacks one. Random
 * replacements come from the ids after the last special token. */
int instance_spec_init(InstanceSpec *spec, const Tokenizer *tok, int max_len, float mask_rate, BtError *err);

int instance_alloc(Instance *in, int T);
void instance_free(Instance *in);
/* Draws one random instance (NSP pair + MLM corruption) from c; out was
 * allocated for at least spec->max_len. */
void instance_sample(const Corpus *c, const InstanceSpec *spec, uint64_t *rng, Instance *out);

#endif
