/* The C tokenizer against tests/ref/bert_tokenizer_ref.py (the same
 * algorithm written independently in Python, on Python's own Unicode
 * tables) on a few hundred varied sentences with bert-base-uncased's
 * vocabulary, lower-cased and cased.  Skipped without the vocabulary or
 * /usr/bin/python3. */
#include "bertology/tokenizer.h"
#include "testutil.h"
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *PYTHON = "/usr/bin/python3";

/* Hand-picked cases: every rule of the tokenizer and the Unicode corners
 * where implementations tend to differ. */
static const char *FIXED[] = {
    "PyTorch is a great framework for NLP",
    "Hello, my dog is cute",
    "Paris is the capital of [MASK].",
    "The cat sat on the [MASK] [MASK]!",
    "[CLS] already [SEP] here [PAD][UNK]",
    "[mask] [Mask] [MASK [[MASK]] MASK]",
    "H\xc3\xa9llo W\xc3\xb6rld, cr\xc3\xa8me br\xc3\xbbl\xc3\xa9""e and na\xc3\xafve caf\xc3\xa9s",
    "He\xcc\x81llo A\xcc\x8angstro\xcc\x88m (decomposed accents)",
    "\xc3\x85ngstr\xc3\xb6m \xe2\x84\xab \xe2\x84\xaa \xe2\x84\xa6 (Angstrom, Kelvin, Ohm signs)",
    "Stra\xc3\x9f""e STRA\xe1\xba\x9e""E \xc4\xb0stanbul \xc4\xb1""I",
    "\xc7\x84\xc7\x85\xc7\x86 \xef\xac\x81nance \xef\xac\x80",
    "\xce\x9f\xce\x94\xce\x9f\xce\xa3 \xce\xa3\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82 \xcf\x83\xce\xa3.",
    "\xe1\xbd\x88\xce\x94\xce\xa5\xce\xa3\xce\xa3\xce\x95\xce\x8e\xce\xa3 \xe1\xbd\xb1 \xcd\xbe \xce\x87",
    "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd0\x81\xd0\x96\xd0\x98\xd0\x9a \xd0\xb9\xd0\xbe\xd0\xb4",
    "\xe5\x8c\x97\xe4\xba\xac\xe6\xac\xa2\xe8\xbf\x8e\xe4\xbd\xa0 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88",
    "\xe8\xb1\x88 \xf0\xa0\x80\x80 \xe4\xb8\xbd \xf0\xaf\xa0\x80 \xe3\x90\x80 abc\xe4\xb8\x80""def",
    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe3\x84\xb1 \xed\x9e\xa3",
    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd7\xa9\xd6\xb8\xd7\x81\xd7\x9c\xd7\x95\xd6\xb9\xd7\x9d",
    "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87 \xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2",
    "emoji \xf0\x9f\x98\x80 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 \xe2\x9d\xa4\xef\xb8\x8f \xf0\x9f\x87\xab\xf0\x9f\x87\xb7",
    "\xc2\xab quotes \xc2\xbb \xe2\x80\x9cso\xe2\x80\x9d \xe2\x80\x9elow\xe2\x80\x9c \xe2\x80\x94 dash \xe2\x80\xa6 \xc2\xbfqu\xc3\xa9? \xc2\xa1s\xc3\xad!",
    "\xe3\x80\x81\xe3\x80\x82\xe3\x80\x8c\xe3\x80\x8d\xef\xbc\x81\xef\xbc\x9f \xe2\x80\xbb \xc2\xa7 \xc2\xb6 \xe2\x80\xa0 \xe2\x80\xb0 \xe2\x80\xbd",
    "^caret `tick` ~tilde |pipe| {brace} \\back/slash @at #hash $100 50% a&b a*b a+b a<b>c a=b",
    "\xe1\xbf\xaf \xc2\xb4 \xc2\xa8 \xc2\xb0 \xc2\xb1 \xc3\x97 \xc3\xb7 \xe2\x82\xac \xc2\xa3 \xc2\xa5 \xc2\xa9 \xc2\xae \xe2\x84\xa2",
    "tab\there new\nline cr\rlf\r\nnbsp\xc2\xa0ideo\xe3\x80\x80space ls\xe2\x80\xa8ps\xe2\x80\xa9""end",
    "ctl\x01\x02\x7f\xc2\x85x zw\xe2\x80\x8bsp zwj\xe2\x80\x8dx shy\xc2\xad""x bom\xef\xbb\xbfx",
    "repl\xef\xbf\xbd""x pua\xee\x80\x80x unassigned\xcd\xb8x tag\xf3\xa0\x80\x81x",
    "numbers 2024 3.14 1,000,000 \xef\xbc\x93 \xc2\xbd \xc2\xb2 \xd9\xa3 \xe2\x85\xab \xe2\x85\xa0",
    "don't can't it's O'Neil U.S.A. e-mail x86_64 C++ http://example.com/a?b=c&d=e",
    "unaffable antidisestablishmentarianism supercalifragilisticexpialidocious",
    "",
    "   ",
    "a",
    ".",
    "[MASK]",
    "|||",
    "A \xcc\x81 lone combining mark, \xcc\x81\xcc\x82 two, x\xcc\xa3\xcc\x87 ordered",
    "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab conjoining jamo",
    "\xef\xbc\xa6\xef\xbd\x95\xef\xbd\x8c\xef\xbd\x8c\xef\xbd\x97\xef\xbd\x89\xef\xbd\x84\xef\xbd\x94\xef\xbd\x88 fullwidth",
    "\xf0\x9d\x90\x80\xf0\x9d\x90\x81 math bold, \xe2\x91\xa0 circled, \xe2\x93\x90 circled small",
};

/* Material for the generated sentences. */
static const char *POOL[] = {
    "the", "The", "THE", "of", "and", "model", "Attention", "is", "all", "you", "need",
    "transformer", "BERT", "embeddings", "tokenization", "WordPiece", "running", "jumped",
    "caf\xc3\xa9", "na\xc3\xafve", "\xc3\x85ngstr\xc3\xb6m", "Cr\xc3\xa8me", "S\xc3\xa3o", "\xc4\x90or\xc4\x91""e",
    "\xc3\x98resund", "stra\xc3\x9f""e", "\xc4\xb0", "\xc3\x89""COLE", "e\xcc\x81", "A\xcc\x8a", "\xef\xac\x81",
    "\xce\x9f\xce\x94\xce\x9f\xce\xa3", "\xce\xa3", "\xcf\x82", "\xe1\xbd\xb1", "\xcd\xbe", "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
    "\xd0\x81", "\xe5\x8c\x97\xe4\xba\xac", "\xe6\xbc\xa2\xe5\xad\x97", "\xe8\xb1\x88", "\xf0\xa0\x80\x80", "\xe3\x81\xae",
    "\xe3\x83\x86\xe3\x82\xad", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
    "\xd7\xa9\xd6\xb8\xd7\x81", "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d", "\xe0\xb8\xa0\xe0\xb8\xb2",
    "\xf0\x9f\x98\x80", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "\xe2\x9d\xa4\xef\xb8\x8f", "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7",
    "\xe2\x80\x8d", "\xc2\xab", "\xc2\xbb", "\xe2\x80\x94", "\xe2\x80\xa6", "\xc2\xbf", "\xe3\x80\x82", "\xef\xbc\x81",
    "\xe1\xbf\xaf", "\xc2\xb4", "\xe2\x82\xac", "\xe2\x84\xa2", "\xc2\xbd", "\xd9\xa3", "\xe2\x85\xab", "\xe2\x84\xaa",
    ",", ".", "!", "?", "'", "\"", "(", ")", "-", "--", "...", "/", ":", ";", "[", "]", "{", "}", "^", "`", "~", "|",
    "$", "%", "&", "*", "+", "<", "=", ">", "@", "#", "\\", "_",
    "0", "42", "3.14", "1,000", "2024", "\xef\xbc\x93",
    "\t", "\n", "\r\n", "\xc2\xa0", "\xe3\x80\x80", "\xe2\x80\xa8", "\xe2\x80\x8b", "\xc2\xad", "\x01", "\x7f",
    "\xc2\x85", "\xef\xbb\xbf", "\xef\xbf\xbd", "\xee\x80\x80", "\xcd\xb8",
    "[MASK]", "[CLS]", "[SEP]", "[mask]", "[MASK", "MASK]",
};
enum { N_POOL = sizeof POOL / sizeof POOL[0] };

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

typedef struct { char **s; int n, cap; } StrList;

static void add(StrList *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->s = realloc(l->s, (size_t)l->cap * sizeof *l->s);
    }
    l->s[l->n++] = strdup(s);
}

/* Random pieces of the vocabulary (with their "##" removed) glued to pool
 * material, random separators in between. */
static void generate(StrList *out, const Tokenizer *t, int count) {
    static const char *SEP[] = {" ", " ", " ", " ", "", "  ", "-", "'", ".", "\xe2\x80\x99"};
    char buf[2048];
    for (int k = 0; k < count; k++) {
        size_t n = 0;
        int parts = 1 + (int)rnd(14);
        for (int p = 0; p < parts; p++) {
            const char *piece;
            if (rnd(2)) {
                piece = tok_token(t, (int)rnd((uint32_t)tok_vocab_size(t)));
                if (!strncmp(piece, "##", 2)) piece += 2;
            } else {
                piece = POOL[rnd(N_POOL)];
            }
            const char *sep = p ? SEP[rnd(sizeof SEP / sizeof SEP[0])] : "";
            size_t need = strlen(sep) + strlen(piece);
            if (n + need >= sizeof buf) break;
            memcpy(buf + n, sep, strlen(sep));
            n += strlen(sep);
            memcpy(buf + n, piece, strlen(piece));
            n += strlen(piece);
            /* sometimes capitalise by hand so the case paths get ASCII too */
            if (rnd(5) == 0 && buf[n - strlen(piece)] >= 'a' && buf[n - strlen(piece)] <= 'z')
                buf[n - strlen(piece)] -= 32;
        }
        buf[n] = 0;
        add(out, buf);
    }
    /* long words around the 100-character limit */
    for (int len = 98; len <= 102; len++) {
        memset(buf, 'a' + len % 3, (size_t)len);
        buf[len] = 0;
        add(out, buf);
    }
}

/* Runs the reference on every sentence; returns its output lines. */
static int run_reference(const char *vocab, const StrList *in, int cased, StrList *out) {
    char path[512], cmd[2048];
    snprintf(path, sizeof path, "%s/sentences.jsonl", test_tmpdir());
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    for (int i = 0; i < in->n; i++) {
        cJSON *s = cJSON_CreateString(in->s[i]);
        char *j = cJSON_PrintUnformatted(s);
        fprintf(f, "%s\n", j);
        free(j);
        cJSON_Delete(s);
    }
    fclose(f);
    const char *root = getenv("BT_SOURCE_ROOT");
    snprintf(cmd, sizeof cmd, "%s '%s/tests/ref/bert_tokenizer_ref.py' '%s'%s < '%s'", PYTHON,
             root ? root : ".", vocab, cased ? " --cased" : "", path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t r;
    while ((r = getline(&line, &cap, p)) > 0) {
        if (line[r - 1] == '\n') line[r - 1] = 0;
        add(out, line);
    }
    free(line);
    return pclose(p) == 0 ? 0 : -1;
}

static void compare(const char *vocab, const StrList *sent, int cased) {
    BtError err = {{0}};
    Tokenizer *t = NULL;
    if (tok_load(&t, vocab, !cased, &err)) { CHECKF(0, "%s", err.msg); return; }
    StrList ref = {0};
    int rc = run_reference(vocab, sent, cased, &ref);
    CHECKF(rc == 0 && ref.n == sent->n, "reference ran: rc=%d, %d of %d lines", rc, ref.n, sent->n);
    int agree = 0, shown = 0;
    for (int i = 0; i < sent->n && i < ref.n; i++) {
        static int ids[4096];
        int n = tok_wordpieces(t, sent->s[i], ids, NULL, 4096, &err);
        cJSON *want = cJSON_Parse(ref.s[i]);
        int same = n >= 0 && n <= 4096 && cJSON_IsArray(want) && cJSON_GetArraySize(want) == n;
        for (int k = 0; same && k < n; k++)
            same = cJSON_GetArrayItem(want, k)->valueint == ids[k];
        agree += same;
        if (!same && shown++ < 10) {
            cJSON *str = cJSON_CreateString(sent->s[i]);
            char *js = cJSON_PrintUnformatted(str);
            cJSON_Delete(str);
            fprintf(stderr, "%s mismatch on %s\n  ref: %s\n  C:  ", cased ? "cased" : "uncased", js, ref.s[i]);
            for (int k = 0; k < n && k < 4096; k++) fprintf(stderr, " %d", ids[k]);
            fputc('\n', stderr);
            free(js);
        }
        cJSON_Delete(want);
        CHECK(same);
    }
    printf("%s: %d of %d sentences identical to the reference\n", cased ? "cased" : "uncased",
           agree, sent->n);
    for (int i = 0; i < ref.n; i++) free(ref.s[i]);
    free(ref.s);
    tok_free(t);
}

int main(void) {
    const char *vocab = test_data_path("bert-base-uncased-vocab.txt");
    if (access(PYTHON, X_OK) != 0) { printf("skipped: %s absent\n", PYTHON); return TEST_SKIP; }
    char vpath[4096];
    snprintf(vpath, sizeof vpath, "%s", vocab);

    BtError err = {{0}};
    Tokenizer *t = NULL;
    if (tok_load(&t, vpath, 1, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    StrList sent = {0};
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++) add(&sent, FIXED[i]);
    generate(&sent, t, 400);
    tok_free(t);

    compare(vpath, &sent, 0);
    compare(vpath, &sent, 1);
    for (int i = 0; i < sent.n; i++) free(sent.s[i]);
    free(sent.s);
    return test_done("tokenizer_ref");
}
