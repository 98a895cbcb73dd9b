/* The player and the checker against a fake host that records what it is
 * asked to run: the order of items, waiting on `try:` and `ask:`, answers,
 * hints, `continue` twice to skip, `back` replaying earlier steps quietly,
 * progress, and the checker counting failed commands and checks. */
#include <stdlib.h>
#include <string.h>
#include "bertology/lesson.h"
#include "testutil.h"

typedef struct {
    char log[8192];      /* every line run, "Q:" prefixed while quiet */
    int quiet, resets, views;
    int last_step, finished, progress_calls;
} Fake;

static int f_run(void *ctx, const char *line, const char *where) {
    Fake *f = ctx;
    (void)where;
    size_t n = strlen(f->log);
    snprintf(f->log + n, sizeof f->log - n, "%s%s\n", f->quiet ? "Q:" : "", line);
    return strncmp(line, "fail", 4) == 0 ? -1 : 0;
}
static void f_world(void *ctx, LessonWorld *w) { (void)ctx; memset(w, 0, sizeof *w); }
static int f_view(void *ctx, const char *spec, BtError *err) {
    Fake *f = ctx;
    f->views++;
    if (strcmp(spec, "heads") == 0) return bt_fail(err, "no window for '%s'", spec);
    return 0;
}
static int f_has(const char *word) { return strcmp(word, "frobnicate") != 0; }
static void f_quiet(void *ctx, int on) { ((Fake *)ctx)->quiet = on; }
static void f_reset(void *ctx) { ((Fake *)ctx)->resets++; }
static void f_progress(void *ctx, int step, int finished) {
    Fake *f = ctx;
    f->last_step = step;
    f->finished |= finished;
    f->progress_calls++;
}

static const char LESSON[] =
    "title: Demo\n"
    "step: One\n"
    "Two is {1 + 1}.\n"
    "text: hello world\n"
    "run: attn 0 0\n"
    "ask: What is 1 + 1?\n"
    "answer: number 2\n"
    "hint: first hint\n"
    "explain: Because {2 * 1}.\n"
    "After the question.\n"
    "step: Two\n"
    "try: set scale off\n"
    "hint: type it\n"
    "ask: Pick the second.\n"
    "choice: first\n"
    "choice: second\n"
    "answer: choice b\n"
    "check: 1 > 2\n"
    "step: Three\n"
    "run: fail now\n"
    "let: x = 5\n"
    "view: heads\n"
    "x is {x}.\n";

static char *out_buf;
static size_t out_len;

static int has(const char *s) {
    fflush(NULL);
    return out_buf && strstr(out_buf, s) != NULL;
}

int main(void) {
    Lesson l;
    BtError err = {{0}};
    if (lesson_parse_text("demo.lesson", LESSON, &l, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    Fake fk;
    memset(&fk, 0, sizeof fk);
    FILE *out = open_memstream(&out_buf, &out_len);
    LessonHost h = {&fk, f_run, f_world, f_view, f_quiet, f_reset, f_progress, f_has, out, 60};
    LessonPlayer *p;
    CHECK(lesson_player_new(&p, &l, 7, "en", &h, &err) == 0);

    lesson_player_goto(p, 0);
    CHECK(has("Lesson 7 · Demo — step 1 of 3: One"));
    CHECK(has("Two is 2."));
    CHECK(has("› hello world") && has("› attn 0 0"));
    CHECK(strcmp(fk.log, "sentence hello world\nattn 0 0\n") == 0);
    CHECK(lesson_player_waiting(p) == WAIT_ASK);
    CHECK(!has("After the question."));   /* items after an open question wait */
    CHECK(fk.progress_calls == 1 && fk.last_step == 0);

    lesson_player_hint(p);
    CHECK(has("Hint: first hint"));
    lesson_player_hint(p);
    CHECK(has("No more hints"));
    CHECK(lesson_player_answer(p, "3") == 0 && has("3 is too high"));
    CHECK(lesson_player_answer(p, "2") == 1 && has("✓ Right. (2)"));
    CHECK(has("Because 2.") && has("After the question."));
    CHECK(lesson_player_waiting(p) == WAIT_NONE);
    CHECK(has("`continue` for the next step"));

    /* The same answer typed again after the question closed is a late
     * answer: a note, and nothing run, the step and the wait unchanged. */
    size_t ran = strlen(fk.log);
    CHECK(lesson_player_closed_question(p) != NULL && lesson_player_question(p) == NULL);
    CHECK(lesson_player_answer(p, "2") == 0);
    CHECK(has("That question is closed, so “2” changed nothing; type `continue` to go on."));
    CHECK(strlen(fk.log) == ran && lesson_player_step(p) == 0 && lesson_player_waiting(p) == WAIT_NONE);

    lesson_player_continue(p);
    CHECK(lesson_player_step(p) == 1 && fk.resets == 2);
    /* step 1's lines were replayed quietly before step 2 was shown */
    CHECK(strstr(fk.log, "Q:sentence hello world\nQ:attn 0 0\n") != NULL);
    CHECK(lesson_player_waiting(p) == WAIT_TRY && has("Your turn — type:  set scale off"));
    lesson_player_hint(p);
    CHECK(has("Hint: type it"));
    lesson_player_observe(p, "set", "precision 2", 1);    /* other arguments: still waiting */
    CHECK(lesson_player_waiting(p) == WAIT_TRY);
    lesson_player_observe(p, "set", "scale off", 0);      /* failed: still waiting */
    CHECK(lesson_player_waiting(p) == WAIT_TRY);
    lesson_player_observe(p, "set", " scale   off ", 1);
    CHECK(has("✓ Well done.") && lesson_player_waiting(p) == WAIT_ASK);
    CHECK(has("  a) first") && has("  b) second"));

    lesson_player_continue(p);                             /* a reminder first */
    CHECK(has("The question is still open") && lesson_player_waiting(p) == WAIT_ASK);
    lesson_player_continue(p);                             /* then the answer */
    CHECK(has("The answer: b) second") && lesson_player_waiting(p) == WAIT_NONE);
    CHECK(has("this lesson expects `1 > 2`, which does not hold for this model: left 1, right 2"));

    /* "b" after the choice question closed is a late answer, not `back`
     * (the REPL asks lesson_answer_shaped of the closed question) ... */
    const LessonAsk *late = lesson_player_closed_question(p);
    CHECK(late != NULL && late->kind == ANS_CHOICE && lesson_answer_shaped(late, "b"));
    CHECK(lesson_player_answer(p, "b") == 0 && has("so “b” changed nothing"));
    CHECK(lesson_player_step(p) == 1 && lesson_player_waiting(p) == WAIT_NONE);
    /* ... until the learner runs a command: then "b" is `back` again. */
    lesson_player_observe(p, "show", "", 1);
    CHECK(lesson_player_closed_question(p) == NULL);

    lesson_player_continue(p);
    CHECK(lesson_player_step(p) == 2 && lesson_player_closed_question(p) == NULL);
    /* the try's own command stands in for what the learner typed */
    CHECK(strstr(fk.log, "Q:set scale off\n") != NULL);
    CHECK(has("x is 5.") && has("lesson error at demo.lesson:22: no window for 'heads'"));
    CHECK(lesson_player_finished(p) && fk.finished && fk.last_step == 2);
    CHECK(has("★ Lesson 7 done!"));

    lesson_player_back(p);
    CHECK(lesson_player_step(p) == 1 && lesson_player_waiting(p) == WAIT_TRY);
    lesson_player_goto(p, 0);
    lesson_player_back(p);
    CHECK(lesson_player_step(p) == 0 && has("This is the first step"));
    lesson_player_free(p);

    /* Portuguese words around a lesson */
    CHECK(lesson_player_new(&p, &l, 7, "pt", &h, &err) == 0);
    lesson_player_goto(p, 0);
    CHECK(has("Lição 7 · Demo — passo 1 de 3: One"));
    lesson_player_answer(p, "1");
    CHECK(has("1 é baixo demais"));
    lesson_player_free(p);

    /* The decimal comma: a Portuguese or Russian lesson writes the numbers
     * it formats (prose, question, choices, hints, `explain:`, the answer
     * shown) with a comma; English keeps the point, and so do commands,
     * which the REPL reads. */
    Lesson dc;
    CHECK(lesson_parse_text("dec.lesson",
                            "title: D\nstep: A\nrun: set temperature {1 / 4}\n"
                            "Share {pct(0.25)}, weight {fmt(0.5, 3)}, mean {1 / 8}.\n"
                            "ask: {fmt(1.5, 1)} or?\nchoice: {fmt(2.5, 1)}\nchoice: b\nanswer: choice a\n"
                            "ask: How much?\nanswer: number 1 / 4\nhint: about {fmt(0.3, 1)}\n"
                            "explain: It is {pct(1 / 4)}.\n"
                            "ask: Again?\nanswer: number 0.75\n",
                            &dc, &err) == 0);
    static const char *const DEC_LANGS[] = {"pt", "ru", "en"};
    for (int k = 0; k < 3; k++) {
        char c = k < 2 ? ',' : '.', want[8][64];
        snprintf(want[0], sizeof want[0], "Share 25%c0%%, weight 0%c500, mean 0%c125.", c, c, c);
        snprintf(want[1], sizeof want[1], "? 1%c5 or?", c);
        snprintf(want[2], sizeof want[2], "a) 2%c5", c);
        snprintf(want[3], sizeof want[3], "0%c3", c);            /* the hint */
        snprintf(want[4], sizeof want[4], "(0%c250)", c);        /* right, with the exact value */
        snprintf(want[5], sizeof want[5], "It is 25%c0%%.", c);
        snprintf(want[6], sizeof want[6], ": 0%c750", c);        /* the answer shown on `continue` */
        memset(&fk, 0, sizeof fk);
        fclose(out);
        free(out_buf);
        out_buf = NULL;
        out = open_memstream(&out_buf, &out_len);
        h.out = out;
        CHECK(lesson_player_new(&p, &dc, 3, DEC_LANGS[k], &h, &err) == 0);
        lesson_player_goto(p, 0);
        CHECK(strcmp(fk.log, "set temperature 0.250\n") == 0 && has("› set temperature 0.250"));
        CHECK(has(want[0]) && has(want[1]) && has(want[2]));
        CHECK(lesson_player_answer(p, "a") == 1);
        lesson_player_hint(p);
        CHECK(has(want[3]));
        CHECK(lesson_player_answer(p, k < 2 ? "0,25" : "0.25") == 1 && has(want[4]) && has(want[5]));
        lesson_player_continue(p);
        lesson_player_continue(p);
        CHECK(has(want[6]));
        if (!has(want[0]) || !has(want[6])) fprintf(stderr, "decimal (%s):\n%s\n", DEC_LANGS[k], out_buf);
        lesson_player_free(p);
    }
    lesson_free(&dc);

    /* A skipped turn is run for the learner; a missing command is refused,
     * not analysed as a sentence. */
    Lesson sk;
    CHECK(lesson_parse_text("skip.lesson", "title: S\nstep: A\ntry: set thing {1 + 1}\nrun: frobnicate 3\nafter\n",
                            &sk, &err) == 0);
    memset(&fk, 0, sizeof fk);
    CHECK(lesson_player_new(&p, &sk, 1, "en", &h, &err) == 0);
    lesson_player_goto(p, 0);
    lesson_player_continue(p);
    CHECK(fk.log[0] == 0);
    CHECK(has("It is your turn: type `set thing 2`"));   /* the reminder fills in {EXPR} */
    lesson_player_continue(p);
    CHECK(strcmp(fk.log, "set thing 2\n") == 0);
    CHECK(has("› set thing 2") && has("skip.lesson:4: `frobnicate` is not a command of this REPL") && has("after"));
    lesson_player_free(p);
    lesson_free(&sk);

    /* The checker: the failing command and the false check, each with its line. */
    LessonCheckReport rep;
    FILE *log = tmpfile();
    memset(&fk, 0, sizeof fk);
    CHECK(lesson_check(&l, &h, &rep, log) != 0);
    CHECK(rep.steps == 3 && rep.questions == 2 && rep.checks == 1 && rep.commands == 4);
    CHECK(rep.failures == 3);   /* fail now, 1 > 2, the view */
    char text[2048] = "";
    rewind(log);
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = 0;
    CHECK(strstr(text, "demo.lesson:18: check failed: `1 > 2` does not hold for this model (left 1, right 2)") != NULL);
    CHECK(strstr(text, "demo.lesson:22: view: no window for 'heads'") != NULL);
    CHECK(strstr(fk.log, "set scale off\n") != NULL);   /* `try:` runs its stored command */
    fclose(log);

    /* A good lesson passes; a stored answer that is not one of the choices does not. */
    Lesson good, bad;
    CHECK(lesson_parse_text("good.lesson", "title: G\nstep: S\nask: Q?\nanswer: number 2 ± 0.1\n", &good, &err) == 0);
    CHECK(lesson_check(&good, &h, &rep, stderr) == 0 && rep.failures == 0);
    CHECK(lesson_parse_text("bad.lesson", "title: B\nstep: S\nask: Q?\nchoice: x\nchoice: y\nanswer: choice 3\n", &bad,
                            &err) == 0);
    log = tmpfile();
    CHECK(lesson_check(&bad, &h, &rep, log) != 0 && rep.failures == 1);
    fclose(log);
    lesson_free(&good);
    lesson_free(&bad);

    lesson_free(&l);
    fclose(out);
    free(out_buf);
    return test_done("lesson_player");
}
