/* The tokenizer against hand-worked expectations on a small vocabulary it
 * writes itself, and against ids Hugging Face's BertTokenizer gives with
 * bert-base-uncased's vocab.txt (tests/data). */
#include "bertology/tokenizer.h"
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

static const char *SMALL[] = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",                  /* 0..4 */
    "hello", "world", ",", ".", "!", "?",                          /* 5..10 */
    "a", "##a", "b", "##b", "un", "##aff", "##able",               /* 11..17 */
    "\xe5\x8c\x97", "\xe4\xba\xac",                                /* 18 北, 19 京 */
    "H\xc3\xa9llo",                                                /* 20 Héllo (NFC) */
    "[", "]", "mask", "x",                                         /* 21..24 */
    "dup", "dup",                                                  /* 25, 26: the later wins */
    "\xc2\xbf", "\xe2\x80\x94",                                    /* 27 ¿, 28 — */
    "ab", "##ab",                                                  /* 29, 30 */
};
enum { N_SMALL = sizeof SMALL / sizeof SMALL[0] };

static const char *write_file(const char *name, const char *body) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(2); }
    fputs(body, f);
    fclose(f);
    return path;
}

/* Pieces of text as ids; returns the count (or -1) and fills ids[]. */
static int pieces(const Tokenizer *t, const char *text, int *ids, int *words, int cap) {
    BtError err = {{0}};
    int n = tok_wordpieces(t, text, ids, words, cap, &err);
    if (n < 0) fprintf(stderr, "  (tok_wordpieces: %s)\n", err.msg);
    return n;
}

static int same_ids(const int *got, int n, const int *want, int nwant) {
    if (n != nwant) return 0;
    for (int i = 0; i < n; i++)
        if (got[i] != want[i]) return 0;
    return 1;
}

static void print_ids(const char *label, const int *ids, int n) {
    fprintf(stderr, "  %s:", label);
    for (int i = 0; i < n; i++) fprintf(stderr, " %d", ids[i]);
    fputc('\n', stderr);
}

#define EXPECT_PIECES(t, text, ...) do { \
    int want_[] = {__VA_ARGS__}; int got_[256]; \
    int n_ = pieces(t, text, got_, NULL, 256); \
    int nw_ = (int)(sizeof want_ / sizeof want_[0]); \
    CHECKF(same_ids(got_, n_, want_, nw_), "pieces of \"%s\"", text); \
    if (!same_ids(got_, n_, want_, nw_)) { print_ids("got", got_, n_ > 0 ? n_ : 0); print_ids("want", want_, nw_); } \
} while (0)

static void test_utf8(void) {
    CHECK(utf8_invalid_at("", 0) == -1);
    CHECK(utf8_invalid_at("plain", 5) == -1);
    const char *ok = "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\xf4\x8f\xbf\xbf";  /* é € 𝄞 U+10FFFF */
    CHECK(utf8_invalid_at(ok, strlen(ok)) == -1);
    CHECK(utf8_invalid_at("\xc0\xaf", 2) == 0);              /* overlong '/' */
    CHECK(utf8_invalid_at("ab\xe0\x80\xaf", 5) == 2);        /* overlong, 3 bytes */
    CHECK(utf8_invalid_at("\xf0\x80\x80\xaf", 4) == 0);      /* overlong, 4 bytes */
    CHECK(utf8_invalid_at("ab\xe2\x82", 4) == 2);            /* truncated at the end */
    CHECK(utf8_invalid_at("\xe2\x82x", 3) == 0);             /* truncated mid-string */
    CHECK(utf8_invalid_at("a\x80", 2) == 1);                 /* lone continuation */
    CHECK(utf8_invalid_at("\xed\xa0\x80", 3) == 0);          /* surrogate U+D800 */
    CHECK(utf8_invalid_at("x\xed\xbf\xbf", 4) == 1);         /* surrogate U+DFFF */
    CHECK(utf8_invalid_at("\xf4\x90\x80\x80", 4) == 0);      /* above U+10FFFF */
    CHECK(utf8_invalid_at("\xff", 1) == 0);
}

static void test_load_errors(void) {
    BtError err = {{0}};
    Tokenizer *t = (Tokenizer *)1;
    const char *missing = "/nonexistent/bt-vocab.txt";
    CHECK(tok_load(&t, missing, 1, &err) == -1);
    CHECKF(strstr(err.msg, missing) != NULL, "message names the path: %s", err.msg);
    CHECK(t == NULL);
    const char *empty = write_file("empty-vocab.txt", "");
    CHECK(tok_load(&t, empty, 1, &err) == -1);
    CHECKF(strstr(err.msg, empty) && strstr(err.msg, "empty"), "message: %s", err.msg);
}

static Tokenizer *load_small(int lower) {
    char body[4096] = "";
    for (int i = 0; i < N_SMALL; i++) {
        strcat(body, SMALL[i]);
        strcat(body, i % 2 ? "\r\n" : "\n");   /* mixed line endings */
    }
    size_t end = strlen(body);
    while (body[end - 1] == '\n' || body[end - 1] == '\r') body[--end] = 0;  /* no newline at the end */
    BtError err = {{0}};
    Tokenizer *t = NULL;
    if (tok_load(&t, write_file("small-vocab.txt", body), lower, &err)) {
        fprintf(stderr, "tok_load: %s\n", err.msg);
        return NULL;
    }
    return t;
}

static void test_vocab(const Tokenizer *t) {
    CHECKF(tok_vocab_size(t) == N_SMALL, "size %d", tok_vocab_size(t));
    CHECK(tok_id(t, "hello") == 5);
    CHECK(tok_id(t, "world") == 6);         /* was a CRLF line */
    CHECK(tok_id(t, "##ab") == N_SMALL - 1);  /* the last line, no newline */
    CHECK(tok_id(t, "dup") == 26);
    CHECK(tok_id(t, "absent") == -1);
    CHECK(tok_token(t, 6) && strcmp(tok_token(t, 6), "world") == 0);
    CHECK(tok_token(t, -1) == NULL);
    CHECK(tok_token(t, N_SMALL) == NULL);
    CHECK(tok_pad_id(t) == 0 && tok_unk_id(t) == 1 && tok_cls_id(t) == 2);
    CHECK(tok_sep_id(t) == 3 && tok_mask_id(t) == 4);
}

static void test_basic_rules(const Tokenizer *t) {
    EXPECT_PIECES(t, "hello world", 5, 6);
    EXPECT_PIECES(t, "  Hello,World!  ", 5, 7, 6, 9);
    EXPECT_PIECES(t, "H\xc3\xa9llo W\xc3\xb6rld", 5, 6);               /* accents stripped */
    EXPECT_PIECES(t, "He\xcc\x81llo", 5);                              /* decomposed accent */
    EXPECT_PIECES(t, "HELLO\tworld\nhello\r\nWORLD", 5, 6, 5, 6);
    EXPECT_PIECES(t, "hello\xc2\xa0world\xe3\x80\x80hello", 5, 6, 5);  /* NBSP, ideographic space */
    EXPECT_PIECES(t, "hel\x01lo wor\xe2\x80\x8bld", 5, 6);             /* control, zero-width space dropped */
    EXPECT_PIECES(t, "hel\xef\xbf\xbdlo", 5);                          /* U+FFFD dropped */
    EXPECT_PIECES(t, "hello\xe2\x80\xa8world", 5, 6);                  /* line separator splits */
    EXPECT_PIECES(t, "\xc2\xbfhello?", 27, 5, 10);                     /* ¿ is punctuation */
    EXPECT_PIECES(t, "hello\xe2\x80\x94world", 5, 28, 6);              /* em dash */
    EXPECT_PIECES(t, "hello$world", 5, 1, 6);                          /* $ splits, absent -> [UNK] */
    EXPECT_PIECES(t, "\xe5\x8c\x97\xe4\xba\xac", 18, 19);              /* CJK split without spaces */
    EXPECT_PIECES(t, "hello\xe5\x8c\x97world", 5, 18, 6);
    EXPECT_PIECES(t, "unaffable", 15, 16, 17);                         /* un ##aff ##able */
    EXPECT_PIECES(t, "aab", 11, 30);                                   /* longest match first: a ##ab */
    EXPECT_PIECES(t, "abab", 29, 30);
    EXPECT_PIECES(t, "unaffablez", 1);                                 /* no match -> whole word [UNK] */
    EXPECT_PIECES(t, "hello xyz world", 5, 1, 6);
    EXPECT_PIECES(t, "DUP", 26);
    CHECK(pieces(t, "", NULL, NULL, 0) == 0);
    CHECK(pieces(t, " \t\n\x01 ", NULL, NULL, 0) == 0);

    /* [MASK] and friends stay whole, also when lower-casing and next to
     * punctuation; lower-case or broken ones are ordinary text. */
    EXPECT_PIECES(t, "hello [MASK].", 5, 4, 8);
    EXPECT_PIECES(t, "[CLS]hello[SEP][PAD]", 2, 5, 3, 0);
    EXPECT_PIECES(t, "[mask]", 21, 23, 22);
    EXPECT_PIECES(t, "[MASK", 21, 23);
    EXPECT_PIECES(t, "[[MASK]]", 21, 4, 22);

    /* 100 characters is still a word; 101 is [UNK]. */
    char word[128];
    memset(word, 'a', 100);
    word[100] = 0;
    int ids[128];
    int n = pieces(t, word, ids, NULL, 128);
    CHECKF(n == 100 && ids[0] == 11 && ids[99] == 12, "100 chars: n=%d", n);
    word[100] = 'a';
    word[101] = 0;
    EXPECT_PIECES(t, word, 1);
    /* the limit counts characters, not bytes: 60 two-byte letters pass */
    char wide[256] = "";
    for (int i = 0; i < 60; i++) strcat(wide, "\xc3\xa1");  /* á -> a */
    n = pieces(t, wide, ids, NULL, 128);
    CHECKF(n == 60 && ids[0] == 11 && ids[1] == 12, "60 x a-acute: n=%d", n);

    /* word indices and a cap smaller than the count */
    int words[8];
    n = pieces(t, "hello, unaffable world", ids, words, 8);
    CHECK(n == 6);
    int want_words[] = {0, 1, 2, 2, 2, 3};
    CHECK(same_ids(words, 6, want_words, 6));
    int few[3] = {-7, -7, -7};
    n = pieces(t, "hello, unaffable world", few, NULL, 2);
    CHECKF(n == 6 && few[0] == 5 && few[1] == 7 && few[2] == -7, "cap 2: n=%d", n);
    CHECK(pieces(t, "hello world", NULL, NULL, 0) == 2);
}

static void test_cased(void) {
    Tokenizer *t = load_small(0);
    CHECK(t != NULL);
    if (!t) return;
    CHECK(tok_do_lower_case(t) == 0);
    EXPECT_PIECES(t, "hello Hello", 5, 1);
    EXPECT_PIECES(t, "H\xc3\xa9llo", 20);                 /* kept as is */
    EXPECT_PIECES(t, "He\xcc\x81llo", 20);                /* NFC: composed before lookup */
    EXPECT_PIECES(t, "[MASK] [mask]", 4, 21, 23, 22);
    tok_free(t);
}

static void test_invalid_utf8(const Tokenizer *t) {
    struct { const char *text; long at; } bad[] = {
        {"hello \xc0\xaf", 6}, {"\xe0\x80\xafworld", 0}, {"hello \xe2\x82", 6},
        {"hel\x80lo", 3}, {"a \xed\xa0\x80 b", 2}, {"\xf8\x88\x80\x80\x80", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        BtError err = {{0}};
        int ids[16];
        CHECK(tok_wordpieces(t, bad[i].text, ids, NULL, 16, &err) == -1);
        char want[64];
        snprintf(want, sizeof want, "byte %ld", bad[i].at);
        CHECKF(strstr(err.msg, "UTF-8") && strstr(err.msg, want), "case %zu: %s", i, err.msg);
        TokInput in;
        CHECK(tok_encode(t, bad[i].text, 64, 1, &in, &err) == -1);
        CHECK(in.ids == NULL && in.n == 0);
        tok_input_free(&in);   /* safe after a failure */
    }
    /* the offset counts from the start of the whole pair */
    BtError err = {{0}};
    TokInput in;
    CHECK(tok_encode(t, "hello ||| wor\xffld", 64, 0, &in, &err) == -1);
    CHECKF(strstr(err.msg, "byte 13") != NULL, "%s", err.msg);
}

static void test_encode(const Tokenizer *t) {
    BtError err = {{0}};
    TokInput in;
    /* nothing to analyse is said, not shown as [CLS] [SEP]; nor a pair with an empty side or a second ||| */
    const char *empty[] = {"", "  \t ", "|||", "a |||", "||| b", "a ||| b ||| c"};
    const char *why[] = {"no tokens", "no tokens", "segment A", "segment B", "segment A", "more than one"};
    for (int i = 0; i < 6; i++) {
        err.msg[0] = 0;
        CHECKF(tok_encode(t, empty[i], 8, 0, &in, &err) != 0 && strstr(err.msg, why[i]), "'%s': %s", empty[i], err.msg);
    }

    CHECK(tok_encode(t, "Hello, world", 16, 0, &in, &err) == 0);
    int want[] = {2, 5, 7, 6, 3}, want_word[] = {-1, 0, 1, 2, -1}, zeros[5] = {0};
    CHECK(same_ids(in.ids, in.n, want, 5));
    CHECK(same_ids(in.word, in.n, want_word, 5));
    CHECK(same_ids(in.type_ids, in.n, zeros, 5));
    CHECK(in.n_a == 3 && in.n_full == 5);
    tok_input_free(&in);

    CHECK(tok_encode(t, "hello world ||| unaffable!", 16, 0, &in, &err) == 0);
    int pw[] = {2, 5, 6, 3, 15, 16, 17, 9, 3}, pt[] = {0, 0, 0, 0, 1, 1, 1, 1, 1};
    int pwd[] = {-1, 0, 1, -1, 2, 2, 2, 3, -1};
    CHECK(same_ids(in.ids, in.n, pw, 9));
    CHECK(same_ids(in.type_ids, in.n, pt, 9));
    CHECK(same_ids(in.word, in.n, pwd, 9));
    CHECK(in.n_a == 2);
    tok_input_free(&in);

    /* too long without truncation: a message with both numbers */
    CHECK(tok_encode(t, "a a a a a a a a a a", 8, 0, &in, &err) == -1);
    CHECKF(strstr(err.msg, "12 tokens") && strstr(err.msg, "limit is 8") && strstr(err.msg, "truncate"),
           "%s", err.msg);
    CHECK(in.ids == NULL);

    CHECK(tok_encode(t, "a a a a a a a a a a", 8, 1, &in, &err) == 0);
    CHECK(in.n == 8 && in.n_full == 12 && in.n_a == 6 && in.ids[7] == 3 && in.ids[6] == 11);
    tok_input_free(&in);

    /* longest_first: the longer segment loses tokens until both match */
    CHECK(tok_encode(t, "a a a a a ||| b b", 7, 1, &in, &err) == 0);
    CHECKF(in.n == 7 && in.n_full == 10 && in.n_a == 2, "n=%d n_a=%d", in.n, in.n_a);
    int tr[] = {2, 11, 11, 3, 13, 13, 3};
    CHECK(same_ids(in.ids, in.n, tr, 7));
    tok_input_free(&in);
    /* then alternately, starting with the second */
    CHECK(tok_encode(t, "a a a ||| b b b", 8, 1, &in, &err) == 0);
    CHECKF(in.n == 8 && in.n_a == 3, "n=%d n_a=%d", in.n, in.n_a);
    tok_input_free(&in);
    CHECK(tok_encode(t, "a a a ||| b b b", 7, 1, &in, &err) == 0);
    CHECKF(in.n == 7 && in.n_a == 2, "n=%d n_a=%d", in.n, in.n_a);
    tok_input_free(&in);
    CHECK(tok_encode(t, "a ||| b", 2, 1, &in, &err) == -1);   /* no room for the specials */
}

static int count_words(const char *w, size_t len, int special, void *ctx) {
    int *c = ctx;
    (void)w;
    c[0]++;
    c[1] += special;
    c[2] += (int)len;
    return 0;
}

static void test_basic_words(void) {
    int c[3] = {0};
    BtError err = {{0}};
    const char *s = "Caf\xc3\xa9, [MASK] ok";   /* cafe , [MASK] ok */
    CHECK(tok_basic_words(s, strlen(s), 1, count_words, c, &err) == 0);
    CHECKF(c[0] == 4 && c[1] == 1 && c[2] == 4 + 1 + 6 + 2, "%d words %d special %d bytes", c[0], c[1], c[2]);
    CHECK(tok_basic_words("a\xff", 2, 1, count_words, c, &err) == -1);
    /* the same words as strings, specials flagged */
    TokWords w;
    CHECK(tok_words(s, 1, &w, &err) == 0);
    CHECK(w.n == 4 && !strcmp(w.w[0], "cafe") && !strcmp(w.w[1], ",") && !strcmp(w.w[2], "[MASK]") &&
          !strcmp(w.w[3], "ok"));
    CHECK(w.n == 4 && !w.special[0] && !w.special[1] && w.special[2] && !w.special[3]);
    tok_words_free(&w);
    CHECK(w.n == 0 && !w.w);
    CHECK(tok_words("a\xff", 1, &w, &err) == -1 && w.n == 0 && strstr(err.msg, "UTF-8"));
}

static int lower_case(const char *dir, int fallback) {
    BtError err;
    int lower = fallback;
    if (tok_config_read(dir, &lower, &err)) return -100;
    return lower;
}

static void test_config(void) {
    const char *dir = test_tmpdir();
    CHECK(lower_case(dir, 1) == 1);   /* no file yet */
    CHECK(lower_case(dir, 0) == 0);
    write_file("tokenizer_config.json", "{\"do_lower_case\": false, \"model_max_length\": 512}");
    CHECK(lower_case(dir, 1) == 0);
    write_file("tokenizer_config.json", "{\"do_lower_case\": true}");
    CHECK(lower_case(dir, 0) == 1);
    write_file("tokenizer_config.json", "{\"tokenizer_class\": \"BertTokenizer\"}");
    CHECK(lower_case(dir, 0) == 0);
    write_file("tokenizer_config.json", "{not json");
    CHECK(lower_case(dir, 1) == 1);
    /* a key given twice: the last, as Python's json reads it */
    write_file("tokenizer_config.json", "{\"do_lower_case\": true, \"do_lower_case\": false}");
    CHECK(lower_case(dir, 1) == 0);
}

/* Without tokenizer_config.json, the vocabulary says whether to lower-case. */
static void test_lower_auto(void) {
    BtError err;
    Tokenizer *t = NULL;
    const char *uncased = write_file("uncased.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nparis\n##is\n");
    CHECKF(tok_load(&t, uncased, TOK_LOWER_AUTO, &err) == 0, "%s", err.msg);
    CHECK(t && tok_do_lower_case(t) == 1);
    tok_free(t);
    const char *cased = write_file("cased.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nThe\nParis\n##is\n");
    CHECKF(tok_load(&t, cased, TOK_LOWER_AUTO, &err) == 0, "%s", err.msg);
    CHECK(t && tok_do_lower_case(t) == 0);
    tok_free(t);
    /* an explicit choice wins over the guess */
    CHECKF(tok_load(&t, cased, 1, &err) == 0, "%s", err.msg);
    CHECK(t && tok_do_lower_case(t) == 1);
    tok_free(t);
}

/* Ids from Hugging Face's BertTokenizer("bert-base-uncased"). */
static void test_bert_base(void) {
    const char *vocab = test_data_path("bert-base-uncased-vocab.txt");
    BtError err = {{0}};
    Tokenizer *t = NULL;
    CHECKF(tok_load(&t, vocab, TOK_LOWER_AUTO, &err) == 0, "%s", err.msg);   /* an uncased vocabulary: lower-cases */
    if (!t) return;
    CHECK(tok_vocab_size(t) == 30522 && tok_do_lower_case(t) == 1);
    TokInput in;
    CHECK(tok_encode(t, "PyTorch is a great framework for NLP", 128, 0, &in, &err) == 0);
    int w1[] = {101, 1052, 22123, 2953, 2818, 2003, 1037, 2307, 7705, 2005, 17953, 2361, 102};
    CHECK(same_ids(in.ids, in.n, w1, 13));
    tok_input_free(&in);
    CHECK(tok_encode(t, "Hello, my dog is cute", 128, 0, &in, &err) == 0);
    int w2[] = {101, 7592, 1010, 2026, 3899, 2003, 10140, 102};
    CHECK(same_ids(in.ids, in.n, w2, 8));
    tok_input_free(&in);
    EXPECT_PIECES(t, "Paris is the capital of [MASK].", 3000, 2003, 1996, 3007, 1997, 103, 1012);
    EXPECT_PIECES(t, "PARIS IS THE CAPITAL OF [MASK].", 3000, 2003, 1996, 3007, 1997, 103, 1012);
    EXPECT_PIECES(t, "H\xc3\xa9llo W\xc3\xb6rld", 7592, 2088);   /* hello world */
    EXPECT_PIECES(t, "don't", 2123, 1005, 1056);                 /* don ' t */
    tok_free(t);
}

int main(void) {
    test_utf8();
    test_load_errors();
    test_config();
    test_lower_auto();
    test_basic_words();
    test_cased();
    Tokenizer *t = load_small(1);
    CHECK(t != NULL);
    if (t) {
        test_vocab(t);
        test_basic_rules(t);
        test_invalid_utf8(t);
        test_encode(t);
        tok_free(t);
    }
    test_bert_base();
    return test_done("tokenizer");
}
