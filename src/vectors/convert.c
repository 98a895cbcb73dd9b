/* Any supported input to .btv: map the input, tell the format from its
 * first bytes, and let the format's reader feed the writer. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/i18n.h"
#include "bertology/infile.h"
#include "readers.h"

/* Marked N_(): the REPL and `vectors convert` print them translated. */
const char *vec_format_name(VecFormat f) {
    switch (f) {
    case VEC_FMT_TEXT: return N_("text (GloVe / word2vec)");
    case VEC_FMT_BINARY: return N_("word2vec binary");
    case VEC_FMT_WINK: return N_("wink-embeddings JSON");
    default: return "auto";
    }
}

/* A "count dim" first line is shared by word2vec text and binary; the
 * bytes after the first word then tell them apart: text numbers use a
 * dozen characters, float32 bits use them all. */
VecFormat vec_detect(const VecInput *in) {
    const char *p = in->data, *end = in->data + in->size;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    if (p < end && *p == '{') return VEC_FMT_WINK;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return VEC_FMT_TEXT;
    const char *sp = memchr(p, ' ', (size_t)(nl - p));
    const char *de = nl;
    while (de > p && (de[-1] == ' ' || de[-1] == '\r')) de--;
    long count, dim;
    if (!sp || vec_parse_count(p, (size_t)(sp - p), &count) != 0 || vec_parse_count(sp + 1, (size_t)(de - sp - 1), &dim) != 0)
        return VEC_FMT_TEXT;
    const char *q = nl + 1;
    while (q < end && *q != ' ' && *q != '\t' && q - nl < BTV_MAX_WORD) q++;
    if (q == end || (*q != ' ' && *q != '\t')) return VEC_FMT_TEXT;
    q++;
    /* The rest of the first line: numbers in text; in binary, float bits
     * that leave that alphabet long before a chance newline. */
    long look = dim * 4 < 64 ? dim * 4 : 64;
    for (long i = 0; i < look && q + i < end && q[i] != '\n'; i++)
        if (!memchr("0123456789+-.eE \t\r", q[i], 18)) return VEC_FMT_BINARY;
    return VEC_FMT_TEXT;
}

static const char *base_name(const char *path, char *buf, size_t n) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, n, "%s", b);
    return buf;
}

int vec_convert(const char *in, const char *out, const VecConvertOptions *opt, VecConvertStats *st, BtError *err) {
    memset(st, 0, sizeof *st);
    uint64_t size;
    int fd = bt_file_open(in, BT_FILE_VECTORS_SOURCE, &size, err);
    if (fd < 0) return -1;
    if (size == 0) {
        close(fd);
        return bt_fail(err, "%s is empty", in);
    }
    void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return bt_fail(err, "cannot map %s: %s", in, strerror(errno));
    madvise(map, (size_t)size, MADV_SEQUENTIAL);
    VecInput vi = {map, (size_t)size, in};

    VecFormat f = opt->format != VEC_FMT_AUTO ? opt->format : vec_detect(&vi);
    st->format = f;
    BtvWriter *w;
    int rc = -1;
    if (btv_writer_open(&w, out, opt->top, err) == 0) {
        int r = f == VEC_FMT_BINARY ? vec_read_w2v_bin(&vi, w, err)
                : f == VEC_FMT_WINK ? vec_read_wink(&vi, w, err)
                                    : vec_read_text(&vi, w, err);
        if (r != 0) {
            btv_writer_abort(w);
        } else {
            char name[256];
            st->kept = btv_writer_rows(w);
            st->dim = btv_writer_get_dim(w);
            rc = btv_writer_finish(w, opt->name ? opt->name : base_name(in, name, sizeof name), &st->duplicates,
                                   &st->bad_words, &st->bytes, err);
            st->read = st->kept + st->duplicates + st->bad_words;
        }
    }
    munmap(map, (size_t)size);
    return rc;
}
