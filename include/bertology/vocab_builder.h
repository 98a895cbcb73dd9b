#ifndef BERTOLOGY_VOCAB_BUILDER_H
#define BERTOLOGY_VOCAB_BUILDER_H
/* Learns a WordPiece vocabulary from plain text, as Hugging Face
 * tokenizers' WordPieceTrainer does: words come from the tokenizer's own
 * BasicTokenizer (lower-cased, accents stripped), start as characters with
 * "##" on every non-initial one, and the most frequent adjacent pair is
 * merged until the vocabulary has the requested size.  Ties go to the
 * lexicographically smallest pair, so the result depends only on the text.
 *
 * The vocabulary written (one token per line, id = line number) is:
 *   [PAD] [UNK] [CLS] [SEP] [MASK]        ids 0..4
 *   every character seen >= min_freq times, by code point
 *   "##" + each of those seen inside a word, by code point
 *   the merged tokens, in the order learned
 * so every word made of kept characters tokenizes without [UNK]. */
#include "bertology/error.h"

typedef struct {
    long lines;            /* lines read */
    long long bytes;       /* bytes read */
    long long words;       /* word occurrences (special tokens excluded) */
    long distinct_words;
    int alphabet;          /* distinct characters kept */
    int dropped_chars;     /* distinct characters seen fewer than min_freq times */
    long long unk_words;   /* word occurrences with a dropped character: [UNK] */
    int merges;            /* merges learned (a merge may recreate an existing token) */
    int vocab_size;        /* tokens written */
    long long last_merge_count;  /* frequency of the last merged pair */
} VocabStats;

/* Reads the files (UTF-8 text, any line length), learns a vocabulary of at
 * most size tokens and writes it to out_path.  Merging stops early when the
 * best pair occurs fewer than min_freq times (min_freq <= 1: only when no
 * pair is left).  Fails when size cannot hold the special tokens and the
 * alphabet, on unreadable files, and on invalid UTF-8 (naming file, line
 * and byte).  stats may be NULL. */
int vocab_build(const char *const *files, int n_files, int size, int min_freq,
                const char *out_path, VocabStats *stats, BtError *err);

#endif
