#ifndef BERTOLOGY_TOKENIZER_H
#define BERTOLOGY_TOKENIZER_H
/* Hugging Face BertTokenizer: BasicTokenizer (clean, CJK split, lower-case
 * and strip accents when do_lower_case, punctuation split) then greedy
 * longest-match-first WordPiece with "##" continuations. */
#include <stddef.h>
#include "bertology/error.h"

typedef struct Tokenizer Tokenizer;

enum { TOK_MAX_WORD_CHARS = 100 };  /* longer words become [UNK], as in HF */

/* Loads vocab.txt (one token per line, id = line number). do_lower_case:
 * 1, 0, or TOK_LOWER_AUTO: lower-case unless the vocabulary is cased
 * (capitals in at least 1% of its entries), as HF's uncased/cased
 * checkpoints are meant to be read. */
enum { TOK_LOWER_AUTO = -1 };
int tok_load(Tokenizer **out, const char *vocab_path, int do_lower_case, BtError *err);
void tok_free(Tokenizer *t);
int tok_vocab_size(const Tokenizer *t);
int tok_id(const Tokenizer *t, const char *token);          /* -1 if absent */
const char *tok_token(const Tokenizer *t, int id);           /* NULL if out of range */
/* The first of ids 0..n-1 whose token differs between a and b, or -1:
 * whether two models share a vocabulary (--init-from, pack --mean-with). */
int tok_first_difference(const Tokenizer *a, const Tokenizer *b, int n);
int tok_do_lower_case(const Tokenizer *t);
int tok_cls_id(const Tokenizer *t);
int tok_sep_id(const Tokenizer *t);
int tok_mask_id(const Tokenizer *t);
int tok_pad_id(const Tokenizer *t);
int tok_unk_id(const Tokenizer *t);

/* Word pieces of text without special tokens. Writes up to cap ids to ids
 * and returns the full count n (which may exceed cap: the caller can then
 * report "n tokens, limit cap"). Invalid UTF-8 is an error (-1). If
 * word_start is not NULL, word_start[i] = index of the word (0-based,
 * after basic tokenization) that piece i came from. */
int tok_wordpieces(const Tokenizer *t, const char *text, int *ids, int *word_start,
                   int cap, BtError *err);

/* A model input: [CLS] A [SEP] or, when text holds "A ||| B", [CLS] A [SEP] B [SEP]. */
typedef struct {
    int *ids;
    int *type_ids;
    int *word;      /* word index per token (-1 for specials) */
    int n;          /* tokens in ids */
    int n_full;     /* tokens before truncation (== n unless truncated) */
    int n_a;        /* tokens of segment A (without specials) */
} TokInput;

/* Encodes text for a model with max_len positions. If the encoded input
 * is longer than max_len: with truncate, cut (longest-segment-first, as
 * HF's "longest_first") and set n_full; without, fail with a message that
 * says how many tokens and the limit. */
int tok_encode(const Tokenizer *t, const char *text, int max_len, int truncate,
               TokInput *out, BtError *err);
void tok_input_free(TokInput *in);

/* The BasicTokenizer stage alone, with no vocabulary (the vocabulary
 * builder counts these words): calls fn for each word of text[0..len) in
 * order. Special tokens typed in the text ("[MASK]") arrive whole with
 * special = 1. Invalid UTF-8 is an error (-1); a non-zero return from fn
 * stops the walk and is returned. */
typedef int (*TokWordFn)(const char *word, size_t len, int special, void *ctx);
int tok_basic_words(const char *text, size_t len, int do_lower_case, TokWordFn fn, void *ctx,
                    BtError *err);

/* The same words collected as strings: w[i] (special tokens whole, with
 * special[i] = 1). Invalid UTF-8 or no memory fails with one line (out is
 * then empty); free with tok_words_free. */
typedef struct {
    char **w;
    unsigned char *special;
    int n, cap;
} TokWords;
int tok_words(const char *text, int do_lower_case, TokWords *out, BtError *err);
void tok_words_free(TokWords *l);

/* 1 when token (a vocabulary entry) is one punctuation character, by
 * the BasicTokenizer's own test: the pieces it splits off every word. */
int tok_is_punct_token(const char *token);

/* Checks a string is valid UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF); returns the byte offset where the first invalid
 * sequence starts, or -1. */
long utf8_invalid_at(const char *s, size_t len);

/* Reads do_lower_case from tokenizer_config.json in dir into *lower (1/0);
 * leaves *lower as it is when the file is absent, not JSON, or silent.
 * A file that cannot be read (a FIFO, a directory, over its size cap)
 * fails with one line. */
int tok_config_read(const char *dir, int *lower, BtError *err);

#endif
