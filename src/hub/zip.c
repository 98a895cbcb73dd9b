#include "zip.h"
#include "display.h"
#include <stdlib.h>
#include <string.h>

enum {
    SIG_LOCAL = 0x04034b50,
    SIG_CENTRAL = 0x02014b50,
    SIG_EOCD = 0x06054b50,
    SIG_EOCD64 = 0x06064b50,
    SIG_LOCATOR64 = 0x07064b50,
    EOCD_SIZE = 22,
    CENTRAL_SIZE = 46,
    LOCAL_SIZE = 30,
};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* The end record sits in the last 22 + 65535 (comment) bytes; scanning
 * backwards finds the real one even when the comment contains lookalikes
 * near its start. */
static long find_eocd(const uint8_t *buf, size_t size) {
    if (size < EOCD_SIZE) return -1;
    size_t lo = size > EOCD_SIZE + 65535 ? size - EOCD_SIZE - 65535 : 0;
    for (size_t i = size - EOCD_SIZE + 1; i-- > lo;)
        if (rd32(buf + i) == SIG_EOCD && i + EOCD_SIZE + rd16(buf + i + 20) == size) return (long)i;
    return -1;
}

/* Zip64 keeps the real values of the fields saturated at 0xFFFFFFFF in
 * extra field 0x0001, in a fixed order, only for the saturated ones. */
static int apply_zip64(const uint8_t *extra, size_t n, ZipEntry *e, int need_u, int need_c, int need_o) {
    size_t i = 0;
    while (i + 4 <= n) {
        uint16_t id = rd16(extra + i), len = rd16(extra + i + 2);
        if (i + 4 + len > n) return -1;
        if (id == 1) {
            const uint8_t *p = extra + i + 4, *end = p + len;
            if (need_u) { if (p + 8 > end) return -1; e->usize = rd64(p); p += 8; }
            if (need_c) { if (p + 8 > end) return -1; e->csize = rd64(p); p += 8; }
            if (need_o) { if (p + 8 > end) return -1; e->local_offset = rd64(p); }
            return 0;
        }
        i += 4 + (size_t)len;
    }
    return need_u || need_c || need_o ? -1 : 0;
}

/* By name, then by place in the directory, so the first of two
 * same-named entries comes first. */
static int cmp_entry(const void *pa, const void *pb) {
    const ZipEntry *a = *(const ZipEntry *const *)pa, *b = *(const ZipEntry *const *)pb;
    int c = strcmp(a->name, b->name);
    return c ? c : (a > b) - (a < b);
}

int zip_open(ZipArchive *z, const uint8_t *buf, size_t size, BtError *err) {
    memset(z, 0, sizeof *z);
    z->buf = buf;
    z->size = size;
    long eo = find_eocd(buf, size);
    if (eo < 0) return bt_fail(err, "not a zip archive or truncated (no end-of-directory record)");
    const uint8_t *eocd = buf + eo;
    uint64_t n = rd16(eocd + 10), cd_size = rd32(eocd + 12), cd_off = rd32(eocd + 16);
    if (n == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) {
        if (eo < 20 || rd32(buf + eo - 20) != SIG_LOCATOR64)
            return bt_fail(err, "zip64 archive without its locator record");
        uint64_t off64 = rd64(buf + eo - 20 + 8);
        if (off64 > size - 56 || size < 56 || rd32(buf + off64) != SIG_EOCD64)
            return bt_fail(err, "zip64 end-of-directory record out of bounds");
        n = rd64(buf + off64 + 32);
        cd_size = rd64(buf + off64 + 40);
        cd_off = rd64(buf + off64 + 48);
    }
    if (cd_off > size || cd_size > size - cd_off)
        return bt_fail(err, "zip central directory lies outside the file (truncated download?)");
    if (n > cd_size / CENTRAL_SIZE) return bt_fail(err, "zip directory claims %llu entries, more than fit", (unsigned long long)n);
    z->entries = calloc(n ? n : 1, sizeof *z->entries);
    if (!z->entries) return bt_fail(err, "out of memory");
    const uint8_t *p = buf + cd_off, *end = p + cd_size;
    for (uint64_t i = 0; i < n; i++) {
        if (end - p < CENTRAL_SIZE || rd32(p) != SIG_CENTRAL) {
            zip_close(z);
            return bt_fail(err, "zip central directory entry %llu is damaged", (unsigned long long)i);
        }
        ZipEntry *e = &z->entries[i];
        e->method = rd16(p + 10);
        e->crc32 = rd32(p + 16);
        e->csize = rd32(p + 20);
        e->usize = rd32(p + 24);
        size_t nl = rd16(p + 28), xl = rd16(p + 30), cl = rd16(p + 32);
        e->local_offset = rd32(p + 42);
        if ((size_t)(end - p) < CENTRAL_SIZE + nl + xl + cl) {
            zip_close(z);
            return bt_fail(err, "zip central directory entry %llu runs past the directory", (unsigned long long)i);
        }
        e->name = malloc(nl + 1);
        if (!e->name) { zip_close(z); return bt_fail(err, "out of memory"); }
        memcpy(e->name, p + CENTRAL_SIZE, nl);
        e->name[nl] = 0;
        z->n_entries = i + 1;
        if (apply_zip64(p + CENTRAL_SIZE + nl, xl, e, e->usize == 0xFFFFFFFFu, e->csize == 0xFFFFFFFFu,
                        e->local_offset == 0xFFFFFFFFu)) {
            char nm[HUB_NAME_BUF];
            hub_display(nm, e->name);
            zip_close(z);
            return bt_fail(err, "zip entry '%s' has a damaged zip64 field", nm);
        }
        p += CENTRAL_SIZE + nl + xl + cl;
    }
    /* a torch file has one record per storage, tens of thousands in a
     * large model: looking each up by a linear scan would be quadratic */
    if (!(z->by_name = malloc(sizeof *z->by_name * (n ? n : 1)))) {
        zip_close(z);
        return bt_fail(err, "out of memory");
    }
    for (size_t i = 0; i < n; i++) z->by_name[i] = &z->entries[i];
    if (n) qsort(z->by_name, n, sizeof *z->by_name, cmp_entry);
    return 0;
}

void zip_close(ZipArchive *z) {
    for (size_t i = 0; i < z->n_entries; i++) free(z->entries[i].name);
    free(z->entries);
    free(z->by_name);
    z->entries = NULL;
    z->by_name = NULL;
    z->n_entries = 0;
}

const ZipEntry *zip_find(const ZipArchive *z, const char *name) {
    size_t lo = 0, hi = z->by_name ? z->n_entries : 0;
    while (lo < hi) { /* the first entry not before name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(z->by_name[mid]->name, name) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < (z->by_name ? z->n_entries : 0) && !strcmp(z->by_name[lo]->name, name) ? z->by_name[lo] : NULL;
}

uint32_t zip_crc32(const uint8_t *p, size_t n) {
    /* bytewise with a table built on the stack per call: the cost is
     * nothing next to hashing megabytes, and there is no global state */
    uint32_t tab[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        tab[i] = c;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = tab[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

int zip_entry_data(const ZipArchive *z, const ZipEntry *e, int verify_crc,
                   const uint8_t **data, size_t *len, BtError *err) {
    char nm[HUB_NAME_BUF];
    hub_display(nm, e->name);
    if (e->method != 0)
        return bt_fail(err, "zip entry '%s' is compressed (method %u); torch.save stores entries "
                            "uncompressed, so this file was repacked; unzip and re-zip it with -0",
                       nm, e->method);
    if (e->csize != e->usize) return bt_fail(err, "zip entry '%s' is stored but its two sizes differ", nm);
    if (e->local_offset > z->size || z->size - e->local_offset < LOCAL_SIZE ||
        rd32(z->buf + e->local_offset) != SIG_LOCAL)
        return bt_fail(err, "zip entry '%s': local header missing (truncated download?)", nm);
    const uint8_t *lh = z->buf + e->local_offset;
    /* the local extra field may differ from the central one: torch pads it
     * to align the data, so its own length must be used */
    uint64_t start = e->local_offset + LOCAL_SIZE + rd16(lh + 26) + rd16(lh + 28);
    if (start > z->size || e->usize > z->size - start)
        return bt_fail(err, "zip entry '%s' runs past the end of the file (truncated download?)", nm);
    *data = z->buf + start;
    *len = (size_t)e->usize;
    if (verify_crc && zip_crc32(*data, *len) != e->crc32)
        return bt_fail(err, "zip entry '%s' fails its CRC check; the file is damaged", nm);
    return 0;
}
