/* Lesson prose: {EXPR} filled in from the model, paragraphs reflowed. */
#include <stdlib.h>
#include <string.h>
#include "lesson_internal.h"

/* The end of the {EXPR} starting at p (just past '{'): the '}' outside
 * quotes, or NULL. */
static const char *brace_end(const char *p) {
    char q = 0;
    for (; *p; p++) {
        if (q) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == q) q = 0;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == '}') {
            return p;
        }
    }
    return NULL;
}

typedef struct {
    char *buf;
    size_t len, cap;
    int oom;
} Str;

static void put(Str *s, const char *p, size_t n) {
    if (s->oom) return;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 128;
        while (s->len + n + 1 > cap) cap *= 2;
        char *g = realloc(s->buf, cap);
        if (!g) { s->oom = 1; return; }
        s->buf = g;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = 0;
}

/* Walks src: literal text goes to put (when s is not NULL) and each
 * {EXPR} to fn. */
typedef int (*ExprFn)(const char *expr, void *ctx, Str *s, BtError *err);

static int walk(const char *src, Str *s, ExprFn fn, void *ctx, BtError *err) {
    const char *p = src;
    while (*p) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            if (s) put(s, p, 1);
            p += 2;
            continue;
        }
        if (*p == '}') return bt_fail(err, "a '}' without its '{' (write }} for a brace)");
        if (*p != '{') {
            const char *q = p;
            while (*q && *q != '{' && *q != '}') q++;
            if (s) put(s, p, (size_t)(q - p));
            p = q;
            continue;
        }
        const char *end = brace_end(p + 1);
        if (!end) return bt_fail(err, "a '{' without its '}' (write {{ for a brace)");
        char expr[512];
        if ((size_t)(end - p - 1) >= sizeof expr) return bt_fail(err, "an {expression} longer than %zu characters", sizeof expr);
        snprintf(expr, sizeof expr, "%.*s", (int)(end - p - 1), p + 1);
        if (fn(expr, ctx, s, err) != 0) return -1;
        p = end + 1;
    }
    return 0;
}

typedef struct {
    const LessonWorld *w;
    const LessonVars *vars;
    char decimal;
} EvalCtx;

static int eval_one(const char *src, void *ctx, Str *s, BtError *err) {
    const EvalCtx *c = ctx;
    const char *names[LV_MAX_VARS];
    LessonScope sc = {names, 0};
    for (int i = 0; c->vars && i < c->vars->n && i < LV_MAX_VARS; i++) names[sc.n++] = c->vars->v[i].name;
    LessonExpr *e;
    if (lexpr_parse(src, &sc, &e, err) != 0) return -1;
    LessonValue v;
    int rc = lexpr_eval(e, c->w, c->vars, &v, err);
    lexpr_free(e);
    if (rc != 0) return -1;
    char b[LV_STR_MAX];
    lv_show(&v, c->decimal, b, sizeof b);
    put(s, b, strlen(b));
    return 0;
}

char *ltext_expand(const char *src, const LessonWorld *w, const LessonVars *vars, char decimal, BtError *err) {
    Str s = {0};
    EvalCtx c = {w, vars, decimal};
    put(&s, "", 0);
    if (walk(src, &s, eval_one, &c, err) != 0 || s.oom) {
        if (s.oom) bt_fail(err, "out of memory");
        free(s.buf);
        return NULL;
    }
    return s.buf;
}

static int check_one(const char *src, void *ctx, Str *s, BtError *err) {
    (void)s;
    LessonExpr *e;
    if (lexpr_parse(src, ctx, &e, err) != 0) return -1;
    lexpr_free(e);
    return 0;
}

int ltext_validate(const char *src, const LessonScope *scope, BtError *err) {
    return walk(src, NULL, check_one, (void *)scope, err);
}

/* Display columns of a UTF-8 string: one per code point, which holds for
 * the Latin, Cyrillic and mathematical text lessons are written in. */
static int columns(const char *p, size_t n) {
    int c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

void ltext_print_para(FILE *f, const char *text, int width, int indent, int preformatted) {
    if (width < 30) width = 30;
    if (preformatted) {
        const char *p = text;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            fprintf(f, "%*s%.*s\n", indent, "", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
        return;
    }
    int room = width - indent, used = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        const char *b = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
        int w = columns(b, (size_t)(p - b));
        if (used > 0 && used + 1 + w > room) {
            fputc('\n', f);
            used = 0;
        }
        if (used == 0) fprintf(f, "%*s", indent, "");
        else { fputc(' ', f); used++; }
        fwrite(b, 1, (size_t)(p - b), f);
        used += w;
    }
    if (used > 0) fputc('\n', f);
}
