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

/* One training example, already padded to T. */
typedef struct {
    int T;
    int *ids, *type_ids, *valid;   /* (T) */
    int *labels;                   /* (T) original id where chosen, else -1 */
    unsigned char *kind;           /* (T) MaskKind */
    int is_next;                   /* NSP label: 1 = B follows A (HF label 0) */
} Instance;

typedef struct {
    int max_len;            /* T, including [CLS] and 2×[SEP] */
    float short_seq_prob;   /* BERT: 0.1 of instances get a shorter random target */
    MaskSpec mask;
    int cls_id, sep_id, pad_id;
} InstanceSpec;

int instance_alloc(Instance *in, int T);
void instance_free(Instance *in);
/* Draws one random instance (NSP pair + MLM corruption) from c. */
void instance_sample(const Corpus *c, const InstanceSpec *spec, uint64_t *rng, Instance *out);

#endif
