/* libFuzzer target for the restricted unpickler (src/hub/unpickle.c): any
 * bytes, run as a state-dict pickle and as a plain-data pickle, must be
 * refused with a message or give what the API promises: tensors whose
 * extent lies inside their storage's declared size, each pointing at a
 * storage that exists, names unique and non-empty; never a crash, a leak
 * or an out-of-bounds access. */
#include "bertology/pickle.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what) {
    fprintf(stderr, "fuzz_pickle: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    PtStateDict sd;
    BtError err = {{0}};
    size_t used = 0;
    if (pt_unpickle_state_dict(data, size, &used, &sd, &err) == 0) {
        if (used > size) die("read past the input");
        for (int i = 0; i < sd.n_tensors; i++) {
            const PtTensor *t = &sd.tensors[i];
            if (!t->name || !t->name[0]) die("tensor without a name");
            if (t->storage < 0 || t->storage >= sd.n_storages) die("tensor of a storage that does not exist");
            if (t->ndim < 0 || t->ndim > PT_MAX_DIMS || t->offset < 0) die("bad dims or offset");
            int64_t last = t->offset, numel = pt_numel(t);
            for (int d = 0; d < t->ndim; d++) {
                if (t->size[d] < 0 || t->stride[d] < 0) die("negative size or stride");
                if (t->size[d] > 0) last += (t->size[d] - 1) * t->stride[d];
            }
            if (numel > 0 && last >= sd.storages[t->storage].numel) die("tensor reaches past its storage");
            for (int j = 0; j < i; j++)
                if (!strcmp(sd.tensors[j].name, t->name)) die("a name twice");
        }
        pt_state_dict_free(&sd);
    } else if (!err.msg[0] || sd.tensors || sd.storages) {
        die("silent or leaky failure");
    }
    char **strs;
    int n;
    memset(&err, 0, sizeof err);
    if (pt_unpickle_plain(data, size, &used, &strs, &n, &err) == 0) {
        if (used > size || n < 0 || (n && !strs)) die("plain pickle: bad result");
        pt_free_strs(strs, n);
    } else if (!err.msg[0] || strs || n) {
        die("plain pickle: silent or leaky failure");
    }
    return 0;
}
