/* A static vector set: a mapped .btv file or the model's E_word, behind
 * one set of accessors so that similar/analogy/compare need not care. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include "bertology/i18n.h"
#include "bertology/infile.h"
#include "bertology/vectors.h"
#include "btv.h"

struct VecSet {
    int is_model;
    char name[64];
    char desc[BTV_NAME_SIZE + 32];
    char *path;
    long count;
    int dim;
    const float *rows, *norms;
    /* a file */
    void *map;
    size_t map_size;
    const uint32_t *woff, *sorted;
    const char *str;
    /* the model's table */
    const BertModel *m;
    float *own_norms;
    unsigned char *hidden;
};

const char *vecset_name(const VecSet *vs) { return vs->name; }
const char *vecset_desc(const VecSet *vs) { return vs->desc; }
const char *vecset_path(const VecSet *vs) { return vs->path; }
long vecset_count(const VecSet *vs) { return vs->count; }
int vecset_dim(const VecSet *vs) { return vs->dim; }
int vecset_is_model(const VecSet *vs) { return vs->is_model; }
const float *vecset_row(const VecSet *vs, long r) { return vs->rows + r * (long)vs->dim; }
float vecset_norm(const VecSet *vs, long r) { return vs->norms[r]; }

const char *vecset_word(const VecSet *vs, long r) {
    if (vs->is_model) return tok_token(vs->m->tok, (int)r);
    return vs->str + vs->woff[r];
}

int vecset_listable(const VecSet *vs, long r) {
    if (vs->norms[r] <= 0) return 0;
    return !vs->is_model || !vs->hidden[r];
}

void vecset_free(VecSet *vs) {
    if (!vs) return;
    if (vs->map) munmap(vs->map, vs->map_size);
    free(vs->path);
    free(vs->own_norms);
    free(vs->hidden);
    free(vs);
}

/* ---------------------------------------------------------------- a .btv file */

static int section_ok(uint64_t off, uint64_t len, uint64_t size) {
    return off >= BTV_HEADER_SIZE && off % 4 == 0 && off <= size && len <= size - off;
}

/* What lookups rely on to stay inside the map, checked at open: word
 * offsets rise inside the strings, which end in a NUL (so even a word that
 * lost its own NUL stops there), and the sorted index names real rows.
 * Sequential reads of ~3 MB for 400k words: about a millisecond. */
static int check_tables(const VecSet *vs, const BtvHeader *h, const char *path, BtError *err) {
    const uint32_t *wo = vs->woff;
    if (wo[0] != 0 || wo[vs->count] != h->str_size || vs->str[h->str_size - 1] != 0)
        return bt_fail(err, "%s is damaged: its word table does not cover its strings", path);
    uint32_t bad = 0;
    for (long i = 0; i < vs->count; i++) bad |= (uint32_t)(wo[i + 1] <= wo[i]);
    if (bad) return bt_fail(err, "%s is damaged: its word offsets are out of order", path);
    for (long i = 0; i < vs->count; i++) bad |= (uint32_t)(vs->sorted[i] >= (uint64_t)vs->count);
    if (bad) return bt_fail(err, "%s is damaged: its sorted index names rows it does not have", path);
    return 0;
}

/* Index of the first NaN or infinity in x[0..n), or -1. Exponent bits all
 * set is both; OR-ing the test over a block lets the compiler vectorise
 * the common case, a block with none. */
static int bits_nonfinite(const float *x) {
    uint32_t u;
    memcpy(&u, x, sizeof u);   /* not a cast: the words are read as floats elsewhere */
    return (u & 0x7f800000u) == 0x7f800000u;
}

static long nonfinite_at(const float *x, size_t n) {
    for (size_t b = 0; b < n; b += 4096) {
        size_t e = n - b < 4096 ? n : b + 4096;
        int any = 0;
        for (size_t i = b; i < e; i++) any |= bits_nonfinite(x + i);
        if (any)
            for (size_t i = b; i < e; i++)
                if (bits_nonfinite(x + i)) return (long)i;
    }
    return -1;
}

/* A NaN row would rank first in `similar` (every comparison with NaN is
 * false), so a file with one is refused. Reading every row of 400k × 300
 * took 0.4 s warm (2.1 s cold, paging the file in, which the first
 * `similar` would do anyway) on a loaded 2-core machine. */
static int check_numbers(const VecSet *vs, const char *path, BtError *err) {
    long at = nonfinite_at(vs->norms, (size_t)vs->count);
    if (at < 0 && (at = nonfinite_at(vs->rows, (size_t)vs->count * (size_t)vs->dim)) >= 0) at /= vs->dim;
    for (long r = 0; at < 0 && r < vs->count; r++)
        if (vs->norms[r] < 0) at = r;
    if (at >= 0)
        return bt_fail(err, "%s is damaged: row %ld holds a NaN or infinite number (or a negative norm)", path, at);
    return 0;
}

/* The rest, which only makes answers wrong, not reads unsafe: every word
 * NUL-terminated in place, the index a permutation in byte order. Reads
 * the words at random, so `bertology vectors info` does it, not open. */
int vecset_verify(const VecSet *vs, BtError *err) {
    if (vs->is_model) return 0;
    const uint32_t *wo = vs->woff;
    const char *path = vs->path;
    for (long i = 0; i < vs->count; i++)
        if (wo[i + 1] < wo[i] + 2 || vs->str[wo[i + 1] - 1] != 0)
            return bt_fail(err, "%s is damaged: word %ld is malformed", path, i);
    unsigned char *seen = calloc((size_t)vs->count / 8 + 1, 1);
    if (!seen) return bt_fail(err, "out of memory");
    int rc = 0;
    for (long i = 0; i < vs->count && !rc; i++) {
        uint32_t r = vs->sorted[i];
        if (seen[r / 8] & (1u << (r % 8)))
            rc = bt_fail(err, "%s is damaged: its sorted index is not a permutation", path);
        seen[r / 8] |= (unsigned char)(1u << (r % 8));
        if (!rc && i > 0 && strcmp(vs->str + wo[vs->sorted[i - 1]], vs->str + wo[r]) >= 0)
            rc = bt_fail(err, "%s is damaged: its sorted index is out of order", path);
    }
    free(seen);
    return rc;
}

static void short_name(const char *path, char *buf, size_t n) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t len = strlen(b);
    if (len > 4 && !strcmp(b + len - 4, ".btv")) len -= 4;
    snprintf(buf, n, "%.*s", (int)len, b);
}

int vec_is_btv(const char *path) {
    BtError e;
    int fd = bt_file_open(path, BT_FILE_VECTORS, NULL, &e);
    if (fd < 0) return -1;
    char m[8];
    int yes = read(fd, m, 8) == 8 && memcmp(m, BTV_MAGIC, 8) == 0;
    close(fd);
    return yes;
}

/* The reasons below follow the file's path ("PATH is ..."): translated as
 * such, in the learner's language. */
static const char NOT_BTV[] =
    N_("is not a converted vectors file (convert GloVe or word2vec files with `bertology vectors convert`)");

int vecset_open(VecSet **out, const char *path, BtError *err) {
    *out = NULL;
    const uint32_t one = 1;
    if (*(const unsigned char *)&one != 1) return bt_fail(err, "vector files are little-endian; this machine is not");
    uint64_t fsize;
    int fd = bt_file_open(path, BT_FILE_VECTORS, &fsize, err);
    if (fd < 0) return -1;
    size_t size = (size_t)fsize;
    if (size < BTV_HEADER_SIZE) {
        close(fd);
        return bt_fail(err, "%s %s", path, _(NOT_BTV));
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return bt_fail(err, "cannot map %s: %s", path, strerror(errno));
    BtvHeader h;
    memcpy(&h, map, sizeof h);
    const char *why = NULL;
    char whybuf[160];
    if (memcmp(h.magic, BTV_MAGIC, 8) != 0)
        why = _(NOT_BTV);
    else if (h.version != BTV_VERSION)
        snprintf(whybuf, sizeof whybuf, _("is vectors format version %u; this bertology reads version %d"), h.version,
                 BTV_VERSION), why = whybuf;
    else if (h.flags != 0)
        snprintf(whybuf, sizeof whybuf,
                 _("has flags 0x%x in its header, which version %d does not define: it is damaged or from a newer "
                   "bertology"),
                 h.flags, BTV_VERSION), why = whybuf;
    else if (h.file_size != size)
        snprintf(whybuf, sizeof whybuf,
                 size < h.file_size ? _("is %zu bytes but its header says %llu: truncated")
                                    : _("is %zu bytes but its header says %llu: damaged"),
                 size, (unsigned long long)h.file_size), why = whybuf;
    else if (h.dim < 1 || h.dim > BTV_MAX_DIM || h.count < 1 || h.count > (uint64_t)BTV_MAX_COUNT)
        why = _("is damaged: impossible dimension or word count");
    else if (!section_ok(h.rows_off, h.count * h.dim * 4, size) || !section_ok(h.norms_off, h.count * 4, size) ||
             !section_ok(h.woff_off, (h.count + 1) * 4, size) || !section_ok(h.str_off, h.str_size, size) ||
             !section_ok(h.sorted_off, h.count * 4, size) || h.str_size < 2 * h.count)
        why = _("is damaged: a section lies outside the file");
    if (why) {
        munmap(map, size);
        return bt_fail(err, "%s %s", path, why);
    }
    VecSet *vs = calloc(1, sizeof *vs);
    if (!vs || !(vs->path = strdup(path))) {
        free(vs);
        munmap(map, size);
        return bt_fail(err, "out of memory");
    }
    const char *base = map;
    vs->map = map;
    vs->map_size = size;
    vs->count = (long)h.count;
    vs->dim = (int)h.dim;
    vs->rows = (const float *)(base + h.rows_off);
    vs->norms = (const float *)(base + h.norms_off);
    vs->woff = (const uint32_t *)(base + h.woff_off);
    vs->str = base + h.str_off;
    vs->sorted = (const uint32_t *)(base + h.sorted_off);
    if (check_tables(vs, &h, path, err) != 0 || check_numbers(vs, path, err) != 0) {
        vecset_free(vs);
        return -1;
    }
    short_name(path, vs->name, sizeof vs->name);
    h.name[BTV_NAME_SIZE - 1] = 0;
    snprintf(vs->desc, sizeof vs->desc, "%s", h.name[0] ? h.name : vs->name);
    *out = vs;
    return 0;
}

/* ---------------------------------------------------------------- the model's table */

int vecset_from_model(VecSet **out, const BertModel *m, BtError *err) {
    *out = NULL;
    if (!m->tok) return bt_fail(err, "this model has no vocabulary, so its embedding rows have no words");
    VecSet *vs = calloc(1, sizeof *vs);
    long V = m->cfg.vocab_size;
    int H = m->cfg.hidden_size;
    if (vs) vs->own_norms = malloc((size_t)V * sizeof *vs->own_norms);
    if (vs && vs->own_norms) vs->hidden = calloc((size_t)V, 1);
    if (!vs || !vs->hidden) {
        vecset_free(vs);
        return bt_fail(err, "out of memory");
    }
    vs->is_model = 1;
    vs->m = m;
    vs->count = V < tok_vocab_size(m->tok) ? V : tok_vocab_size(m->tok);
    vs->dim = H;
    vs->rows = m->word_emb;
    vs->norms = vs->own_norms;
    snprintf(vs->name, sizeof vs->name, "model");
    /* marked for po/: the REPL prints _(desc) (a file's own desc is not in the catalog) */
    snprintf(vs->desc, sizeof vs->desc, "%s", N_("the model's input embeddings E_word"));
    for (long r = 0; r < vs->count; r++) {
        const float *x = m->word_emb + r * H;
        double ss = 0;
        for (int i = 0; i < H; i++) ss += (double)x[i] * x[i];
        vs->own_norms[r] = (float)sqrt(ss);
        const char *t = tok_token(m->tok, (int)r);
        size_t n = t ? strlen(t) : 0;
        /* [PAD], [CLS], [unused7]: rows, but no one's neighbours. */
        vs->hidden[r] = n == 0 || (n >= 2 && t[0] == '[' && t[n - 1] == ']');
    }
    *out = vs;
    return 0;
}

/* ---------------------------------------------------------------- lookup */

long vecset_find(const VecSet *vs, const char *word) {
    if (vs->is_model) {
        int id = tok_id(vs->m->tok, word);
        return id >= 0 && id < vs->count ? id : -1;
    }
    long lo = 0, hi = vs->count - 1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        uint32_t r = vs->sorted[mid];
        int c = strcmp(vs->str + vs->woff[r], word);
        if (c == 0) return r;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static void copy_row(const VecSet *vs, long r, float *out) { memcpy(out, vecset_row(vs, r), (size_t)vs->dim * sizeof *out); }

static int missing(const VecSet *vs, const char *word, BtError *err) {
    long rows[5];
    int n = vecset_suggest(vs, word, rows, 5);
    char sug[200] = "";
    size_t k = 0;
    for (int i = 0; i < n && k < sizeof sug; i++)
        k += (size_t)snprintf(sug + k, sizeof sug - k, "%s%s", i ? ", " : _("; close spellings: "), vecset_word(vs, rows[i]));
    if (k >= sizeof sug) strcpy(sug + sizeof sug - 4, "…");
    char cnt[32];
    vec_fmt_count(cnt, sizeof cnt, vs->count);
    unsigned long count = (unsigned long)vs->count;
    if (vs->is_model)
        return bt_fail(err,
                       ngettext("'%.60s' is not in the model's vocabulary (%s word piece): it becomes [UNK]%s",
                                "'%.60s' is not in the model's vocabulary (%s word pieces): it becomes [UNK]%s", count),
                       word, cnt, sug);
    return bt_fail(err, ngettext("'%.60s' is not in %s (%s word)%s", "'%.60s' is not in %s (%s words)%s", count), word,
                   vs->name, cnt, sug);
}

/* In the model's table a word outside the vocabulary is its WordPieces,
 * exactly as BERT would see it, averaged. */
static int model_word(const VecSet *vs, const char *word, float *out, VecWord *info, BtError *err) {
    enum { MAXP = 32 };
    int ids[MAXP];
    int n = tok_wordpieces(vs->m->tok, word, ids, NULL, MAXP, err);
    if (n < 0) return -1;
    if (n == 0) return bt_fail(err, "'%.60s' has no word pieces", word);
    if (n > MAXP) return bt_fail(err, "'%.60s' is %d word pieces; give one word", word, n);
    int unk = tok_unk_id(vs->m->tok);
    for (int i = 0; i < n; i++)
        if (ids[i] == unk || ids[i] >= vs->count) return missing(vs, word, err);
    if (n == 1) {
        info->row = ids[0];
        info->folded = 1;
        copy_row(vs, ids[0], out);
        return 0;
    }
    info->row = -1;
    info->n_pieces = n;
    memset(out, 0, (size_t)vs->dim * sizeof *out);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const float *x = vecset_row(vs, ids[i]);
        for (int d = 0; d < vs->dim; d++) out[d] += x[d] / (float)n;
        if (k < sizeof info->pieces)
            k += (size_t)snprintf(info->pieces + k, sizeof info->pieces - k, "%s%s", i ? " " : "", tok_token(vs->m->tok, ids[i]));
    }
    return 0;
}

int vecset_word_vector(const VecSet *vs, const char *word, float *out, VecWord *info, BtError *err) {
    memset(info, 0, sizeof *info);
    info->n_pieces = 1;
    info->row = vecset_find(vs, word);
    if (info->row >= 0) {
        copy_row(vs, info->row, out);
        return 0;
    }
    if (vs->is_model) return model_word(vs, word, out, info, err);
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)word, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n > 0) info->row = vecset_find(vs, (const char *)folded);
    free(folded);
    if (info->row >= 0) {
        info->folded = 1;
        copy_row(vs, info->row, out);
        return 0;
    }
    return missing(vs, word, err);
}

void vec_fmt_count(char *buf, size_t n, long v) {
    char d[32];
    int len = snprintf(d, sizeof d, "%ld", v < 0 ? -v : v);
    /* TRANSLATORS: between groups of three digits, "16,384": a comma reads
     * as the decimal one in Portuguese and Russian ("." and a space there) */
    const char *sep = P_("thousands separator", ",");
    size_t k = 0, sl = strlen(sep);
    if (v < 0 && k + 1 < n) buf[k++] = '-';
    for (int i = 0; i < len && k + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && k + sl < n) { memcpy(buf + k, sep, sl); k += sl; }
        if (k + 1 < n) buf[k++] = d[i];
    }
    if (n) buf[k] = 0;
}
