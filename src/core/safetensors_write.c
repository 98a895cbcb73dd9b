/* Writing safetensors files the way the reference implementation does, so
 * that Hugging Face's `safetensors` library (and so PyTorch users) can load
 * what we save: "__metadata__" first with "format": "pt", the tensors laid
 * out back to back in the order given, the header padded with spaces to a
 * multiple of 8 bytes so the data section starts aligned. */
#include "bertology/safetensors.h"
#include "bertology/half.h"
#include "atomic_file.h"
#include "st_common.h"
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "f32 data is written as is; safetensors is little-endian"
#endif

/* cJSON prints integral doubles below 10^15 as plain integers; above, it
 * may choose exponent notation ("1e+15"), which the reference parser does
 * not accept as an integer. No real tensor comes near a petabyte. */
#define ST_MAX_JSON_INT 1e15

static int valid_utf8(const char *s) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    while (len > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, len, &c);
        if (k <= 0) return 0;
        p += k;
        len -= k;
    }
    return 1;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the index of a name that occurs twice, or -1. */
static int find_duplicate(const char **names, int n) {
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 1; i < n; i++)
        if (strcmp(names[i - 1], names[i]) == 0) return i;
    return -1;
}

static int check_tensors(const char *file, const StWriteTensor *ts, int n, size_t esize,
                         BtError *err) {
    double total = 0;
    for (int i = 0; i < n; i++) {
        const StWriteTensor *t = &ts[i];
        if (!t->name || !t->name[0])
            return bt_fail(err, "%s: tensor #%d has no name", file, i);
        char tn[ST_NAME_BUF];
        st_display_name(tn, t->name);
        if (!valid_utf8(t->name))
            return bt_fail(err, "%s: tensor '%s': name is not valid UTF-8", file, tn);
        if (strcmp(t->name, "__metadata__") == 0)
            return bt_fail(err, "%s: \"__metadata__\" is reserved and cannot name a tensor", file);
        if (t->ndim < 0 || t->ndim > ST_MAX_DIMS)
            return bt_fail(err, "%s: tensor '%s': %d dimensions (0 to %d allowed)", file, tn,
                           t->ndim, ST_MAX_DIMS);
        double numel = 1;
        for (int d = 0; d < t->ndim; d++) {
            if (t->shape[d] < 0 || (double)t->shape[d] >= ST_MAX_JSON_INT)
                return bt_fail(err, "%s: tensor '%s': shape[%d] = %lld is out of range", file,
                               tn, d, (long long)t->shape[d]);
            numel *= (double)t->shape[d];
        }
        /* Doubles keep this check free of overflow; the exact sizes are
         * computed in integers once they are known to be small. */
        total += numel * (double)esize;
        if (total >= ST_MAX_JSON_INT)
            return bt_fail(err, "%s: tensor '%s': the file would exceed 10^15 bytes", file, tn);
        if (numel > 0 && !t->data)
            return bt_fail(err, "%s: tensor '%s': data is NULL", file, tn);
    }
    const char **names = malloc((size_t)(n ? n : 1) * sizeof *names);
    if (!names) return bt_fail(err, "%s: out of memory", file);
    for (int i = 0; i < n; i++) names[i] = ts[i].name;
    int dup = find_duplicate(names, n);
    if (dup >= 0) {
        char tn[ST_NAME_BUF];
        st_display_name(tn, names[dup]);
        free(names);
        return bt_fail(err, "%s: tensor '%s' is given twice", file, tn);
    }
    free(names);
    return 0;
}

static int check_meta(const char *file, const char *const *kv, int n, BtError *err) {
    for (int i = 0; i < 2 * n; i++) {
        if (!kv[i])
            return bt_fail(err, "%s: metadata %s #%d is NULL", file, i % 2 ? "value" : "key", i / 2);
        if (!valid_utf8(kv[i]))
            return bt_fail(err, "%s: metadata %s #%d is not valid UTF-8", file,
                           i % 2 ? "value" : "key", i / 2);
    }
    const char **keys = malloc((size_t)(n ? n : 1) * sizeof *keys);
    if (!keys) return bt_fail(err, "%s: out of memory", file);
    for (int i = 0; i < n; i++) keys[i] = kv[2 * i];
    int dup = find_duplicate(keys, n);
    if (dup >= 0) {
        char k[ST_NAME_BUF];
        st_display_name(k, keys[dup]);
        free(keys);
        return bt_fail(err, "%s: metadata key '%s' is given twice", file, k);
    }
    free(keys);
    return 0;
}

static size_t numel_of(const StWriteTensor *t) {
    size_t n = 1;
    for (int d = 0; d < t->ndim; d++) n *= (size_t)t->shape[d];
    return n;
}

/* The header JSON, unpadded, malloc'd; NULL only when out of memory. */
static char *build_header(const StWriteTensor *ts, int n, StDtype dtype,
                          const char *const *kv, int n_meta) {
    cJSON *root = cJSON_CreateObject();
    cJSON *meta = cJSON_AddObjectToObject(root, "__metadata__");
    int ok = root && meta;
    int has_format = 0;
    for (int i = 0; i < n_meta; i++) has_format |= strcmp(kv[2 * i], "format") == 0;
    /* The reference loader reads "format": "pt" as "these are PyTorch
     * tensors"; a caller that gives its own format keeps it. */
    if (ok && !has_format) ok = cJSON_AddStringToObject(meta, "format", "pt") != NULL;
    for (int i = 0; ok && i < n_meta; i++)
        ok = cJSON_AddStringToObject(meta, kv[2 * i], kv[2 * i + 1]) != NULL;

    size_t offset = 0, esize = st_dtype_size(dtype);
    for (int i = 0; ok && i < n; i++) {
        const StWriteTensor *t = &ts[i];
        size_t bytes = numel_of(t) * esize;
        cJSON *o = cJSON_AddObjectToObject(root, t->name);
        cJSON *shape = o ? cJSON_AddArrayToObject(o, "shape") : NULL;
        cJSON *offs = o ? cJSON_AddArrayToObject(o, "data_offsets") : NULL;
        ok = o && shape && offs && cJSON_AddStringToObject(o, "dtype", st_dtype_name(dtype));
        for (int d = 0; ok && d < t->ndim; d++) {
            cJSON *v = cJSON_CreateNumber((double)t->shape[d]);
            ok = v && cJSON_AddItemToArray(shape, v);
        }
        cJSON *b = ok ? cJSON_CreateNumber((double)offset) : NULL;
        ok = b && cJSON_AddItemToArray(offs, b);
        cJSON *e = ok ? cJSON_CreateNumber((double)(offset + bytes)) : NULL;
        ok = e && cJSON_AddItemToArray(offs, e);
        offset += bytes;
    }
    char *s = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return s;
}

static int write_data(AtomicFile *a, const StWriteTensor *t, StDtype dtype, BtError *err) {
    size_t n = numel_of(t);
    if (dtype == ST_F32) return af_write(a, t->data, n * sizeof(float), err);
    uint16_t buf[4096];
    for (size_t i = 0; i < n; i += 4096) {
        size_t k = n - i < 4096 ? n - i : 4096;
        for (size_t j = 0; j < k; j++) buf[j] = bt_f32_to_f16(t->data[i + j]);
        if (af_write(a, buf, k * sizeof buf[0], err) != 0) return -1;
    }
    return 0;
}

int st_write(const char *path, const StWriteTensor *ts, int n, StDtype dtype,
             const char *const *meta_kv, int n_meta, BtError *err) {
    char file[ST_NAME_BUF];
    st_display_path(file, path);
    if (dtype != ST_F32 && dtype != ST_F16)
        return bt_fail(err, "%s: can only write F32 or F16 tensors, not %s", file,
                       st_dtype_name(dtype));
    if (n < 0 || n_meta < 0 || (n > 0 && !ts) || (n_meta > 0 && !meta_kv))
        return bt_fail(err, "%s: invalid tensor or metadata list", file);
    if (check_tensors(file, ts, n, st_dtype_size(dtype), err) != 0 ||
        check_meta(file, meta_kv, n_meta, err) != 0)
        return -1;

    char *json = build_header(ts, n, dtype, meta_kv, n_meta);
    if (!json) return bt_fail(err, "%s: out of memory building the header", file);
    size_t len = strlen(json);
    size_t pad = (8 - len % 8) % 8;
    uint64_t hlen = len + pad;
    uint8_t le[8];
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(hlen >> (8 * i));

    AtomicFile a;
    if (af_open(&a, path, err) != 0) {
        free(json);
        return -1;
    }
    int rc = af_write(&a, le, 8, err);
    if (rc == 0) rc = af_write(&a, json, len, err);
    if (rc == 0) rc = af_write(&a, "        ", pad, err);
    free(json);
    for (int i = 0; rc == 0 && i < n; i++) rc = write_data(&a, &ts[i], dtype, err);
    if (rc != 0) {
        af_abort(&a);
        return -1;
    }
    return af_commit(&a, err);
}
