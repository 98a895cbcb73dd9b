/* The small expression language of lessons: numbers, "strings", `let:`
 * names, probe calls such as attn(2, 1, "cat", "sat"), arithmetic,
 * comparisons, && || ! and if(c, a, b). Parsed once (so a typo is a parse
 * error with its line) and evaluated against the model when needed. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lesson_internal.h"
#include "bertology/i18n.h"

typedef enum { EN_NUM, EN_STR, EN_VAR, EN_CALL, EN_IF, EN_NEG, EN_NOT, EN_BIN } NodeKind;

/* Binary operators, by their token. */
typedef enum { OP_OR, OP_AND, OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_ADD, OP_SUB, OP_MUL, OP_DIV } BinOp;

struct LessonExpr {
    NodeKind kind;
    BinOp op;
    double num;
    char *str;                  /* EN_STR value, EN_VAR/EN_CALL name */
    const LessonProbe *probe;   /* EN_CALL */
    LessonExpr **args;          /* EN_CALL/EN_IF arguments, EN_BIN/EN_NEG/EN_NOT operands */
    int n_args;
    int depth;                  /* height of the tree below: 1 for a leaf */
};

/* ---- tokens ------------------------------------------------------------ */

/* "a string longer than 255 bytes" below (a whole literal: a msgid) */
_Static_assert(LV_STR_MAX == 256, "the message's 255 is LV_STR_MAX - 1");

typedef enum { T_END, T_NUM, T_STR, T_IDENT, T_LP, T_RP, T_COMMA, T_OP, T_NOT, T_BAD } TokKind;

typedef struct {
    const char *src, *p;
    TokKind kind;
    const char *start;          /* of the current token */
    size_t len;
    double num;
    char str[LV_STR_MAX];
    BinOp op;
    const LessonScope *scope;
    BtError *err;
    int failed;
    int nest;                   /* brackets, calls and prefix operators open now */
    int toolong;                /* the current string did not fit in str */
} Lexer;

static int col(const Lexer *lx) { return (int)(lx->start - lx->src) + 1; }

/* what: a literal (xgettext's keyword fail_at:2), translated here */
static int fail_at(Lexer *lx, const char *what) {
    if (lx->failed) return -1;
    lx->failed = 1;
    what = _(what);
    if (lx->kind == T_END) return bt_fail(lx->err, "%s at the end of `%s`", what, lx->src);
    return bt_fail(lx->err, "%s at column %d of `%s` (found '%.*s')", what, col(lx), lx->src,
                   (int)(lx->len > 20 ? 20 : lx->len), lx->start);
}

static void next(Lexer *lx) {
    const char *p = lx->p;
    while (*p == ' ' || *p == '\t') p++;
    lx->start = p;
    lx->len = 1;
    if (!*p) { lx->kind = T_END; lx->len = 0; lx->p = p; return; }
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        char *end;
        lx->num = strtod(p, &end);
        lx->kind = T_NUM;
        lx->len = (size_t)(end - p);
        lx->p = end;
        return;
    }
    if (*p == '"' || *p == '\'') {
        char q = *p++;
        size_t k = 0;
        lx->toolong = 0;
        while (*p && *p != q) {
            if (*p == '\\' && (p[1] == q || p[1] == '\\')) p++;
            if (k + 1 < sizeof lx->str) lx->str[k++] = *p;
            else lx->toolong = 1;
            p++;
        }
        lx->str[k] = 0;
        if (!*p) { lx->kind = T_BAD; lx->len = (size_t)(p - lx->start); lx->p = p; return; }
        lx->kind = T_STR;
        lx->len = (size_t)(p + 1 - lx->start);
        lx->p = p + 1;
        return;
    }
    if (isalpha((unsigned char)*p) || *p == '_') {
        const char *b = p;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
        lx->kind = T_IDENT;
        lx->len = (size_t)(p - b);
        lx->p = p;
        return;
    }
    static const struct { const char *s; BinOp op; } OPS[] = {
        {"||", OP_OR}, {"&&", OP_AND}, {"<=", OP_LE}, {">=", OP_GE}, {"==", OP_EQ}, {"!=", OP_NE},
        {"<", OP_LT},  {">", OP_GT},   {"+", OP_ADD}, {"-", OP_SUB}, {"*", OP_MUL}, {"/", OP_DIV},
    };
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        size_t n = strlen(OPS[i].s);
        if (strncmp(p, OPS[i].s, n) == 0) {
            lx->kind = T_OP;
            lx->op = OPS[i].op;
            lx->len = n;
            lx->p = p + n;
            return;
        }
    }
    lx->p = p + 1;
    switch (*p) {
    case '(': lx->kind = T_LP; return;
    case ')': lx->kind = T_RP; return;
    case ',': lx->kind = T_COMMA; return;
    case '!': lx->kind = T_NOT; return;
    default: lx->kind = T_BAD; return;
    }
}

/* ---- parser -------------------------------------------------------------- */

static LessonExpr *node(NodeKind k) {
    LessonExpr *e = calloc(1, sizeof *e);
    if (e) {
        e->kind = k;
        e->depth = 1;
    }
    return e;
}

/* Parsing and evaluating recurse, so an expression may nest only
 * LEXPR_MAX_DEPTH deep, counted two ways: brackets, calls and prefix
 * operators open at once while parsing, and the height of the tree
 * (which a long chain such as 1+1+…+1 builds without any bracket, and
 * which is how deep lexpr_eval and lexpr_free recurse). */
static int too_deep(Lexer *lx) {
    if (lx->failed) return -1;
    lx->failed = 1;
    return bt_fail(lx->err, "the expression nests more than %d deep at column %d (brackets, calls, - and !, "
                            "or operators in a row); split it with `let:`", LEXPR_MAX_DEPTH, col(lx));
}

/* e's height from its operands; NULL (e freed) past the limit. */
static LessonExpr *measured(Lexer *lx, LessonExpr *e) {
    if (!e) return NULL;
    for (int i = 0; i < e->n_args; i++)
        if (e->args[i]->depth + 1 > e->depth) e->depth = e->args[i]->depth + 1;
    if (e->depth <= LEXPR_MAX_DEPTH) return e;
    too_deep(lx);
    lexpr_free(e);
    return NULL;
}

static LessonExpr *node2(Lexer *lx, NodeKind k, LessonExpr *a, LessonExpr *b) {
    LessonExpr *e = node(k);
    LessonExpr **args = calloc(2, sizeof *args);
    if (!e || !args) { free(e); free(args); lexpr_free(a); lexpr_free(b); return NULL; }
    args[0] = a;
    args[1] = b;
    e->args = args;
    e->n_args = b ? 2 : 1;
    return measured(lx, e);
}

static LessonExpr *parse_or(Lexer *lx);

/* parse_or one level deeper: inside brackets or a call's arguments. */
static LessonExpr *parse_nested(Lexer *lx) {
    if (lx->nest >= LEXPR_MAX_DEPTH) { too_deep(lx); return NULL; }
    lx->nest++;
    LessonExpr *e = parse_or(lx);
    lx->nest--;
    return e;
}

static int in_scope(const LessonScope *sc, const char *name) {
    for (int i = 0; sc && i < sc->n; i++)
        if (strcmp(sc->names[i], name) == 0) return 1;
    return 0;
}

static LessonExpr *parse_call(Lexer *lx, const char *name) {
    LessonExpr *e = node(strcmp(name, "if") == 0 ? EN_IF : EN_CALL);
    if (!e) return NULL;
    e->str = strdup(name);
    next(lx);   /* past '(' */
    if (lx->kind != T_RP) {
        for (;;) {
            LessonExpr *a = parse_nested(lx);
            if (!a) { lexpr_free(e); return NULL; }
            LessonExpr **grown = realloc(e->args, (size_t)(e->n_args + 1) * sizeof *grown);
            if (!grown) { lexpr_free(a); lexpr_free(e); return NULL; }
            e->args = grown;
            e->args[e->n_args++] = a;
            if (lx->kind == T_COMMA) { next(lx); continue; }
            if (lx->kind == T_RP) break;
            fail_at(lx, "expected ',' or ')' in the arguments");
            lexpr_free(e);
            return NULL;
        }
    }
    next(lx);   /* past ')' */
    if (!measured(lx, e)) return NULL;
    if (e->kind == EN_IF) {
        if (e->n_args != 3) {
            bt_fail(lx->err, "if(CONDITION, THEN, ELSE) takes 3 arguments, not %d, in `%s`", e->n_args, lx->src);
            lx->failed = 1;
            lexpr_free(e);
            return NULL;
        }
        return e;
    }
    e->probe = lprobe_find(name);
    if (!e->probe) {
        bt_fail(lx->err, "no function %s() in `%s` (lessons/FORMAT.md lists them)", name, lx->src);
        lx->failed = 1;
        lexpr_free(e);
        return NULL;
    }
    if (e->n_args < e->probe->min_args || e->n_args > e->probe->max_args) {
        if (e->probe->min_args == e->probe->max_args)
            bt_fail(lx->err,
                    ngettext("%s() takes %d argument, not %d, in `%s` (%s)",
                             "%s() takes %d arguments, not %d, in `%s` (%s)", (unsigned long)e->probe->min_args),
                    name, e->probe->min_args, e->n_args, lx->src, e->probe->doc);
        else
            bt_fail(lx->err, "%s() takes %d to %d arguments, not %d, in `%s` (%s)", name, e->probe->min_args,
                    e->probe->max_args, e->n_args, lx->src, e->probe->doc);
        lx->failed = 1;
        lexpr_free(e);
        return NULL;
    }
    return e;
}

static LessonExpr *parse_primary(Lexer *lx) {
    LessonExpr *e;
    switch (lx->kind) {
    case T_NUM:
        e = node(EN_NUM);
        if (e) e->num = lx->num;
        next(lx);
        return e;
    case T_STR:
        /* Cut silently, a string would lose its end, or half a letter. */
        if (lx->toolong) {
            fail_at(lx, "a string longer than 255 bytes (what a value holds; split the text into two {…})");
            return NULL;
        }
        e = node(EN_STR);
        if (e) e->str = strdup(lx->str);
        next(lx);
        return e;
    case T_IDENT: {
        char name[LV_NAME_MAX];
        if (lx->len >= sizeof name) { fail_at(lx, "a name this long is not allowed"); return NULL; }
        snprintf(name, sizeof name, "%.*s", (int)lx->len, lx->start);
        next(lx);
        if (lx->kind == T_LP) return parse_call(lx, name);
        if (!in_scope(lx->scope, name)) {
            const LessonProbe *pr = lprobe_find(name);
            if (pr) bt_fail(lx->err, "%s is a function: write %s(...) in `%s` (%s)", name, name, lx->src, pr->doc);
            else bt_fail(lx->err, "unknown name '%s' in `%s`: not defined by an earlier `let:` (strings need quotes)",
                         name, lx->src);
            lx->failed = 1;
            return NULL;
        }
        e = node(EN_VAR);
        if (e) e->str = strdup(name);
        return e;
    }
    case T_LP:
        next(lx);
        e = parse_nested(lx);
        if (!e) return NULL;
        if (lx->kind != T_RP) { fail_at(lx, "expected ')'"); lexpr_free(e); return NULL; }
        next(lx);
        return e;
    case T_BAD:
        fail_at(lx, *lx->start == '"' || *lx->start == '\'' ? N_("a string without its closing quote")
                                                             : N_("a character expressions do not use"));
        return NULL;
    default:
        fail_at(lx, "expected a number, a \"string\", a name or a function call");
        return NULL;
    }
}

static LessonExpr *parse_unary(Lexer *lx) {
    if ((lx->kind == T_OP && lx->op == OP_SUB) || lx->kind == T_NOT) {
        NodeKind k = lx->kind == T_NOT ? EN_NOT : EN_NEG;
        if (lx->nest >= LEXPR_MAX_DEPTH) { too_deep(lx); return NULL; }
        next(lx);
        lx->nest++;
        LessonExpr *a = parse_unary(lx);
        lx->nest--;
        return a ? node2(lx, k, a, NULL) : NULL;
    }
    return parse_primary(lx);
}

/* One precedence level: operands joined by any of ops (left-assoc). */
static LessonExpr *parse_level(Lexer *lx, LessonExpr *(*sub)(Lexer *), const BinOp *ops, int n_ops, int chain) {
    LessonExpr *l = sub(lx);
    while (l && lx->kind == T_OP) {
        int hit = -1;
        for (int i = 0; i < n_ops; i++)
            if (lx->op == ops[i]) hit = i;
        if (hit < 0) break;
        BinOp op = lx->op;
        next(lx);
        LessonExpr *r = sub(lx);
        if (!r) { lexpr_free(l); return NULL; }
        l = node2(lx, EN_BIN, l, r);
        if (l) l->op = op;
        if (!chain) break;
    }
    return l;
}

static LessonExpr *parse_mul(Lexer *lx) {
    static const BinOp o[] = {OP_MUL, OP_DIV};
    return parse_level(lx, parse_unary, o, 2, 1);
}
static LessonExpr *parse_add(Lexer *lx) {
    static const BinOp o[] = {OP_ADD, OP_SUB};
    return parse_level(lx, parse_mul, o, 2, 1);
}
static LessonExpr *parse_cmp(Lexer *lx) {
    static const BinOp o[] = {OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE};
    return parse_level(lx, parse_add, o, 6, 0);
}
static LessonExpr *parse_and(Lexer *lx) {
    static const BinOp o[] = {OP_AND};
    return parse_level(lx, parse_cmp, o, 1, 1);
}
static LessonExpr *parse_or(Lexer *lx) {
    static const BinOp o[] = {OP_OR};
    return parse_level(lx, parse_and, o, 1, 1);
}

int lexpr_parse(const char *src, const LessonScope *scope, LessonExpr **out, BtError *err) {
    *out = NULL;
    Lexer lx = {0};
    lx.src = lx.p = src;
    lx.scope = scope;
    lx.err = err;
    next(&lx);
    if (lx.kind == T_END) return bt_fail(err, "expected an expression, found nothing");
    LessonExpr *e = parse_or(&lx);
    if (!e) {
        if (!lx.failed) bt_fail(err, "out of memory parsing `%s`", src);
        return -1;
    }
    if (lx.kind != T_END) {
        fail_at(&lx, lx.kind == T_RP ? N_("a ')' without its '('") : N_("expected an operator or the end"));
        lexpr_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

void lexpr_free(LessonExpr *e) {
    if (!e) return;
    for (int i = 0; i < e->n_args; i++) lexpr_free(e->args[i]);
    free(e->args);
    free(e->str);
    free(e);
}

/* ---- evaluation ------------------------------------------------------------ */

static int truthy(const LessonValue *v) { return v->is_str ? v->str[0] != 0 : v->num != 0; }

static const char *const OP_NAMES[] = {"||", "&&", "<", "<=", ">", ">=", "==", "!=", "+", "-", "*", "/"};

static int eval_bin(const LessonExpr *e, const LessonValue *a, const LessonValue *b, LessonValue *out, BtError *err) {
    BinOp op = e->op;
    if (op == OP_ADD && (a->is_str || b->is_str)) {
        char x[LV_STR_MAX], y[LV_STR_MAX];
        lv_format(a, x, sizeof x);
        lv_format(b, y, sizeof y);
        size_t lx = strlen(x), ly = strlen(y);
        if (lx + ly >= sizeof out->str) return bt_fail(err, "a string longer than %d characters", LV_STR_MAX - 1);
        out->is_str = 1;
        out->num = 0;
        /* "cabeça " + fmt(h, 0), "… é " + pct(p): numbers inside, shown
         * with the lesson's decimal separator. */
        out->numtext = !a->is_str || !b->is_str || a->numtext || b->numtext;
        memcpy(out->str, x, lx);
        memcpy(out->str + lx, y, ly + 1);
        return 0;
    }
    if (op >= OP_LT && op <= OP_NE) {
        if (a->is_str != b->is_str)
            return a->is_str ? bt_fail(err, "'%s' compares a string with a number", OP_NAMES[op])
                             : bt_fail(err, "'%s' compares a number with a string", OP_NAMES[op]);
        int c = a->is_str ? strcmp(a->str, b->str) : (a->num < b->num ? -1 : a->num > b->num ? 1 : 0);
        int r = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : op == OP_GE ? c >= 0
              : op == OP_EQ ? c == 0 : c != 0;
        lv_num(out, r);
        return 0;
    }
    if (a->is_str || b->is_str)
        return bt_fail(err, "'%s' needs numbers, not the string \"%s\"", OP_NAMES[op], a->is_str ? a->str : b->str);
    double x = a->num, y = b->num;
    switch (op) {
    case OP_ADD: lv_num(out, x + y); break;
    case OP_SUB: lv_num(out, x - y); break;
    case OP_MUL: lv_num(out, x * y); break;
    case OP_DIV:
        if (y == 0) return bt_fail(err, "division by zero");
        lv_num(out, x / y);
        break;
    default: return bt_fail(err, "internal: operator %d", (int)op);
    }
    return 0;
}

int lexpr_eval(const LessonExpr *e, const LessonWorld *w, const LessonVars *vars, LessonValue *out, BtError *err) {
    LessonValue a, b;
    switch (e->kind) {
    case EN_NUM: lv_num(out, e->num); return 0;
    case EN_STR: lv_str(out, e->str); return 0;
    case EN_VAR: {
        const LessonValue *v = lvars_get(vars, e->str);
        if (!v) return bt_fail(err, "'%s' has no value yet (its `let:` did not run)", e->str);
        *out = *v;
        return 0;
    }
    case EN_IF:
        if (lexpr_eval(e->args[0], w, vars, &a, err) != 0) return -1;
        return lexpr_eval(e->args[truthy(&a) ? 1 : 2], w, vars, out, err);
    case EN_NEG:
    case EN_NOT:
        if (lexpr_eval(e->args[0], w, vars, &a, err) != 0) return -1;
        if (e->kind == EN_NOT) { lv_num(out, !truthy(&a)); return 0; }
        if (a.is_str) return bt_fail(err, "cannot negate the string \"%s\"", a.str);
        lv_num(out, -a.num);
        return 0;
    case EN_BIN:
        if (lexpr_eval(e->args[0], w, vars, &a, err) != 0) return -1;
        /* && and || stop early, so if(…) guards such as n > 0 && x / n work. */
        if (e->op == OP_AND && !truthy(&a)) { lv_num(out, 0); return 0; }
        if (e->op == OP_OR && truthy(&a)) { lv_num(out, 1); return 0; }
        if (lexpr_eval(e->args[1], w, vars, &b, err) != 0) return -1;
        if (e->op == OP_AND || e->op == OP_OR) { lv_num(out, truthy(&b)); return 0; }
        return eval_bin(e, &a, &b, out, err);
    case EN_CALL: {
        LessonValue args[8];
        if (e->n_args > 8) return bt_fail(err, "%s(): too many arguments", e->str);
        for (int i = 0; i < e->n_args; i++)
            if (lexpr_eval(e->args[i], w, vars, &args[i], err) != 0) return -1;
        BtError perr = {{0}};
        if (e->probe->fn(w, args, e->n_args, out, &perr) != 0) return bt_fail(err, "%s(): %s", e->str, perr.msg);
        if (!out->is_str && !isfinite(out->num)) return bt_fail(err, "%s() is not a finite number", e->str);
        /* fmt() and pct() write a number as a string: lv_show gives it the
         * lesson's decimal separator. */
        out->numtext = out->is_str && (strcmp(e->probe->name, "fmt") == 0 || strcmp(e->probe->name, "pct") == 0);
        return 0;
    }
    }
    return bt_fail(err, "internal: expression node %d", (int)e->kind);
}

void lexpr_explain(const LessonExpr *e, const LessonWorld *w, const LessonVars *vars, const char *sides, char *buf,
                   size_t n) {
    buf[0] = 0;
    if (e->kind != EN_BIN || e->op < OP_LT || e->op > OP_NE) return;
    LessonValue a, b;
    BtError err = {{0}};
    if (lexpr_eval(e->args[0], w, vars, &a, &err) != 0 || lexpr_eval(e->args[1], w, vars, &b, &err) != 0) return;
    char x[LV_STR_MAX + 8], y[LV_STR_MAX + 8];
    /* Full precision here: a check that fails by a hair must show the hair. */
    if (a.is_str) snprintf(x, sizeof x, "\"%s\"", a.str); else snprintf(x, sizeof x, "%.6g", a.num);
    if (b.is_str) snprintf(y, sizeof y, "\"%s\"", b.str); else snprintf(y, sizeof y, "%.6g", b.num);
    snprintf(buf, n, sides, x, y);
}

/* ---- values and variables ----------------------------------------------------- */

void lv_num(LessonValue *v, double x) {
    v->is_str = 0;
    v->num = x;
    v->str[0] = 0;
    v->numtext = 0;
}

void lv_str(LessonValue *v, const char *s) {
    v->is_str = 1;
    v->num = 0;
    v->numtext = 0;
    snprintf(v->str, sizeof v->str, "%s", s);
}

void lv_format(const LessonValue *v, char *buf, size_t n) {
    if (v->is_str) { snprintf(buf, n, "%s", v->str); return; }
    double x = v->num;
    if (x == floor(x) && fabs(x) < 1e15) snprintf(buf, n, "%.0f", x);
    else if (fabs(x) >= 0.001 && fabs(x) < 1e6) snprintf(buf, n, "%.3f", x);
    else snprintf(buf, n, "%.3g", x);
}

void lv_show(const LessonValue *v, char decimal, char *buf, size_t n) {
    lv_format(v, buf, n);
    if (!decimal || decimal == '.' || (v->is_str && !v->numtext) || !buf[0]) return;
    /* Only a point between two digits: "0.250" and "25.0%" change, the
     * full stop ending "… é 25.0%." does not. */
    for (size_t i = 1; buf[i] && buf[i + 1]; i++)
        if (buf[i] == '.' && isdigit((unsigned char)buf[i - 1]) && isdigit((unsigned char)buf[i + 1])) buf[i] = decimal;
}

char lesson_decimal(const char *lang) {
    return lang && (strncmp(lang, "pt", 2) == 0 || strncmp(lang, "ru", 2) == 0) ? ',' : '.';
}

int lvars_set(LessonVars *vs, const char *name, const LessonValue *v, BtError *err) {
    for (int i = 0; i < vs->n; i++)
        if (strcmp(vs->v[i].name, name) == 0) { vs->v[i].v = *v; return 0; }
    if (vs->n == vs->cap) {
        int cap = vs->cap ? vs->cap * 2 : 16;
        LessonVar *g = realloc(vs->v, (size_t)cap * sizeof *g);
        if (!g) return bt_fail(err, "out of memory");
        vs->v = g;
        vs->cap = cap;
    }
    snprintf(vs->v[vs->n].name, sizeof vs->v[vs->n].name, "%s", name);
    vs->v[vs->n++].v = *v;
    return 0;
}

const LessonValue *lvars_get(const LessonVars *vs, const char *name) {
    for (int i = 0; vs && i < vs->n; i++)
        if (strcmp(vs->v[i].name, name) == 0) return &vs->v[i].v;
    return NULL;
}

void lvars_clear(LessonVars *vs) { vs->n = 0; }

void lvars_free(LessonVars *vs) {
    free(vs->v);
    memset(vs, 0, sizeof *vs);
}
