/* Walking a learner through a lesson: a step's items are shown in order
 * until one waits for the learner (a `try:` or an `ask:`); `continue`
 * goes on. Entering a step first replays the lesson's own lines of the
 * steps before it with their output swallowed, so every step starts from
 * the same sentence and switches whatever the learner tried in between. */
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "lesson_internal.h"
#include "lesson_ui.h"

struct LessonPlayer {
    const Lesson *l;
    int number;
    char lang[8];
    LessonHost host;
    LessonVars vars;
    int step;            /* the step shown */
    int item;            /* the next item to show, or the one waited on */
    LessonWait wait;
    int hint_i;          /* hints given for what is waited on */
    int skip_armed;      /* `continue` once while waiting: the next one skips */
    int busy;            /* running the lesson's own lines */
    int step_done;       /* every item of the step shown */
    int finished;
    const LessonAsk *closed; /* the question just closed, until the learner does something else */
    LessonValue want;    /* the open question's answer, computed when asked */
    double tol;
    int want_ok;
    char want_err[300];
};

static const char *T(const LessonPlayer *p, UiKey k) { return lesson_ui(p->lang, k); }

static void world(const LessonPlayer *p, LessonWorld *w) {
    memset(w, 0, sizeof *w);
    p->host.world(p->host.ctx, w);
}

static void where(const LessonPlayer *p, const LessonItem *it, char *buf, size_t n) {
    snprintf(buf, n, "%s:%d", p->l->path, it->line);
}

static void note_error(const LessonPlayer *p, const LessonItem *it, const char *msg) {
    char w[1100];
    where(p, it, w, sizeof w);
    fflush(p->host.out);
    fprintf(p->host.out, T(p, UI_LESSON_ERROR), w, msg);
    fputc('\n', p->host.out);
}

/* {EXPR} filled in with numbers as decimal writes them; on failure the
 * error is shown and the text kept raw. */
static char *expand_with(const LessonPlayer *p, const LessonItem *it, const char *src, char decimal) {
    LessonWorld w;
    world(p, &w);
    BtError err = {{0}};
    char *s = ltext_expand(src, &w, &p->vars, decimal, &err);
    if (s) return s;
    note_error(p, it, err.msg);
    return strdup(src);
}

/* A command (`run:`, `try:`, `text:`, `view:`): numbers keep the point,
 * which the REPL reads. */
static char *expand(const LessonPlayer *p, const LessonItem *it, const char *src) {
    return expand_with(p, it, src, '.');
}

/* Text the learner reads (prose, questions, choices, hints, `explain:`):
 * numbers with the lesson's decimal separator, "0,250" in pt and ru. */
static char *say(const LessonPlayer *p, const LessonItem *it, const char *src) {
    return expand_with(p, it, src, lesson_decimal(p->lang));
}

static int run_line(LessonPlayer *p, const LessonItem *it, const char *line) {
    char w[1100];
    where(p, it, w, sizeof w);
    /* A command the REPL lacks would be analysed as a sentence: refuse. */
    char word[64];
    if (p->host.has_command && lesson_item_command(it, word, sizeof word) && !p->host.has_command(word)) {
        char msg[200];
        snprintf(msg, sizeof msg, _("`%s` is not a command of this REPL"), word);
        note_error(p, it, msg);
        return -1;
    }
    p->busy = 1;
    int rc = p->host.run(p->host.ctx, line, w);
    p->busy = 0;
    return rc;
}

static char *text_command(const char *text) {
    size_t n = strlen(text) + 10;
    char *c = malloc(n);
    if (c) snprintf(c, n, "sentence %s", text);
    return c;
}

static void eval_let(LessonPlayer *p, const LessonItem *it, int visible) {
    LessonWorld w;
    world(p, &w);
    LessonValue v;
    BtError err = {{0}};
    if (lexpr_eval(it->expr, &w, &p->vars, &v, &err) != 0 || lvars_set(&p->vars, it->text, &v, &err) != 0) {
        if (visible) note_error(p, it, err.msg);
    }
}

/* Replay: the lesson's state-changing lines, silently. */
static void replay_item(LessonPlayer *p, const LessonItem *it) {
    char *line = NULL;
    switch (it->kind) {
    case LI_RUN:
    case LI_TRY:
        line = expand(p, it, it->text);
        break;
    case LI_TEXT: {
        char *t = expand(p, it, it->text);
        line = t ? text_command(t) : NULL;
        free(t);
        break;
    }
    case LI_LET:
        eval_let(p, it, 0);
        return;
    default:
        return;
    }
    if (line) run_line(p, it, line);
    free(line);
}

static void ask_show(LessonPlayer *p, const LessonItem *it) {
    FILE *f = p->host.out;
    const LessonAsk *a = it->ask;
    LessonWorld w;
    world(p, &w);
    BtError err = {{0}};
    p->want_ok = 0;
    p->tol = 0;
    LessonValue tol;
    if (lexpr_eval(a->value, &w, &p->vars, &p->want, &err) == 0 &&
        (!a->tol || lexpr_eval(a->tol, &w, &p->vars, &tol, &err) == 0)) {
        p->want_ok = 1;
        if (a->tol) p->tol = tol.is_str ? 0 : tol.num;
        if (a->kind == ANS_CHOICE && lanswer_choice_index(a, &p->want) < 0) {
            p->want_ok = 0;
            snprintf(p->want_err, sizeof p->want_err, "%s", _("the answer is not one of the choices"));
        }
    } else {
        snprintf(p->want_err, sizeof p->want_err, "%.*s", (int)sizeof p->want_err - 1, err.msg);  /* the precision says the cut is meant (gcc -Wformat-truncation) */
    }
    char *q = say(p, it, it->text);
    fputc('\n', f);
    char line[4096];
    snprintf(line, sizeof line, "? %s", q ? q : it->text);
    ltext_print_para(f, line, p->host.width, 0, 0);
    free(q);
    for (int i = 0; i < a->n_choices; i++) {
        char *c = say(p, it, a->choices[i]);
        snprintf(line, sizeof line, "%c) %s", 'a' + i, c ? c : a->choices[i]);
        ltext_print_para(f, line, p->host.width, 2, 0);
        free(c);
    }
    /* offer `hint` only where there is one: it would answer "no hint" */
    fputs(T(p, a->n_hints > 0 ? UI_ANSWER_PROMPT : UI_ANSWER_PROMPT_NO_HINT), f);
    fputc('\n', f);
}

static void try_show(LessonPlayer *p, const LessonItem *it) {
    char *cmd = expand(p, it, it->text);
    const char *c = cmd ? cmd : it->text;
    fputc('\n', p->host.out);
    if (strncmp(c, "sentence ", 9) == 0) fprintf(p->host.out, T(p, UI_YOUR_TURN_TEXT), c + 9);
    else fprintf(p->host.out, T(p, UI_YOUR_TURN), c);
    fputc('\n', p->host.out);
    free(cmd);
}

static void check_note(LessonPlayer *p, const LessonItem *it) {
    LessonWorld w;
    world(p, &w);
    LessonValue v;
    BtError err = {{0}};
    if (lexpr_eval(it->expr, &w, &p->vars, &v, &err) != 0) {
        fprintf(p->host.out, T(p, UI_CHECK_NOTE), it->text, err.msg);
        fputc('\n', p->host.out);
    } else if (!(v.is_str ? v.str[0] : v.num != 0)) {
        char why[300];
        lexpr_explain(it->expr, &w, &p->vars, T(p, UI_CHECK_SIDES), why, sizeof why);
        fprintf(p->host.out, T(p, UI_CHECK_NOTE), it->text, why[0] ? why : T(p, UI_CHECK_FALSE));
        fputc('\n', p->host.out);
    }
}

/* Shows item i of the current step; returns 1 when it waits for the learner. */
static int show_item(LessonPlayer *p, const LessonItem *it) {
    FILE *f = p->host.out;
    switch (it->kind) {
    case LI_PARA: {
        char *s = say(p, it, it->text);
        fputc('\n', f);
        ltext_print_para(f, s ? s : it->text, p->host.width, it->preformatted ? 2 : 0, it->preformatted);
        free(s);
        return 0;
    }
    case LI_RUN:
    case LI_TEXT: {
        char *s = expand(p, it, it->text);
        if (!s) return 0;
        fprintf(f, "\n› %s\n", s);
        fflush(f);
        char *line = it->kind == LI_TEXT ? text_command(s) : strdup(s);
        if (line) run_line(p, it, line);
        free(line);
        free(s);
        return 0;
    }
    case LI_TRY:
        try_show(p, it);
        p->wait = WAIT_TRY;
        return 1;
    case LI_ASK:
        p->closed = NULL;
        ask_show(p, it);
        p->wait = WAIT_ASK;
        return 1;
    case LI_CHECK:
        check_note(p, it);
        return 0;
    case LI_LET:
        eval_let(p, it, 1);
        return 0;
    case LI_VIEW: {
        char *s = expand(p, it, it->text);
        BtError err = {{0}};
        if (s && p->host.view && p->host.view(p->host.ctx, s, &err) != 0) note_error(p, it, err.msg);
        free(s);
        return 0;
    }
    }
    return 0;
}

/* Whether step s is for this model: no `needs:`, or its condition
 * holds. A condition that fails to evaluate counts as not holding (the
 * error is shown when visible). */
static int step_applies(LessonPlayer *p, int s, int visible) {
    const LessonStep *st = &p->l->steps[s];
    if (!st->needs) return 1;
    LessonWorld w;
    world(p, &w);
    LessonValue v;
    BtError err = {{0}};
    if (lexpr_eval(st->needs, &w, &p->vars, &v, &err) != 0) {
        if (visible) {
            char at[1100];
            snprintf(at, sizeof at, "%s:%d", p->l->path, st->needs_line);
            fflush(p->host.out);
            fprintf(p->host.out, T(p, UI_LESSON_ERROR), at, err.msg);
            fputc('\n', p->host.out);
        }
        return 0;
    }
    return v.is_str ? v.str[0] != 0 : v.num != 0;
}

/* Shows items until one waits or the step ends. */
static void advance(LessonPlayer *p) {
    const LessonStep *st = &p->l->steps[p->step];
    while (p->item < st->n_items) {
        p->hint_i = 0;
        p->skip_armed = 0;
        if (show_item(p, &st->items[p->item])) return;
        p->item++;
    }
    p->wait = WAIT_NONE;
    p->step_done = 1;
    FILE *f = p->host.out;
    fputc('\n', f);
    if (p->step + 1 < p->l->n_steps) {
        fputs(T(p, UI_STEP_DONE), f);
        fputc('\n', f);
        return;
    }
    if (!p->finished) {
        p->finished = 1;
        if (p->host.progress) p->host.progress(p->host.ctx, p->step, 1);
    }
    fprintf(f, T(p, UI_LESSON_DONE), p->number);
    fputc('\n', f);
}

/* The waited-on item is done: go on with the rest of the step. */
static void resume(LessonPlayer *p) {
    /* A late answer to it (a second "b", the right number once more) must
     * not run as a command or a sentence: lesson_player_answer says so. */
    p->closed = p->wait == WAIT_ASK ? p->l->steps[p->step].items[p->item].ask : NULL;
    p->wait = WAIT_NONE;
    p->item++;
    advance(p);
}

int lesson_player_new(LessonPlayer **out, const Lesson *lesson, int number, const char *lang, const LessonHost *host,
                      BtError *err) {
    *out = NULL;
    if (lesson->n_steps == 0) return bt_fail(err, "%s has no steps", lesson->path);
    LessonPlayer *p = calloc(1, sizeof *p);
    if (!p) return bt_fail(err, "out of memory");
    p->l = lesson;
    p->number = number;
    snprintf(p->lang, sizeof p->lang, "%s", lang ? lang : "en");
    p->host = *host;
    if (p->host.width <= 0) p->host.width = 80;
    *out = p;
    return 0;
}

void lesson_player_free(LessonPlayer *p) {
    if (!p) return;
    lvars_free(&p->vars);
    free(p);
}

int lesson_player_goto(LessonPlayer *p, int step) {
    if (step < 0) step = 0;
    if (step >= p->l->n_steps) step = p->l->n_steps - 1;
    if (p->host.reset) p->host.reset(p->host.ctx);
    lvars_clear(&p->vars);
    if (p->host.quiet) p->host.quiet(p->host.ctx, 1);
    for (int s = 0; s < step; s++)
        if (step_applies(p, s, 0))
            for (int i = 0; i < p->l->steps[s].n_items; i++) replay_item(p, &p->l->steps[s].items[i]);
    if (p->host.quiet) p->host.quiet(p->host.ctx, 0);

    p->step = step;
    p->item = 0;
    p->wait = WAIT_NONE;
    p->closed = NULL;
    p->step_done = 0;
    p->finished = 0;
    if (p->host.view) {
        BtError err = {{0}};
        p->host.view(p->host.ctx, "follow", &err);
    }
    const LessonStep *st = &p->l->steps[step];
    FILE *f = p->host.out;
    fputc('\n', f);
    char head[1024];
    snprintf(head, sizeof head, T(p, UI_HEADER), p->number, p->l->title, step + 1, p->l->n_steps, st->title);
    fputs(head, f);
    fputc('\n', f);
    /* An underline as long as the header is wide. */
    int cols = 0;
    for (const char *c = head; *c; c++) cols += ((unsigned char)*c & 0xC0) != 0x80;
    if (cols > p->host.width) cols = p->host.width;
    for (int i = 0; i < cols; i++) fputs("─", f);
    fputc('\n', f);
    if (p->host.progress) p->host.progress(p->host.ctx, step, 0);
    if (!step_applies(p, step, 1)) {
        /* Nothing of the step is shown: the player says why and the
         * step counts as done, so `continue` goes on. */
        char *why = expand_with(p, &st->items[0], st->needs_text, lesson_decimal(p->lang));
        char line[4096];
        snprintf(line, sizeof line, T(p, UI_STEP_SKIPPED), why ? why : st->needs_text);
        ltext_print_para(f, line, p->host.width, 0, 0);
        free(why);
        p->item = st->n_items;
    }
    advance(p);
    fflush(f);
    return 0;
}

void lesson_player_continue(LessonPlayer *p) {
    FILE *f = p->host.out;
    const LessonItem *it = p->wait != WAIT_NONE ? &p->l->steps[p->step].items[p->item] : NULL;
    if (it && !p->skip_armed) {
        p->skip_armed = 1;
        if (p->wait == WAIT_ASK) {
            fputs(T(p, UI_OPEN_QUESTION), f);
        } else {
            char *c = expand(p, it, it->text);   /* `attn {nl} {nh}` as the learner must type it */
            const char *t = c ? c : it->text;
            fprintf(f, T(p, UI_OPEN_TRY), strncmp(t, "sentence ", 9) == 0 ? t + 9 : t);
            free(c);
        }
        fputc('\n', f);
        return;
    }
    if (it && p->wait == WAIT_ASK) {
        char ans[LV_STR_MAX + 40];
        if (p->want_ok) lanswer_format(it->ask, &p->want, lesson_decimal(p->lang), ans, sizeof ans);
        else snprintf(ans, sizeof ans, "?");
        fprintf(f, T(p, UI_ANSWER_WAS), ans);
        fputc('\n', f);
        if (it->ask->explain) {
            char *e = say(p, it, it->ask->explain);
            ltext_print_para(f, e ? e : it->ask->explain, p->host.width, 0, 0);
            free(e);
        }
    }
    if (it && p->wait == WAIT_TRY) {
        /* A skipped turn is taken for the learner: what follows in the
         * step relies on it. */
        char *s = expand(p, it, it->text);
        if (s) {
            fprintf(f, "› %s\n", s);
            fflush(f);
            run_line(p, it, s);
        }
        free(s);
    }
    if (it) {
        resume(p);
        return;
    }
    if (p->step + 1 < p->l->n_steps) {
        lesson_player_goto(p, p->step + 1);
        return;
    }
    fprintf(f, T(p, UI_LESSON_DONE), p->number);
    fputc('\n', f);
}

void lesson_player_back(LessonPlayer *p) {
    if (p->step == 0) {
        fputs(T(p, UI_FIRST_STEP), p->host.out);
        fputc('\n', p->host.out);
        return;
    }
    lesson_player_goto(p, p->step - 1);
}

void lesson_player_hint(LessonPlayer *p) {
    FILE *f = p->host.out;
    const LessonStep *st = &p->l->steps[p->step];
    char **hints = st->hints;
    int n = st->n_hints;
    const LessonItem *it = NULL;
    if (p->wait == WAIT_ASK) {
        it = &st->items[p->item];
        hints = it->ask->hints;
        n = it->ask->n_hints;
    }
    if (n == 0) { fputs(T(p, it ? UI_NO_HINT_ASK : UI_NO_HINT), f); fputc('\n', f); return; }
    if (p->hint_i >= n) { fputs(T(p, UI_NO_MORE_HINTS), f); fputc('\n', f); return; }
    const LessonItem *at = it ? it : &st->items[p->item < st->n_items ? p->item : st->n_items - 1];
    char *h = say(p, at, hints[p->hint_i++]);
    char line[4096];
    snprintf(line, sizeof line, T(p, UI_HINT), h ? h : "");
    ltext_print_para(f, line, p->host.width, 0, 0);
    free(h);
}

LessonWait lesson_player_waiting(const LessonPlayer *p) { return p->wait; }

const LessonAsk *lesson_player_question(const LessonPlayer *p) {
    return p->wait == WAIT_ASK ? p->l->steps[p->step].items[p->item].ask : NULL;
}

const LessonAsk *lesson_player_closed_question(const LessonPlayer *p) {
    return p->wait == WAIT_ASK ? NULL : p->closed;
}

int lesson_player_answer(LessonPlayer *p, const char *text) {
    FILE *f = p->host.out;
    if (p->wait != WAIT_ASK) {
        if (p->closed) {
            char t[LV_STR_MAX];
            lanswer_clean(text, t, sizeof t);
            fprintf(f, T(p, UI_CLOSED_QUESTION), t);
            fputc('\n', f);
        }
        return 0;
    }
    const LessonItem *it = &p->l->steps[p->step].items[p->item];
    const LessonAsk *a = it->ask;
    if (!p->want_ok) {
        /* The lesson cannot know the answer on this model: say so, go on. */
        fprintf(f, T(p, UI_UNCHECKABLE), p->want_err);
        fputc('\n', f);
        resume(p);
        return 0;
    }
    AnswerWhy why;
    if (lanswer_matches(a, &p->want, p->tol, text, &why)) {
        char ans[LV_STR_MAX + 40];
        lanswer_format(a, &p->want, lesson_decimal(p->lang), ans, sizeof ans);
        fputs(T(p, UI_RIGHT), f);
        /* A number within the tolerance: show the exact value too. */
        if (a->kind == ANS_NUMBER) fprintf(f, " (%s)", ans);
        fputc('\n', f);
        if (a->explain) {
            char *e = say(p, it, a->explain);
            ltext_print_para(f, e ? e : a->explain, p->host.width, 0, 0);
            free(e);
        }
        resume(p);
        return 1;
    }
    char t[LV_STR_MAX];
    lanswer_clean(text, t, sizeof t);
    switch (why) {
    case WHY_HIGH: fprintf(f, T(p, UI_TOO_HIGH), t); break;
    case WHY_LOW: fprintf(f, T(p, UI_TOO_LOW), t); break;
    case WHY_NOT_NUMBER: fputs(T(p, UI_NOT_NUMBER), f); break;
    case WHY_NOT_CHOICE: fprintf(f, T(p, UI_NOT_CHOICE), 'a' + a->n_choices - 1); break;
    default: fputs(T(p, a->n_hints > 0 ? UI_WRONG : UI_WRONG_NO_HINT), f); break;
    }
    fputc('\n', f);
    p->skip_armed = 0;
    return 0;
}

/* Arguments compared word by word, blanks aside. */
static int same_words(const char *a, const char *b) {
    for (;;) {
        while (*a == ' ' || *a == '\t') a++;
        while (*b == ' ' || *b == '\t') b++;
        if (!*a || !*b) return !*a && !*b;
        while (*a && *a != ' ' && *a != '\t' && *a == *b) { a++; b++; }
        if ((*a && *a != ' ' && *a != '\t') || (*b && *b != ' ' && *b != '\t')) return 0;
    }
}

void lesson_player_observe(LessonPlayer *p, const char *command, const char *args, int ok) {
    if (p->busy) return;
    p->closed = NULL;   /* the learner has moved on: "b" is `back` again */
    if (p->wait != WAIT_TRY || !ok) return;
    const LessonItem *it = &p->l->steps[p->step].items[p->item];
    char word[64];
    lesson_item_command(it, word, sizeof word);
    if (strcmp(word, command) != 0) return;
    if (strcmp(command, "sentence") != 0) {
        char *want = expand(p, it, it->text + strlen(word));
        int same = same_words(want ? want : "", args ? args : "");
        free(want);
        if (!same) return;
    }
    fputs(T(p, UI_TRY_DONE), p->host.out);
    fputc('\n', p->host.out);
    resume(p);
}

int lesson_player_busy(const LessonPlayer *p) { return p->busy; }
int lesson_player_step(const LessonPlayer *p) { return p->step; }
int lesson_player_finished(const LessonPlayer *p) { return p->finished; }

/* ---- unattended ------------------------------------------------------------ */

typedef struct {
    const Lesson *l;
    const LessonHost *host;
    LessonVars vars;
    LessonCheckReport *rep;
    FILE *log;
} Checker;

static void problem(Checker *c, int line, const char *what, const char *msg) {
    c->rep->failures++;
    fflush(c->host->out);
    fprintf(c->log, "%s:%d: %s%s%s\n", c->l->path, line, what, *what ? ": " : "", msg);
    fflush(c->log);
}

static char *check_expand(Checker *c, int line, const char *src, const char *what) {
    LessonWorld w;
    memset(&w, 0, sizeof w);
    c->host->world(c->host->ctx, &w);
    BtError err = {{0}};
    char *s = ltext_expand(src, &w, &c->vars, '.', &err);
    if (!s) problem(c, line, what, err.msg);
    return s;
}

static int check_eval(Checker *c, int line, const LessonExpr *e, LessonValue *v, const char *what) {
    LessonWorld w;
    memset(&w, 0, sizeof w);
    c->host->world(c->host->ctx, &w);
    BtError err = {{0}};
    if (lexpr_eval(e, &w, &c->vars, v, &err) == 0) return 0;
    problem(c, line, what, err.msg);
    return -1;
}

static void check_ask(Checker *c, const LessonItem *it) {
    const LessonAsk *a = it->ask;
    c->rep->questions++;
    free(check_expand(c, it->line, it->text, _("in the question")));
    for (int i = 0; i < a->n_choices; i++) free(check_expand(c, it->line, a->choices[i], _("in a choice")));
    for (int i = 0; i < a->n_hints; i++) free(check_expand(c, it->line, a->hints[i], _("in a hint")));
    if (a->explain) free(check_expand(c, it->line, a->explain, _("in `explain:`")));
    LessonValue want, tol;
    double t = 0;
    if (check_eval(c, a->answer_line, a->value, &want, _("the answer")) != 0) return;
    if (a->tol) {
        if (check_eval(c, a->answer_line, a->tol, &tol, _("the tolerance")) != 0) return;
        if (tol.is_str || tol.num < 0) { problem(c, a->answer_line, _("the tolerance"), _("is not a number ≥ 0")); return; }
        t = tol.num;
    }
    if (a->kind == ANS_NUMBER && want.is_str) {
        problem(c, a->answer_line, _("a number answer"), _("the expression gives a string"));
        return;
    }
    if (a->kind == ANS_CHOICE && lanswer_choice_index(a, &want) < 0) {
        char v[LV_STR_MAX];
        lv_format(&want, v, sizeof v);
        char msg[LV_STR_MAX + 80];
        snprintf(msg, sizeof msg, _("'%s' is not one of the %d choices"), v, a->n_choices);
        problem(c, a->answer_line, _("the answer"), msg);
        return;
    }
    /* The stored answer, typed as a learner would, must be taken: a
     * number as English writes it and as Portuguese and Russian do. */
    static const char DECIMALS[] = {'.', ','};
    for (int d = 0; d < (a->kind == ANS_NUMBER ? 2 : 1); d++) {
        char typed[LV_STR_MAX + 40];
        if (a->kind == ANS_CHOICE) {
            typed[0] = (char)('a' + lanswer_choice_index(a, &want));
            typed[1] = 0;
        } else {
            lanswer_format(a, &want, DECIMALS[d], typed, sizeof typed);
        }
        if (!lanswer_matches(a, &want, t, typed, NULL)) {
            char msg[LV_STR_MAX + 80];
            snprintf(msg, sizeof msg, _("the stored answer '%s' is not accepted"), typed);
            problem(c, a->answer_line, "", msg);
            return;
        }
    }
}

static void check_item(Checker *c, const LessonItem *it) {
    char *s = NULL;
    switch (it->kind) {
    case LI_PARA:
        free(check_expand(c, it->line, it->text, _("in the prose")));
        return;
    case LI_RUN:
    case LI_TRY:
    case LI_TEXT: {
        c->rep->commands++;
        s = check_expand(c, it->line, it->text, it->kind == LI_TEXT ? _("in `text:`") : _("in the command"));
        if (!s) return;
        char *line = it->kind == LI_TEXT ? text_command(s) : strdup(s);
        char w[1100], word[64];
        snprintf(w, sizeof w, "%s:%d", c->l->path, it->line);
        if (c->host->has_command && lesson_item_command(it, word, sizeof word) && !c->host->has_command(word)) {
            char msg[200];
            snprintf(msg, sizeof msg, _("`%s` is not a command of this REPL"), word);
            problem(c, it->line, "", msg);
        } else if (line && c->host->run(c->host->ctx, line, w) != 0) {
            /* The REPL has reported the failure itself, prefixed with w. */
            c->rep->failures++;
        }
        free(line);
        break;
    }
    case LI_ASK:
        check_ask(c, it);
        return;
    case LI_CHECK: {
        LessonValue v;
        c->rep->checks++;
        if (check_eval(c, it->line, it->expr, &v, "check") != 0) return;
        if (!(v.is_str ? v.str[0] : v.num != 0)) {
            LessonWorld w;
            memset(&w, 0, sizeof w);
            c->host->world(c->host->ctx, &w);
            char why[300], msg[1000];
            /* TRANSLATORS: the two sides of a lesson's check that failed */
            lexpr_explain(it->expr, &w, &c->vars, _("left %s, right %s"), why, sizeof why);
            snprintf(msg, sizeof msg, _("`%s` does not hold for this model%s%s%s"), it->text, why[0] ? " (" : "", why,
                     why[0] ? ")" : "");
            problem(c, it->line, _("check failed"), msg);
        }
        return;
    }
    case LI_LET: {
        LessonValue v;
        if (check_eval(c, it->line, it->expr, &v, "let") != 0) return;
        BtError err = {{0}};
        if (lvars_set(&c->vars, it->text, &v, &err) != 0) problem(c, it->line, "let", err.msg);
        return;
    }
    case LI_VIEW: {
        s = check_expand(c, it->line, it->text, _("in `view:`"));
        BtError err = {{0}};
        if (s && c->host->view && c->host->view(c->host->ctx, s, &err) != 0) problem(c, it->line, "view", err.msg);
        break;
    }
    }
    free(s);
}

int lesson_check(const Lesson *l, const LessonHost *host, LessonCheckReport *rep, FILE *log) {
    memset(rep, 0, sizeof *rep);
    Checker c = {l, host, {0}, rep, log};
    if (host->reset) host->reset(host->ctx);
    for (int s = 0; s < l->n_steps; s++) {
        rep->steps++;
        const LessonStep *st = &l->steps[s];
        if (st->needs) {
            /* A step this model lacks what it needs for is skipped, as
             * the player skips it; its text must still expand. */
            LessonValue v;
            if (check_eval(&c, st->needs_line, st->needs, &v, "needs") != 0) continue;
            free(check_expand(&c, st->needs_line, st->needs_text, _("in `needs:`")));
            if (!(v.is_str ? v.str[0] : v.num != 0)) {
                rep->skipped_steps++;
                continue;
            }
        }
        for (int i = 0; i < l->steps[s].n_items; i++) check_item(&c, &l->steps[s].items[i]);
        /* Step hints are asked for during the step, so its `let:`s are known. */
        for (int i = 0; i < l->steps[s].n_hints; i++)
            free(check_expand(&c, l->steps[s].line, l->steps[s].hints[i], _("in a hint")));
    }
    if (host->reset) host->reset(host->ctx);
    lvars_free(&c.vars);
    return rep->failures ? -1 : 0;
}
