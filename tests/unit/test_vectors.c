/* Static vectors: every loader on small files written here (GloVe text,
 * word2vec text and binary, wink JSON), the broken and lying ones each
 * with its one-line error and no output left behind, damaged .btv files,
 * and the cosine / nearest / analogy maths against values worked out by
 * hand. */
#include "bertology/vectors.h"
#include "testutil.h"
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) { perror(path); exit(2); }
    fclose(f);
}

static void write_text(const char *path, const char *s) { write_file(path, s, strlen(s)); }

/* The five words of every well-formed test file, in frequency order. */
static const char *WORDS[5] = {"the", "cat", "sat", "mat", "é\"x"};
static const float VECS[5][3] = {{1, 2, 2}, {2, 0, 0}, {0, 3, 4}, {-1, -2, -2}, {0.5f, 0.25f, -0.125f}};

static int convert(const char *in, const char *out, VecFormat f, long top, VecConvertStats *st, BtError *err) {
    VecConvertOptions o = {f, top, "test set"};
    return vec_convert(in, out, &o, st, err);
}

/* Opens out and checks it holds the first n test words with their vectors. */
static void check_set(const char *out, int n, const char *what) {
    VecSet *vs;
    BtError err = {{0}};
    int rc = vecset_open(&vs, out, &err);
    CHECKF(rc == 0, "%s: %s", what, err.msg);
    if (rc) return;
    CHECKF(vecset_count(vs) == n, "%s: %ld words", what, vecset_count(vs));
    CHECK(vecset_dim(vs) == 3);
    CHECK(strcmp(vecset_desc(vs), "test set") == 0);
    CHECKF(vecset_verify(vs, &err) == 0, "%s: %s", what, err.msg);
    for (int i = 0; i < n && i < vecset_count(vs); i++) {
        CHECKF(strcmp(vecset_word(vs, i), WORDS[i]) == 0, "%s: row %d is '%s'", what, i, vecset_word(vs, i));
        CHECK(test_max_abs_diff(vecset_row(vs, i), VECS[i], 3) == 0);
        float nn = sqrtf(VECS[i][0] * VECS[i][0] + VECS[i][1] * VECS[i][1] + VECS[i][2] * VECS[i][2]);
        CHECK(fabsf(vecset_norm(vs, i) - nn) < 1e-6f);
        CHECKF(vecset_find(vs, WORDS[i]) == i, "%s: find '%s'", what, WORDS[i]);
    }
    CHECK(vecset_find(vs, "dog") == -1);
    CHECK(vecset_find(vs, "") == -1);
    vecset_free(vs);
}

static const char GLOVE[] = "the 1 2 2\ncat 2 0 0\nsat 0 3 4\nmat -1 -2 -2\né\"x 0.5 0.25 -0.125\n";

static void test_text(void) {
    VecConvertStats st;
    BtError err = {{0}};
    write_text(test_tmp_path("glove.txt"), GLOVE);
    CHECKF(convert(test_tmp_path("glove.txt"), test_tmp_path("glove.btv"), VEC_FMT_AUTO, 0, &st, &err) == 0, "%s", err.msg);
    CHECK(st.format == VEC_FMT_TEXT && st.kept == 5 && st.dim == 3 && st.duplicates == 0);
    check_set(test_tmp_path("glove.btv"), 5, "GloVe text");

    /* word2vec text: a "count dim" line; tabs, CRLF and no final newline. */
    write_text(test_tmp_path("w2v.txt"), "5 3\r\nthe\t1 2 2\r\ncat 2 0 0\r\nsat 0 3 4\r\nmat -1 -2 -2\r\né\"x 0.5 0.25 -0.125");
    CHECKF(convert(test_tmp_path("w2v.txt"), test_tmp_path("w2v.btv"), VEC_FMT_AUTO, 0, &st, &err) == 0, "%s", err.msg);
    CHECK(st.format == VEC_FMT_TEXT && st.kept == 5);
    check_set(test_tmp_path("w2v.btv"), 5, "word2vec text");

    /* --top keeps the most frequent (first) words. */
    CHECKF(convert(test_tmp_path("glove.txt"), test_tmp_path("top.btv"), VEC_FMT_AUTO, 2, &st, &err) == 0, "%s", err.msg);
    CHECK(st.kept == 2);
    check_set(test_tmp_path("top.btv"), 2, "--top 2");

    /* GloVe 840B's words with spaces, a repeated word, invalid UTF-8. */
    write_text(test_tmp_path("odd.txt"), "the 1 2 2\n. . . 1 1 1\nthe 9 9 9\n\xff\xfe 1 1 1\n\ncat 2 0 0\n");
    CHECKF(convert(test_tmp_path("odd.txt"), test_tmp_path("odd.btv"), VEC_FMT_AUTO, 0, &st, &err) == 0, "%s", err.msg);
    CHECK(st.kept == 3 && st.duplicates == 1 && st.bad_words == 1);
    VecSet *vs;
    if (vecset_open(&vs, test_tmp_path("odd.btv"), &err) == 0) {
        CHECK(vecset_find(vs, ". . .") == 1);
        CHECK(vecset_row(vs, vecset_find(vs, "the"))[0] == 1);   /* the first copy wins */
        vecset_free(vs);
    }
}

static void put_f32(unsigned char **p, float x) {
    memcpy(*p, &x, 4);
    *p += 4;
}

static size_t make_w2v_bin(unsigned char *buf, int count_in_header, int newlines) {
    unsigned char *p = buf;
    p += sprintf((char *)p, "%d 3\n", count_in_header);
    for (int i = 0; i < 5; i++) {
        p += sprintf((char *)p, "%s ", WORDS[i]);
        for (int d = 0; d < 3; d++) put_f32(&p, VECS[i][d]);
        if (newlines) *p++ = '\n';
    }
    return (size_t)(p - buf);
}

static void test_binary(void) {
    unsigned char buf[512];
    VecConvertStats st;
    BtError err = {{0}};
    for (int nl = 0; nl < 2; nl++) {
        size_t n = make_w2v_bin(buf, 5, nl);
        write_file(test_tmp_path("w2v.bin"), buf, n);
        CHECKF(convert(test_tmp_path("w2v.bin"), test_tmp_path("bin.btv"), VEC_FMT_AUTO, 0, &st, &err) == 0, "%s", err.msg);
        CHECKF(st.format == VEC_FMT_BINARY, "detected %s", vec_format_name(st.format));
        check_set(test_tmp_path("bin.btv"), 5, nl ? "binary with newlines" : "binary");
    }
}

static const char WINK[] =
    "{\"precision\":8,\"l2NormIndex\":3,\"wordIndex\":4,\"size\":5,\"dimensions\":3,"
    "\"words\":[\"the\",\"cat\",\"sat\",\"mat\",\"\\u00e9\\\"x\"],\n\"vectors\":{"
    "\"the\":[1,2,2,3,0],\"cat\":[2,0,0,2,1],\"sat\":[0,3,4,5,2],\"mat\":[-1,-2,-2,3,3],"
    "\"\\u00e9\\\"x\":[0.5,0.25,-0.125,0.57,4]},\"unkVector\":[0,0,0,0,-1], \"ok\": [true, null, {\"a\": \"]\"}]}";

static void test_wink(void) {
    VecConvertStats st;
    BtError err = {{0}};
    write_text(test_tmp_path("wink.json"), WINK);
    CHECKF(convert(test_tmp_path("wink.json"), test_tmp_path("wink.btv"), VEC_FMT_AUTO, 0, &st, &err) == 0, "%s", err.msg);
    CHECK(st.format == VEC_FMT_WINK);
    check_set(test_tmp_path("wink.btv"), 5, "wink JSON");
    CHECKF(convert(test_tmp_path("wink.json"), test_tmp_path("wink3.btv"), VEC_FMT_WINK, 3, &st, &err) == 0, "%s", err.msg);
    check_set(test_tmp_path("wink3.btv"), 3, "wink --top 3");
}

/* A broken input: the conversion fails with a message containing want,
 * and leaves neither the output nor a temporary file. */
static void broken(const char *name, const void *data, size_t n, VecFormat f, const char *want) {
    VecConvertStats st;
    BtError err = {{0}};
    write_file(test_tmp_path(name), data, n);
    unlink(test_tmp_path("broken.btv"));
    int rc = convert(test_tmp_path(name), test_tmp_path("broken.btv"), f, 0, &st, &err);
    CHECKF(rc == -1, "%s was accepted", name);
    CHECKF(strstr(err.msg, want) != NULL, "%s: '%s' lacks '%s'", name, err.msg, want);
    CHECKF(!strchr(err.msg, '\n'), "%s: the message is not one line", name);
    CHECKF(access(test_tmp_path("broken.btv"), F_OK) != 0, "%s left an output", name);
    CHECKF(test_temp_files() == 0, "%s left a temporary file", name);
}

#define BROKEN_TEXT(name, s, want) broken(name, s, strlen(s), VEC_FMT_AUTO, want)

static void test_broken(void) {
    BROKEN_TEXT("short.txt", "the 1 2 2\ncat 2 0\n", "short.txt:2: 'cat' has 2 numbers, expected 3");
    BROKEN_TEXT("cut.txt", "the 1 2 2\ncat 2 0 0\nsat 0 3", "(the file ends here: truncated?)");
    BROKEN_TEXT("long.txt", "the 1 2 2\ncat 2 0 0 7\n", "long.txt:2: 'cat' has 4 numbers, expected 3");
    BROKEN_TEXT("nan.txt", "the 1 2 2\ncat 2 nan 0\n", "nan.txt:2: value 2 of 'cat' is not finite");
    BROKEN_TEXT("word.txt", "the 1 2 2\ncat 2 x1 0\n", "word.txt:2: value 2 of 'cat' is not a number ('x1')");
    BROKEN_TEXT("lies.txt", "4 3\nthe 1 2 2\ncat 2 0 0\n", "announced 4 vectors but the file ends after 2");
    BROKEN_TEXT("more.txt", "1 3\nthe 1 2 2\ncat 2 0 0\n", "more.txt:3: more vectors than the 1 the header announced");
    BROKEN_TEXT("dim.txt", "2 0\nthe 1 2 2\n", "dimension 0");
    BROKEN_TEXT("one.txt", "hello\n", "found one field");
    BROKEN_TEXT("empty.txt", "", "is empty");
    BROKEN_TEXT("blank.txt", "\n\n  \n", "no vectors");

    unsigned char buf[512];
    size_t n = make_w2v_bin(buf, 5, 1);
    broken("cut.bin", buf, n - 7, VEC_FMT_AUTO, "ends inside vector 5 of 5");
    n = make_w2v_bin(buf, 6, 1);
    broken("lies.bin", buf, n, VEC_FMT_BINARY, "announced 6 vectors but the file ends after 5");
    n = make_w2v_bin(buf, 3, 1);
    broken("few.bin", buf, n, VEC_FMT_BINARY, "follow the 3 vectors the header announced");
    broken("nohdr.bin", "the 1 2 2\n", 10, VEC_FMT_BINARY, "not \"count dim\"");

    static const char cut[] = "{\"dimensions\":3,\"size\":2,\"vectors\":{\"the\":[1,2,2,3,0],\"cat\":[2,0";
    broken("cut.json", cut, sizeof cut - 1, VEC_FMT_AUTO, "the JSON ends early (truncated?)");
    static const char few[] = "{\"dimensions\":3,\"vectors\":{\"the\":[1,2]}}";
    broken("few.json", few, sizeof few - 1, VEC_FMT_AUTO, "'the' has 2 values, expected at least 3");
    static const char size[] = "{\"dimensions\":3,\"size\":7,\"vectors\":{\"the\":[1,2,2]}}";
    broken("size.json", size, sizeof size - 1, VEC_FMT_AUTO, "\"size\" says 7 vectors but the file holds 1");
    static const char order[] = "{\"vectors\":{\"the\":[1,2,2]},\"dimensions\":3}";
    broken("order.json", order, sizeof order - 1, VEC_FMT_AUTO, "comes before \"dimensions\"");
    static const char none[] = "{\"dimensions\":3}";
    broken("none.json", none, sizeof none - 1, VEC_FMT_AUTO, "no \"vectors\" object");

    VecConvertStats st;
    BtError err = {{0}};
    CHECK(convert(test_tmp_path("does-not-exist.txt"), test_tmp_path("x.btv"), VEC_FMT_AUTO, 0, &st, &err) == -1);
    CHECK(strstr(err.msg, "cannot open") != NULL);
}

static unsigned char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

/* A damaged copy of glove.btv must fail to open with want in the message. */
static void damaged(const unsigned char *good, size_t n, size_t cut_to, long at, unsigned char val, const char *want) {
    unsigned char *b = malloc(n);
    memcpy(b, good, n);
    if (at >= 0) b[at] = val;
    write_file(test_tmp_path("damaged.btv"), b, cut_to);
    free(b);
    VecSet *vs;
    BtError err = {{0}};
    int rc = vecset_open(&vs, test_tmp_path("damaged.btv"), &err);
    CHECKF(rc == -1, "a damaged file opened (want '%s')", want);
    if (rc == 0) vecset_free(vs);
    CHECKF(strstr(err.msg, want) != NULL, "'%s' lacks '%s'", err.msg, want);
}

/* A damaged file that opens (reads stay inside it) but fails the full check. */
static void verify_fails(const unsigned char *b, size_t n, const char *want) {
    write_file(test_tmp_path("damaged.btv"), b, n);
    VecSet *vs;
    BtError err = {{0}};
    int rc = vecset_open(&vs, test_tmp_path("damaged.btv"), &err);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc) return;
    CHECK(vecset_verify(vs, &err) == -1);
    CHECKF(strstr(err.msg, want) != NULL, "'%s' lacks '%s'", err.msg, want);
    vecset_find(vs, "the");
    vecset_free(vs);
}

static void test_btv_damage(void) {
    size_t n;
    unsigned char *good = slurp(test_tmp_path("glove.btv"), &n);
    CHECK(good != NULL);
    if (!good) return;
    uint64_t off;
    damaged(good, n, n - 3, -1, 0, "truncated");
    damaged(good, n, 100, -1, 0, "not a converted vectors file");
    damaged(good, n, n, 0, 'X', "not a converted vectors file");
    damaged(good, n, n, 8, 2, "version 2");
    damaged(good, n, n, 12, 0, "impossible dimension");
    /* flags (offset 80) that version 1 does not define: said so, not "version 1; reads version 1" */
    damaged(good, n, n, 80, 4, "has flags 0x4 in its header");
    /* a NaN, then an infinity, in row 1; a NaN norm: refused at open (a NaN
     * row ranked first in `similar`) */
    {
        uint64_t rows, norms;
        uint32_t dim;
        memcpy(&dim, good + 12, 4);
        memcpy(&rows, good + 24, 8);
        memcpy(&norms, good + 32, 8);
        const uint32_t bad[] = {0x7fc00000u, 0x7f800000u};
        const uint64_t where[] = {rows + 4 * (uint64_t)dim + 8, rows + 4 * (uint64_t)dim, norms + 4};
        for (int i = 0; i < 3; i++) {
            unsigned char *c = malloc(n);
            memcpy(c, good, n);
            memcpy(c + where[i], &bad[i % 2], 4);
            write_file(test_tmp_path("nan.btv"), c, n);
            free(c);
            VecSet *vs = NULL;
            BtError err = {{0}};
            int rc = vecset_open(&vs, test_tmp_path("nan.btv"), &err);
            CHECKF(rc == -1 && strstr(err.msg, "row 1 holds a NaN or infinite number"), "case %d: rc %d, %s", i,
                   rc, err.msg);
            if (rc == 0) vecset_free(vs);
        }
    }
    memcpy(&off, good + 64, 8);   /* sorted_off */
    damaged(good, n, n, (long)off, 99, "its sorted index names rows it does not have");
    /* Swapped index entries and a word without its NUL are safe to read,
     * so open lets them pass and the full check finds them. */
    unsigned char *b = malloc(n);
    memcpy(b, good, n);
    unsigned char t[4];
    memcpy(t, b + off, 4);
    memcpy(b + off, b + off + 4, 4);
    memcpy(b + off + 4, t, 4);
    verify_fails(b, n, "out of order");
    memcpy(b, good, n);
    memcpy(b + off, b + off + 4, 4);
    verify_fails(b, n, "not a permutation");
    memcpy(&off, good + 48, 8);   /* str_off: the first word loses its NUL */
    memcpy(b, good, n);
    b[off + 3] = 'x';
    verify_fails(b, n, "word 0 is malformed");
    memcpy(&off, good + 40, 8);   /* woff_off: offsets that go back */
    free(b);
    damaged(good, n, n, (long)off + 4, 0, "word offsets are out of order");
    free(good);
    VecSet *vs;
    BtError err = {{0}};
    CHECK(vecset_open(&vs, test_tmp_path("glove.txt"), &err) == -1);
    CHECKF(strstr(err.msg, "bertology vectors convert") != NULL, "%s", err.msg);
}

/* Random damage anywhere: opening fails cleanly or the file still works;
 * under ASan this catches any read outside the map. Same for converting
 * mangled inputs. */
static void test_random_damage(void) {
    size_t n;
    unsigned char *good = slurp(test_tmp_path("glove.btv"), &n);
    if (!good) return;
    unsigned char *b = malloc(n);
    uint64_t r = 99;
    int opened = 0, failed = 0;
    for (int t = 0; t < 400; t++) {
        memcpy(b, good, n);
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t at = (size_t)(r >> 33) % n, len = n;
        b[at] = (unsigned char)(r >> 20);
        if (t % 4 == 0) len = (size_t)(r >> 40) % n;
        write_file(test_tmp_path("rand.btv"), b, len);
        VecSet *vs;
        BtError err = {{0}};
        if (vecset_open(&vs, test_tmp_path("rand.btv"), &err) == 0) {
            opened++;
            VecHit h[3];
            vecset_find(vs, "the");
            vecset_find(vs, "zzz");
            vec_nearest(vs, vecset_row(vs, 0), NULL, 0, 3, h);
            long s5[5];
            vecset_suggest(vs, "cta", s5, 5);
            vecset_verify(vs, &err);
            vecset_free(vs);
        } else {
            failed++;
            CHECK(err.msg[0] != 0 && !strchr(err.msg, '\n'));
        }
    }
    CHECK(opened > 0 && failed > 0);
    free(good);
    free(b);

    static const char *inputs[] = {GLOVE, WINK, "5 3\nthe 1 2 2\n"};
    for (int k = 0; k < 3; k++) {
        size_t len = strlen(inputs[k]);
        char *m = malloc(len);
        for (int t = 0; t < 200; t++) {
            memcpy(m, inputs[k], len);
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            m[(r >> 33) % len] = (char)(r >> 20);
            size_t cut = t % 3 == 0 ? (size_t)(r >> 45) % len + 1 : len;
            write_file(test_tmp_path("rand.in"), m, cut);
            VecConvertStats st;
            BtError err = {{0}};
            if (convert(test_tmp_path("rand.in"), test_tmp_path("rand-out.btv"), VEC_FMT_AUTO, 0, &st, &err) == 0) {
                VecSet *vs;
                CHECKF(vecset_open(&vs, test_tmp_path("rand-out.btv"), &err) == 0, "%s", err.msg);
                CHECKF(vecset_verify(vs, &err) == 0, "%s", err.msg);
                vecset_free(vs);
            } else {
                CHECK(err.msg[0] != 0 && !strchr(err.msg, '\n'));
            }
        }
        free(m);
    }
    CHECK(test_temp_files() == 0);
}

static void test_maths(void) {
    const float a[3] = {1, 2, 2}, b[3] = {2, 0, 0}, z[3] = {0, 0, 0};
    CHECK(fabs(vec_cosine(a, b, 3) - 1.0 / 3.0) < 1e-15);   /* 2 / (3·2) */
    CHECK(vec_cosine(a, z, 3) == 0);
    const float neg[3] = {-1, -2, -2};
    CHECK(vec_cosine(a, neg, 3) == -1.0);
    /* cos(x, x) is exactly 1, not 0.9999999: the static row of `compare`. */
    uint64_t r = 12345;
    int exact = 1;
    for (int t = 0; t < 2000; t++) {
        float x[100];
        for (int i = 0; i < 100; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            x[i] = (float)((double)(r >> 11) / 9007199254740992.0 * 2 - 1) * (t % 7 ? 1.0f : 1e-3f);
        }
        exact &= vec_cosine(x, x, 100) == 1.0;
    }
    CHECK(exact);

    /* A − B + C on unit vectors: (3,4)/5 − (1,0) + (0,2)/2 = (−0.4, 1.8). */
    const float A[2] = {3, 4}, B[2] = {1, 0}, C[2] = {0, 2};
    float out[2];
    BtError err = {{0}};
    CHECK(vec_analogy_target(A, B, C, 2, out, &err) == 0);
    CHECK(fabsf(out[0] + 0.4f) < 1e-6f && fabsf(out[1] - 1.8f) < 1e-6f);
    CHECK(vec_analogy_target(A, z, C, 2, out, &err) == -1);
    CHECK(strstr(err.msg, "zero vector") != NULL);

    /* Nearest in the test set to (1,2,2): the itself (1), sat (14/15),
     * é"x (0.75/(3·0.5728)), cat (1/3), mat (−1). */
    VecSet *vs;
    if (vecset_open(&vs, test_tmp_path("glove.btv"), &err) != 0) {
        CHECKF(0, "%s", err.msg);
        return;
    }
    VecHit h[5];
    int n = vec_nearest(vs, a, NULL, 0, 5, h);
    CHECK(n == 5);
    double want[5] = {1, 14.0 / 15.0, 0.75 / (3 * sqrt(0.25 + 0.0625 + 0.015625)), 1.0 / 3.0, -1};
    long rows[5] = {0, 2, 4, 1, 3};
    for (int i = 0; i < n; i++) {
        CHECKF(h[i].row == rows[i], "hit %d is row %ld", i, h[i].row);
        CHECKF(fabs(h[i].cos - want[i]) < 1e-7, "hit %d: %.9f, want %.9f", i, h[i].cos, want[i]);
    }
    long skip[2] = {0, 2};
    n = vec_nearest(vs, a, skip, 2, 2, h);
    CHECK(n == 2 && h[0].row == 4 && h[1].row == 1);
    CHECK(vec_nearest(vs, z, NULL, 0, 3, h) == 0);

    /* Lookups: case folding, and close spellings for a missing word. */
    float v[3];
    VecWord w;
    CHECK(vecset_word_vector(vs, "CAT", v, &w, &err) == 0 && w.row == 1 && w.folded == 1);
    CHECK(vecset_word_vector(vs, "cat", v, &w, &err) == 0 && w.row == 1 && w.folded == 0 && v[0] == 2);
    CHECK(vecset_word_vector(vs, "cta", v, &w, &err) == -1);
    CHECKF(strstr(err.msg, "'cta' is not in glove (5 words); close spellings: cat") != NULL, "%s", err.msg);
    CHECK(vecset_word_vector(vs, "zzzzzz", v, &w, &err) == -1);
    CHECKF(strstr(err.msg, "close spellings") == NULL, "%s", err.msg);
    long s[3];
    CHECK(vecset_suggest(vs, "hte", s, 3) >= 1 && s[0] == 0);
    vecset_free(vs);

    char c[32];
    vec_fmt_count(c, sizeof c, 341479);
    CHECK(strcmp(c, "341,479") == 0);
    vec_fmt_count(c, sizeof c, 999);
    CHECK(strcmp(c, "999") == 0);
    vec_fmt_count(c, sizeof c, 1000000);
    CHECK(strcmp(c, "1,000,000") == 0);
}

int main(void) {
    test_text();
    test_binary();
    test_wink();
    test_broken();
    test_btv_damage();
    test_random_damage();
    test_maths();
    return test_done("vectors");
}
