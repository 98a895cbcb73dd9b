/* GloVe and word2vec text: one "word v1 … vD" per line, fields separated
 * by spaces or tabs; word2vec adds a first line "count dim". GloVe 840B has
 * a few words that contain spaces (". . ."), so the numbers are counted
 * from the right and whatever precedes them is the word. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "readers.h"
#include "bertology/i18n.h"

int vec_parse_float(const char *s, size_t n, float *out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    float v = strtof(buf, &end);
    if (end != buf + n) return -1;
    if (!isfinite(v)) return -2;
    *out = v;
    return 0;
}

int vec_parse_count(const char *s, size_t n, long *out) {
    if (n == 0 || n > 12) return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

typedef struct {
    const char *s, *e;
} Span;

typedef struct {
    Span *f;
    int n, cap;
} Fields;

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Splits [p, end) into fields; -1 only when out of memory. */
static int split(const char *p, const char *end, Fields *fl) {
    fl->n = 0;
    while (p < end) {
        while (p < end && is_blank(*p)) p++;
        if (p == end) break;
        const char *s = p;
        while (p < end && !is_blank(*p)) p++;
        if (fl->n == fl->cap) {
            int cap = fl->cap ? fl->cap * 2 : 512;
            Span *f = realloc(fl->f, (size_t)cap * sizeof *f);
            if (!f) return -1;
            fl->f = f;
            fl->cap = cap;
        }
        fl->f[fl->n++] = (Span){s, p};
    }
    return 0;
}

static int is_number(Span sp) {
    float v;
    return vec_parse_float(sp.s, (size_t)(sp.e - sp.s), &v) != -1;
}

/* A short, printable excerpt of a field for a message. */
static const char *show(Span sp, char *buf, size_t n) {
    size_t len = (size_t)(sp.e - sp.s);
    if (len > 40) len = 40;
    snprintf(buf, n, "%.*s%s", (int)len, sp.s, (size_t)(sp.e - sp.s) > 40 ? "…" : "");
    return buf;
}

int vec_read_text(const VecInput *in, BtvWriter *w, BtError *err) {
    const char *p = in->data, *end = in->data + in->size;
    Fields fl = {0};
    float *v = NULL;
    long line = 0, count = -1, read = 0;
    int dim = 0, rc = -1;
    char b1[64];

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        if (split(p, le, &fl) != 0) { bt_fail(err, "out of memory"); goto done; }
        p = nl ? nl + 1 : end;
        if (fl.n == 0) continue;
        long c, d;
        if (line == 1 && fl.n == 2 && vec_parse_count(fl.f[0].s, (size_t)(fl.f[0].e - fl.f[0].s), &c) == 0 &&
            vec_parse_count(fl.f[1].s, (size_t)(fl.f[1].e - fl.f[1].s), &d) == 0) {
            if (d < 1 || d > BTV_MAX_DIM) {
                bt_fail(err, "%s:1: the header says dimension %ld; expected 1–%d", in->name, d, BTV_MAX_DIM);
                goto done;
            }
            count = c;
            dim = (int)d;
            continue;
        }
        if (!dim) {
            if (fl.n < 2) {
                bt_fail(err, "%s:%ld: expected a word and its numbers, found one field ('%s'); not a vectors file?",
                        in->name, line, show(fl.f[0], b1, sizeof b1));
                goto done;
            }
            dim = fl.n - 1;
            if (dim > BTV_MAX_DIM) {
                bt_fail(err, "%s:%ld: %d numbers on a line; at most %d are supported", in->name, line, dim,
                        BTV_MAX_DIM);
                goto done;
            }
        }
        if (!v) {
            if (btv_writer_dim(w, dim, err) != 0) goto done;
            if (!(v = malloc((size_t)dim * sizeof *v))) { bt_fail(err, "out of memory"); goto done; }
        }
        if (count >= 0 && read == count) {
            bt_fail(err, "%s:%ld: more vectors than the %ld the header announced", in->name, line, count);
            goto done;
        }
        int nw = fl.n - dim;   /* fields that make up the word */
        int extra_numbers = 0;
        for (int i = 1; i < nw; i++) extra_numbers += is_number(fl.f[i]);
        if (nw < 1 || (nw > 1 && extra_numbers == nw - 1)) {
            int found = fl.n - 1;
            bt_fail(err,
                    ngettext("%s:%ld: '%s' has %d number, expected %d%s", "%s:%ld: '%s' has %d numbers, expected %d%s",
                             (unsigned long)found),
                    in->name, line, show(fl.f[0], b1, sizeof b1), found, dim,
                    p == end && found < dim ? _(" (the file ends here: truncated?)") : "");
            goto done;
        }
        for (int i = 0; i < dim; i++) {
            Span sp = fl.f[nw + i];
            int r = vec_parse_float(sp.s, (size_t)(sp.e - sp.s), &v[i]);
            if (r != 0) {
                char b2[64];
                bt_fail(err, "%s:%ld: value %d of '%s' is %s ('%s')", in->name, line, i + 1,
                        show(fl.f[0], b1, sizeof b1), r == -2 ? _("not finite") : _("not a number"),
                        show(sp, b2, sizeof b2));
                goto done;
            }
        }
        const char *ws = fl.f[0].s, *we = fl.f[nw - 1].e;
        if ((size_t)(we - ws) > BTV_MAX_WORD) {
            bt_fail(err, "%s:%ld: a word of %zu bytes; not a vectors file?", in->name, line, (size_t)(we - ws));
            goto done;
        }
        read++;
        int r = btv_writer_add(w, ws, (size_t)(we - ws), v, err);
        if (r < 0) goto done;
        if (r == 1) { rc = 0; goto done; }
    }
    if (count >= 0 && read < count) {
        bt_fail(err, "%s: the header announced %ld vectors but the file ends after %ld (truncated?)", in->name, count,
                read);
        goto done;
    }
    if (read == 0) {
        bt_fail(err, "%s: no vectors in the file", in->name);
        goto done;
    }
    rc = 0;
done:
    free(fl.f);
    free(v);
    return rc;
}
