/* libFuzzer target: opening a .btv file (src/vectors/vecset.c) and using
 * it as `similar` does.
 *
 * vecset_open promises that whatever it accepts can be looked up without
 * reading outside the map, and that no row it accepts is NaN or infinite
 * (issue 17: NaN rows ranked first in `similar`). So on an accepted file:
 * every word, every row's nearest neighbours, and the full check, which
 * may refuse but must not crash. */
#include "bertology/vectors.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_util.h"

static char path[128];

static void die(const char *what, const char *msg) {
    fprintf(stderr, "fuzz_btv: %s: %s\n", what, msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) /* in the scratch folder, removed at exit (one file per process had piled up in /dev/shm) */
        snprintf(path, sizeof path, "%s/input.btv", fuzz_tmpdir("fuzz-btv"));
    FILE *f = fopen(path, "wb");
    if (!f) die("fopen", path);
    if (size && fwrite(data, 1, size, f) != size) die("fwrite", path);
    fclose(f);
    VecSet *vs;
    BtError err;
    if (vecset_open(&vs, path, &err) != 0) {
        if (!err.msg[0] || strchr(err.msg, '\n')) die("vecset_open", "failed without one line of message");
        return 0;
    }
    long n = vecset_count(vs);
    int dim = vecset_dim(vs);
    for (long r = 0; r < n; r++) {
        (void)vecset_find(vs, vecset_word(vs, r));
        if (!isfinite(vecset_norm(vs, r))) die("vecset_open", "accepted a NaN or infinite norm");
        for (int d = 0; d < dim; d++)
            if (!isfinite(vecset_row(vs, r)[d])) die("vecset_open", "accepted a NaN or infinite row");
    }
    VecHit hits[5];
    for (long r = 0; r < n && r < 8; r++) {
        int k = vec_nearest(vs, vecset_row(vs, r), &r, 1, 5, hits);
        for (int i = 0; i < k; i++)
            if (hits[i].row < 0 || hits[i].row >= n || !(hits[i].cos >= -1 && hits[i].cos <= 1))
                die("vec_nearest", "a hit outside the set or a cosine outside [-1, 1]");
    }
    long rows[5];
    if (n) (void)vecset_suggest(vs, "the", rows, 5);
    (void)vecset_verify(vs, &err);
    vecset_free(vs);
    return 0;
}
