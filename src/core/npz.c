/* .npz writing: what numpy.savez produces, a zip archive of .npy files,
 * here stored without compression so that an array's bytes can be written
 * straight from memory. Each entry is a local file header, the .npy header
 * (magic, version 1.0, a Python dict literal), then the raw little-endian
 * data; a central directory listing every entry closes the archive. */
#include "bertology/npz.h"
#include "atomic_file.h"
#include "st_common.h"
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "arrays are written as is and declared little-endian ('<f4')"
#endif

/* numpy's NPY_MAXDIMS (32 before numpy 2, 64 after): the older limit. */
#define NPZ_MAX_DIMS 32
/* Classic zip fields are 32-bit and 0xFFFFFFFF means "see ZIP64". */
#define ZIP_MAX_OFFSET 0xFFFFFFFEu
#define ZIP_MAX_ENTRIES 0xFFFFu
/* 1980-01-01 00:00, the earliest DOS date: a fixed stamp keeps two dumps
 * of the same trace byte-identical. */
#define DOS_TIME 0x0000u
#define DOS_DATE 0x0021u

typedef struct {
    char *name;         /* with ".npy" */
    uint32_t crc, size, offset;
    uint16_t flags;
} NpzEntry;

struct NpzWriter {
    AtomicFile file;
    uint64_t offset;    /* bytes written so far */
    NpzEntry *entries;
    int n, cap;
    int failed;         /* a write went wrong: the archive can only be discarded */
    uint32_t crc_table[256];
};

static void crc_init(uint32_t table[256]) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

/* Zip's CRC-32 (reflected, polynomial 0x04C11DB7); start with crc = 0. */
static uint32_t crc_update(const uint32_t table[256], uint32_t crc, const void *buf, size_t n) {
    const uint8_t *p = buf;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint8_t *put16(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
    return p + 4;
}

int npz_open(NpzWriter **out, const char *path, BtError *err) {
    *out = NULL;
    NpzWriter *w = calloc(1, sizeof *w);
    if (!w) return bt_fail(err, "npz: out of memory");
    if (af_open(&w->file, path, err) != 0) {
        free(w);
        return -1;
    }
    crc_init(w->crc_table);
    *out = w;
    return 0;
}

static int writer_write(NpzWriter *w, const void *buf, size_t n, BtError *err) {
    if (af_write(&w->file, buf, n, err) != 0) {
        w->failed = 1;
        return -1;
    }
    w->offset += n;
    return 0;
}

/* The .npy preamble: magic, version 1.0, header length, then the dict
 * padded with spaces and ended by '\n' so that the data starts at a
 * multiple of 64 bytes (numpy's alignment). Returns its length. */
static size_t npy_header(char *buf, size_t cap, const char *descr, int ndim,
                         const int64_t *shape) {
    char dict[NPZ_MAX_DIMS * 22 + 96];
    size_t o = (size_t)snprintf(dict, sizeof dict,
                                "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (int i = 0; i < ndim; i++)
        o += (size_t)snprintf(dict + o, sizeof dict - o, "%s%lld", i ? ", " : "",
                              (long long)shape[i]);
    /* A one-element tuple needs its trailing comma: (5,) not (5). */
    o += (size_t)snprintf(dict + o, sizeof dict - o, "%s), }", ndim == 1 ? "," : "");
    size_t total = 10 + o + 1;
    total = (total + 63) / 64 * 64;
    if (total > cap) return 0;
    size_t hlen = total - 10;
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)(hlen & 0xFF);
    buf[9] = (char)(hlen >> 8);
    memcpy(buf + 10, dict, o);
    memset(buf + 10 + o, ' ', total - 10 - o - 1);
    buf[total - 1] = '\n';
    return total;
}

static int npz_add(NpzWriter *w, const char *name, const void *data, size_t esize,
                   const char *descr, int ndim, const int64_t *shape, BtError *err) {
    if (!w) return bt_fail(err, "npz: no archive");
    char file[ST_NAME_BUF], an[ST_NAME_BUF];
    st_display_path(file, w->file.path ? w->file.path : "(closed)");
    if (w->failed) return bt_fail(err, "%s: an earlier write failed; the archive is lost", file);
    if (!name || !name[0]) return bt_fail(err, "%s: array with no name", file);
    st_display_name(an, name);
    size_t name_len = strlen(name) + 4;
    if (name_len > 0xFFFF) return bt_fail(err, "%s: array name '%s' is too long", file, an);
    if (ndim < 0 || ndim > NPZ_MAX_DIMS || (ndim > 0 && !shape))
        return bt_fail(err, "%s: array '%s': %d dimensions (0 to %d allowed)", file, an, ndim,
                       NPZ_MAX_DIMS);
    uint64_t numel = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return bt_fail(err, "%s: array '%s': shape[%d] = %lld is negative", file, an, i,
                           (long long)shape[i]);
        if (__builtin_mul_overflow(numel, (uint64_t)shape[i], &numel))
            return bt_fail(err, "%s: array '%s': too many elements", file, an);
    }
    if (numel > 0 && !data) return bt_fail(err, "%s: array '%s': data is NULL", file, an);
    for (int i = 0; i < w->n; i++)
        if (strlen(w->entries[i].name) == name_len &&
            memcmp(w->entries[i].name, name, name_len - 4) == 0)
            return bt_fail(err, "%s: array '%s' is added twice", file, an);
    if ((uint32_t)w->n >= ZIP_MAX_ENTRIES)
        return bt_fail(err, "%s: more than %u arrays (ZIP64 is not supported)", file,
                       ZIP_MAX_ENTRIES - 1);

    char hdr[NPZ_MAX_DIMS * 22 + 192];
    size_t hdr_len = npy_header(hdr, sizeof hdr, descr, ndim, shape);
    uint64_t data_len;
    if (hdr_len == 0 || __builtin_mul_overflow(numel, (uint64_t)esize, &data_len) ||
        data_len > ZIP_MAX_OFFSET ||
        w->offset + 30 + name_len + hdr_len + data_len > ZIP_MAX_OFFSET)
        return bt_fail(err, "%s: array '%s' would take the archive past 4 GiB (ZIP64 is "
                       "not supported)", file, an);

    if (w->n == w->cap) {
        int cap = w->cap ? 2 * w->cap : 16;
        NpzEntry *e = realloc(w->entries, (size_t)cap * sizeof *e);
        if (!e) return bt_fail(err, "%s: out of memory", file);
        w->entries = e;
        w->cap = cap;
    }
    NpzEntry *e = &w->entries[w->n];
    if (!(e->name = malloc(name_len + 1))) return bt_fail(err, "%s: out of memory", file);
    memcpy(e->name, name, name_len - 4);
    memcpy(e->name + name_len - 4, ".npy", 5);
    e->size = (uint32_t)(hdr_len + data_len);
    e->offset = (uint32_t)w->offset;
    e->crc = crc_update(w->crc_table, 0, hdr, hdr_len);
    e->crc = crc_update(w->crc_table, e->crc, data, (size_t)data_len);
    e->flags = 0;
    /* Bit 11: the name is UTF-8 (otherwise readers assume code page 437). */
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c >= 0x80) e->flags = 0x0800;
    w->n++;

    uint8_t lh[30], *p = lh;
    p = put32(p, 0x04034b50);           /* local file header signature */
    p = put16(p, 20);                   /* version needed: 2.0 */
    p = put16(p, e->flags);
    p = put16(p, 0);                    /* method: stored */
    p = put16(p, DOS_TIME);
    p = put16(p, DOS_DATE);
    p = put32(p, e->crc);
    p = put32(p, e->size);              /* compressed size */
    p = put32(p, e->size);              /* uncompressed size */
    p = put16(p, (uint32_t)name_len);
    put16(p, 0);                        /* no extra field */
    if (writer_write(w, lh, sizeof lh, err) != 0 ||
        writer_write(w, e->name, name_len, err) != 0 ||
        writer_write(w, hdr, hdr_len, err) != 0 ||
        writer_write(w, data, (size_t)data_len, err) != 0)
        return -1;
    return 0;
}

int npz_add_f32(NpzWriter *w, const char *name, const float *data, int ndim,
                const int64_t *shape, BtError *err) {
    return npz_add(w, name, data, sizeof(float), "<f4", ndim, shape, err);
}

int npz_add_i32(NpzWriter *w, const char *name, const int32_t *data, int ndim,
                const int64_t *shape, BtError *err) {
    return npz_add(w, name, data, sizeof(int32_t), "<i4", ndim, shape, err);
}

static void free_writer(NpzWriter *w) {
    for (int i = 0; i < w->n; i++) free(w->entries[i].name);
    free(w->entries);
    free(w);
}

static int write_directory(NpzWriter *w, BtError *err) {
    uint64_t cd_start = w->offset;
    for (int i = 0; i < w->n; i++) {
        const NpzEntry *e = &w->entries[i];
        size_t name_len = strlen(e->name);
        uint8_t ch[46], *p = ch;
        p = put32(p, 0x02014b50);       /* central directory header signature */
        p = put16(p, (3u << 8) | 20);   /* made by: Unix, zip 2.0 */
        p = put16(p, 20);               /* version needed */
        p = put16(p, e->flags);
        p = put16(p, 0);                /* stored */
        p = put16(p, DOS_TIME);
        p = put16(p, DOS_DATE);
        p = put32(p, e->crc);
        p = put32(p, e->size);
        p = put32(p, e->size);
        p = put16(p, (uint32_t)name_len);
        p = put16(p, 0);                /* extra */
        p = put16(p, 0);                /* comment */
        p = put16(p, 0);                /* disk number */
        p = put16(p, 0);                /* internal attributes */
        p = put32(p, 0100644u << 16);   /* external: a regular rw-r--r-- file */
        put32(p, e->offset);
        if (writer_write(w, ch, sizeof ch, err) != 0 ||
            writer_write(w, e->name, name_len, err) != 0)
            return -1;
    }
    uint64_t cd_size = w->offset - cd_start;
    if (w->offset > ZIP_MAX_OFFSET) {
        char file[ST_NAME_BUF];
        st_display_path(file, w->file.path);
        return bt_fail(err, "%s: the directory takes the archive past 4 GiB (ZIP64 is not "
                       "supported)", file);
    }
    uint8_t eocd[22], *p = eocd;
    p = put32(p, 0x06054b50);           /* end of central directory signature */
    p = put16(p, 0);                    /* this disk */
    p = put16(p, 0);                    /* disk with the directory */
    p = put16(p, (uint32_t)w->n);
    p = put16(p, (uint32_t)w->n);
    p = put32(p, (uint32_t)cd_size);
    p = put32(p, (uint32_t)cd_start);
    put16(p, 0);                        /* no comment */
    return writer_write(w, eocd, sizeof eocd, err);
}

int npz_close(NpzWriter *w, BtError *err) {
    if (!w) return bt_fail(err, "npz: no archive");
    if (w->failed) {
        char file[ST_NAME_BUF];
        st_display_path(file, w->file.path);
        npz_abort(w);
        return bt_fail(err, "%s: an earlier write failed; nothing was saved", file);
    }
    if (write_directory(w, err) != 0) {
        npz_abort(w);
        return -1;
    }
    int rc = af_commit(&w->file, err);
    free_writer(w);
    return rc;
}

void npz_abort(NpzWriter *w) {
    if (!w) return;
    af_abort(&w->file);
    free_writer(w);
}
