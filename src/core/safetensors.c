/* Reading safetensors files. The file is mapped, never copied; the header
 * is treated as hostile input: every number in it is checked before it is
 * used as a size or an offset. */
#include "bertology/safetensors.h"
#include "bertology/half.h"
#include "st_common.h"
#include "bertology/infile.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/i18n.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors data is little-endian and is copied as is; port the loads first"
#endif

/* Real headers are kilobytes (bert-base: ~20 KB); the reference
 * implementation refuses more than 100 MB, and so do we, before allocating. */
#define ST_MAX_HEADER ((uint64_t)100 * 1000 * 1000)

/* In enum order, so that a dtype indexes its own row; is_float: what
 * st_read_f32 converts. */
static const struct { const char *name; size_t size; int is_float; } DTYPES[] = {
    [ST_F32] = {"F32", 4, 1}, [ST_F16] = {"F16", 2, 1}, [ST_BF16] = {"BF16", 2, 1},
    [ST_F64] = {"F64", 8, 1}, [ST_I64] = {"I64", 8, 0}, [ST_I32] = {"I32", 4, 0},
    [ST_I16] = {"I16", 2, 0}, [ST_I8] = {"I8", 1, 0},   [ST_U8] = {"U8", 1, 0},
    [ST_BOOL] = {"BOOL", 1, 0},
};
#define N_DTYPES ((int)(sizeof DTYPES / sizeof DTYPES[0]))

size_t st_dtype_size(StDtype d) {
    return (int)d >= 0 && (int)d < N_DTYPES ? DTYPES[d].size : 0;
}

const char *st_dtype_name(StDtype d) {
    return (int)d >= 0 && (int)d < N_DTYPES ? DTYPES[d].name : "?";
}

int64_t st_numel(const StTensor *t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++) n *= t->shape[i];
    return n;
}

/* Copies s into out (cap bytes), control bytes as '?', "..." if cut. */
static void copy_printable(char *out, size_t cap, const char *s) {
    size_t len = strlen(s), o = 0;
    for (size_t i = 0; i < len && o + 4 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (o < len) memcpy(out + o, "...", 3), o += 3;
    out[o] = '\0';
}

void st_display_name(char out[ST_NAME_BUF], const char *s) {
    copy_printable(out, ST_NAME_BUF, s);
}

void st_display_path(char out[ST_NAME_BUF], const char *path) {
    size_t len = strlen(path), keep = ST_NAME_BUF - 8;
    /* The end of a long path (directory, file name) is what tells files
     * apart, so that is the part kept. */
    if (len > keep) {
        memcpy(out, "...", 3);
        copy_printable(out + 3, ST_NAME_BUF - 3, path + len - keep);
    } else {
        copy_printable(out, ST_NAME_BUF, path);
    }
}

/* ---- header parsing ---------------------------------------------------- */

typedef struct {
    StFile *f;
    const char *file;          /* display form of the path */
    BtError *err;
} Parser;

static void describe_json(char *out, size_t n, const cJSON *j) {
    if (cJSON_IsNumber(j)) snprintf(out, n, "%.17g", j->valuedouble);
    else if (cJSON_IsString(j)) snprintf(out, n, "%s", _("a string"));
    else if (cJSON_IsArray(j)) snprintf(out, n, "%s", _("an array"));
    else if (cJSON_IsObject(j)) snprintf(out, n, "%s", _("an object"));
    else if (cJSON_IsBool(j)) snprintf(out, n, "%s", _("a boolean"));
    else if (cJSON_IsNull(j)) snprintf(out, n, "null");
    else snprintf(out, n, "%s", _("nothing"));
}

/* A JSON number that is a whole, non-negative value below 2^64. Larger
 * integers than 2^53 lose precision in a double, but anything that large
 * is refused later as past the end of the file or the 64-bit range. */
static int json_count(const cJSON *j, uint64_t *out) {
    if (!cJSON_IsNumber(j)) return -1;
    double v = j->valuedouble;
    if (!isfinite(v) || v < 0 || v != floor(v) || v >= 18446744073709551616.0) return -1;
    *out = (uint64_t)v;
    return 0;
}

static void format_shape(char *out, size_t n, const StTensor *t) {
    size_t o = 0;
    o += (size_t)snprintf(out, n, "[");
    for (int i = 0; i < t->ndim && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
    if (o < n) snprintf(out + o, n - o, "]");
}

static int parse_dtype(Parser *p, const char *tn, const cJSON *j, StDtype *out) {
    if (!cJSON_IsString(j) || !j->valuestring)
        return bt_fail(p->err, "%s: tensor '%s': \"dtype\" is missing or not a string",
                       p->file, tn);
    for (int d = 0; d < N_DTYPES; d++)
        if (strcmp(j->valuestring, DTYPES[d].name) == 0) { *out = (StDtype)d; return 0; }
    char dn[ST_NAME_BUF];
    st_display_name(dn, j->valuestring);
    return bt_fail(p->err, "%s: tensor '%s': unknown dtype '%s' (supported: F32, F16, "
                   "BF16, F64, I64, I32, I16, I8, U8, BOOL)", p->file, tn, dn);
}

static int parse_shape(Parser *p, const char *tn, const cJSON *j, StTensor *t) {
    if (!cJSON_IsArray(j))
        return bt_fail(p->err, "%s: tensor '%s': \"shape\" is missing or not an array",
                       p->file, tn);
    int nd = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, j) {
        if (nd == ST_MAX_DIMS)
            return bt_fail(p->err, "%s: tensor '%s': shape has %d dimensions, at most %d "
                           "are supported", p->file, tn, cJSON_GetArraySize(j), ST_MAX_DIMS);
        uint64_t v;
        if (json_count(d, &v) != 0) {
            char what[48];
            describe_json(what, sizeof what, d);
            return bt_fail(p->err, "%s: tensor '%s': shape[%d] is %s, not a non-negative "
                           "integer", p->file, tn, nd, what);
        }
        if (v > INT64_MAX)
            return bt_fail(p->err, "%s: tensor '%s': shape[%d] = %llu is too large",
                           p->file, tn, nd, (unsigned long long)v);
        t->shape[nd++] = (int64_t)v;
    }
    t->ndim = nd;
    int64_t numel = 1;
    for (int i = 0; i < nd; i++)
        if (__builtin_mul_overflow(numel, t->shape[i], &numel)) {
            char s[160];
            format_shape(s, sizeof s, t);
            return bt_fail(p->err, "%s: tensor '%s': shape %s has more elements than fit "
                           "in 64 bits", p->file, tn, s);
        }
    return 0;
}

static int parse_offsets(Parser *p, const char *tn, const cJSON *j, StTensor *t) {
    uint64_t be[2];
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) != 2 ||
        json_count(j->child, &be[0]) != 0 || json_count(j->child->next, &be[1]) != 0)
        return bt_fail(p->err, "%s: tensor '%s': \"data_offsets\" must be two non-negative "
                       "integers [begin, end]", p->file, tn);
    unsigned long long b = be[0], e = be[1];
    if (b > e)
        return bt_fail(p->err, "%s: tensor '%s': data_offsets [%llu, %llu] end before they "
                       "begin", p->file, tn, b, e);
    if (e > p->f->data_size)
        return bt_fail(p->err, "%s: tensor '%s': data_offsets [%llu, %llu] run past the end "
                       "of the file (data section is %zu bytes)", p->file, tn, b, e,
                       p->f->data_size);
    t->begin = (size_t)b;
    t->end = (size_t)e;

    /* numel fits in int64 (checked); the byte count may still overflow. */
    uint64_t bytes;
    char s[160];
    format_shape(s, sizeof s, t);
    if (__builtin_mul_overflow((uint64_t)st_numel(t), (uint64_t)st_dtype_size(t->dtype), &bytes))
        return bt_fail(p->err, "%s: tensor '%s': shape %s of %s is more bytes than fit in "
                       "64 bits", p->file, tn, s, st_dtype_name(t->dtype));
    if (bytes != e - b)
        return bt_fail(p->err, "%s: tensor '%s': shape %s of %s needs %llu bytes but "
                       "data_offsets [%llu, %llu] hold %llu", p->file, tn, s,
                       st_dtype_name(t->dtype), (unsigned long long)bytes, b, e, e - b);
    return 0;
}

static int parse_tensor(Parser *p, const cJSON *j, StTensor *t) {
    char tn[ST_NAME_BUF];
    st_display_name(tn, j->string);
    if (!cJSON_IsObject(j))
        return bt_fail(p->err, "%s: tensor '%s': entry is not a JSON object", p->file, tn);
    if (parse_dtype(p, tn, cJSON_GetObjectItemCaseSensitive(j, "dtype"), &t->dtype) != 0 ||
        parse_shape(p, tn, cJSON_GetObjectItemCaseSensitive(j, "shape"), t) != 0 ||
        parse_offsets(p, tn, cJSON_GetObjectItemCaseSensitive(j, "data_offsets"), t) != 0)
        return -1;
    return 0;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp((*(const StTensor *const *)a)->name, (*(const StTensor *const *)b)->name);
}

static int cmp_offsets(const void *a, const void *b) {
    const StTensor *x = *(const StTensor *const *)a, *y = *(const StTensor *const *)b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return 0;
}

/* Duplicates and overlaps, both found by sorting a list of pointers so
 * that a hostile header with a million entries costs n log n, not n². */
static int check_layout(Parser *p) {
    StFile *f = p->f;
    if (f->n_tensors < 2) return 0;
    const StTensor **v = malloc((size_t)f->n_tensors * sizeof *v);
    if (!v) return bt_fail(p->err, "%s: out of memory", p->file);
    for (int i = 0; i < f->n_tensors; i++) v[i] = &f->tensors[i];
    char a[ST_NAME_BUF], b[ST_NAME_BUF];

    qsort(v, (size_t)f->n_tensors, sizeof *v, cmp_name);
    for (int i = 1; i < f->n_tensors; i++)
        if (strcmp(v[i - 1]->name, v[i]->name) == 0) {
            st_display_name(a, v[i]->name);
            free(v);
            return bt_fail(p->err, "%s: tensor '%s' appears twice in the header", p->file, a);
        }

    /* Empty tensors occupy no bytes, so they cannot overlap anything. */
    qsort(v, (size_t)f->n_tensors, sizeof *v, cmp_offsets);
    const StTensor *prev = NULL;
    for (int i = 0; i < f->n_tensors; i++) {
        if (v[i]->begin == v[i]->end) continue;
        if (prev && v[i]->begin < prev->end) {
            st_display_name(a, prev->name);
            st_display_name(b, v[i]->name);
            int r = bt_fail(p->err, "%s: tensors '%s' [%zu, %zu] and '%s' [%zu, %zu] overlap",
                            p->file, a, prev->begin, prev->end, b, v[i]->begin, v[i]->end);
            free(v);
            return r;
        }
        if (!prev || v[i]->end > prev->end) prev = v[i];
    }
    free(v);
    return 0;
}

static int parse_entries(Parser *p, const cJSON *root) {
    StFile *f = p->f;
    int n = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, root) {
        if (!j->string) return bt_fail(p->err, "%s: header entry without a name", p->file);
        if (strcmp(j->string, "__metadata__") == 0) {
            if (!cJSON_IsObject(j))
                return bt_fail(p->err, "%s: \"__metadata__\" is not a JSON object", p->file);
            continue;
        }
        n++;
    }
    if (n == 0) return 0;
    f->tensors = calloc((size_t)n, sizeof *f->tensors);
    if (!f->tensors) return bt_fail(p->err, "%s: out of memory for %d tensors", p->file, n);
    cJSON_ArrayForEach(j, root) {
        if (strcmp(j->string, "__metadata__") == 0) continue;
        StTensor *t = &f->tensors[f->n_tensors];
        /* Counted first so that st_close frees the name even on failure. */
        if (!(t->name = strdup(j->string))) return bt_fail(p->err, "%s: out of memory", p->file);
        f->n_tensors++;
        if (parse_tensor(p, j, t) != 0) return -1;
    }
    return check_layout(p);
}

static int parse_header(Parser *p) {
    StFile *f = p->f;
    uint64_t n;
    memcpy(&n, f->map, 8);
    size_t avail = f->map_size - 8;
    if (n > ST_MAX_HEADER)
        return bt_fail(p->err, "%s: header length %llu is absurd (limit %llu bytes); "
                       "not a safetensors file?", p->file, (unsigned long long)n,
                       (unsigned long long)ST_MAX_HEADER);
    if (n > avail)
        return bt_fail(p->err, "%s: header length %llu runs past the end of the file "
                       "(%zu bytes follow the length field)", p->file,
                       (unsigned long long)n, avail);
    f->data = f->map + 8 + n;
    f->data_size = avail - (size_t)n;

    /* cJSON's tested path is a NUL-terminated string; the mapping is not
     * one, and the copy makes any overread visible to sanitizers. */
    char *json = malloc((size_t)n + 1);
    if (!json) return bt_fail(p->err, "%s: out of memory for a %llu-byte header", p->file,
                              (unsigned long long)n);
    memcpy(json, f->map + 8, (size_t)n);
    json[n] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, (size_t)n + 1, &end, 0);
    int rc = 0;
    if (!root) {
        rc = bt_fail(p->err, "%s: header is not valid JSON (error at byte %td of %llu)",
                     p->file, end ? end - json : (ptrdiff_t)0, (unsigned long long)n);
        goto out;
    }
    /* The reference writer pads with spaces; anything else means the
     * length or the JSON is wrong. */
    for (const char *q = end; q < json + n; q++)
        if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') {
            rc = bt_fail(p->err, "%s: unexpected bytes after the JSON header (at byte %td "
                         "of %llu)", p->file, q - json, (unsigned long long)n);
            goto out;
        }
    if (!cJSON_IsObject(root)) {
        rc = bt_fail(p->err, "%s: header is not a JSON object", p->file);
        goto out;
    }
    rc = parse_entries(p, root);
out:
    cJSON_Delete(root);
    free(json);
    return rc;
}

int st_open(StFile *f, const char *path, BtError *err) {
    memset(f, 0, sizeof *f);
    f->fd = -1;
    char file[ST_NAME_BUF];
    st_display_path(file, path);
    Parser p = {f, file, err};

    if (!(f->path = strdup(path))) return bt_fail(err, "%s: out of memory", file);
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer
     * forever; for a regular file it changes nothing. */
    f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (f->fd < 0) {
        int e = errno;
        st_close(f);
        return bt_fail(err, "%s: cannot open: %s", file, strerror(e));
    }
    uint64_t size = 0;
    int rc = -1;
    if (bt_file_check(f->fd, file, BT_FILE_WEIGHTS, &size, err) != 0) {
        rc = -1;
    } else if (size < 8) {
        rc = bt_fail(err, "%s: file is %llu bytes, too short for the 8-byte header length",
                     file, (unsigned long long)size);
    } else if (size > SIZE_MAX) {
        rc = bt_fail(err, "%s: file too large to map", file);
    } else {
        void *m = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, f->fd, 0);
        if (m == MAP_FAILED) {
            rc = bt_fail(err, "%s: cannot map: %s", file, strerror(errno));
        } else {
            f->map = m;
            f->map_size = (size_t)size;
            rc = parse_header(&p);
        }
    }
    if (rc != 0) st_close(f);
    return rc;
}

void st_close(StFile *f) {
    if (!f) return;
    for (int i = 0; i < f->n_tensors; i++) free(f->tensors[i].name);
    free(f->tensors);
    if (f->map) munmap((void *)f->map, f->map_size);
    if (f->fd >= 0) close(f->fd);
    free(f->path);
    memset(f, 0, sizeof *f);
    f->fd = -1;
}

const StTensor *st_find(const StFile *f, const char *name) {
    for (int i = 0; i < f->n_tensors; i++)
        if (strcmp(f->tensors[i].name, name) == 0) return &f->tensors[i];
    return NULL;
}

/* Converts n values of dtype d from src (any alignment) to f32. */
static void convert(StDtype d, const uint8_t *src, float *out, size_t n) {
    /* Data sits wherever the header length puts it, often not 4-aligned,
     * so every load goes through memcpy. */
    switch (d) {
    case ST_F32:
        if (n) memcpy(out, src, n * 4);
        return;
    case ST_F16:
        for (size_t i = 0; i < n; i++) {
            uint16_t h;
            memcpy(&h, src + 2 * i, 2);
            out[i] = bt_f16_to_f32(h);
        }
        return;
    case ST_BF16:
        for (size_t i = 0; i < n; i++) {
            uint16_t h;
            memcpy(&h, src + 2 * i, 2);
            out[i] = bt_bf16_to_f32(h);
        }
        return;
    case ST_F64:
        for (size_t i = 0; i < n; i++) {
            double v;
            memcpy(&v, src + 8 * i, 8);
            out[i] = (float)v;   /* out-of-range values become ±inf */
        }
        return;
    default:
        return;
    }
}

/* Pages of the mapping that a conversion has read stay mapped, and count
 * in the process's resident set beside the f32 copy they became: loading
 * a bert-base F32 file peaked at twice its weights. So a tensor is
 * converted ST_CHUNK bytes at a time and each chunk's pages are handed
 * back at once. MADV_DONTNEED on a read-only private file mapping drops
 * them from this process only: they stay in the page cache, and reading
 * the same bytes again maps them back from the file, so nothing a later
 * read sees can change. A page shared with a neighbouring tensor (or the
 * header) is dropped too and simply mapped again if read. */
#define ST_CHUNK ((size_t)1 << 20)

static void release(const StFile *f, size_t from, size_t to) {
    long ps = sysconf(_SC_PAGESIZE);
    size_t page = ps > 0 ? (size_t)ps : 4096;
    size_t lo = from / page * page, hi = (to + page - 1) / page * page;
    /* Only ever advice: if the kernel declines, the pages stay mapped
     * and the load is as it was. */
    if (hi > lo) (void)madvise((void *)(uintptr_t)(f->map + lo), hi - lo, MADV_DONTNEED);
}

int st_read_f32(const StFile *f, const StTensor *t, float *out, BtError *err) {
    char file[ST_NAME_BUF], tn[ST_NAME_BUF];
    st_display_path(file, f->path ? f->path : "(closed file)");
    st_display_name(tn, t->name ? t->name : "?");
    size_t size = st_dtype_size(t->dtype);
    int64_t numel = st_numel(t);
    /* st_open checked all this for its own tensors; a hand-made StTensor
     * must not be able to read outside the mapping. */
    if (size == 0 || t->begin > t->end || t->end > f->data_size || numel < 0 ||
        (uint64_t)numel > (t->end - t->begin) / size || (size_t)numel * size != t->end - t->begin)
        return bt_fail(err, "%s: tensor '%s' does not describe bytes of this file", file, tn);
    if (!DTYPES[t->dtype].is_float)   /* size != 0: a dtype of the table */
        return bt_fail(err, "%s: tensor '%s' has integer dtype %s; a float tensor (F32, "
                       "F16, BF16 or F64) was expected", file, tn, st_dtype_name(t->dtype));

    const uint8_t *src = f->data + t->begin;
    size_t n = (size_t)numel, step = ST_CHUNK / size;
    size_t at = (size_t)(f->data - f->map) + t->begin;   /* offset of src in the mapping */
    for (size_t i = 0; i < n; i += step) {
        size_t k = n - i < step ? n - i : step, from = at + i * size;
        convert(t->dtype, src + i * size, out + i, k);
        /* From a chunk back: each fault maps a few neighbouring pages too
         * (fault-around, 64 KB by default), some before this chunk, in
         * bytes already handed back or in the tensor before. */
        release(f, from > ST_CHUNK ? from - ST_CHUNK : 0, at + (i + k) * size);
    }
    return 0;
}
