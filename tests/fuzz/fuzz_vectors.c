/* libFuzzer target: the readers of published vector files (GloVe /
 * word2vec text, word2vec binary, wink JSON; src/vectors/read_*.c) feeding
 * the .btv writer.
 *
 * The first byte picks the reader (or detection, as `vectors convert`
 * does) and a row limit; the rest is the file. Whatever a reader accepts
 * must write a .btv that opens, passes the full check, and finds each of
 * its words at its own row: the writer and the reader agree. */
#include "bertology/vectors.h"
#include "../../src/vectors/readers.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_util.h"

static char out[128];

static void die(const char *what, const char *msg) {
    fprintf(stderr, "fuzz_vectors: %s: %s\n", what, msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!out[0]) /* the scratch folder (tmpfs where there is one: the writer fsyncs), removed at exit */
        snprintf(out, sizeof out, "%s/out.btv", fuzz_tmpdir("fuzz-vectors"));
    if (size < 1) return 0;
    VecInput in = {(const char *)data + 1, size - 1, "input"};
    int pick = data[0] & 3;
    long top = data[0] >> 2 & 7;   /* 0 = every row */
    VecFormat f = pick == 0 ? VEC_FMT_TEXT : pick == 1 ? VEC_FMT_BINARY : pick == 2 ? VEC_FMT_WINK : vec_detect(&in);
    BtvWriter *w;
    BtError err;
    if (btv_writer_open(&w, out, top, &err)) die("btv_writer_open", err.msg);
    int r = f == VEC_FMT_BINARY ? vec_read_w2v_bin(&in, w, &err)
            : f == VEC_FMT_WINK ? vec_read_wink(&in, w, &err)
                                : vec_read_text(&in, w, &err);
    if (r != 0) {
        /* messages quote words from the file as they are (a newline too);
         * making them printable is the printers' job (issue 17 item 5) */
        if (!err.msg[0]) die("reader", "failed without a message");
        btv_writer_abort(w);
        return 0;
    }
    long kept = btv_writer_rows(w), dups, bad;
    long long bytes;
    int dim = btv_writer_get_dim(w);
    if (top && kept > top) die("reader", "more rows than the limit");
    if (btv_writer_finish(w, "fuzz", &dups, &bad, &bytes, &err)) {
        if (kept == 0) return 0;   /* "no vectors found" */
        die("btv_writer_finish", err.msg);
    }
    VecSet *vs;
    if (vecset_open(&vs, out, &err)) die("vecset_open refused what the writer wrote", err.msg);
    if (vecset_verify(vs, &err)) die("vecset_verify", err.msg);
    if (vecset_count(vs) != kept || vecset_dim(vs) != dim) die("vecset", "count or dim differ from the writer's");
    for (long i = 0; i < kept; i++)
        if (vecset_find(vs, vecset_word(vs, i)) != i) die("vecset_find", "a word is not at its own row");
    vecset_free(vs);
    unlink(out);
    return 0;
}
