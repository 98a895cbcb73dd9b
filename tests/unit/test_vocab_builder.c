/* The WordPiece vocabulary builder on a small corpus it writes itself:
 * layout of the vocabulary, size, determinism, whole common words, a
 * tokenizer round trip without [UNK], errors, and (when /usr/bin/python3
 * is there) byte-identical output to tests/ref/wordpiece_trainer_ref.py. */
#include "bertology/tokenizer.h"
#include "bertology/vocab_builder.h"
#include "testutil.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *WORDS[] = {
    "the", "of", "and", "a", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be",
    "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
    "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has",
    "there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "shadow",
    "outline", "representation", "dictionary", "quartering", "landlord", "tenant", "consumption",
    "atrophy", "wasting", "apply", "again", "manner", "travels", "pleasure", "faint", "visible",
    "universe", "invisible", "richness", "vastness", "Caf\xc3\xa9", "na\xc3\xafve", "\xc3\x85ngstr\xc3\xb6m",
    "r\xc3\xa9sum\xc3\xa9", "Stra\xc3\x9f""e", "\xe5\x8c\x97\xe4\xba\xac", "1984", "3.14", "don't", "e-mail",
};
enum { N_WORDS = sizeof WORDS / sizeof WORDS[0] };
static const char *PUNCT[] = {",", ";", ":", " -", " (see above)"};

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Zipf-like: small indices much more often. */
static const char *pick_word(void) {
    uint32_t r = rnd(1000);
    uint32_t i = (uint32_t)((double)N_WORDS * (r / 1000.0) * (r / 1000.0) * (r / 1000.0));
    return WORDS[i < N_WORDS ? i : N_WORDS - 1];
}

static char corpus_a[256], corpus_b[256], corpus_all[256];
enum { N_LINES = 1500 };

/* One corpus, written whole and split in two files. */
static void write_corpus(void) {
    const char *dir = test_tmpdir();
    snprintf(corpus_all, sizeof corpus_all, "%s/corpus.txt", dir);
    snprintf(corpus_a, sizeof corpus_a, "%s/corpus-a.txt", dir);
    snprintf(corpus_b, sizeof corpus_b, "%s/corpus-b.txt", dir);
    FILE *all = fopen(corpus_all, "w"), *fa = fopen(corpus_a, "w"), *fb = fopen(corpus_b, "w");
    if (!all || !fa || !fb) { perror("corpus"); exit(2); }
    for (int l = 0; l < N_LINES; l++) {
        char line[1024];
        size_t n = 0;
        int words = 4 + (int)rnd(12);
        for (int w = 0; w < words; w++) {
            const char *word = pick_word();
            if (w == 0 && rnd(3) == 0) word = "The";
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", w ? " " : "", word);
            if (rnd(8) == 0) n += (size_t)snprintf(line + n, sizeof line - n, "%s", PUNCT[rnd(5)]);
        }
        if (l == 700) n += (size_t)snprintf(line + n, sizeof line - n, " snow\xe2\x98\x83man");  /* ☃ once */
        if (l % 97 == 0) n += (size_t)snprintf(line + n, sizeof line - n, " [MASK]");
        snprintf(line + n, sizeof line - n, "%s\n", rnd(2) ? "." : "!");
        fputs(line, all);
        fputs(line, l < N_LINES / 3 ? fa : fb);
    }
    fclose(all);
    fclose(fa);
    fclose(fb);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
    b[n] = 0;
    fclose(f);
    if (len) *len = (size_t)n;
    return b;
}

static int same_file(const char *p, const char *q) {
    size_t a, b;
    char *x = slurp(p, &a), *y = slurp(q, &b);
    int same = x && y && a == b && memcmp(x, y, a) == 0;
    free(x);
    free(y);
    return same;
}

static const char *out_path(const char *name) {
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", test_tmpdir(), name);
    return buf[k];
}

static void check_layout(const char *vocab_path, int size) {
    size_t len;
    char *text = slurp(vocab_path, &len);
    CHECK(text != NULL);
    if (!text) return;
    static const char *specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    char *save = NULL, *tok = strtok_r(text, "\n", &save);
    int n = 0, order_ok = 1, in_chars = 1;
    char prev[64] = "";
    char **seen = calloc((size_t)size + 1, sizeof *seen);
    int dup = 0;
    for (; tok; tok = strtok_r(NULL, "\n", &save), n++) {
        if (n < 5) { CHECKF(strcmp(tok, specials[n]) == 0, "line %d is %s", n, tok); continue; }
        for (int i = 5; i < n && i < size; i++) if (seen[i] && !strcmp(seen[i], tok)) dup++;
        if (n < size) seen[n] = tok;
        /* single characters by code point (UTF-8 byte order is code point order) */
        if (in_chars) {
            int one_char = ((unsigned char)tok[0] < 0x80 && tok[1] == 0)
                        || ((unsigned char)tok[0] >= 0xC0 && strlen(tok) <= 4 && strncmp(tok, "##", 2));
            if (!one_char) in_chars = 0;
            else if (strcmp(prev, tok) >= 0) order_ok = 0;
            snprintf(prev, sizeof prev, "%s", tok);
        }
    }
    CHECKF(n == size, "%d lines, wanted %d", n, size);
    CHECK(order_ok);
    CHECKF(dup == 0, "%d duplicates", dup);
    free(seen);
    free(text);
}

typedef struct { const Tokenizer *t; long pieces, unk, words, multi; } Walk;

static int check_word(const char *w, size_t len, int special, void *ctx) {
    Walk *k = ctx;
    char buf[512];
    if (len >= sizeof buf) return 0;
    memcpy(buf, w, len);
    buf[len] = 0;
    int ids[128];
    BtError err;
    int n = tok_wordpieces(k->t, buf, ids, NULL, 128, &err);
    k->words++;
    if (n > 1) k->multi++;
    for (int i = 0; i < n && i < 128; i++) {
        k->pieces++;
        if (ids[i] == tok_unk_id(k->t) && !special) k->unk++;
    }
    return 0;
}

/* Tokenizes the corpus with the built vocabulary. */
static Walk walk_corpus(const char *vocab_path) {
    Walk k = {0};
    BtError err;
    Tokenizer *t = NULL;
    CHECKF(tok_load(&t, vocab_path, 1, &err) == 0, "%s", err.msg);
    if (!t) return k;
    k.t = t;
    size_t len;
    char *text = slurp(corpus_all, &len);
    CHECK(tok_basic_words(text, len, 1, check_word, &k, &err) == 0);
    free(text);
    tok_free(t);
    return k;
}

static void test_build(void) {
    BtError err = {{0}};
    VocabStats st;
    const char *files[] = {corpus_all};
    const char *v1 = out_path("vocab1.txt");
    CHECKF(vocab_build(files, 1, 260, 2, v1, &st, &err) == 0, "%s", err.msg);
    CHECKF(st.vocab_size == 260, "vocab_size %d", st.vocab_size);
    CHECK(st.lines == N_LINES);
    CHECK(st.dropped_chars == 1);          /* the snowman */
    CHECK(st.unk_words == 1);
    CHECK(st.merges >= 260 - 5 - 2 * st.alphabet);
    CHECK(st.distinct_words > N_WORDS / 2 && st.words > st.distinct_words);
    check_layout(v1, 260);

    BtError e2;
    Tokenizer *t = NULL;
    CHECKF(tok_load(&t, v1, 1, &e2) == 0, "%s", e2.msg);
    if (t) {
        CHECK(tok_vocab_size(t) == 260);
        CHECK(tok_pad_id(t) == 0 && tok_unk_id(t) == 1 && tok_cls_id(t) == 2);
        CHECK(tok_sep_id(t) == 3 && tok_mask_id(t) == 4);
        const char *common[] = {"the", "of", "and", "to", "in"};
        for (int i = 0; i < 5; i++) CHECKF(tok_id(t, common[i]) >= 0, "\"%s\" is a token", common[i]);
        CHECK(tok_id(t, "##e") >= 0 && tok_id(t, "e") >= 0);
        CHECK(tok_id(t, "\xe2\x98\x83") < 0);   /* below min_freq */
        tok_free(t);
    }

    /* Every word tokenizes without [UNK], except the one with the snowman. */
    Walk k = walk_corpus(v1);
    CHECKF(k.unk == 1, "%ld [UNK] pieces", k.unk);
    CHECK(k.multi > 0);   /* 260 tokens cannot hold every word whole */

    /* Deterministic, and indifferent to how the text is split in files. */
    const char *v2 = out_path("vocab2.txt"), *v3 = out_path("vocab3.txt");
    CHECK(vocab_build(files, 1, 260, 2, v2, NULL, &err) == 0);
    CHECK(same_file(v1, v2));
    const char *two[] = {corpus_a, corpus_b};
    CHECK(vocab_build(two, 2, 260, 2, v3, &st, &err) == 0);
    CHECK(same_file(v1, v3));
    CHECK(st.lines == N_LINES);

    /* With room for everything, merging runs until every word is one token. */
    const char *big = out_path("vocab-big.txt");
    CHECK(vocab_build(files, 1, 100000, 1, big, &st, &err) == 0);
    CHECKF(st.vocab_size < 100000 && st.dropped_chars == 0, "vocab_size %d", st.vocab_size);
    k = walk_corpus(big);
    CHECKF(k.unk == 0 && k.multi == 0 && k.words > 0, "unk %ld, split words %ld", k.unk, k.multi);
}

static void test_errors(void) {
    BtError err = {{0}};
    const char *files[] = {corpus_all};
    CHECK(vocab_build(files, 1, 10, 2, out_path("v-small.txt"), NULL, &err) == -1);
    CHECKF(strstr(err.msg, "10 tokens") != NULL, "%s", err.msg);

    const char *missing[] = {"/nonexistent/corpus.txt"};
    CHECK(vocab_build(missing, 1, 300, 2, out_path("v-missing.txt"), NULL, &err) == -1);
    CHECKF(strstr(err.msg, "/nonexistent/corpus.txt") != NULL, "%s", err.msg);

    const char *bad = out_path("corpus-bad.txt");
    FILE *f = fopen(bad, "w");
    fputs("fine line\nanother fine line\nbroken \xc3( here\n", f);
    fclose(f);
    const char *badv[] = {bad};
    CHECK(vocab_build(badv, 1, 300, 1, out_path("v-bad.txt"), NULL, &err) == -1);
    CHECKF(strstr(err.msg, "corpus-bad.txt:3") && strstr(err.msg, "UTF-8"), "%s", err.msg);

    CHECK(vocab_build(files, 1, 300, 2, "/nonexistent/dir/vocab.txt", NULL, &err) == -1);
    CHECKF(strstr(err.msg, "/nonexistent/dir/vocab.txt") != NULL, "%s", err.msg);
    CHECK(vocab_build(files, 0, 300, 2, out_path("v-none.txt"), NULL, &err) == -1);
}

/* The same vocabulary from the slow Python reference. */
static void test_reference(void) {
    const char *python = "/usr/bin/python3";
    if (access(python, X_OK) != 0) { printf("skipping the Python reference: %s absent\n", python); return; }
    const char *root = getenv("BT_SOURCE_ROOT");
    const char *ref = out_path("vocab-ref.txt"), *mine = out_path("vocab-c.txt");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s '%s/tests/ref/wordpiece_trainer_ref.py' 260 2 '%s' '%s'", python,
             root ? root : ".", ref, corpus_all);
    CHECKF(system(cmd) == 0, "%s", cmd);
    BtError err = {{0}};
    const char *files[] = {corpus_all};
    CHECK(vocab_build(files, 1, 260, 2, mine, NULL, &err) == 0);
    CHECKF(same_file(ref, mine), "diff %s %s", ref, mine);
}

int main(void) {
    write_corpus();
    test_build();
    test_errors();
    test_reference();
    return test_done("vocab_builder");
}
