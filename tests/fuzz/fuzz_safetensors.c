/* libFuzzer target for the safetensors reader: any byte string, opened as
 * a file, must either be refused with a message or yield tensors that can
 * all be read; never a crash, a leak or an out-of-bounds access. */
#include "bertology/safetensors.h"
#include "memfile.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[64];
    int fd = fuzz_memfile(data, size, path);

    StFile f;
    BtError err = {{0}};
    if (st_open(&f, path, &err) != 0) {
        if (!err.msg[0] || f.map || f.tensors) abort();   /* silent or leaky failure */
    } else {
        for (int i = 0; i < f.n_tensors; i++) {
            const StTensor *t = &f.tensors[i];
            if (t->end > f.data_size || t->begin > t->end) abort();
            if (st_find(&f, t->name) != t) abort();      /* names are unique */
            int64_t n = st_numel(t);
            float *out = malloc(n > 0 ? (size_t)n * sizeof(float) : 1);
            int rc = st_read_f32(&f, t, out, &err);
            int is_float = t->dtype == ST_F32 || t->dtype == ST_F16 ||
                           t->dtype == ST_BF16 || t->dtype == ST_F64;
            if ((rc == 0) != is_float) abort();
            free(out);
        }
        st_close(&f);
    }
    close(fd);
    return 0;
}
