/* Guided lessons in the REPL: `lesson`, `continue`, `hint`, `quit-lesson`,
 * and `back` while a lesson is open. The lesson player (src/lesson) runs
 * its lines through dispatch_line, exactly as if they were typed, and
 * reads the session's model and trace through the LessonHost made here. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bertology/i18n.h"
#include "bertology/lesson.h"
#include "bertology/repl.h"
#include "bertology/safetext.h"
#include "commands.h"
#include "dispatch.h"
#include "stageview.h"
#include "term.h"

struct LessonState {
    char lang[8];                 /* chosen with --lang; "" follows the locale */
    Lesson lesson;                /* the open lesson (player != NULL) */
    LessonFile file;
    LessonPlayer *player;
    LessonProgressStore progress;
    int have_progress;
    int progress_warned;          /* a failure to save is said once */
    Settings saved;               /* the switches when the lesson opened, put back when it closes */
    Settings start;               /* what each step replays from: saved, with the model intact (no
                                   * knock-out, no causal mask, scaled): a lesson's text and numbers are
                                   * about the model as trained, not the learner's earlier `ablate` */
    char *saved_model;            /* the model directory then (`checkpoint` may change it) */
    int running;                  /* a lesson's own line is running (host_run) */
    FILE *devnull;                /* where output goes while steps replay */
    FILE *real_out;
    LessonHost host;
};

/* ---- the host ------------------------------------------------------------ */

static int host_run(void *ctx, const char *line, const char *where) {
    Session *s = ctx;
    s->lesson->running++;
    int rc = dispatch_line(ctx, line, where);
    s->lesson->running--;
    return rc;
}

/* A lesson's own line may not drive the player: `run: lesson 1` would
 * start the lesson inside itself, for ever. lesson_parse.c refuses such a
 * line when the lesson is read; this holds whatever the line became. */
static int refuse_in_lesson(const Session *s, const char *command, BtError *err) {
    if (!s->lesson || !s->lesson->running) return 0;
    return bt_fail(err, "a lesson cannot run `%s`: lessons may not start or steer lessons", command);
}

static void host_world(void *ctx, LessonWorld *w) {
    Session *s = ctx;
    w->model = &s->model;
    w->trace = pass_has_trace(&s->pass) ? &s->pass.tr : NULL;
    w->tokens = pass_has_trace(&s->pass) ? (const char *const *)s->pass.tokens : NULL;
    w->causal = s->set.causal;
    w->unscaled = s->set.unscaled;
    w->ablate = s->set.ablate;
    w->scan = s->scan;
    w->whatif = s->whatif;
    w->saliency = s->saliency;
}

/* "follow", a window view ("heads"), or a stage with an optional layer
 * and head ("attn 2 1"), which moves the REPL's position: the window
 * follows it and the prompt shows it. */
static int host_view(void *ctx, const char *spec, BtError *err) {
    Session *s = ctx;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    char *words[4] = {0};
    int n = 0;
    for (char *t = strtok(buf, " "); t && n < 4; t = strtok(NULL, " ")) words[n++] = t;
    if (n == 0) return bt_fail(err, "an empty view");
    int v = viz_view_by_name(words[0]);
    if (v != -2) {
        if (n > 1) return bt_fail(err, "the view '%s' takes nothing after it", words[0]);
        if (s->viz) viz_select_view(s->viz, (VizView)v);
        return 0;
    }
    int st = stage_by_name(words[0]);
    if (st < 0 || n > 3) return bt_fail(err, "'%s' is neither a stage nor a window view", spec);
    if (session_need_sentence(s, err) != 0) return -1;
    int l = s->pos.layer, h = s->pos.head;
    if (n > 1 && arg_layer(s, words[1], &l, err) != 0) return -1;
    if (n > 2 && arg_head(s, words[2], &h, err) != 0) return -1;
    s->pos.stage = (Stage)st;
    s->pos.layer = l;
    s->pos.head = h;
    if (s->viz) viz_select_view(s->viz, VIZ_FOLLOW);
    session_sync_viz(s);
    return 0;
}

static void host_quiet(void *ctx, int on) {
    Session *s = ctx;
    struct LessonState *ls = s->lesson;
    if (on) {
        if (!ls->devnull) ls->devnull = fopen("/dev/null", "w");
        if (!ls->devnull || ls->real_out) return;
        ls->real_out = s->out;
        s->out = ls->devnull;
    } else if (ls->real_out) {
        fflush(s->out);
        s->out = ls->real_out;
        ls->real_out = NULL;
        ls->host.out = s->out;
    }
}

/* The switches that change what the model computes go back to o, and the
 * checkpoint to the one the lesson opened on; precision, colour and width
 * stay the learner's. */
static void reset_to(Session *s, const Settings *o) {
    int rerun = s->set.causal != o->causal || s->set.unscaled != o->unscaled ||
                !ablation_same(&s->set.ablate, &o->ablate);
    s->set.causal = o->causal;
    s->set.unscaled = o->unscaled;
    s->set.ablate = o->ablate;
    s->set.truncate = o->truncate;
    s->set.seed = o->seed;
    s->rng = o->seed;
    BtError err = {{0}};
    const char *m = s->lesson->saved_model;
    if (m && s->model.dir && strcmp(m, s->model.dir) != 0) {
        /* re-runs the sentence with the switches just put back */
        if (checkpoint_load_dir(s, m, &err) != 0) report_error(s, NULL, err.msg);
        return;
    }
    if (rerun && pass_has_trace(&s->pass) && session_run(s, &err) != 0) report_error(s, NULL, err.msg);
}

/* The player's reset, before a step is replayed: the intact model. */
static void host_reset(void *ctx) {
    Session *s = ctx;
    reset_to(s, &s->lesson->start);
}

/* What host_reset goes back to: the switches and model of now. */
static void save_start(Session *s, struct LessonState *ls) {
    ls->saved = s->set;
    ls->start = s->set;
    ls->start.causal = 0;
    ls->start.unscaled = 0;
    ls->start.ablate.n = 0;
    free(ls->saved_model);
    ls->saved_model = s->model.dir ? strdup(s->model.dir) : NULL;
}

static void host_progress(void *ctx, int step, int finished) {
    Session *s = ctx;
    struct LessonState *ls = s->lesson;
    BtError err = {{0}};
    if (!ls->have_progress) {
        if (lesson_progress_load(&ls->progress, &err) != 0) goto failed;
        ls->have_progress = 1;
    }
    if (lesson_progress_set(&ls->progress, ls->file.stem, step, ls->lesson.n_steps, finished, &err) == 0) return;
failed:
    if (!ls->progress_warned) {
        ls->progress_warned = 1;
        report_error(s, NULL, err.msg);
    }
}

static struct LessonState *state(Session *s) {
    if (!s->lesson) {
        s->lesson = calloc(1, sizeof *s->lesson);
        if (!s->lesson) return NULL;
        save_start(s, s->lesson);
    }
    LessonHost *h = &s->lesson->host;
    h->ctx = s;
    h->run = host_run;
    h->world = host_world;
    h->view = host_view;
    h->quiet = host_quiet;
    h->reset = host_reset;
    h->progress = host_progress;
    h->has_command = repl_command_exists;
    h->out = s->lesson->real_out ? s->lesson->real_out : s->out;
    int w = term_width(&s->set);
    h->width = w < 20 ? 80 : w > 80 ? 80 : w;
    return s->lesson;
}

int lesson_session_host(Session *s, LessonHost *out, BtError *err) {
    struct LessonState *ls = state(s);
    if (!ls) return bt_fail(err, "out of memory");
    save_start(s, ls);
    ls->host.progress = NULL;   /* an unattended run is nobody's progress */
    *out = ls->host;
    return 0;
}

static void close_lesson(Session *s) {
    struct LessonState *ls = s->lesson;
    if (!ls || !ls->player) return;
    reset_to(s, &ls->saved);   /* the learner's switches come back */
    lesson_player_free(ls->player);
    ls->player = NULL;
    lesson_free(&ls->lesson);
}

void lesson_state_free(Session *s) {
    struct LessonState *ls = s->lesson;
    if (!ls) return;
    if (ls->real_out) s->out = ls->real_out;
    if (ls->player) {
        lesson_player_free(ls->player);
        lesson_free(&ls->lesson);
    }
    if (ls->have_progress) lesson_progress_free(&ls->progress);
    if (ls->devnull) fclose(ls->devnull);
    free(ls->saved_model);
    free(ls);
    s->lesson = NULL;
}

/* ---- commands ---------------------------------------------------------------- */

int lesson_set_lang(Session *s, const char *lang) {
    struct LessonState *ls = state(s);
    if (!ls) return -1;
    snprintf(ls->lang, sizeof ls->lang, "%s", lang);
    return 0;
}

static const char *lang_of(const struct LessonState *ls, char *buf, size_t n) {
    return lesson_pick_lang(ls->lang, buf, n);
}

/* Takes --lang X (or --lang=X) out of the arguments; 1 when it was there. */
static int take_lang(const Call *c, char **args, int *n, char *lang, size_t ln, BtError *err) {
    int j = 0, found = 0;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (strncmp(a, "--lang=", 7) == 0) {
            snprintf(lang, ln, "%s", a + 7);
            found = 1;
        } else if (strcmp(a, "--lang") == 0) {
            if (i + 1 >= c->argc) return bt_fail(err, "--lang needs a language: en, pt or ru");
            snprintf(lang, ln, "%s", c->argv[++i]);
            found = 1;
        } else {
            args[j++] = c->argv[i];
        }
    }
    *n = j;
    return found;
}

static int list(Session *s, struct LessonState *ls, const LessonCatalog *cat) {
    char lang[8];
    lang_of(ls, lang, sizeof lang);
    if (!ls->have_progress) {
        BtError perr = {{0}};
        if (lesson_progress_load(&ls->progress, &perr) == 0) ls->have_progress = 1;
    }
    lesson_print_list(s->out, cat, ls->have_progress ? &ls->progress : NULL, lang, repl_command_exists,
                      ls->player ? ls->file.number : 0);
    return CMD_OK;
}

static int open_lesson(Session *s, struct LessonState *ls, const LessonCatalog *cat, long number, long step,
                       BtError *err) {
    char lang[8];
    lang_of(ls, lang, sizeof lang);
    /* (int) of 4294967297 is 1: a number past int is no lesson */
    const LessonFile *lf = number <= INT_MAX ? lesson_catalog_find(cat, (int)number, lang) : NULL;
    if (!lf) {
        int nums[1000];
        int n = lesson_catalog_numbers(cat, nums, 1000);
        if (n == 0) bt_fail(err, "there are no lessons in %s", cat->dir);
        else bt_fail(err, "there is no lesson %ld: lessons are %d–%d (`lesson` lists them)", number, nums[0], nums[n - 1]);
        return CMD_ERR;
    }
    LessonFile file = *lf;
    Lesson l;
    if (lesson_load(&file, &l, err) != 0) return CMD_ERR;
    /* A step past the end is refused before the open lesson is closed:
     * a slip in `lesson 6 9` keeps the learner where they were. */
    if (step > l.n_steps) {
        bt_fail(err, ngettext("lesson %d has %d step", "lesson %d has %d steps", l.n_steps), file.number, l.n_steps);
        lesson_free(&l);
        return CMD_ERR;
    }

    close_lesson(s);
    ls->lesson = l;
    ls->file = file;
    save_start(s, ls);
    if (lesson_player_new(&ls->player, &ls->lesson, file.number, file.lang, &ls->host, err) != 0) {
        lesson_free(&ls->lesson);
        return CMD_ERR;
    }
    if (ls->saved.causal || ls->saved.unscaled || ls->saved.ablate.n > 0)
        fputs(_("(the lesson runs on the intact model: your knock-outs, causal mask or unscaled attention "
                "come back when you leave it)\n"),
              s->out);
    if (strcmp(file.lang, lang) != 0)
        fprintf(s->out, _("(lesson %d is not translated into '%s' yet; here it is in English)\n"), file.number,
                safe_str(lang));
    char missing[200];
    if (lesson_missing_commands(&ls->lesson, repl_command_exists, missing, sizeof missing) > 0)
        fprintf(s->out, _("(this lesson uses %s, which this version of bertology does not have yet: "
                          "those lines will fail)\n"), safe_str(missing));
    int start = 0;
    if (step > 0) {
        start = (int)step - 1;
    } else {
        if (!ls->have_progress) {
            BtError perr = {{0}};
            if (lesson_progress_load(&ls->progress, &perr) == 0) ls->have_progress = 1;
        }
        const LessonProgress *pr = ls->have_progress ? lesson_progress_get(&ls->progress, file.stem) : NULL;
        /* A finished lesson starts over; an unfinished one resumes. */
        if (pr && !pr->done && pr->step > 0 && pr->step < ls->lesson.n_steps) {
            start = pr->step;
            fprintf(s->out, _("(resuming at step %d of %d; `lesson %d 1` starts over)\n"), start + 1,
                    ls->lesson.n_steps, file.number);
        }
    }
    lesson_player_goto(ls->player, start);
    return CMD_OK;
}

/* `lesson [--lang X] [N [STEP]]` with lessons/ read once, for the
 * language, the list and the lesson. */
static int lesson_with(Session *s, struct LessonState *ls, const LessonCatalog *cat, int got, const char *lang,
                       char **args, int n, BtError *err) {
    if (got) {
        char norm[8];
        if (lesson_lang_check(cat, lang, norm, sizeof norm, err) != 0) return CMD_ERR;
        snprintf(ls->lang, sizeof ls->lang, "%s", norm);
        bt_i18n_use(norm);   /* the REPL speaks the lessons' language from now on */
    }
    if (n > 2) return CMD_USAGE;
    if (n == 0) return list(s, ls, cat);
    long number, step = 0;
    if (parse_int(args[0], &number) != 0 || number < 1) {
        bt_fail(err, "'%s' is not a lesson number (`lesson` lists them)", args[0]);
        return CMD_ERR;
    }
    if (n == 2 && (parse_int(args[1], &step) != 0 || step < 1)) {
        bt_fail(err, "'%s' is not a step number (steps count from 1)", args[1]);
        return CMD_ERR;
    }
    return open_lesson(s, ls, cat, number, step, err);
}

int cmd_lesson(Session *s, const Call *c, BtError *err) {
    if (refuse_in_lesson(s, c->argv[0], err)) return CMD_ERR;
    struct LessonState *ls = state(s);
    if (!ls) { bt_fail(err, "out of memory"); return CMD_ERR; }
    char *args[64];
    int n = 0;
    char lang[16] = "";
    int got = take_lang(c, args, &n, lang, sizeof lang, err);
    if (got < 0) return CMD_ERR;
    LessonCatalog cat;
    if (lesson_catalog_open(&cat, err) != 0) return CMD_ERR;
    int rc = lesson_with(s, ls, &cat, got, lang, args, n, err);
    lesson_catalog_free(&cat);
    return rc;
}

static int need_lesson(Session *s, const Call *c, BtError *err) {
    if (refuse_in_lesson(s, c->argv[0], err)) return CMD_ERR;
    if (c->argc != 1) return CMD_USAGE;
    if (!s->lesson || !s->lesson->player) {
        bt_fail(err, "no lesson is open: `lesson` lists them, `lesson 1` starts the first");
        return CMD_ERR;
    }
    state(s);   /* the terminal may have been resized */
    return CMD_OK;
}

int cmd_continue(Session *s, const Call *c, BtError *err) {
    int r = need_lesson(s, c, err);
    if (r != CMD_OK) return r;
    lesson_player_continue(s->lesson->player);
    return CMD_OK;
}

int cmd_hint(Session *s, const Call *c, BtError *err) {
    int r = need_lesson(s, c, err);
    if (r != CMD_OK) return r;
    lesson_player_hint(s->lesson->player);
    return CMD_OK;
}

int cmd_quit_lesson(Session *s, const Call *c, BtError *err) {
    int r = need_lesson(s, c, err);
    if (r != CMD_OK) return r;
    struct LessonState *ls = s->lesson;
    int number = ls->file.number, step = lesson_player_step(ls->player), total = ls->lesson.n_steps;
    int finished = lesson_player_finished(ls->player);
    close_lesson(s);
    if (finished) fprintf(s->out, _("Lesson %d closed. `lesson` lists the others.\n"), number);
    else fprintf(s->out, _("Left lesson %d at step %d of %d; `lesson %d` picks up there.\n"), number, step + 1, total,
                 number);
    return CMD_OK;
}

/* In a lesson, plain `back` is the previous step; `b` and `back N` still
 * move through the pipeline, and so does a lesson's own line (as when the
 * lesson is checked, with no player). */
int cmd_back_or_step(Session *s, const Call *c, BtError *err) {
    if (s->lesson && s->lesson->player && !s->lesson->running && c->argc == 1 && strcmp(c->argv[0], "back") == 0) {
        state(s);
        lesson_player_back(s->lesson->player);
        return CMD_OK;
    }
    return cmd_back(s, c, err);
}

/* ---- hooks in dispatch_line and the prompt ------------------------------------- */

static int is_sentence_token(const Session *s, const char *w) {
    for (int t = 0; pass_has_trace(&s->pass) && t < session_T(s); t++)
        if (s->pass.tokens[t] && strcasecmp(s->pass.tokens[t], w) == 0) return 1;   /* "Bowl" too, as answers match */
    return 0;
}

int lesson_intercept(Session *s, const char *line) {
    if (!s->lesson || !s->lesson->player || lesson_player_busy(s->lesson->player)) return 0;
    const LessonAsk *a = lesson_player_question(s->lesson->player);
    int late = 0;
    if (!a) {
        /* Right after a question closed, its answer typed again changes
         * nothing (the player says the question is closed). */
        a = lesson_player_closed_question(s->lesson->player);
        late = 1;
    }
    if (!a) return 0;
    char first[128];
    size_t k = strcspn(line, " \t");
    snprintf(first, sizeof first, "%.*s", (int)(k < sizeof first ? k : sizeof first - 1), line);
    int single = line[k] == 0;
    /* "b" is `back`'s short form and a choice; "5" is a number: the
     * question wins. So does a token of the sentence, typed alone, for a
     * token question ("next" may be both). Other commands still work. */
    int answer = lesson_answer_shaped(a, line) || (a->kind == ANS_TOKEN && single && is_sentence_token(s, first)) ||
                 (!late && !command_find(first));
    if (!answer) return 0;
    state(s);
    lesson_player_answer(s->lesson->player, line);
    fflush(s->out);
    return 1;
}

void lesson_observe(Session *s, const char *command, const char *rest, int ok) {
    if (!s->lesson || !s->lesson->player) return;
    if (lesson_is_player_command(command)) return;
    state(s);
    lesson_player_observe(s->lesson->player, command, rest, ok);
}

void lesson_prompt_tag(const Session *s, char *buf, size_t n) {
    buf[0] = 0;
    if (!s->lesson || !s->lesson->player) return;
    const LessonPlayer *p = s->lesson->player;
    /* TRANSLATORS: the prompt's tag during a lesson: lesson number·step/steps */
    snprintf(buf, n, _("lesson %d·%d/%d%s"), s->lesson->file.number, lesson_player_step(p) + 1, s->lesson->lesson.n_steps,
             lesson_player_waiting(p) == WAIT_ASK ? " ?" : lesson_player_waiting(p) == WAIT_TRY ? " ▸" : "");
}
