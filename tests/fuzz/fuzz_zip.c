/* libFuzzer target for the zip reader (src/hub/zip.c) and, through it and
 * the older chain of pickles, the whole pytorch_model.bin reader
 * (ptcheckpoint.c): any bytes either fail with a message or give entries
 * whose data lies inside the buffer and that zip_find finds by name, and
 * float tensors that read without leaving their storage. */
#include "bertology/pickle.h"
#include "../../src/hub/zip.h"
#include "memfile.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what) {
    fprintf(stderr, "fuzz_zip: %s\n", what);
    abort();
}

static void as_zip(const uint8_t *data, size_t size) {
    ZipArchive z;
    BtError err = {{0}};
    if (zip_open(&z, data, size, &err) != 0) {
        if (!err.msg[0] || z.entries) die("zip: silent or leaky failure");
        return;
    }
    for (size_t i = 0; i < z.n_entries; i++) {
        const ZipEntry *e = &z.entries[i], *f = zip_find(&z, e->name);
        if (!f || strcmp(f->name, e->name) || f > e) die("zip_find misses an entry or finds a later one");
        const uint8_t *p;
        size_t len;
        if (zip_entry_data(&z, e, i & 1, &p, &len, &err) == 0 && (p < data || len > size || p + len > data + size))
            die("entry data outside the archive");
    }
    zip_close(&z);
}

/* pt_open takes a path: an in-memory file gives one. */
static void as_checkpoint(const uint8_t *data, size_t size) {
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    PtCheckpoint c;
    BtError err = {{0}};
    if (pt_open(&c, path, &err) == 0) {
        for (int i = 0; i < c.sd.n_tensors; i++) {
            const PtTensor *t = &c.sd.tensors[i];
            const PtStorage *s = &c.sd.storages[t->storage];
            int64_t n = pt_numel(t);
            /* a huge view of a small storage is the convert step's to refuse */
            if (!pt_is_float(s->dtype) || !s->data || n > (1 << 20)) continue;
            float *out = malloc(n > 0 ? (size_t)n * sizeof(float) : 1);
            if (pt_tensor_f32(&c, t, out, &err)) die("a float tensor of an opened checkpoint fails to read");
            free(out);
        }
        pt_close(&c);
    } else if (!err.msg[0] || c.map) {
        die("checkpoint: silent or leaky failure");
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    as_zip(data, size);
    as_checkpoint(data, size);
    return 0;
}
