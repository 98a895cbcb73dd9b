/* `bertology lesson`: the list of lessons, and `--check`, which plays
 * them unattended through a real REPL session on the current model so
 * that a retrained model or a renamed command cannot quietly break one. */
#include "bertology/cli.h"
#include "bertology/hub.h"
#include "bertology/i18n.h"
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/lesson.h"
#include "bertology/paths.h"
#include "bertology/repl.h"

typedef struct {
    int check;           /* --check given */
    int number;          /* 0: all */
    const char *lang;    /* NULL: all (check) or the locale's (list) */
    const char *model;
    int verbose;
} Opts;

/* 0 to go on; -1 to stop with *status, after --help or a bad command line. */
static int parse(int argc, char **argv, Opts *o, int *status) {
    memset(o, 0, sizeof *o);
    const char *check = NULL;
    const Opt opts[] = {
        {"check", OPT_STR, &check, N_("play lesson N, or all of them, unattended against the model with the stored "
                                   "answers; fails if a command errors or a check does not hold"), .arg = "N|all",
         .bare = "all"},
        {"lang", OPT_STR, &o->lang, N_("the lessons in this language (--check: every language unless this names one)"),
         .arg = "en|pt|ru"},
        {"model", OPT_STR, &o->model, N_("the model to check against (default: the shipped one)"), .arg = "DIR"},
        {"verbose", OPT_FLAG, &o->verbose, N_("show the REPL's output while checking"), .alias = 'v'},
    };
    const CliSpec spec = {"lesson", opts, CLI_N(opts), .prog = "bertology lesson",
                          .about = N_("Without --check: the lessons, with your progress (open `bertology` and type "
                                   "`lesson N`).")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) {
        *status = cli_status(n);
        return -1;
    }
    if (!check || !strcmp(check, "all")) {
        o->check = check != NULL;
        return 0;
    }
    char *end;
    long k = strtol(check, &end, 10);
    if (end == check || *end || k < 1 || k > 999) {
        fprintf(stderr, _("bertology lesson: --check takes a lesson number or `all`, not '%s'\n"), safe_str(check));
        *status = 2;
        return -1;
    }
    o->check = 1;
    o->number = (int)k;
    return 0;
}

/* want: the checked --lang, or "" for the locale's. */
static int list(const LessonCatalog *cat, const char *want) {
    BtError err = {{0}};
    char lang[8];
    lesson_pick_lang(want, lang, sizeof lang);
    LessonProgressStore ps;
    int have = lesson_progress_load(&ps, &err) == 0;
    lesson_print_list(stdout, cat, have ? &ps : NULL, lang, repl_command_exists, 0);
    if (have) lesson_progress_free(&ps);
    return 0;
}

typedef struct {
    int ok, skipped, failed;
} Tally;

/* A title padded to 40 columns (cli_pad: code points, not bytes). */
static const char *padded(const char *title, char *buf, size_t n) {
    return cli_pad(buf, n, title, 40);
}

/* TRANSLATORS: `lesson --check`'s verdicts, in a column 8 wide (a longer one pushes the line on) */
#define CHECK_OK P_("lesson check", "ok")
#define CHECK_FAILED P_("lesson check", "FAILED")

/* One lesson file, in a session of its own that borrows the model. */
static void check_one(const LessonFile *f, const BertModel *model, const Opts *o, Tally *t) {
    Lesson l;
    BtError err = {{0}};
    char label[160], pad[512], verdict[64];
    /* TRANSLATORS: the start of a line of `lesson --check`: the lesson's
     * number and language ("lesson  3 pt") */
    snprintf(label, sizeof label, _("lesson %2d %s"), f->number, f->lang);
    if (lesson_load(f, &l, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        printf("%s  %s %s %s\n", label, padded(f->stem, pad, sizeof pad),
               cli_pad(verdict, sizeof verdict, CHECK_FAILED, 7), _("the file does not parse"));
        t->failed++;
        return;
    }
    char missing[300];
    if (lesson_missing_commands(&l, repl_command_exists, missing, sizeof missing) > 0) {
        printf(_("%s  %s skipped: uses %s, which this build's REPL does not have yet\n"), label,
               padded(l.title, pad, sizeof pad), missing);
        t->skipped++;
        lesson_free(&l);
        return;
    }
    /* the model is shared by every lesson's session; `checkpoint` loads its own */
    ReplLessonRun *run = NULL;
    LessonHost host;
    LessonCheckReport rep;
    int rc = repl_lesson_run_open(&run, model, stdout, &host, &err);
    if (rc == 0) {
        if (!o->verbose) host.quiet(host.ctx, 1);
        fflush(stdout);
        rc = lesson_check(&l, &host, &rep, stderr);
        if (!o->verbose) host.quiet(host.ctx, 0);
    } else {
        fprintf(stderr, "%s: %s\n", f->path, err.msg);
        memset(&rep, 0, sizeof rep);
        rep.failures = 1;
    }
    if (rep.failures == 0) {
        /* each count with its own plural (Russian has three forms) */
        char steps[64], commands[64], checks[64], questions[64], skipped[96] = "";
        snprintf(steps, sizeof steps, ngettext("%d step", "%d steps", rep.steps), rep.steps);
        snprintf(commands, sizeof commands, ngettext("%d command", "%d commands", rep.commands), rep.commands);
        snprintf(checks, sizeof checks, ngettext("%d check", "%d checks", rep.checks), rep.checks);
        snprintf(questions, sizeof questions, ngettext("%d question", "%d questions", rep.questions), rep.questions);
        if (rep.skipped_steps)
            snprintf(skipped, sizeof skipped,
                     ngettext("; %d step skipped (`needs:`)", "; %d steps skipped (`needs:`)", rep.skipped_steps),
                     rep.skipped_steps);
        printf("%s  %s %s %s, %s, %s, %s%s\n", label, padded(l.title, pad, sizeof pad),
               cli_pad(verdict, sizeof verdict, CHECK_OK, 7), steps, commands, checks, questions, skipped);
        t->ok++;
    } else {
        char problems[96];
        snprintf(problems, sizeof problems, ngettext("%d problem (above)", "%d problems (above)", rep.failures),
                 rep.failures);
        printf("%s  %s %s %s\n", label, padded(l.title, pad, sizeof pad),
               cli_pad(verdict, sizeof verdict, CHECK_FAILED, 7), problems);
        t->failed++;
    }
    fflush(stdout);
    repl_lesson_run_close(run);
    lesson_free(&l);
}

/* lang: the checked --lang, or "" for every language. */
static int check(const Opts *o, const LessonCatalog *cat, const char *lang) {
    BtError err = {{0}};
    char dirbuf[4096];
    const char *dir = o->model ? o->model : paths_default_model(dirbuf, sizeof dirbuf);
    if (!dir) {
        fprintf(stderr, "bertology lesson: %s\n",
                _("no default model found (assets/models/default, or $BERTOLOGY_MODEL); give one with --model DIR"));
        return 1;
    }
    char resolved[4096];
    /* a pulled model's id -> its cache directory; a .bin-only one converted */
    if (hub_open_model(dir, resolved, sizeof resolved, hub_note_stderr, NULL, &err)) {
        fprintf(stderr, "bertology lesson: %s\n", err.msg);
        return 1;
    }
    dir = resolved;
    BertModel model;
    memset(&model, 0, sizeof model);
    if (model_load(&model, dir, &err) != 0) {
        fprintf(stderr, "bertology lesson: %s\n", err.msg);
        return 1;
    }
    Tally t = {0, 0, 0};
    int matched = 0;
    for (int i = 0; i < cat->n; i++) {
        const LessonFile *f = &cat->files[i];
        if (o->number && f->number != o->number) continue;
        if (lang[0] && strcmp(f->lang, lang) != 0) continue;
        matched++;
        check_one(f, &model, o, &t);
    }
    if (!matched) {
        if (lang[0])
            fprintf(stderr, _("bertology lesson: no lesson %d in %s in %s\n"), o->number, lang, cat->dir);
        else
            fprintf(stderr, _("bertology lesson: no lesson %d in %s\n"), o->number, cat->dir);
        model_free(&model);
        return 1;
    }
    printf(ngettext("checked %d lesson file against %s: %d ok, %d skipped, %d failed\n",
                    "checked %d lesson files against %s: %d ok, %d skipped, %d failed\n", matched),
           matched, dir, t.ok, t.skipped, t.failed);
    model_free(&model);
    return t.failed ? 1 : 0;
}

int cli_lesson(int argc, char **argv) {
    Opts o;
    int status;
    if (parse(argc, argv, &o, &status)) return status;
    bt_i18n_init();   /* LC_CTYPE too; the list is in its lessons' language (lesson_ui) */
    /* lessons/ read once: for --lang, then for the list or the checks */
    LessonCatalog cat;
    BtError err = {{0}};
    if (lesson_catalog_open(&cat, &err) != 0) {
        fprintf(stderr, "bertology lesson: %s\n", err.msg);
        return 1;
    }
    char lang[8] = "";
    int rc;
    if (o.lang && lesson_lang_check(&cat, o.lang, lang, sizeof lang, &err) != 0) {
        fprintf(stderr, "bertology lesson: --lang: %s\n", err.msg);
        rc = 2;
    } else rc = o.check ? check(&o, &cat, lang) : list(&cat, lang);
    lesson_catalog_free(&cat);
    return rc;
}
