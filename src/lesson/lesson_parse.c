/* Reading a lesson file (lessons/FORMAT.md): `key: value` directives
 * at the start of a line, prose paragraphs between them. Everything is
 * checked here, expressions included, so that a broken lesson is refused
 * with its file, line and what was expected, before a learner meets it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/edit_distance.h"
#include "bertology/stages.h"
#include "bertology/tokenizer.h"
#include "bertology/views.h"
#include "lesson_internal.h"
#include "bertology/infile.h"
#include "bertology/i18n.h"

static const char *const KEYS[] = {"title", "summary", "step", "view",   "run",   "text",  "try",
                                   "ask",   "choice",  "answer", "hint", "explain", "check", "let", "needs", NULL};


typedef struct {
    const char *name;
    int line;
    BtError *err;
    Lesson *l;
    LessonStep *step;          /* the current step */
    LessonItem *para;          /* the paragraph being gathered, or NULL */
    size_t para_len, para_cap; /* its text's length and allocated size */
    LessonAsk *ask;            /* the question whose block we are in, or NULL */
    int ask_line;
    int pre_indent;            /* indent of a preformatted paragraph */
    /* `let:` names so far, for checking expressions. */
    char **names;
    int n_names;
} Parser;

/* fmt: a literal (xgettext's keyword perr:3), translated here, as are the
 * `what` of perr_from and parse_expr (keywords perr_from:3, parse_expr:4) */
static int perr(Parser *p, int line, const char *fmt, const char *a, const char *b) {
    char msg[480];
    snprintf(msg, sizeof msg, _(fmt), a ? a : "", b ? b : "");
    return bt_fail(p->err, "%s:%d: %s", p->name, line, msg);
}

/* Wraps an error from a helper (expressions) with the place. */
static int perr_from(Parser *p, const BtError *e, const char *what) {
    return bt_fail(p->err, "%s:%d: %s%s%s", p->name, p->line, what ? _(what) : "", what ? ": " : "", e->msg);
}

/* Room for element n of arr, which holds n. Capacities are the powers of
 * two, so only n = 0, 1, 2, 4, 8, ... reallocate: a hostile lesson with a
 * million items costs linear time, as the parser must (lessons/FORMAT.md). */
static void *grow(void *arr, int n, size_t size) {
    if (n > 0 && (n & (n - 1)) != 0) return arr;
    return realloc(arr, (size_t)(n > 0 ? 2 * n : 1) * size);
}

static int oom(Parser *p) { return bt_fail(p->err, "%s:%d: out of memory", p->name, p->line); }

static LessonItem *new_item(Parser *p, LessonItemKind k) {
    LessonStep *s = p->step;
    LessonItem *g = grow(s->items, s->n_items, sizeof *g);
    if (!g) return NULL;
    s->items = g;
    LessonItem *it = &s->items[s->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = k;
    it->line = p->line;
    return it;
}

static int push_str(char ***arr, int *n, const char *s) {
    char **g = grow(*arr, *n, sizeof *g);
    if (!g) return -1;
    *arr = g;
    if (!(g[*n] = strdup(s))) return -1;
    (*n)++;
    return 0;
}

static LessonScope scope(const Parser *p) {
    LessonScope sc = {(const char *const *)p->names, p->n_names};
    return sc;
}

static int parse_expr(Parser *p, const char *src, LessonExpr **out, const char *what) {
    LessonScope sc = scope(p);
    BtError e = {{0}};
    if (lexpr_parse(src, &sc, out, &e) != 0) return perr_from(p, &e, what);
    return 0;
}

static int validate_text(Parser *p, const char *src) {
    LessonScope sc = scope(p);
    BtError e = {{0}};
    if (ltext_validate(src, &sc, &e) != 0) return perr_from(p, &e, "in an {expression}");
    return 0;
}

/* The end of a question's block: it must be complete. */
static int close_ask(Parser *p) {
    LessonAsk *a = p->ask;
    if (!a) return 0;
    p->ask = NULL;
    if (!a->value)
        return perr(p, p->ask_line, "the question has no `answer:` (expected `answer: number|token|choice VALUE` "
                                    "right after it)", NULL, NULL);
    if (a->kind == ANS_CHOICE && a->n_choices < 2)
        return perr(p, p->ask_line, "a choice question needs at least two `choice:` lines", NULL, NULL);
    if (a->kind != ANS_CHOICE && a->n_choices > 0)
        return perr(p, p->ask_line, "`choice:` lines belong to `answer: choice ...`, not to a %s answer",
                    a->kind == ANS_NUMBER ? "number" : "token", NULL);
    return 0;
}

static void close_para(Parser *p) { p->para = NULL; }

/* "number 8 ± 0.01", "token \"##ing\"", "choice \"b\"" */
static int parse_answer(Parser *p, const char *v) {
    LessonAsk *a = p->ask;
    if (!a) return perr(p, p->line, "`answer:` must follow an `ask:` (and its `choice:` lines)", NULL, NULL);
    if (a->value) return perr(p, p->line, "the question already has an `answer:`", NULL, NULL);
    const char *rest;
    if (strncmp(v, "number ", 7) == 0) { a->kind = ANS_NUMBER; rest = v + 7; }
    else if (strncmp(v, "token ", 6) == 0) { a->kind = ANS_TOKEN; rest = v + 6; }
    else if (strncmp(v, "choice ", 7) == 0) { a->kind = ANS_CHOICE; rest = v + 7; }
    else return perr(p, p->line, "expected `answer: number EXPR [± TOL]`, `answer: token EXPR` or "
                                 "`answer: choice LETTER`, found `answer: %s`", v, NULL);
    char val[512];
    snprintf(val, sizeof val, "%s", rest);
    char *tol = NULL;
    if (a->kind == ANS_NUMBER) {
        /* The tolerance follows ± (or +-) outside quotes. */
        char q = 0;
        for (char *c = val; *c; c++) {
            if (q) { if (*c == q) q = 0; continue; }
            if (*c == '"' || *c == '\'') { q = *c; continue; }
            if (strncmp(c, "\xC2\xB1", 2) == 0 || strncmp(c, "+-", 2) == 0) {
                *c = 0;
                tol = c + 2;
                break;
            }
        }
    } else if (strstr(val, "\xC2\xB1")) {
        return perr(p, p->line, "a tolerance (±) only makes sense for `answer: number`", NULL, NULL);
    }
    if (a->kind == ANS_CHOICE) {
        /* A bare letter is the common case: `answer: choice b`. */
        char *t = val;
        while (*t == ' ') t++;
        if (islower((unsigned char)t[0]) && (t[1] == 0 || t[1] == ' ') ) {
            char buf[8];
            snprintf(buf, sizeof buf, "\"%c\"", t[0]);
            snprintf(val, sizeof val, "%s", buf);
        }
    }
    a->answer_line = p->line;
    a->value_src = strdup(val);
    if (!a->value_src) return oom(p);
    if (parse_expr(p, val, &a->value, "in the answer") != 0) return -1;
    if (tol && parse_expr(p, tol, &a->tol, "in the tolerance after ±") != 0) return -1;
    return 0;
}

static int is_ident(const char *s) {
    if (!isalpha((unsigned char)*s) && *s != '_') return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return 0;
    return 1;
}

static int parse_let(Parser *p, LessonItem *it, const char *v) {
    const char *eq = strchr(v, '=');
    if (!eq || eq[1] == '=') return perr(p, p->line, "expected `let: NAME = EXPRESSION`, found `let: %s`", v, NULL);
    char name[LV_NAME_MAX + 8];
    int n = (int)(eq - v);
    while (n > 0 && v[n - 1] == ' ') n--;
    if (n <= 0 || n >= LV_NAME_MAX) return perr(p, p->line, "expected a short name before '=' in `let: %s`", v, NULL);
    snprintf(name, sizeof name, "%.*s", n, v);
    if (!is_ident(name)) return perr(p, p->line, "'%s' is not a name (letters, digits and _, not first a digit)", name, NULL);
    if (lprobe_find(name) || strcmp(name, "if") == 0)
        return perr(p, p->line, "'%s' is the name of a function; choose another name", name, NULL);
    const char *src = eq + 1;
    while (*src == ' ') src++;
    if (parse_expr(p, src, &it->expr, "in `let:`") != 0) return -1;
    if (!(it->text = strdup(name))) return oom(p);
    for (int i = 0; i < p->n_names; i++)
        if (strcmp(p->names[i], name) == 0) return 0;
    /* Names are looked up one by one, here and when played: a bound keeps
     * that linear in the lesson's length. */
    if (p->n_names >= LV_MAX_VARS) {
        char lim[16];
        snprintf(lim, sizeof lim, "%d", LV_MAX_VARS);
        return perr(p, p->line, "more than %s `let:` names in one lesson (at '%s'); reuse a name", lim, name);
    }
    if (push_str(&p->names, &p->n_names, name) != 0) return oom(p);
    return 0;
}

/* "attn 2 1", "pos", "heads" */
static int parse_view(Parser *p, const char *v) {
    char word[64];
    int n = 0;
    while (v[n] && v[n] != ' ' && n < 63) n++;
    snprintf(word, sizeof word, "%.*s", n, v);
    /* The window's views (bertology/views.h) and "follow". */
    if (viz_view_by_name(word) != -2) {
        if (v[n]) return perr(p, p->line, "the view '%s' takes nothing after it", word, NULL);
        return 0;
    }
    if (stage_by_name(word) < 0) {
        char list[400] = "";
        for (int i = 0; i < STAGE_COUNT; i++) {
            strncat(list, stage_info((Stage)i)->name, sizeof list - strlen(list) - 1);
            strncat(list, " ", sizeof list - strlen(list) - 1);
        }
        for (int i = 0; i < VIZ_VIEW_COUNT; i++) {
            strncat(list, viz_view_name((VizView)i), sizeof list - strlen(list) - 1);
            strncat(list, " ", sizeof list - strlen(list) - 1);
        }
        strncat(list, viz_view_name(VIZ_FOLLOW), sizeof list - strlen(list) - 1);
        return perr(p, p->line, "expected `view: STAGE [LAYER [HEAD]]` or `view: VIEW`, one of: %s; found '%s'",
                    list, word);
    }
    /* At most a layer and a head, as numbers or {expressions}. */
    int args = 0;
    const char *c = v + n;
    while (*c) {
        while (*c == ' ') c++;
        if (!*c) break;
        const char *b = c;
        if (*c == '{') {
            while (*c && *c != '}') c++;
            if (*c) c++;
        } else {
            while (isdigit((unsigned char)*c)) c++;
        }
        if (c == b || (*c && *c != ' '))
            return perr(p, p->line, "expected a layer and a head number after the stage in `view: %s`", v, NULL);
        args++;
    }
    if (args > 2) return perr(p, p->line, "expected at most a layer and a head after the stage in `view: %s`", v, NULL);
    return validate_text(p, v);
}

/* The commands that drive the player (the REPL's cmd_lesson.c). */
static const char *const PLAYER_COMMANDS[] = {"lesson", "continue", "hint", "quit-lesson", NULL};

int lesson_is_player_command(const char *word) {
    for (int i = 0; PLAYER_COMMANDS[i]; i++)
        if (strcmp(word, PLAYER_COMMANDS[i]) == 0) return 1;
    return 0;
}

/* run:/try: — the first word must be a command, written out, so the
 * check that every lesson's commands exist can read it. It may not drive
 * the player: `run: lesson 1` would start the lesson inside itself, for
 * ever (the REPL refuses it when run, too). */
static int parse_command(Parser *p, const char *key, const char *v) {
    if (!*v) return perr(p, p->line, "expected a command after `%s:`", key, NULL);
    if (v[0] == '{') return perr(p, p->line, "the command word after `%s:` must be written out, not an {expression}", key, NULL);
    if (!isalpha((unsigned char)v[0]))
        return perr(p, p->line, "expected a command word after `%s:`, found `%s`", key, v);
    char word[32];
    size_t k = strcspn(v, " \t");
    snprintf(word, sizeof word, "%.*s", (int)(k < sizeof word ? k : sizeof word - 1), v);
    if (lesson_is_player_command(word))
        return perr(p, p->line, "a lesson cannot run `%s`: lessons may not start or steer lessons (found `%s:`)",
                    word, key);
    if (strcmp(word, "back") == 0 && v[k] == 0)
        return perr(p, p->line, "`%s: back` alone would step the lesson back; write `back 1` to move one stage back",
                    key, NULL);
    return validate_text(p, v);
}

/* "sinusoidal() == 1 | this model's positions are learned": the
 * condition (split at the first ` | ` outside quotes; `||` is not it)
 * and what the player says when it does not hold. First in its step, so
 * that nothing of a skipped step has been shown. */
static int parse_needs(Parser *p, const char *v) {
    LessonStep *st = p->step;
    if (st->needs) return perr(p, p->line, "the step already has a `needs:`", NULL, NULL);
    if (st->n_items || st->n_hints)
        return perr(p, p->line, "`needs:` must come first in its step, right after `step:`", NULL, NULL);
    const char *bar = NULL;
    char q = 0;
    for (const char *c = v; *c && !bar; c++) {
        if (q) { if (*c == q) q = 0; continue; }
        if (*c == '"' || *c == '\'') q = *c;
        else if (c > v && c[-1] == ' ' && c[0] == '|' && c[1] == ' ') bar = c;
    }
    const char *text = bar ? bar + 1 : "";
    while (*text == ' ') text++;
    if (!bar || !*text)
        return perr(p, p->line, "expected `needs: CONDITION | what the learner is told when the model lacks it`, "
                                "found `needs: %s`", v, NULL);
    int n = (int)(bar - v);
    while (n > 0 && v[n - 1] == ' ') n--;
    if (!(st->needs_src = strndup(v, (size_t)n)) || !(st->needs_text = strdup(text))) return oom(p);
    st->needs_line = p->line;
    if (parse_expr(p, st->needs_src, &st->needs, "in `needs:`") != 0) return -1;
    return validate_text(p, st->needs_text);
}

static int known_key(const char *k) {
    for (int i = 0; KEYS[i]; i++)
        if (strcmp(KEYS[i], k) == 0) return 1;
    return 0;
}

static int directive(Parser *p, const char *key, const char *v) {
    int in_ask_block = !strcmp(key, "choice") || !strcmp(key, "answer") || !strcmp(key, "explain") ||
                       (!strcmp(key, "hint") && p->ask);
    if (!in_ask_block && close_ask(p) != 0) return -1;
    close_para(p);

    if (!strcmp(key, "title")) {
        if (p->l->title) return perr(p, p->line, "a second `title:` (a lesson has one, at the top)", NULL, NULL);
        if (p->l->n_steps) return perr(p, p->line, "`title:` must come before the first `step:`", NULL, NULL);
        if (!*v) return perr(p, p->line, "expected the lesson's title after `title:`", NULL, NULL);
        return (p->l->title = strdup(v)) ? 0 : oom(p);
    }
    if (!p->l->title) return perr(p, p->line, "expected `title: ...` first, found `%s:`", key, NULL);
    if (!strcmp(key, "summary")) {
        if (p->l->n_steps) return perr(p, p->line, "`summary:` must come before the first `step:`", NULL, NULL);
        free(p->l->summary);
        return (p->l->summary = strdup(v)) ? 0 : oom(p);
    }
    if (!strcmp(key, "step")) {
        if (!*v) return perr(p, p->line, "expected the step's title after `step:`", NULL, NULL);
        if (p->step && p->step->n_items == 0)
            return perr(p, p->step->line, "the step '%s' is empty: expected prose, `run:`, `ask:`... before the next `step:`",
                        p->step->title, NULL);
        LessonStep *g = grow(p->l->steps, p->l->n_steps, sizeof *g);
        if (!g) return oom(p);
        p->l->steps = g;
        p->step = &g[p->l->n_steps++];
        memset(p->step, 0, sizeof *p->step);
        p->step->line = p->line;
        return (p->step->title = strdup(v)) ? 0 : oom(p);
    }
    if (!p->step) return perr(p, p->line, "expected `step: TITLE` before `%s:`", key, NULL);
    if (!strcmp(key, "needs")) return parse_needs(p, v);

    if (!strcmp(key, "choice")) {
        if (!p->ask) return perr(p, p->line, "`choice:` must follow an `ask:`", NULL, NULL);
        if (p->ask->value) return perr(p, p->line, "`choice:` lines come before the `answer:`", NULL, NULL);
        if (!*v) return perr(p, p->line, "expected the choice's text after `choice:`", NULL, NULL);
        if (p->ask->n_choices >= 26) return perr(p, p->line, "more than 26 choices", NULL, NULL);
        if (validate_text(p, v) != 0) return -1;
        return push_str(&p->ask->choices, &p->ask->n_choices, v) ? oom(p) : 0;
    }
    if (!strcmp(key, "answer")) return parse_answer(p, v);
    if (!strcmp(key, "explain")) {
        if (!p->ask) return perr(p, p->line, "`explain:` must follow an `ask:`", NULL, NULL);
        if (p->ask->explain) return perr(p, p->line, "the question already has an `explain:`", NULL, NULL);
        if (validate_text(p, v) != 0) return -1;
        return (p->ask->explain = strdup(v)) ? 0 : oom(p);
    }
    if (!strcmp(key, "hint")) {
        if (!*v) return perr(p, p->line, "expected the hint's text after `hint:`", NULL, NULL);
        if (validate_text(p, v) != 0) return -1;
        if (p->ask) return push_str(&p->ask->hints, &p->ask->n_hints, v) ? oom(p) : 0;
        return push_str(&p->step->hints, &p->step->n_hints, v) ? oom(p) : 0;
    }

    LessonItemKind kind = !strcmp(key, "view") ? LI_VIEW : !strcmp(key, "run") ? LI_RUN : !strcmp(key, "text") ? LI_TEXT
                        : !strcmp(key, "try") ? LI_TRY : !strcmp(key, "ask") ? LI_ASK : !strcmp(key, "check") ? LI_CHECK
                        : LI_LET;
    LessonItem *it = new_item(p, kind);
    if (!it) return oom(p);
    switch (kind) {
    case LI_VIEW:
        if (!*v) return perr(p, p->line, "expected a stage or view name after `view:`", NULL, NULL);
        if (parse_view(p, v) != 0) return -1;
        break;
    case LI_RUN:
    case LI_TRY:
        if (parse_command(p, key, v) != 0) return -1;
        break;
    case LI_TEXT:
        if (!*v) return perr(p, p->line, "expected a sentence after `text:`", NULL, NULL);
        if (validate_text(p, v) != 0) return -1;
        break;
    case LI_ASK:
        if (!*v) return perr(p, p->line, "expected the question after `ask:`", NULL, NULL);
        if (validate_text(p, v) != 0) return -1;
        if (!(it->ask = calloc(1, sizeof *it->ask))) return oom(p);
        p->ask = it->ask;
        p->ask_line = p->line;
        break;
    case LI_CHECK:
        if (!*v) return perr(p, p->line, "expected an expression after `check:`", NULL, NULL);
        if (parse_expr(p, v, &it->expr, "in `check:`") != 0) return -1;
        break;
    case LI_LET:
        return parse_let(p, it, v);
    default:
        break;
    }
    return (it->text = strdup(v)) ? 0 : oom(p);
}

static int prose(Parser *p, const char *line) {
    if (close_ask(p) != 0) return -1;
    if (!p->l->title) return perr(p, p->line, "expected `title: ...` first, found text", NULL, NULL);
    if (!p->step) return perr(p, p->line, "expected `step: TITLE` before the first paragraph", NULL, NULL);
    if (validate_text(p, line) != 0) return -1;
    if (!p->para) {
        LessonItem *it = new_item(p, LI_PARA);
        if (!it) return oom(p);
        int ind = 0;
        while (line[ind] == ' ' || line[ind] == '\t') ind++;
        it->preformatted = ind > 0;
        p->pre_indent = ind;
        if (!(it->text = strdup(line + ind))) return oom(p);
        p->para = it;
        p->para_len = strlen(it->text);
        p->para_cap = p->para_len + 1;
        return 0;
    }
    /* A preformatted paragraph loses only its common indent. */
    int ind = 0;
    if (p->para->preformatted)
        while (ind < p->pre_indent && (line[ind] == ' ' || line[ind] == '\t')) ind++;
    else
        while (line[ind] == ' ' || line[ind] == '\t') ind++;
    /* The length is kept and the room doubles: a paragraph of a million
     * lines is gathered in linear time. */
    size_t a = p->para_len, b = strlen(line + ind);
    if (a + b + 2 > p->para_cap) {
        size_t cap = p->para_cap * 2 > a + b + 2 ? p->para_cap * 2 : a + b + 2;
        char *g = realloc(p->para->text, cap);
        if (!g) return oom(p);
        p->para->text = g;
        p->para_cap = cap;
    }
    char *t = p->para->text;
    t[a] = '\n';
    memcpy(t + a + 1, line + ind, b + 1);
    p->para_len = a + 1 + b;
    return 0;
}

static int nearest_key(const char *k, char *buf, size_t n) {
    int best = 99;
    for (int i = 0; KEYS[i]; i++) {
        int d = edit_distance(k, KEYS[i]);
        if (d < best) { best = d; snprintf(buf, n, "%s", KEYS[i]); }
    }
    return best;
}

static int parse_line(Parser *p, char *line) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t')) line[--len] = 0;
    /* "##ing" or "##," at the start of a line is WordPiece's mark, cut
     * there by reflowing prose, not a comment: it would vanish. */
    if (line[0] == '#' && line[1] == '#' && line[2] && line[2] != '#' && line[2] != ' ' && line[2] != '\t') {
        char head[24];
        snprintf(head, sizeof head, "%.*s", (int)strcspn(line, " \t") > 12 ? 12 : (int)strcspn(line, " \t"), line);
        return perr(p, p->line, "a line starting with `%s` would be a comment and vanish; if it is WordPiece's "
                                "`##` in prose, move it off the start of the line (a comment starts `# `)", head, NULL);
    }
    if (line[0] == '#') return 0;
    if (len == 0) {
        close_para(p);
        return 0;
    }
    /* key: at the start of the line, lower-case letters and dashes */
    size_t k = 0;
    while (islower((unsigned char)line[k]) || (k > 0 && line[k] == '-')) k++;
    if (k > 0 && line[k] == ':' && (line[k + 1] == ' ' || line[k + 1] == 0)) {
        line[k] = 0;
        const char *v = line + k + 1;
        while (*v == ' ') v++;
        if (!known_key(line)) {
            /* A near miss of a directive ("anwser:", "choices:") is an
             * error; any other "word:" starts ordinary prose. */
            char near[32] = "";
            int d = nearest_key(line, near, sizeof near);
            if (k >= 3 && d <= (k <= 4 ? 1 : 2))
                return perr(p, p->line, "unknown directive `%s:`; did you mean `%s:`?", line, near);
            line[k] = ':';
            return prose(p, line);
        }
        return directive(p, line, v);
    }
    return prose(p, line);
}

int lesson_parse_text(const char *name, const char *text, Lesson *out, BtError *err) {
    memset(out, 0, sizeof *out);
    Parser p = {0};
    p.name = name;
    p.err = err;
    p.l = out;
    long bad = utf8_invalid_at(text, strlen(text));
    int rc = 0;
    if (bad >= 0) {
        int line = 1;
        for (long i = 0; i < bad; i++) line += text[i] == '\n';
        rc = bt_fail(err, "%s:%d: not valid UTF-8 (byte 0x%02X); lessons are UTF-8 text", name, line,
                     (unsigned char)text[bad]);
    }
    const char *s = text;
    while (rc == 0 && *s) {
        p.line++;
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = strndup(s, n);
        if (!line) { rc = oom(&p); break; }
        rc = parse_line(&p, line);
        free(line);
        s += n + (nl ? 1 : 0);
    }
    if (rc == 0) rc = close_ask(&p);
    if (rc == 0 && !out->title) rc = bt_fail(err, "%s:1: expected `title: ...` (the file has none)", name);
    if (rc == 0 && out->n_steps == 0) rc = bt_fail(err, "%s:%d: expected at least one `step: TITLE`", name, p.line);
    if (rc == 0 && p.step && p.step->n_items == 0)
        rc = perr(&p, p.step->line, "the step '%s' is empty: expected prose, `run:`, `ask:`... in it", p.step->title, NULL);
    for (int i = 0; i < p.n_names; i++) free(p.names[i]);
    free(p.names);
    if (rc == 0 && !(out->path = strdup(name))) rc = bt_fail(err, "out of memory");
    if (rc != 0) lesson_free(out);
    return rc;
}

static int parse_file_as(const char *path, const char *name, Lesson *out, BtError *err) {
    memset(out, 0, sizeof *out);
    size_t n;
    char *buf = bt_file_read(path, BT_FILE_LESSON, &n, err);
    if (!buf) return -1;
    if (strlen(buf) != n) {
        int line = 1;
        for (size_t i = 0; buf[i]; i++) line += buf[i] == '\n';
        free(buf);
        return bt_fail(err, "%s:%d: contains a NUL byte; lessons are UTF-8 text", name, line);
    }
    int rc = lesson_parse_text(name, buf, out, err);
    free(buf);
    return rc;
}

int lesson_parse_file(const char *path, Lesson *out, BtError *err) { return parse_file_as(path, path, out, err); }

int lesson_load(const LessonFile *f, Lesson *out, BtError *err) { return parse_file_as(f->path, f->name, out, err); }

static void free_ask(LessonAsk *a) {
    if (!a) return;
    lexpr_free(a->value);
    lexpr_free(a->tol);
    free(a->value_src);
    for (int i = 0; i < a->n_choices; i++) free(a->choices[i]);
    free(a->choices);
    for (int i = 0; i < a->n_hints; i++) free(a->hints[i]);
    free(a->hints);
    free(a->explain);
    free(a);
}

void lesson_free(Lesson *l) {
    for (int s = 0; s < l->n_steps; s++) {
        LessonStep *st = &l->steps[s];
        for (int i = 0; i < st->n_items; i++) {
            free(st->items[i].text);
            lexpr_free(st->items[i].expr);
            free_ask(st->items[i].ask);
        }
        free(st->items);
        for (int i = 0; i < st->n_hints; i++) free(st->hints[i]);
        free(st->hints);
        free(st->title);
        lexpr_free(st->needs);
        free(st->needs_src);
        free(st->needs_text);
    }
    free(l->steps);
    free(l->title);
    free(l->summary);
    free(l->path);
    memset(l, 0, sizeof *l);
}

const char *lesson_item_command(const LessonItem *it, char *buf, size_t n) {
    if (it->kind != LI_RUN && it->kind != LI_TRY) return NULL;
    size_t k = 0;
    while (it->text[k] && it->text[k] != ' ' && it->text[k] != '\t') k++;
    snprintf(buf, n, "%.*s", (int)k, it->text);
    return buf;
}
