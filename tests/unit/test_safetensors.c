/* safetensors reader and writer: round trips, conversions checked against
 * numpy (an independent implementation), and one hostile file per rule the
 * reader enforces, each of which must fail naming the file and tensor. */
#include "bertology/half.h"
#include "bertology/safetensors.h"
#include "testutil.h"
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_raw(const char *path, const void *buf, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(buf, 1, n, f);
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

/* header length (as given, or the JSON's own length) + JSON + data bytes. */
static const char *make_file_n(const char *name, uint64_t hlen, const char *json, size_t jl,
                               const void *data, size_t data_len) {
    const char *path = test_tmp_path(name);
    uint8_t *buf = malloc(8 + jl + data_len + 1);
    for (int i = 0; i < 8; i++) buf[i] = (uint8_t)(hlen >> (8 * i));
    memcpy(buf + 8, json, jl);
    if (data_len) {
        if (data) memcpy(buf + 8 + jl, data, data_len);
        else memset(buf + 8 + jl, 0, data_len);
    }
    if (write_raw(path, buf, 8 + jl + data_len) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    free(buf);
    return path;
}

static const char *make_file(const char *name, uint64_t hlen, const char *json,
                             const void *data, size_t data_len) {
    return make_file_n(name, hlen, json, strlen(json), data, data_len);
}

static const char *make_st(const char *name, const char *json, size_t data_len) {
    return make_file(name, strlen(json), json, NULL, data_len);
}

static int have_numpy(void) {
    return access("/usr/bin/python3", X_OK) == 0 &&
           system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
}

static uint8_t *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

/* ---- broken files ------------------------------------------------------ */

/* st_open must fail, leave f empty, and say which file, which tensor (when
 * given) and what is wrong (phrase). */
static void expect_fail_path(const char *path, const char *file, const char *tensor,
                             const char *phrase) {
    StFile f;
    BtError err = {{0}};
    int rc = st_open(&f, path, &err);
    CHECKF(rc == -1, "%s: opened a broken file", file);
    if (rc == 0) {
        st_close(&f);
        return;
    }
    CHECKF(f.map == NULL && f.tensors == NULL && f.n_tensors == 0 && f.path == NULL,
           "%s: failed st_open left state behind", file);
    CHECKF(strstr(err.msg, file) != NULL, "message does not name the file %s: %s", file, err.msg);
    if (tensor) {
        char quoted[300];
        snprintf(quoted, sizeof quoted, "'%s'", tensor);
        CHECKF(strstr(err.msg, quoted) != NULL, "message does not name tensor %s: %s",
               quoted, err.msg);
    }
    CHECKF(strstr(err.msg, phrase) != NULL, "message lacks \"%s\": %s", phrase, err.msg);
}

static void expect_fail(const char *file, const char *json, size_t data_len,
                        const char *tensor, const char *phrase) {
    expect_fail_path(make_st(file, json, data_len), file, tensor, phrase);
}

static void test_broken_files(void) {
    /* Shorter than the length field. */
    const char *p = test_tmp_path("bad-short.safetensors");
    write_raw(p, "\x10\x00\x00", 3);
    expect_fail_path(p, "bad-short.safetensors", NULL, "too short");
    p = test_tmp_path("bad-empty.safetensors");
    write_raw(p, "", 0);
    expect_fail_path(p, "bad-empty.safetensors", NULL, "too short");

    /* Header length lies. */
    p = make_file("bad-hlen-past.safetensors", 1000, "{}", NULL, 10);
    expect_fail_path(p, "bad-hlen-past.safetensors", NULL, "runs past the end of the file");
    p = make_file("bad-hlen-absurd.safetensors", 200000000, "{}", NULL, 0);
    expect_fail_path(p, "bad-hlen-absurd.safetensors", NULL, "absurd");
    p = make_file("bad-hlen-max.safetensors", UINT64_MAX, "{}", NULL, 0);
    expect_fail_path(p, "bad-hlen-max.safetensors", NULL, "absurd");
    p = make_file("bad-hlen-zero.safetensors", 0, "", NULL, 8);
    expect_fail_path(p, "bad-hlen-zero.safetensors", NULL, "not valid JSON");
    /* A length that cuts the JSON short. */
    p = make_file("bad-hlen-short.safetensors", 5, "{\"a\": {}}", NULL, 0);
    expect_fail_path(p, "bad-hlen-short.safetensors", NULL, "not valid JSON");

    /* The JSON itself. */
    expect_fail("bad-json.safetensors", "{\"w\": {\"dtype\": \"F32\",", 0, NULL, "not valid JSON");
    expect_fail("bad-json-array.safetensors", "[1, 2]", 0, NULL, "not a JSON object");
    expect_fail("bad-json-trailing.safetensors", "{} xyz", 0, NULL, "unexpected bytes");
    p = make_file_n("bad-json-nul.safetensors", 5, "{}\0  ", 5, NULL, 0);
    expect_fail_path(p, "bad-json-nul.safetensors", NULL, "unexpected bytes");
    expect_fail("bad-meta.safetensors", "{\"__metadata__\": 3}", 0, NULL, "__metadata__");

    /* Entries. */
    expect_fail("bad-entry.safetensors", "{\"w\": 5}", 0, "w", "not a JSON object");
    expect_fail("bad-nodtype.safetensors",
                "{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "w", "dtype");
    expect_fail("bad-dtype-type.safetensors",
                "{\"w\": {\"dtype\": 7, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "w",
                "dtype");
    expect_fail("bad-dtype.safetensors",
                "{\"enc.w\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}",
                1, "enc.w", "unknown dtype 'F8_E4M3'");

    /* Shapes. */
    expect_fail("bad-noshape.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4, "w", "shape");
    expect_fail("bad-shape-obj.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": {}, \"data_offsets\": [0, 4]}}", 4,
                "w", "shape");
    expect_fail("bad-shape-neg.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [2, -1], \"data_offsets\": [0, 4]}}", 4,
                "w", "shape[1] is -1");
    expect_fail("bad-shape-frac.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4,
                "w", "shape[0] is 1.5");
    expect_fail("bad-shape-str.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [\"3\"], \"data_offsets\": [0, 12]}}",
                12, "w", "shape[0] is a string");
    expect_fail("bad-shape-huge.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1e30], \"data_offsets\": [0, 4]}}", 4,
                "w", "shape[0]");
    expect_fail("bad-shape-dims.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1,1,1,1,1,1,1,1,1], "
                "\"data_offsets\": [0, 4]}}", 4, "w", "9 dimensions");
    expect_fail("bad-shape-overflow.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], "
                "\"data_offsets\": [0, 0]}}", 0, "w", "more elements than fit");
    expect_fail("bad-bytes-overflow.safetensors",
                "{\"w\": {\"dtype\": \"I64\", \"shape\": [2305843009213693952, 2], "
                "\"data_offsets\": [0, 0]}}", 0, "w", "more bytes than fit");

    /* Offsets. */
    expect_fail("bad-offs-missing.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4, "w", "data_offsets");
    expect_fail("bad-offs-three.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", 8,
                "w", "two non-negative integers");
    expect_fail("bad-offs-one.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4]}}", 8,
                "w", "two non-negative integers");
    expect_fail("bad-offs-neg.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", 8,
                "w", "two non-negative integers");
    expect_fail("bad-offs-frac.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4.5]}}", 8,
                "w", "two non-negative integers");
    expect_fail("bad-offs-str.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": \"0,4\"}}", 8,
                "w", "two non-negative integers");
    expect_fail("bad-offs-order.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 4]}}", 8,
                "w", "data_offsets [8, 4] end before they begin");
    expect_fail("model.safetensors",
                "{\"bert.encoder.layer.0.attention.self.query.weight\": {\"dtype\": \"F32\", "
                "\"shape\": [768, 768], \"data_offsets\": [0, 999999999]}}", 4096,
                "bert.encoder.layer.0.attention.self.query.weight",
                "data_offsets [0, 999999999] run past the end of the file (data section is "
                "4096 bytes)");
    expect_fail("bad-offs-2e64.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], "
                "\"data_offsets\": [0, 18446744073709551616]}}", 8, "w",
                "two non-negative integers");
    expect_fail("bad-size.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 20]}}", 64,
                "w", "shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] hold 20");
    expect_fail("bad-size-f16.safetensors",
                "{\"h\": {\"dtype\": \"F16\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 64,
                "h", "needs 8 bytes");

    /* Layout across tensors. */
    expect_fail("bad-overlap.safetensors",
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
                " \"b\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [8, 24]}}", 32,
                "b", "overlap");
    expect_fail("bad-overlap2.safetensors",   /* c lies inside a, listed after b */
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [8], \"data_offsets\": [0, 32]},"
                " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [32, 40]},"
                " \"c\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 40,
                "c", "'a' [0, 32]");
    expect_fail("bad-dup.safetensors",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                " \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8,
                "w", "appears twice");

    /* Not files at all. */
    expect_fail_path(test_tmp_path("does-not-exist.safetensors"), "does-not-exist.safetensors",
                     NULL, "cannot open");
    expect_fail_path(test_tmpdir(), "bt-test-", NULL, "not a regular file");
    p = test_tmp_path("fifo.safetensors");
    if (mkfifo(p, 0600) == 0)   /* must not block waiting for a writer */
        expect_fail_path(p, "fifo.safetensors", NULL, "not a regular file");

    /* A hostile name must not reach the terminal raw. */
    StFile f;
    BtError err = {{0}};
    p = make_st("bad-ctrl.safetensors", "{\"\\u001b[31mX\": 1}", 0);
    CHECK(st_open(&f, p, &err) == -1);
    CHECKF(strchr(err.msg, 0x1b) == NULL, "escape byte in message: %s", err.msg);
}

/* Legal but unusual layouts must open. */
static void test_unusual_but_valid(void) {
    StFile f;
    BtError err = {{0}};
    const char *p = make_st("ok-empty.safetensors", "{}", 0);
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    CHECK(f.n_tensors == 0 && f.data_size == 0);
    st_close(&f);

    /* A gap, an empty tensor inside another's bytes, an empty tensor at the
     * very end, metadata, padding spaces. */
    p = make_st("ok-layout.safetensors",
                "{\"__metadata__\": {\"format\": \"pt\"},"
                " \"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
                " \"e\": {\"dtype\": \"F32\", \"shape\": [0, 5], \"data_offsets\": [8, 8]},"
                " \"z\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [24, 24]},"
                " \"b\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [20, 24]}}    ",
                24);
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    CHECK(f.n_tensors == 4);
    const StTensor *b = st_find(&f, "b");
    CHECK(b && b->ndim == 0 && st_numel(b) == 1 && b->begin == 20);
    const StTensor *e = st_find(&f, "e");
    CHECK(e && e->ndim == 2 && st_numel(e) == 0);
    float one = 7, none[1] = {42};
    if (b) CHECKF(st_read_f32(&f, b, &one, &err) == 0 && one == 0.0f, "%s", err.msg);
    if (e) CHECK(st_read_f32(&f, e, none, &err) == 0 && none[0] == 42);
    CHECK(st_find(&f, "__metadata__") == NULL);
    CHECK(st_find(&f, "missing") == NULL);
    st_close(&f);
    st_close(&f);   /* closing twice is harmless */
}

/* ---- hand-made files: BF16, F64, unaligned data, integer dtypes -------- */

static void put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }

static void test_handmade_dtypes(void) {
    /* The one-byte U8 first puts every later tensor at an odd offset, and
     * the header length (not a multiple of 8) misaligns the section too. */
    const char *json =
        "{\"pad\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]},"
        " \"b\": {\"dtype\": \"BF16\", \"shape\": [2, 2], \"data_offsets\": [1, 9]},"
        " \"f\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [9, 17]},"
        " \"d\": {\"dtype\": \"F64\", \"shape\": [3], \"data_offsets\": [17, 41]},"
        " \"h\": {\"dtype\": \"F16\", \"shape\": [3], \"data_offsets\": [41, 47]},"
        " \"ids\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [47, 63]}}";
    uint8_t data[63] = {0};
    data[0] = 0xAB;
    put_u16(data + 1, 0x3f80);      /* 1.0 */
    put_u16(data + 3, 0xc040);      /* -3.0 */
    put_u16(data + 5, 0x7f80);      /* inf */
    put_u16(data + 7, 0x0001);      /* 2^-133, an f32 subnormal */
    float fv[2] = {1.5f, -2.25f};
    memcpy(data + 9, fv, 8);
    double dv[3] = {3.5, 1e300, -0.1};
    memcpy(data + 17, dv, 24);
    put_u16(data + 41, 0x0001);     /* 2^-24 */
    put_u16(data + 43, 0x7e00);     /* NaN */
    put_u16(data + 45, 0xfc00);     /* -inf */
    int64_t ids[2] = {101, 102};
    memcpy(data + 47, ids, 16);
    char padded[1024];
    snprintf(padded, sizeof padded, "%s", json);
    while (strlen(padded) % 8 != 1) strcat(padded, " ");
    const char *p = make_file("hand.safetensors", strlen(padded), padded, data, sizeof data);

    StFile f;
    BtError err = {{0}};
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    if (f.n_tensors != 6) {
        CHECKF(0, "expected 6 tensors, got %d", f.n_tensors);
        st_close(&f);
        return;
    }
    /* The point of the exercise: F32 and F64 data off their alignment. */
    CHECK(((uintptr_t)(f.data + 9) & 3) != 0 && ((uintptr_t)(f.data + 17) & 7) != 0);
    float out[4];
    const StTensor *t = st_find(&f, "b");
    CHECK(t && t->dtype == ST_BF16 && t->ndim == 2 && t->shape[0] == 2 && t->shape[1] == 2);
    CHECKF(st_read_f32(&f, t, out, &err) == 0, "%s", err.msg);
    CHECK(out[0] == 1.0f && out[1] == -3.0f && isinf(out[2]) && out[2] > 0);
    CHECK(out[3] == ldexpf(1.0f, -133));
    t = st_find(&f, "f");
    CHECKF(st_read_f32(&f, t, out, &err) == 0, "%s", err.msg);
    CHECK(out[0] == 1.5f && out[1] == -2.25f);
    t = st_find(&f, "d");
    CHECKF(st_read_f32(&f, t, out, &err) == 0, "%s", err.msg);
    CHECK(out[0] == 3.5f && isinf(out[1]) && out[2] == (float)-0.1);
    t = st_find(&f, "h");
    CHECKF(st_read_f32(&f, t, out, &err) == 0, "%s", err.msg);
    CHECK(out[0] == ldexpf(1.0f, -24) && isnan(out[1]) && isinf(out[2]) && out[2] < 0);

    t = st_find(&f, "ids");
    CHECK(t && t->dtype == ST_I64 && st_dtype_size(t->dtype) == 8);
    CHECK(st_read_f32(&f, t, out, &err) == -1);
    CHECKF(strstr(err.msg, "'ids'") && strstr(err.msg, "integer dtype I64") &&
           strstr(err.msg, "hand.safetensors"), "%s", err.msg);
    t = st_find(&f, "pad");
    CHECK(st_read_f32(&f, t, out, &err) == -1 && strstr(err.msg, "U8"));

    /* A tensor description that does not come from this file. */
    StTensor fake = {.name = "fake", .dtype = ST_F32, .ndim = 1, .shape = {100},
                     .begin = 0, .end = 400};
    CHECK(st_read_f32(&f, &fake, out, &err) == -1 && strstr(err.msg, "'fake'"));
    st_close(&f);

    CHECK(strcmp(st_dtype_name(ST_BF16), "BF16") == 0 && st_dtype_size(ST_BF16) == 2);
    CHECK(strcmp(st_dtype_name(ST_BOOL), "BOOL") == 0 && st_dtype_size(ST_BOOL) == 1);
    CHECK(st_dtype_size((StDtype)99) == 0 && strcmp(st_dtype_name((StDtype)99), "?") == 0);
}

/* ---- writer round trips ------------------------------------------------- */

static float from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* ---- large tensors: converted in chunks, the mapping's pages handed back --- */

/* Resident kB of this process's mapping that starts at addr (from
 * /proc/self/smaps); -1 if that cannot be read. */
static long mapping_rss_kb(const void *addr) {
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return -1;
    char line[512];
    long kb = -1;
    int in = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            in = lo == (unsigned long)(uintptr_t)addr;
            continue;
        }
        if (in && sscanf(line, "Rss: %ld kB", &kb) == 1) break;
    }
    fclose(f);
    return kb;
}

/* What the reader did before it went in chunks, element by element, from
 * the bytes as written (not from the mapping). */
static float old_convert(StDtype d, const uint8_t *p) {
    uint16_t h;
    uint32_t u;
    double v;
    switch (d) {
    case ST_F16: memcpy(&h, p, 2); return bt_f16_to_f32(h);
    case ST_BF16: memcpy(&h, p, 2); return bt_bf16_to_f32(h);
    case ST_F64: memcpy(&v, p, 8); return (float)v;
    default: memcpy(&u, p, 4); return from_bits(u);
    }
}

/* Tensors of several megabytes in every float dtype, at odd offsets, read
 * in an order that is not the file's: the same bits as the element-by-
 * element conversion (chunk edges lose or repeat nothing), the same again
 * on a second read (the released pages come back from the file), and the
 * mapping holds almost nothing resident afterwards (before the reader
 * handed pages back, all of it stayed: a bert-base load peaked at twice
 * its weights). */
static void test_large_tensors(void) {
    static const struct { const char *name; StDtype d; size_t n; } T[] = {
        {"a32", ST_F32, 3000001}, {"h16", ST_F16, 2500003}, {"g16", ST_BF16, 700001}, {"d64", ST_F64, 300001},
    };
    enum { NT = sizeof T / sizeof T[0] };
    char json[1024];
    size_t off = 1, begin[NT];
    int o = snprintf(json, sizeof json, "{\"pad\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}");
    for (int i = 0; i < NT; i++) {
        begin[i] = off;
        size_t bytes = T[i].n * st_dtype_size(T[i].d);
        o += snprintf(json + o, sizeof json - (size_t)o,
                      ", \"%s\": {\"dtype\": \"%s\", \"shape\": [%zu], \"data_offsets\": [%zu, %zu]}", T[i].name,
                      st_dtype_name(T[i].d), T[i].n, off, off + bytes);
        off += bytes;
    }
    snprintf(json + o, sizeof json - (size_t)o, "}");
    uint8_t *data = malloc(off);
    uint64_t r = 88172645463325252ULL;
    for (size_t i = 0; i < off; i++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        data[i] = (uint8_t)(r >> 24);
    }
    /* keep the F64 values in float range mostly, with some overflowing */
    for (size_t i = 0; i < T[3].n; i++) data[begin[3] + 8 * i + 7] &= (i % 97) ? 0x3f : 0x7f;
    const char *p = make_file("large.safetensors", strlen(json), json, data, off);

    StFile f;
    BtError err = {{0}};
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    if (f.n_tensors != NT + 1) {
        CHECKF(0, "expected %d tensors, got %d", NT + 1, f.n_tensors);
        st_close(&f);
        free(data);
        return;
    }
    static const int order[] = {1, 3, 0, 2, 1};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int i = order[k];
        const StTensor *t = st_find(&f, T[i].name);
        size_t es = st_dtype_size(T[i].d);
        float *got = malloc(sizeof(float) * T[i].n), *want = malloc(sizeof(float) * T[i].n);
        for (size_t j = 0; j < T[i].n; j++) want[j] = old_convert(T[i].d, data + begin[i] + j * es);
        CHECKF(t && st_read_f32(&f, t, got, &err) == 0, "%s", err.msg);
        size_t bad = 0;
        while (bad < T[i].n && !memcmp(&got[bad], &want[bad], 4)) bad++;
        CHECKF(bad == T[i].n, "%s (read %zu): element %zu of %zu differs", T[i].name, k, bad, T[i].n);
        free(got);
        free(want);
    }
    long kb = mapping_rss_kb(f.map);
    if (kb < 0) {
        printf("test_safetensors: /proc/self/smaps has no entry for the mapping; residency not checked\n");
    } else {
        /* a few pages at most: fault-around of the last chunk, the header */
        int ok = kb * 1024 < 1024 * 1024 && kb * 1024 < (long)f.map_size / 16;
        CHECKF(ok, "%ld kB of the %zu-byte mapping still resident after reading", kb, f.map_size);
        if (ok) printf("ok   large tensors: %zu bytes read, %ld kB of the mapping resident after\n", f.map_size, kb);
    }
    st_close(&f);
    free(data);
}

static uint32_t rng_state = 12345;
static float rnd(void) {
    rng_state = rng_state * 1664525u + 1013904223u;
    return ((float)(rng_state >> 8) / 16777216.0f - 0.5f) * 8.0f;
}

/* Runs the independent reader; returns 1 OK, 0 failed. */
static int python_check(const char *st_path, const char *ref_prefix, int n, const char *mode) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/check_st.py %s %s %d %s", test_tmpdir(),
             st_path, ref_prefix, n, mode);
    int rc = system(cmd);
    return rc == 0;
}

/* An independent reader: numpy + json only, following the format spec and
 * the reference library's validation (contiguous offsets, padding). The
 * expected arrays come as raw f32 files ref_prefix.<i>.bin. */
static const char *PY_CHECKER =
    "import json, struct, sys\n"
    "import numpy as np\n"
    "path, ref, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]\n"
    "b = open(path, 'rb').read()\n"
    "N = struct.unpack('<Q', b[:8])[0]\n"
    "assert N % 8 == 0, 'header not padded to 8'\n"
    "raw = b[8:8 + N]\n"
    "assert raw[:1] == b'{', 'header must start with {'\n"
    "txt = raw.decode('utf-8')\n"
    "assert txt.rstrip(' ') == txt.strip(), 'padding must be trailing spaces'\n"
    "h = json.loads(txt)\n"
    "meta = h.pop('__metadata__')\n"
    "assert meta.get('format') == 'pt', meta\n"
    "if mode.startswith('meta'): assert meta.get('note') == 'say \"hi\"\\n\\u00e9', meta\n"
    "data = b[8 + N:]\n"
    "names = list(h)\n"
    "assert len(names) == n, names\n"
    "pos = 0\n"
    "for k, name in sorted(enumerate(names), key=lambda x: h[x[1]]['data_offsets']):\n"
    "    t = h[name]\n"
    "    s, e = t['data_offsets']\n"
    "    assert s == pos, ('gap or overlap', name, s, pos)\n"
    "    pos = e\n"
    "    dt = {'F32': '<f4', 'F16': '<f2'}[t['dtype']]\n"
    "    a = np.frombuffer(data[s:e], dtype=dt).reshape(t['shape'])\n"
    "    exp = np.fromfile('%s.%d.bin' % (ref, k), dtype='<f4')\n"
    "    assert a.size == exp.size, (name, a.shape, exp.size)\n"
    "    if dt == '<f4':\n"
    "        assert a.tobytes() == exp.tobytes(), name\n"
    "    else:\n"
    "        with np.errstate(all='ignore'):\n"
    "            want = exp.astype(np.float16)\n"
    "        got = a.ravel()\n"
    "        nan = np.isnan(want)\n"
    "        assert np.array_equal(np.isnan(got), nan), name\n"
    "        bad = np.nonzero(got[~nan].view(np.uint16) != want[~nan].view(np.uint16))[0]\n"
    "        assert bad.size == 0, (name, exp[~nan][bad[:5]], got[~nan][bad[:5]], want[~nan][bad[:5]])\n"
    "assert pos == len(data), ('data section not covered', pos, len(data))\n"
    "if mode.endswith('halves'):\n"
    "    # f16 -> f32 by numpy for every bit pattern, for the C side to compare.\n"
    "    a = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16)\n"
    "    a.astype(np.float32).tofile(ref + '.halves.bin')\n";

static void write_checker(void) {
    FILE *f = fopen(test_tmp_path("check_st.py"), "w");
    fputs(PY_CHECKER, f);
    fclose(f);
}

static void save_refs(const char *prefix, const StWriteTensor *ts, int n) {
    for (int i = 0; i < n; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s.%d.bin", prefix, i);
        long numel = 1;
        for (int d = 0; d < ts[i].ndim; d++) numel *= (long)ts[i].shape[d];
        write_raw(p, ts[i].data ? ts[i].data : (const float *)"", (size_t)numel * 4);
    }
}

static void test_roundtrip_f32(int numpy) {
    static float w[5 * 3], s[1] = {3.25f}, v[7], q[2 * 1 * 3 * 2];
    for (int i = 0; i < 15; i++) w[i] = rnd();
    for (int i = 0; i < 7; i++) v[i] = rnd();
    for (int i = 0; i < 12; i++) q[i] = rnd();
    v[0] = from_bits(0x7fc00001);   /* NaN with payload: F32 is copied bit for bit */
    v[1] = -INFINITY;
    v[2] = from_bits(0x00000001);   /* smallest f32 subnormal */
    v[3] = -0.0f;
    StWriteTensor ts[] = {
        {"bert.embeddings.word_embeddings.weight", w, 2, {5, 3}},
        {"scalar", s, 0, {0}},
        {"empty", NULL, 2, {0, 4}},
        {"vec", v, 1, {7}},
        {"q4", q, 4, {2, 1, 3, 2}},
    };
    int n = 5;
    const char *meta[] = {"note", "say \"hi\"\n\xc3\xa9"};
    const char *p = test_tmp_path("rt32.safetensors");
    BtError err = {{0}};
    CHECKF(st_write(p, ts, n, ST_F32, meta, 1, &err) == 0, "%s", err.msg);

    size_t len;
    uint8_t *bytes = slurp(p, &len);
    uint64_t N = 0;
    if (bytes && len >= 8) memcpy(&N, bytes, 8);
    CHECKF(N % 8 == 0 && N + 8 <= len, "header length %llu", (unsigned long long)N);
    CHECK(bytes && bytes[8] == '{');
    if (bytes && N + 8 <= len && N > 0) {
        /* The JSON ends in '}' and only spaces follow it. */
        size_t k = 8 + N - 1;
        while (k > 8 && bytes[k] == ' ') k--;
        CHECK(bytes[k] == '}' && 8 + N - 1 - k < 8);
    }
    free(bytes);

    StFile f;
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    CHECK(f.n_tensors == n);
    size_t expect_begin = 0;
    for (int i = 0; i < n && f.n_tensors == n; i++) {
        const StTensor *t = st_find(&f, ts[i].name);
        CHECKF(t != NULL, "tensor %s missing", ts[i].name);
        if (!t) continue;
        CHECK(t == &f.tensors[i]);   /* header order is the order given */
        CHECK(t->dtype == ST_F32 && t->ndim == ts[i].ndim);
        CHECKF(t->begin == expect_begin, "%s begins at %zu", ts[i].name, t->begin);
        int64_t numel = 1;
        for (int d = 0; d < t->ndim; d++) {
            CHECK(t->shape[d] == ts[i].shape[d]);
            numel *= ts[i].shape[d];
        }
        CHECK(st_numel(t) == numel);
        expect_begin += (size_t)numel * 4;
        float *out = malloc((size_t)numel * 4 + 4);
        CHECKF(st_read_f32(&f, t, out, &err) == 0, "%s", err.msg);
        if (numel) CHECKF(memcmp(out, ts[i].data, (size_t)numel * 4) == 0, "%s differs", t->name);
        free(out);
    }
    CHECK(f.data_size == expect_begin);
    st_close(&f);

    if (numpy) {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%s/rt32", test_tmpdir());
        save_refs(prefix, ts, n);
        CHECKF(python_check(p, prefix, n, "meta-f32"), "independent reader rejected %s", p);
    }

    /* Writing again replaces the file whole. */
    float z[2] = {9, 8};
    StWriteTensor one = {"only", z, 1, {2}};
    CHECKF(st_write(p, &one, 1, ST_F32, NULL, 0, &err) == 0, "%s", err.msg);
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    CHECK(f.n_tensors == 1 && st_find(&f, "only") && !st_find(&f, "vec"));
    st_close(&f);
    struct stat sb;
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0644);
}

struct HalfCase { float in; uint16_t bits; };

static void test_roundtrip_f16(int numpy) {
    /* Expected half bits worked out from the IEEE format by hand. */
    const struct HalfCase cases[] = {
        {1.0f, 0x3c00}, {-2.0f, 0xc000}, {0.5f, 0x3800}, {-0.0f, 0x8000}, {0.0f, 0x0000},
        {65504.0f, 0x7bff},                  /* largest half */
        {65519.0f, 0x7bff},                  /* just below the tie: rounds down */
        {65520.0f, 0x7c00},                  /* tie between 65504 and 2^16: to even = inf */
        {1e6f, 0x7c00}, {-1e6f, 0xfc00},
        {0x1p-14f, 0x0400},                  /* smallest normal */
        {0x1p-24f, 0x0001},                  /* smallest subnormal */
        {0x1p-25f, 0x0000},                  /* tie between 0 and 2^-24: to even = 0 */
        {0x1.8p-25f, 0x0001},                /* above the tie */
        {0x3p-25f, 0x0002},                  /* tie between 1 and 2 units: to 2 */
        {0x1.ff8p-15f, 0x03ff},              /* largest subnormal */
        {0x1.ffcp-15f, 0x0400},              /* rounds up into the normals */
        {-0x1p-20f, 0x8010},
        {0.1f, 0x2e66},
        {1.0f + 0x1p-11f, 0x3c00},           /* tie: to even (down) */
        {1.0f + 0x3p-11f, 0x3c02},           /* tie: to even (up) */
        {1.0f + 0x1.01p-11f, 0x3c01},        /* just above the tie */
        {INFINITY, 0x7c00}, {-INFINITY, 0xfc00},
        {1e-30f, 0x0000}, {-1e-30f, 0x8000},
    };
    enum { NC = sizeof cases / sizeof cases[0], NR = 4096 };
    float in[NC + 1 + NR];
    for (int i = 0; i < NC; i++) in[i] = cases[i].in;
    in[NC] = NAN;
    /* Random values across the whole half range, for numpy to judge. */
    for (int i = 0; i < NR; i++) in[NC + 1 + i] = ldexpf(rnd(), (int)(rng_state % 48) - 30);
    StWriteTensor ts[] = {
        {"cases", in, 1, {NC + 1}},
        {"random", in + NC + 1, 2, {64, 64}},
    };
    const char *p = test_tmp_path("rt16.safetensors");
    BtError err = {{0}};
    CHECKF(st_write(p, ts, 2, ST_F16, NULL, 0, &err) == 0, "%s", err.msg);

    StFile f;
    CHECKF(st_open(&f, p, &err) == 0, "%s", err.msg);
    const StTensor *t = f.n_tensors == 2 ? st_find(&f, "cases") : NULL;
    CHECK(t && t->dtype == ST_F16 && t->end - t->begin == 2 * (NC + 1));
    if (t) {
        for (int i = 0; i < NC; i++) {
            uint16_t h;
            memcpy(&h, f.data + t->begin + 2 * i, 2);
            CHECKF(h == cases[i].bits, "f32 %a -> f16 %04x, want %04x", cases[i].in, h,
                   cases[i].bits);
        }
        uint16_t h;
        memcpy(&h, f.data + t->begin + 2 * NC, 2);
        CHECKF((h & 0x7c00) == 0x7c00 && (h & 0x3ff), "NaN -> %04x", h);
        float out[NC + 1];
        CHECKF(st_read_f32(&f, t, out, &err) == 0, "%s", err.msg);
        for (int i = 0; i < NC; i++) {
            /* Back to f32: each half is exactly representable. */
            uint16_t b = cases[i].bits;
            int e = (b >> 10) & 31, m = b & 0x3ff;
            float want = e == 31 ? INFINITY : e == 0 ? ldexpf((float)m, -24)
                                                     : ldexpf((float)(m + 1024), e - 25);
            if (b & 0x8000) want = -want;
            CHECKF(out[i] == want && signbit(out[i]) == signbit(want),
                   "half %04x read as %a, want %a", b, out[i], want);
        }
        CHECK(isnan(out[NC]));
    }
    st_close(&f);

    if (numpy) {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%s/rt16", test_tmpdir());
        save_refs(prefix, ts, 2);
        CHECKF(python_check(p, prefix, 2, "f16-halves"), "numpy disagrees with %s", p);

        /* Every one of the 65536 halves, read by us and converted by numpy. */
        static uint8_t halves[65536 * 2];
        for (unsigned i = 0; i < 65536; i++) put_u16(halves + 2 * i, (uint16_t)i);
        const char *json = "{\"all\": {\"dtype\": \"F16\", \"shape\": [256, 256], "
                           "\"data_offsets\": [0, 131072]}}";
        const char *hp = make_file("halves.safetensors", strlen(json), json, halves,
                                   sizeof halves);
        char ref[700];
        snprintf(ref, sizeof ref, "%s.halves.bin", prefix);
        size_t rn = 0;
        uint8_t *refb = slurp(ref, &rn);
        CHECKF(refb && rn == 65536 * 4, "numpy's halves missing (%zu bytes)", rn);
        float *got = malloc(65536 * 4);
        CHECKF(st_open(&f, hp, &err) == 0, "%s", err.msg);
        if (refb && rn == 65536 * 4 && f.n_tensors == 1) {
            CHECKF(st_read_f32(&f, &f.tensors[0], got, &err) == 0, "%s", err.msg);
            int bad = 0;
            for (unsigned i = 0; i < 65536; i++) {
                float want;
                memcpy(&want, refb + 4 * i, 4);
                int same = isnan(want) ? isnan(got[i])
                                       : memcmp(&want, &got[i], 4) == 0;
                if (!same && bad++ < 5)
                    fprintf(stderr, "half %04x: got %a, numpy %a\n", i, got[i], want);
            }
            CHECKF(bad == 0, "%d of 65536 halves differ from numpy", bad);
        }
        st_close(&f);
        free(got);
        free(refb);
    }
    /* And the conversion pair is an identity on every non-NaN half. */
    int bad = 0;
    for (unsigned i = 0; i < 65536; i++) {
        float v = bt_f16_to_f32((uint16_t)i);
        if (!isnan(v) && bt_f32_to_f16(v) != i) bad++;
    }
    CHECKF(bad == 0, "%d halves do not survive f16 -> f32 -> f16", bad);
}

static void test_writer_refuses(void) {
    float x[4] = {1, 2, 3, 4};
    BtError err = {{0}};
    const char *p = test_tmp_path("refused.safetensors");
    StWriteTensor ok = {"x", x, 1, {4}};

    CHECK(st_write(p, &ok, 1, ST_BF16, NULL, 0, &err) == -1 && strstr(err.msg, "F32 or F16"));
    CHECK(st_write(p, &ok, 1, ST_I32, NULL, 0, &err) == -1 && strstr(err.msg, "I32"));
    StWriteTensor dup[2] = {{"x", x, 1, {4}}, {"x", x, 1, {2}}};
    CHECK(st_write(p, dup, 2, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "'x' is given twice"));
    StWriteTensor md = {"__metadata__", x, 1, {4}};
    CHECK(st_write(p, &md, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "reserved"));
    StWriteTensor neg = {"n", x, 2, {2, -2}};
    CHECK(st_write(p, &neg, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "'n'"));
    StWriteTensor dims = {"d", x, 9, {1}};
    CHECK(st_write(p, &dims, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "'d'"));
    StWriteTensor nul = {"nul", NULL, 1, {4}};
    CHECK(st_write(p, &nul, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "NULL"));
    StWriteTensor noname = {"", x, 1, {4}};
    CHECK(st_write(p, &noname, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "no name"));
    StWriteTensor badutf = {"a\xff", x, 1, {4}};
    CHECK(st_write(p, &badutf, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "UTF-8"));
    StWriteTensor huge = {"h", x, 3, {1000000, 1000000, 1000000}};
    CHECK(st_write(p, &huge, 1, ST_F32, NULL, 0, &err) == -1 && strstr(err.msg, "'h'"));
    const char *meta[] = {"k", "1", "k", "2"};
    CHECK(st_write(p, &ok, 1, ST_F32, meta, 2, &err) == -1 && strstr(err.msg, "'k'"));
    const char *nullmeta[] = {"k", NULL};
    CHECK(st_write(p, &ok, 1, ST_F32, nullmeta, 1, &err) == -1 && strstr(err.msg, "NULL"));
    CHECK(access(p, F_OK) != 0);   /* nothing written by any of those */

    const char *nodir = test_tmp_path("no/such/dir/x.safetensors");
    CHECK(st_write(nodir, &ok, 1, ST_F32, NULL, 0, &err) == -1 &&
          strstr(err.msg, "x.safetensors"));

    /* A given "format" replaces the default one. */
    const char *fmt[] = {"format", "np"};
    CHECKF(st_write(p, &ok, 1, ST_F32, fmt, 1, &err) == 0, "%s", err.msg);
    size_t len;
    uint8_t *b = slurp(p, &len);
    CHECK(b && len > 8);
    if (b) {
        b[len - 1] = 0;
        CHECK(strstr((char *)b + 8, "\"format\":\"np\"") && !strstr((char *)b + 8, "\"pt\""));
    }
    free(b);
    CHECK(test_temp_files() == 0);
}

int main(void) {
    int numpy = have_numpy();
    if (numpy) write_checker();
    else printf("test_safetensors: no /usr/bin/python3 with numpy; independent checks skipped\n");
    test_broken_files();
    test_unusual_but_valid();
    test_handmade_dtypes();
    test_roundtrip_f32(numpy);
    test_roundtrip_f16(numpy);
    test_large_tensors();
    test_writer_refuses();
    return test_done("safetensors");
}
