/* libFuzzer target: arbitrary bytes through the tokenizer.  The first byte
 * picks the options (lower-casing, truncation, the length limit); the rest
 * is the text.  Besides crashes and sanitizer reports it checks what the
 * API promises: valid UTF-8 always tokenizes, invalid UTF-8 always fails,
 * ids stay in the vocabulary, truncation respects the limit.
 *
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude \
 *     tests/fuzz/fuzz_tokenizer.c src/core/tokenizer.c src/core/error.c -lutf8proc -lcjson */
#include "bertology/tokenizer.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A small vocabulary with multi-byte, "##" and special entries, so that
 * every WordPiece path (whole word, continuation, no match) is reachable. */
static const char *VOCAB[] = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "e", "ab", "abc", "##a", "##b",
    "##c", "##bc", "##e", "the", "##the", ",", ".", "!", "[", "]", "|", "'", "\xc3\xa9", "##\xc3\xa9",
    "\xe5\x8c\x97", "\xcf\x83", "##\xcf\x83", "\xf0\x9f\x98\x80", "x", "##x", "xxxxxxxxxxxxxxxx", "",
};

static Tokenizer *tokenizers[2];

static void die(const char *what, const char *msg) {
    fprintf(stderr, "fuzz_tokenizer: %s: %s\n", what, msg);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    char path[] = "/tmp/bt-fuzz-vocab-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) die("mkstemp", path);
    FILE *f = fdopen(fd, "w");
    for (size_t i = 0; i < sizeof VOCAB / sizeof VOCAB[0]; i++) fprintf(f, "%s\n", VOCAB[i]);
    fclose(f);
    BtError err;
    for (int lower = 0; lower < 2; lower++)
        if (tok_load(&tokenizers[lower], path, lower, &err)) die("tok_load", err.msg);
    unlink(path);
    return 0;
}

static int count_word(const char *w, size_t len, int special, void *ctx) {
    (void)special;
    if (len == 0 || memchr(w, ' ', len)) die("tok_basic_words", "empty word or word with a space");
    ++*(size_t *)ctx;
    return 0;
}

/* What may make valid text fail besides its length (tok_encode): nothing
 * to analyse (no word, or a pair with a side without one) or a second |||. */
static int nothing_or_two_bars(const char *text, size_t len, int lower) {
    const char *bar = strstr(text, "|||");
    if (bar && strstr(bar + 3, "|||")) return 1;
    size_t la = bar ? (size_t)(bar - text) : len, wa = 0, wb = 0;
    BtError e;
    if (tok_basic_words(text, la, lower, count_word, &wa, &e) != 0) die("tok_basic_words", e.msg);
    if (bar && tok_basic_words(bar + 3, len - la - 3, lower, count_word, &wb, &e) != 0) die("tok_basic_words", e.msg);
    return wa == 0 || (bar && wb == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    unsigned opt = data[0];
    const Tokenizer *t = tokenizers[opt & 1];
    int truncate = (opt >> 1) & 1;
    int max_len = (int)(opt >> 2);   /* 0 = no limit, 1..63 */

    /* The API takes C strings: the text ends at the first NUL. */
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    size_t len = strlen(text);
    int valid = utf8_invalid_at(text, len) < 0;
    BtError err;

    int ids[64], words[64];
    int n = tok_wordpieces(t, text, ids, words, 64, &err);
    if (valid != (n >= 0)) die("tok_wordpieces", valid ? err.msg : "accepted invalid UTF-8");
    for (int i = 0; i < n && i < 64; i++) {
        if (ids[i] < 0 || ids[i] >= tok_vocab_size(t)) die("tok_wordpieces", "id out of range");
        if (words[i] < 0 || (i && words[i] < words[i - 1])) die("tok_wordpieces", "bad word index");
    }

    size_t nwords = 0;
    int rc = tok_basic_words(text, len, opt & 1, count_word, &nwords, &err);
    if (valid != (rc == 0)) die("tok_basic_words", valid ? err.msg : "accepted invalid UTF-8");
    if (valid && (size_t)n < nwords) die("tok_basic_words", "fewer pieces than words");

    TokInput in;
    rc = tok_encode(t, text, max_len, truncate, &in, &err);
    if (!valid && rc == 0) die("tok_encode", "accepted invalid UTF-8");
    int refusable = valid && nothing_or_two_bars(text, len, opt & 1);
    if (refusable && rc == 0) die("tok_encode", "accepted a text with nothing to analyse or a second |||");
    if (rc == 0) {
        if (max_len > 0 && in.n > max_len) die("tok_encode", "longer than the limit");
        if (in.n_full < in.n || (in.n_full > in.n && !truncate)) die("tok_encode", "bad n_full");
        if (in.ids[0] != tok_cls_id(t) || in.ids[in.n - 1] != tok_sep_id(t)) die("tok_encode", "specials");
        for (int i = 0; i < in.n; i++) {
            if (in.ids[i] < 0 || in.ids[i] >= tok_vocab_size(t)) die("tok_encode", "id out of range");
            if (in.type_ids[i] != 0 && in.type_ids[i] != 1) die("tok_encode", "type id");
            if (i && in.type_ids[i] < in.type_ids[i - 1]) die("tok_encode", "type ids not 0 then 1");
        }
        if (in.n_a < 0 || in.n_a + 2 > in.n) die("tok_encode", "n_a");
        tok_input_free(&in);
    } else if (valid && !refusable && !(max_len > 0 && (!truncate || max_len < 3))) {
        die("tok_encode", err.msg);   /* valid text may only fail on length, emptiness or a second ||| */
    }
    free(text);
    return 0;
}
