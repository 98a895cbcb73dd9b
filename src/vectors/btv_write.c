/* Builds a .btv file: rows are streamed to a temporary file as the reader
 * produces them; words, norms and a duplicate-catching hash stay in memory
 * (a few bytes per word) until finish() appends the tables and renames. */
#include "btv.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/tokenizer.h"

struct BtvWriter {
    FILE *fp;
    char *path, *tmp;
    long top;               /* 0: no limit */
    int dim;
    long rows;
    char *blob;             /* words, NUL-terminated, back to back */
    size_t blob_n, blob_cap;
    uint32_t *woff;         /* rows + 1 */
    float *norms;
    size_t cap;             /* of woff and norms */
    uint32_t *slots;        /* hash of words: row + 1, 0 empty */
    size_t mask;
    long duplicates, bad_words;
};

static uint64_t hash_word(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 0x100000001b3ULL; }
    return h;
}

int btv_writer_open(BtvWriter **out, const char *path, long top, BtError *err) {
    *out = NULL;
    BtvWriter *w = calloc(1, sizeof *w);
    size_t len = strlen(path);
    if (!w || !(w->path = strdup(path)) || !(w->tmp = malloc(len + sizeof ".tmp.XXXXXX"))) {
        if (w) free(w->path);
        free(w);
        return bt_fail(err, "out of memory");
    }
    memcpy(w->tmp, path, len);
    memcpy(w->tmp + len, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkostemp(w->tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(w->path); free(w->tmp); free(w);
        return bt_fail(err, "%s: cannot create a file next to it: %s", path, strerror(e));
    }
    /* mkstemp's 0600 would make the shared vectors private to one user. */
    if (fchmod(fd, 0644) != 0 || !(w->fp = fdopen(fd, "w+b"))) {
        int e = errno;
        close(fd);
        unlink(w->tmp);
        free(w->path); free(w->tmp); free(w);
        return bt_fail(err, "%s: cannot set up the temporary file: %s", path, strerror(e));
    }
    setvbuf(w->fp, NULL, _IOFBF, 1 << 20);
    static const char zero[BTV_HEADER_SIZE];
    w->top = top > 0 ? top : 0;
    w->mask = (1u << 16) - 1;
    w->slots = calloc(w->mask + 1, sizeof *w->slots);
    if (!w->slots || fwrite(zero, 1, sizeof zero, w->fp) != sizeof zero) {
        btv_writer_abort(w);
        return bt_fail(err, "%s: cannot start writing: %s", path, strerror(errno));
    }
    *out = w;
    return 0;
}

int btv_writer_dim(BtvWriter *w, int dim, BtError *err) {
    if (dim < 1 || dim > BTV_MAX_DIM) return bt_fail(err, "dimension %d is out of range (1–%d)", dim, BTV_MAX_DIM);
    if (w->dim && w->dim != dim) return bt_fail(err, "dimension %d after vectors of dimension %d", dim, w->dim);
    w->dim = dim;
    return 0;
}

long btv_writer_rows(const BtvWriter *w) { return w->rows; }
int btv_writer_get_dim(const BtvWriter *w) { return w->dim; }

static int grow_hash(BtvWriter *w) {
    size_t cap = (w->mask + 1) * 2;
    uint32_t *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (long r = 0; r < w->rows; r++) {
        const char *word = w->blob + w->woff[r];
        size_t n = w->woff[r + 1] - w->woff[r] - 1;
        size_t i = (size_t)hash_word(word, n) & (cap - 1);
        while (s[i]) i = (i + 1) & (cap - 1);
        s[i] = (uint32_t)r + 1;
    }
    free(w->slots);
    w->slots = s;
    w->mask = cap - 1;
    return 0;
}

/* The slot where word is, or the empty slot where it would go. */
static size_t find_slot(const BtvWriter *w, const char *word, size_t n) {
    size_t i = (size_t)hash_word(word, n) & w->mask;
    for (;; i = (i + 1) & w->mask) {
        uint32_t s = w->slots[i];
        if (!s) return i;
        long r = (long)s - 1;
        if (w->woff[r + 1] - w->woff[r] - 1 == n && memcmp(w->blob + w->woff[r], word, n) == 0) return i;
    }
}

int btv_writer_add(BtvWriter *w, const char *word, size_t len, const float *v, BtError *err) {
    if (w->top && w->rows >= w->top) return 1;
    if (!w->dim) return bt_fail(err, "internal: a vector before its dimension");
    if (len == 0 || memchr(word, 0, len) || utf8_invalid_at(word, len) >= 0) {
        w->bad_words++;
        return 0;
    }
    if (w->rows >= BTV_MAX_COUNT) return bt_fail(err, "more than %ld words", BTV_MAX_COUNT);
    size_t slot = find_slot(w, word, len);
    if (w->slots[slot]) {
        w->duplicates++;
        return 0;
    }
    if (w->blob_n + len + 1 > UINT32_MAX) return bt_fail(err, "the words take more than 4 GiB");
    if ((size_t)w->rows + 2 > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4096;
        uint32_t *wo = realloc(w->woff, cap * sizeof *wo);
        if (wo) w->woff = wo;
        float *nr = wo ? realloc(w->norms, cap * sizeof *nr) : NULL;
        if (!wo || !nr) return bt_fail(err, "out of memory after %ld words", w->rows);
        w->norms = nr;
        w->cap = cap;
    }
    if (w->blob_n + len + 1 > w->blob_cap) {
        size_t cap = w->blob_cap ? w->blob_cap * 2 : 1 << 16;
        while (cap < w->blob_n + len + 1) cap *= 2;
        char *b = realloc(w->blob, cap);
        if (!b) return bt_fail(err, "out of memory after %ld words", w->rows);
        w->blob = b;
        w->blob_cap = cap;
    }
    /* Finite values can still have a length past float32's range; such a
     * row would be written with an infinite norm, which vecset_open
     * refuses (found by fuzz_vectors), so the conversion stops here. */
    double ss = 0;
    for (int i = 0; i < w->dim; i++) ss += (double)v[i] * v[i];
    if (!isfinite((float)sqrt(ss)))
        return bt_fail(err, "the vector of '%.*s' (word %ld) is too long for float32 (length %.3g); "
                            "its values are not usable as a word vector",
                       (int)(len < 60 ? len : 60), word, w->rows + 1, sqrt(ss));
    if (fwrite(v, sizeof *v, (size_t)w->dim, w->fp) != (size_t)w->dim)
        return bt_fail(err, "%s: write failed: %s", w->path, strerror(errno));
    w->woff[w->rows] = (uint32_t)w->blob_n;
    memcpy(w->blob + w->blob_n, word, len);
    w->blob[w->blob_n + len] = 0;
    w->blob_n += len + 1;
    w->woff[w->rows + 1] = (uint32_t)w->blob_n;
    w->norms[w->rows] = (float)sqrt(ss);
    w->slots[slot] = (uint32_t)w->rows + 1;
    w->rows++;
    if ((size_t)w->rows * 2 > w->mask + 1 && grow_hash(w) != 0)
        return bt_fail(err, "out of memory after %ld words", w->rows);
    return w->top && w->rows >= w->top ? 1 : 0;
}

static int by_word(const void *a, const void *b, void *ctx) {
    const BtvWriter *w = ctx;
    return strcmp(w->blob + w->woff[*(const uint32_t *)a], w->blob + w->woff[*(const uint32_t *)b]);
}

static uint64_t align8(uint64_t x) { return (x + 7) & ~(uint64_t)7; }

static int put(BtvWriter *w, const void *p, size_t n) { return fwrite(p, 1, n, w->fp) == n ? 0 : -1; }

static int pad_to(BtvWriter *w, uint64_t off) {
    static const char zero[8];
    long at = ftell(w->fp);
    return at < 0 || (uint64_t)at > off ? -1 : put(w, zero, (size_t)(off - (uint64_t)at));
}

int btv_writer_finish(BtvWriter *w, const char *name, long *duplicates, long *bad_words, long long *bytes,
                      BtError *err) {
    *duplicates = w->duplicates;
    *bad_words = w->bad_words;
    if (w->rows == 0) {
        btv_writer_abort(w);
        return bt_fail(err, "no vectors found");
    }
    BtvHeader h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, BTV_MAGIC, 8);
    h.version = BTV_VERSION;
    h.dim = (uint32_t)w->dim;
    h.count = (uint64_t)w->rows;
    h.rows_off = BTV_HEADER_SIZE;
    h.norms_off = align8(h.rows_off + h.count * h.dim * 4);
    h.woff_off = align8(h.norms_off + h.count * 4);
    h.str_off = h.woff_off + (h.count + 1) * 4;
    h.str_size = w->blob_n;
    h.sorted_off = align8(h.str_off + h.str_size);
    h.file_size = h.sorted_off + h.count * 4;
    snprintf(h.name, sizeof h.name, "%s", name ? name : "");

    uint32_t *sorted = malloc((size_t)w->rows * sizeof *sorted);
    if (!sorted) {
        btv_writer_abort(w);
        return bt_fail(err, "out of memory sorting %ld words", (long)h.count);
    }
    for (long r = 0; r < w->rows; r++) sorted[r] = (uint32_t)r;
    qsort_r(sorted, (size_t)w->rows, sizeof *sorted, by_word, w);

    int bad = pad_to(w, h.norms_off) || put(w, w->norms, h.count * 4) || pad_to(w, h.woff_off) ||
              put(w, w->woff, (h.count + 1) * 4) || put(w, w->blob, h.str_size) || pad_to(w, h.sorted_off) ||
              put(w, sorted, h.count * 4) || fseek(w->fp, 0, SEEK_SET) != 0 || put(w, &h, sizeof h);
    free(sorted);
    const char *step = "write";
    int e = bad ? (errno ? errno : EIO) : 0;
    if (!e && fflush(w->fp) != 0) e = errno;
    if (!e && fsync(fileno(w->fp)) != 0) e = errno, step = "fsync";
    if (!e && rename(w->tmp, w->path) != 0) e = errno, step = "rename";
    if (e) {
        char path[4096];
        snprintf(path, sizeof path, "%s", w->path);
        btv_writer_abort(w);
        return bt_fail(err, "%s: %s failed: %s", path, step, strerror(e));
    }
    *bytes = (long long)h.file_size;
    fclose(w->fp);
    w->fp = NULL;
    free(w->tmp);
    w->tmp = NULL;
    btv_writer_abort(w);
    return 0;
}

void btv_writer_abort(BtvWriter *w) {
    if (!w) return;
    if (w->fp) fclose(w->fp);
    if (w->tmp) unlink(w->tmp);
    free(w->path);
    free(w->tmp);
    free(w->blob);
    free(w->woff);
    free(w->norms);
    free(w->slots);
    free(w);
}
