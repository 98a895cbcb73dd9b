/* word2vec's binary format (word2vec.c, -binary 1): a text line
 * "count dim", then per word its bytes, a space, dim little-endian float32
 * and (usually) a newline. The count is all there is to know where the
 * file ends, so a wrong count or a cut file is caught by comparing the two. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "readers.h"

static int is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

int vec_read_w2v_bin(const VecInput *in, BtvWriter *w, BtError *err) {
    const char *p = in->data, *end = in->data + in->size;
    const char *nl = memchr(p, '\n', in->size < 64 ? in->size : 64);
    if (!nl) return bt_fail(err, "%s: no \"count dim\" header line; not a word2vec binary file", in->name);
    const char *sp = memchr(p, ' ', (size_t)(nl - p));
    const char *de = nl;
    while (de > p && (de[-1] == ' ' || de[-1] == '\r')) de--;
    long count, dim;
    if (!sp || vec_parse_count(p, (size_t)(sp - p), &count) != 0 ||
        vec_parse_count(sp + 1, (size_t)(de - sp - 1), &dim) != 0)
        return bt_fail(err, "%s: the first line is not \"count dim\"; not a word2vec binary file", in->name);
    if (dim < 1 || dim > BTV_MAX_DIM)
        return bt_fail(err, "%s: the header says dimension %ld; expected 1–%d", in->name, dim, BTV_MAX_DIM);
    if (count < 1) return bt_fail(err, "%s: the header says %ld vectors", in->name, count);
    if (btv_writer_dim(w, (int)dim, err) != 0) return -1;
    float *v = malloc((size_t)dim * sizeof *v);
    if (!v) return bt_fail(err, "out of memory");
    size_t row_bytes = (size_t)dim * 4;
    p = nl + 1;
    int rc = -1;
    long k;
    for (k = 0; k < count; k++) {
        while (p < end && is_space(*p)) p++;
        if (p == end) {
            bt_fail(err, "%s: the header announced %ld vectors but the file ends after %ld (truncated?)", in->name,
                    count, k);
            goto done;
        }
        const char *ws = p;
        while (p < end && *p != ' ' && p - ws <= BTV_MAX_WORD) p++;
        if (p - ws > BTV_MAX_WORD) {
            bt_fail(err, "%s: vector %ld has no word of at most %d bytes before its numbers; "
                         "not a word2vec binary file, or a wrong dimension in the header", in->name, k + 1,
                    BTV_MAX_WORD);
            goto done;
        }
        size_t wl = (size_t)(p - ws);
        if (p == end || (size_t)(end - p - 1) < row_bytes) {
            bt_fail(err, "%s: the file ends inside vector %ld of %ld ('%.*s'): truncated?", in->name, k + 1, count,
                    (int)(wl > 40 ? 40 : wl), ws);
            goto done;
        }
        p++;
        memcpy(v, p, row_bytes);   /* the rows are not aligned in the file */
        p += row_bytes;
        for (long i = 0; i < dim; i++)
            if (!isfinite(v[i])) {
                bt_fail(err, "%s: value %ld of vector %ld ('%.*s') is not finite; a wrong dimension in the header?",
                        in->name, i + 1, k + 1, (int)(wl > 40 ? 40 : wl), ws);
                goto done;
            }
        int r = btv_writer_add(w, ws, wl, v, err);
        if (r < 0) goto done;
        if (r == 1) { rc = 0; goto done; }
    }
    while (p < end && is_space(*p)) p++;
    if (p != end) {
        bt_fail(err, "%s: %zu bytes follow the %ld vectors the header announced; a wrong count in the header?",
                in->name, (size_t)(end - p), count);
        goto done;
    }
    rc = 0;
done:
    free(v);
    return rc;
}
