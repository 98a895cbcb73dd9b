/* pytorch_model.bin as a file: the zip archive of torch >= 1.6, or the
 * older chain of pickles followed by the raw storages. Finds each
 * storage's bytes and turns tensors (any strides) into contiguous f32. */
#include "bertology/half.h"
#include "bertology/infile.h"
#include "bertology/pickle.h"
#include "display.h"
#include "zip.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The old format opens with a pickle of this number:
 * PROTO 2, LONG1 of 10 bytes (0x1950a86a20f9469cfc6c), STOP. */
static const uint8_t LEGACY_MAGIC[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                       0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e};

static size_t elem_size(StDtype d) { return st_dtype_size(d); }

int pt_is_float(StDtype d) { return d == ST_F32 || d == ST_F16 || d == ST_BF16 || d == ST_F64; }

int64_t pt_numel(const PtTensor *t) {
    int64_t n = 1;
    for (int d = 0; d < t->ndim; d++) n *= t->size[d];
    return n;
}

static int storage_bytes(const PtStorage *s, size_t *out) {
    uint64_t b;
    if (__builtin_mul_overflow((uint64_t)s->numel, (uint64_t)elem_size(s->dtype), &b) || b > SIZE_MAX) return -1;
    *out = (size_t)b;
    return 0;
}

static int fail_storage(BtError *err, const PtStorage *s, size_t have, size_t want) {
    char k[HUB_NAME_BUF];
    hub_display(k, s->key);
    return bt_fail(err, "storage '%s' holds %zu bytes but the pickle declares %zu (%lld x %s); "
                        "the file is damaged or not what it claims",
                   k, have, want, (long long)s->numel, st_dtype_name(s->dtype));
}

static int open_zip(PtCheckpoint *c, BtError *err) {
    ZipArchive z;
    if (zip_open(&z, c->map, c->map_size, err)) return -1;
    const ZipEntry *pkl = NULL;
    size_t plen = 0;
    /* the records live under one directory named after the file torch
     * wrote (often "archive"); data.pkl tells which */
    for (size_t i = 0; i < z.n_entries && !pkl; i++) {
        const char *n = z.entries[i].name, *slash = strchr(n, '/');
        if (slash && slash != n && !strcmp(slash, "/data.pkl")) pkl = &z.entries[i], plen = (size_t)(slash - n);
    }
    int rc = 0;
    const uint8_t *p;
    size_t len, used;
    if (!pkl) rc = bt_fail(err, "a zip archive without a data.pkl record: not a torch.save file");
    if (!rc) rc = zip_entry_data(&z, pkl, 1, &p, &len, err);
    if (!rc) rc = pt_unpickle_state_dict(p, len, &used, &c->sd, err);
    for (int i = 0; i < c->sd.n_storages && !rc; i++) {
        PtStorage *s = &c->sd.storages[i];
        char name[160];
        snprintf(name, sizeof name, "%.*s/data/%s", (int)plen, pkl->name, s->key);
        const ZipEntry *e = zip_find(&z, name);
        size_t want = 0;
        if (!e) {
            char k[HUB_NAME_BUF];
            hub_display(k, s->key);
            rc = bt_fail(err, "storage '%s' is missing from the archive (truncated or damaged file)", k);
        } else if (!(rc = zip_entry_data(&z, e, 1, &s->data, &s->nbytes, err))) {
            if (storage_bytes(s, &want) || want != s->nbytes) rc = fail_storage(err, s, s->nbytes, want);
        }
    }
    zip_close(&z);
    return rc;
}

static int cmp_key(const void *a, const void *b) {
    return strcmp((*(PtStorage *const *)a)->key, (*(PtStorage *const *)b)->key);
}

static int open_legacy(PtCheckpoint *c, BtError *err) {
    const uint8_t *p = c->map;
    size_t n = c->map_size, pos = sizeof LEGACY_MAGIC, used;
    char **keys = NULL;
    int n_keys = 0, rc = 0;
    c->legacy = 1;
    /* protocol version, then sys_info: plain data, checked and skipped */
    for (int i = 0; i < 2 && !rc; i++) {
        rc = pt_unpickle_plain(p + pos, n - pos, &used, &keys, &n_keys, err);
        pt_free_strs(keys, n_keys);
        keys = NULL, n_keys = 0;
        pos += rc ? 0 : used;
    }
    if (!rc) rc = pt_unpickle_state_dict(p + pos, n - pos, &used, &c->sd, err);
    if (!rc) pos += used, rc = pt_unpickle_plain(p + pos, n - pos, &used, &keys, &n_keys, err);
    if (!rc) pos += used;
    if (!rc && n_keys != c->sd.n_storages)
        rc = bt_fail(err, "old-format checkpoint lists %d storages but its tensors use %d", n_keys, c->sd.n_storages);
    /* the storages by key, so that each listed key is a binary search
     * (the unpickler made the keys unique) */
    PtStorage **by_key = rc ? NULL : malloc(sizeof *by_key * (size_t)(n_keys ? n_keys : 1));
    if (!rc && !by_key) rc = bt_fail(err, "out of memory");
    for (int i = 0; i < n_keys && !rc; i++) by_key[i] = &c->sd.storages[i];
    if (!rc && n_keys) qsort(by_key, (size_t)n_keys, sizeof *by_key, cmp_key);
    /* each storage: its element count (8 bytes), then its bytes */
    for (int i = 0; i < n_keys && !rc; i++) {
        PtStorage probe = {.key = keys[i]}, *pp = &probe, **hit;
        hit = bsearch(&pp, by_key, (size_t)n_keys, sizeof *by_key, cmp_key);
        PtStorage *s = hit ? *hit : NULL;
        size_t want;
        if (!s || s->data) {
            rc = bt_fail(err, "old-format checkpoint lists a storage its tensors do not use");
        } else if (n - pos < 8) {
            rc = bt_fail(err, "old-format checkpoint ends before its storages (truncated)");
        } else {
            uint64_t count = 0;
            for (int b = 7; b >= 0; b--) count = count << 8 | p[pos + b];
            pos += 8;
            char k[HUB_NAME_BUF];
            hub_display(k, s->key);
            if (count != (uint64_t)s->numel)
                rc = bt_fail(err, "storage '%s' holds %llu elements but the pickle declares %lld", k,
                             (unsigned long long)count, (long long)s->numel);
            else if (storage_bytes(s, &want) || want > n - pos)
                rc = bt_fail(err, "storage '%s' runs past the end of the file (truncated)", k);
            else
                s->data = p + pos, s->nbytes = want, pos += want;
        }
    }
    pt_free_strs(keys, n_keys);
    free(by_key);
    return rc;
}

int pt_open(PtCheckpoint *c, const char *path, BtError *err) {
    memset(c, 0, sizeof *c);
    char file[HUB_NAME_BUF];
    hub_display(file, path);
    /* the one open of outside files: regular, never a FIFO, within the
     * pytorch_model.bin cap of docs/limits.md */
    uint64_t size = 0;
    BtError open_err;
    int fd = bt_file_open(path, BT_FILE_PYTORCH, &size, &open_err);
    if (fd < 0) return bt_fail(err, "%s", open_err.msg);
    if (size < 16) {
        close(fd);
        return bt_fail(err, "%s: not a PyTorch checkpoint (%llu bytes)", file, (unsigned long long)size);
    }
    c->map_size = (size_t)size;
    c->map = mmap(NULL, c->map_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (c->map == MAP_FAILED) {
        c->map = NULL;
        return bt_fail(err, "%s: cannot map it: %s", file, strerror(errno));
    }
    const uint8_t *p = c->map;
    BtError inner;
    int rc;
    if (p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4) rc = open_zip(c, &inner);
    else if (!memcmp(p, LEGACY_MAGIC, sizeof LEGACY_MAGIC)) rc = open_legacy(c, &inner);
    else rc = bt_fail(&inner, "neither a torch zip archive nor the older torch format");
    if (rc) {
        pt_close(c);
        return bt_fail(err, "%s: %s", file, inner.msg);
    }
    return 0;
}

void pt_close(PtCheckpoint *c) {
    pt_state_dict_free(&c->sd);
    if (c->map) munmap(c->map, c->map_size);
    memset(c, 0, sizeof *c);
}

static float load_elem(const uint8_t *base, StDtype d, int64_t i) {
    switch (d) {
    case ST_F32: { float f; memcpy(&f, base + 4 * i, 4); return f; }
    case ST_F64: { double f; memcpy(&f, base + 8 * i, 8); return (float)f; }
    case ST_F16: { uint16_t h; memcpy(&h, base + 2 * i, 2); return bt_f16_to_f32(h); }
    default: { uint16_t h; memcpy(&h, base + 2 * i, 2); return bt_bf16_to_f32(h); }
    }
}

int pt_tensor_f32(const PtCheckpoint *c, const PtTensor *t, float *out, BtError *err) {
    const PtStorage *s = &c->sd.storages[t->storage];
    if (!pt_is_float(s->dtype)) {
        char nm[HUB_NAME_BUF];
        hub_display(nm, t->name);
        return bt_fail(err, "tensor '%s' is %s, not a float type", nm, st_dtype_name(s->dtype));
    }
    if (!s->data) return bt_fail(err, "storage data missing");
    /* the unpickler checked the extent against the declared numel and the
     * container checked the bytes against it, so every index is inside */
    int64_t n = pt_numel(t), idx[PT_MAX_DIMS] = {0}, at = t->offset;
    for (int64_t k = 0; k < n; k++) {
        out[k] = load_elem(s->data, s->dtype, at);
        for (int d = t->ndim - 1; d >= 0; d--) {
            at += t->stride[d];
            if (++idx[d] < t->size[d]) break;
            at -= t->stride[d] * t->size[d];
            idx[d] = 0;
        }
    }
    return 0;
}
