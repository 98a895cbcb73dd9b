/* .npz writer: archives are opened by numpy and Python's zipfile (both
 * independent of our code), which check names, dtypes, shapes, values and
 * every CRC; plus the writer's refusals and its temp-file discipline. */
#include "bertology/npz.h"
#include "testutil.h"
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint8_t *slurp(const char *path, size_t *n) {
    *n = 0;
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

static int have_numpy(void) {
    return access("/usr/bin/python3", X_OK) == 0 &&
           system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
}

/* Everything the archive should hold, for the Python side to compare. */
typedef struct {
    const char *name;
    int is_int;
    const void *data;
    int ndim;
    int64_t shape[40];
} Array;

static long numel_of(const Array *a) {
    long n = 1;
    for (int i = 0; i < a->ndim; i++) n *= (long)a->shape[i];
    return n;
}

static int add(NpzWriter *w, const Array *a, BtError *err) {
    return a->is_int ? npz_add_i32(w, a->name, a->data, a->ndim, a->shape, err)
                     : npz_add_f32(w, a->name, a->data, a->ndim, a->shape, err);
}

/* One line per array: name, dtype, shape, file with the expected bytes. */
static void write_spec(const char *spec, const Array *as, int n) {
    FILE *f = fopen(spec, "w");
    for (int i = 0; i < n; i++) {
        char ref[600];
        snprintf(ref, sizeof ref, "%s/ref%d.bin", test_tmpdir(), i);
        FILE *r = fopen(ref, "wb");
        long bytes = numel_of(&as[i]) * 4;
        if (bytes) fwrite(as[i].data, 1, (size_t)bytes, r);
        fclose(r);
        fprintf(f, "%s\t%s\t", as[i].name, as[i].is_int ? "<i4" : "<f4");
        for (int d = 0; d < as[i].ndim; d++) fprintf(f, "%s%lld", d ? "," : "", (long long)as[i].shape[d]);
        fprintf(f, "\t%s\n", ref);
    }
    fclose(f);
}

static const char *PY_CHECKER =
    "import sys, zipfile\n"
    "import numpy as np\n"
    "path, spec = sys.argv[1], sys.argv[2]\n"
    "want = {}\n"
    "for line in open(spec, encoding='utf-8').read().splitlines():\n"
    "    name, dt, shape, ref = line.split('\\t')\n"
    "    want[name] = (dt, tuple(int(s) for s in shape.split(',') if s), open(ref, 'rb').read())\n"
    "zf = zipfile.ZipFile(path)\n"
    "assert zf.testzip() is None, 'bad CRC'\n"
    "for info in zf.infolist():\n"
    "    assert info.compress_type == zipfile.ZIP_STORED, info\n"
    "    raw = zf.read(info)\n"
    "    assert raw[:8] == b'\\x93NUMPY\\x01\\x00', raw[:8]\n"
    "    hlen = int.from_bytes(raw[8:10], 'little')\n"
    "    assert (10 + hlen) % 64 == 0, ('npy header not 64-aligned', info.filename, hlen)\n"
    "    assert raw[9 + hlen:10 + hlen] == b'\\n'\n"
    "z = np.load(path)\n"
    "assert sorted(z.files) == sorted(want), (z.files, list(want))\n"
    "for name, (dt, shape, ref) in want.items():\n"
    "    a = z[name]\n"
    "    assert a.dtype.str == dt, (name, a.dtype.str, dt)\n"
    "    assert a.shape == shape, (name, a.shape, shape)\n"
    "    assert a.flags.c_contiguous, name\n"
    "    assert a.tobytes() == ref, (name, a.ravel()[:8])\n"
    "print('numpy: %d arrays match' % len(want))\n";

static int python_check(const char *npz, const char *spec) {
    char script[600], cmd[2048];
    snprintf(script, sizeof script, "%s/check_npz.py", test_tmpdir());
    FILE *f = fopen(script, "w");
    fputs(PY_CHECKER, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s %s", script, npz, spec);
    return system(cmd) == 0;
}

static uint32_t rng_state = 777;
static float rnd(void) {
    rng_state = rng_state * 1664525u + 1013904223u;
    return (float)(int32_t)rng_state / 65536.0f;
}

int main(void) {
    int numpy = have_numpy();
    BtError err = {{0}};

    static int32_t ids[13] = {101, 1052, 22123, 2953, 2818, 2003, 1037, 2307, 7705, 2005,
                              INT32_MAX, INT32_MIN, -1};
    static float emb[3 * 4], q[2 * 3 * 5], big[100 * 257], scalar = 2.5f, one = -7.0f,
                 two[2] = {1, 2};
    for (int i = 0; i < 12; i++) emb[i] = rnd();
    for (int i = 0; i < 30; i++) q[i] = rnd();
    for (int i = 0; i < 100 * 257; i++) big[i] = rnd();
    float specials[6] = {NAN, INFINITY, -INFINITY, -0.0f, 1e-45f, 3.4028235e38f};
    Array as[] = {
        {"input_ids", 1, ids, 1, {13}},
        {"embeddings", 0, emb, 2, {3, 4}},
        {"layer0.q", 0, q, 3, {2, 3, 5}},
        {"layer11.big", 0, big, 2, {100, 257}},
        {"scalar", 0, &scalar, 0, {0}},
        {"empty", 0, NULL, 2, {0, 3}},
        {"one", 0, &one, 1, {1}},
        {"specials", 0, specials, 2, {2, 3}},
        {"sp\xc3\xa9" "cial", 0, two, 1, {2}},
        {"dims32", 0, &one, 32, {1}},
        {"ids2d", 1, ids, 2, {1, 13}},
    };
    for (int d = 0; d < 32; d++) as[9].shape[d] = 1;
    int n = (int)(sizeof as / sizeof as[0]);

    const char *path = test_tmp_path("trace.npz");
    NpzWriter *w = NULL;
    CHECKF(npz_open(&w, path, &err) == 0, "%s", err.msg);
    if (!w) return test_done("npz");
    for (int i = 0; i < n; i++) CHECKF(add(w, &as[i], &err) == 0, "%s: %s", as[i].name, err.msg);

    /* Refusals leave the archive usable. */
    float x[2] = {0, 0};
    int64_t sh[33] = {2};
    CHECK(npz_add_f32(w, "", x, 1, sh, &err) == -1 && strstr(err.msg, "no name"));
    CHECK(npz_add_f32(w, NULL, x, 1, sh, &err) == -1);
    CHECK(npz_add_f32(w, "embeddings", x, 1, sh, &err) == -1 &&
          strstr(err.msg, "'embeddings' is added twice") && strstr(err.msg, "trace.npz"));
    CHECK(npz_add_i32(w, "input_ids", ids, 1, sh, &err) == -1 && strstr(err.msg, "twice"));
    int64_t neg[2] = {2, -1};
    CHECK(npz_add_f32(w, "neg", x, 2, neg, &err) == -1 && strstr(err.msg, "'neg'") &&
          strstr(err.msg, "negative"));
    CHECK(npz_add_f32(w, "deep", x, 33, sh, &err) == -1 && strstr(err.msg, "'deep'"));
    CHECK(npz_add_f32(w, "noshape", x, 1, NULL, &err) == -1);
    CHECK(npz_add_f32(w, "nodata", NULL, 1, sh, &err) == -1 && strstr(err.msg, "NULL"));
    int64_t huge[2] = {INT64_MAX, 4};
    CHECK(npz_add_f32(w, "huge", x, 2, huge, &err) == -1 && strstr(err.msg, "'huge'"));
    int64_t big4g[1] = {(int64_t)1 << 30};   /* 4 GiB of floats: needs ZIP64 */
    CHECK(npz_add_f32(w, "big4g", x, 1, big4g, &err) == -1 && strstr(err.msg, "ZIP64"));

    CHECK(access(path, F_OK) != 0);   /* only the temp file exists until close */
    CHECK(test_temp_files() == 1);
    CHECKF(npz_close(w, &err) == 0, "%s", err.msg);
    CHECK(access(path, F_OK) == 0);
    CHECK(test_temp_files() == 0);

    size_t len;
    uint8_t *bytes = slurp(path, &len);
    CHECK(bytes && len > 22 && memcmp(bytes, "PK\x03\x04", 4) == 0);
    if (bytes && len > 22) {
        const uint8_t *e = bytes + len - 22;
        CHECK(memcmp(e, "PK\x05\x06", 4) == 0);
        CHECK(e[8] + 256 * e[9] == n && e[10] + 256 * e[11] == n);
    }

    /* Same arrays, same bytes: nothing time- or address-dependent inside. */
    const char *path2 = test_tmp_path("trace2.npz");
    NpzWriter *w2 = NULL;
    CHECKF(npz_open(&w2, path2, &err) == 0, "%s", err.msg);
    for (int i = 0; w2 && i < n; i++) CHECK(add(w2, &as[i], &err) == 0);
    if (w2) CHECKF(npz_close(w2, &err) == 0, "%s", err.msg);
    size_t len2;
    uint8_t *bytes2 = slurp(path2, &len2);
    CHECK(bytes && bytes2 && len == len2 && memcmp(bytes, bytes2, len) == 0);
    free(bytes2);

    /* Abort: nothing appears, the temp file goes. */
    const char *ap = test_tmp_path("aborted.npz");
    NpzWriter *wa = NULL;
    CHECKF(npz_open(&wa, ap, &err) == 0, "%s", err.msg);
    if (wa) CHECK(npz_add_f32(wa, "a", x, 1, sh, &err) == 0);
    npz_abort(wa);
    npz_abort(NULL);
    CHECK(access(ap, F_OK) != 0 && test_temp_files() == 0);

    /* Closing replaces an existing file whole; an empty archive is valid. */
    NpzWriter *we = NULL;
    CHECKF(npz_open(&we, path2, &err) == 0, "%s", err.msg);
    if (we) CHECKF(npz_close(we, &err) == 0, "%s", err.msg);
    bytes2 = slurp(path2, &len2);
    CHECK(len2 == 22 && bytes2 && memcmp(bytes2, "PK\x05\x06", 4) == 0);
    free(bytes2);

    NpzWriter *wn = NULL;
    CHECK(npz_open(&wn, test_tmp_path("no/such/dir/x.npz"), &err) == -1 && wn == NULL &&
          strstr(err.msg, "x.npz"));
    CHECK(npz_close(NULL, &err) == -1);

    if (!numpy) {
        printf("test_npz: no /usr/bin/python3 with numpy; numpy checks skipped\n");
        free(bytes);
        if (test_failures) return test_done("npz");
        return TEST_SKIP;
    }
    char spec[600];
    snprintf(spec, sizeof spec, "%s/spec.tsv", test_tmpdir());
    write_spec(spec, as, n);
    CHECKF(python_check(path, spec), "numpy/zipfile rejected %s", path);

    /* The checker must be able to fail: a flipped data byte breaks the CRC. */
    if (bytes && len > 200) {
        const char *bad = test_tmp_path("corrupt.npz");
        bytes[150] ^= 0x40;
        FILE *f = fopen(bad, "wb");
        fwrite(bytes, 1, len, f);
        fclose(f);
        printf("test_npz: a corrupt archive follows; the checker must reject it:\n");
        fflush(stdout);
        CHECK(!python_check(bad, spec));
    }
    free(bytes);
    return test_done("npz");
}
