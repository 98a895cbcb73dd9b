#ifndef BERTOLOGY_LESSON_H
#define BERTOLOGY_LESSON_H
/* Guided lessons: plain-text files (lessons/FORMAT.md) parsed into steps,
 * a player that walks a learner through them inside the REPL, and a
 * checker that runs them unattended against the current model.
 *
 * Nothing here knows the REPL: the player talks to it through a
 * LessonHost (run a line, read the model and trace, move the window), so
 * `run:` lines go through exactly the dispatch a typed line does. */
#include <stdio.h>
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/scan.h"
#include "bertology/trace.h"

/* ---- the parsed lesson ------------------------------------------------ */

typedef struct LessonExpr LessonExpr;   /* a parsed expression (lesson_expr.c) */

typedef enum {
    LI_PARA = 0,   /* prose: a paragraph */
    LI_RUN,        /* run: a REPL command the player runs */
    LI_TEXT,       /* text: a sentence the player analyses */
    LI_TRY,        /* try: the learner's turn to type a command */
    LI_ASK,        /* ask: a question with a checked answer */
    LI_CHECK,      /* check: a claim that must hold for the model */
    LI_LET,        /* let: NAME = EXPR, a value computed now */
    LI_VIEW,       /* view: what the window shows */
} LessonItemKind;

typedef enum { ANS_NUMBER = 0, ANS_TOKEN, ANS_CHOICE } AnswerKind;

typedef struct {
    AnswerKind kind;
    LessonExpr *value;     /* the right answer, computed when asked */
    LessonExpr *tol;       /* ANS_NUMBER: accepted distance; NULL for exact */
    char *value_src;       /* the answer as written, for messages */
    int answer_line;
    char **choices;        /* ANS_CHOICE: a), b), ... */
    int n_choices;
    char **hints;          /* given one per `hint` */
    int n_hints;
    char *explain;         /* shown once answered (or revealed); may be NULL */
} LessonAsk;

typedef struct {
    LessonItemKind kind;
    int line;              /* where it starts in the file */
    /* PARA: the paragraph; RUN/TRY: the command line; TEXT: the sentence;
     * ASK: the question; CHECK: the expression as written; LET: the name;
     * VIEW: the spec ("attn 2 1", "positions"). May hold {EXPR}. */
    char *text;
    LessonExpr *expr;      /* CHECK and LET */
    LessonAsk *ask;        /* ASK */
    int preformatted;      /* PARA: lines kept as written (indented in the file) */
} LessonItem;

typedef struct {
    char *title;
    int line;
    LessonItem *items;
    int n_items;
    char **hints;          /* step hints, for its `try:` */
    int n_hints;
    /* `needs: EXPR | TEXT`: the step is shown (and checked) only when
     * EXPR holds for the model; otherwise the player says TEXT and goes
     * on. NULL when the step has no `needs:`. */
    LessonExpr *needs;
    char *needs_src;       /* EXPR as written, for messages */
    char *needs_text;      /* TEXT, prose in the lesson's language */
    int needs_line;
} LessonStep;

typedef struct {
    char *path;            /* as opened, for messages */
    char *title;
    char *summary;         /* may be NULL */
    LessonStep *steps;
    int n_steps;
} Lesson;

/* Parses a lesson file. A malformed one fails with "PATH:LINE: what was
 * expected" in err (and nothing to free). */
int lesson_parse_file(const char *path, Lesson *out, BtError *err);
/* The same from text in memory; name stands for the path in messages. */
int lesson_parse_text(const char *name, const char *text, Lesson *out, BtError *err);
void lesson_free(Lesson *l);

/* Whether word is one of the commands that drive the lesson player
 * (`lesson`, `continue`, `hint`, `quit-lesson`), which a lesson's own
 * `run:` and `try:` lines may not use. */
int lesson_is_player_command(const char *word);

/* The command word of a `run:`/`try:` line (its first word), copied into
 * buf. `text:` lines are sentences and have none (returns NULL). */
const char *lesson_item_command(const LessonItem *it, char *buf, size_t n);

/* ---- where lessons live ------------------------------------------------ */

/* One lesson file found on disk: lessons/LANG/NN-stem.lesson. */
typedef struct {
    int number;            /* NN */
    char stem[64];         /* "01-tokens": the key of progress, shared by translations */
    char lang[8];          /* "en", "pt", "ru" */
    char path[1024];
    char name[160];        /* "lessons/en/01-tokens.lesson": how messages name it */
} LessonFile;

typedef struct {
    char dir[1024];        /* the lessons/ directory */
    LessonFile *files;     /* every language, sorted by number then language */
    int n;
} LessonCatalog;

/* Finds lessons/: $BERTOLOGY_LESSONS, the source tree's lessons/ (running
 * from a build dir), or the installed copy. */
int lesson_catalog_open(LessonCatalog *c, BtError *err);
/* The same for a given directory (tests). */
int lesson_catalog_open_dir(LessonCatalog *c, const char *dir, BtError *err);
void lesson_catalog_free(LessonCatalog *c);
/* Parses a catalogued lesson, naming it by f->name in messages. */
int lesson_load(const LessonFile *f, Lesson *out, BtError *err);
/* Lesson number in lang, falling back to English; NULL if there is none. */
const LessonFile *lesson_catalog_find(const LessonCatalog *c, int number, const char *lang);
/* The distinct lesson numbers in order; returns how many (up to cap). */
int lesson_catalog_numbers(const LessonCatalog *c, int *numbers, int cap);

/* The language to use: want ("pt-BR", "ru", "") if given, else LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG; "en" when none names a language we have.
 * Writes the two-letter code into buf. The REPL's messages follow it
 * (bt_i18n_use, include/bertology/i18n.h). */
const char *lesson_pick_lang(const char *want, char *buf, size_t n);
/* A language the user asked for (--lang X, `lesson --lang X`): "pt_BR",
 * "ru" ... into buf as "pt", "ru"; fails with one line when want names no
 * language or no lesson of cat is written in it (the messages' catalogs
 * follow the lessons: a language has both or neither). cat is the
 * caller's open catalog, which it reads next anyway. */
int lesson_lang_check(const LessonCatalog *cat, const char *want, char *buf, size_t n, BtError *err);
/* lesson_lang_check against lessons/, opened for it: for a caller that
 * reads no lesson (the REPL's and the subcommands' --lang). */
int lesson_lang_valid(const char *want, char *buf, size_t n, BtError *err);
/* Whether any lesson is written in lang. */
int lesson_catalog_has_lang(const LessonCatalog *c, const char *lang);
/* The languages present, space-separated ("en pt ru"), into buf. */
const char *lesson_catalog_langs(const LessonCatalog *c, char *buf, size_t n);

/* Commands the lesson's `run:`/`try:` lines use that exists() does not
 * know, as "compare, similar" in buf; returns how many. */
int lesson_missing_commands(const Lesson *l, int (*exists)(const char *name), char *buf, size_t n);

/* ---- progress ---------------------------------------------------------- */

typedef struct {
    char stem[64];
    int step;              /* the step to resume at, 0-based */
    int n_steps;
    int done;              /* finished at least once */
} LessonProgress;

typedef struct {
    char path[1024];       /* $XDG_STATE_HOME/bertology/lessons */
    LessonProgress *rows;
    int n;
} LessonProgressStore;

/* Reads the store (a missing file is an empty store). */
int lesson_progress_load(LessonProgressStore *ps, BtError *err);
/* The same with an explicit file (tests). */
int lesson_progress_load_path(LessonProgressStore *ps, const char *path, BtError *err);
const LessonProgress *lesson_progress_get(const LessonProgressStore *ps, const char *stem);
/* Records and writes the whole store (temp file + rename). */
int lesson_progress_set(LessonProgressStore *ps, const char *stem, int step, int n_steps, int done, BtError *err);
void lesson_progress_free(LessonProgressStore *ps);

/* Prints the lessons in lang (English where there is no translation)
 * with the learner's progress (ps may be NULL), marking lessons whose
 * commands exists() lacks and the one open (current, 0 for none). */
void lesson_print_list(FILE *f, const LessonCatalog *c, const LessonProgressStore *ps, const char *lang,
                       int (*exists)(const char *name), int current);

/* ---- the player --------------------------------------------------------- */

/* What the lesson's expressions read: the model and the current forward pass. */
typedef struct {
    const BertModel *model;
    const Trace *trace;            /* NULL before the first sentence */
    const char *const *tokens;     /* trace->T token strings as the model sees them */
    int causal, unscaled;          /* the switches in force (for passes probes run themselves) */
    Ablation ablate;               /* the knock-outs in force (`ablate`), likewise */
    const ScanResult *scan;        /* the last `scan`, or NULL */
    const struct WhatIf *whatif;   /* the last `whatif`, or NULL */
    const struct Saliency *saliency;   /* the last `saliency`, or NULL */
} LessonWorld;

typedef struct LessonHost {
    void *ctx;
    /* Runs one REPL line as if typed; where ("FILE:LINE") prefixes the
     * REPL's error message. 0, or -1 once the REPL has reported it. */
    int (*run)(void *ctx, const char *line, const char *where);
    void (*world)(void *ctx, LessonWorld *w);
    /* Points the window at what a step is about: a stage with optional
     * layer and head ("attn 2 1"), a window view by name ("heads"), or
     * "follow" to let the stage choose again. */
    int (*view)(void *ctx, const char *spec, BtError *err);
    /* 1: swallow command output (replaying earlier steps); 0: show it. */
    void (*quiet)(void *ctx, int on);
    /* Puts back the switches the lesson started with, before a replay. */
    void (*reset)(void *ctx);
    /* The learner reached step (0-based); finished when the last is done.
     * May be NULL. */
    void (*progress)(void *ctx, int step, int finished);
    /* Whether word is a command (a `run:` line of a missing command would
     * otherwise be analysed as a sentence). May be NULL. */
    int (*has_command)(const char *word);
    FILE *out;                     /* the lesson's text */
    int width;                     /* columns to wrap prose to */
} LessonHost;

typedef struct LessonPlayer LessonPlayer;

typedef enum { WAIT_NONE = 0, WAIT_TRY, WAIT_ASK } LessonWait;

/* number: shown in headers; lang: the player's own words ("en", "pt",
 * "ru"). The player borrows lesson and copies host. */
int lesson_player_new(LessonPlayer **out, const Lesson *lesson, int number, const char *lang, const LessonHost *host,
                      BtError *err);
void lesson_player_free(LessonPlayer *p);
/* Shows step (0-based) after quietly replaying the steps before it, so
 * the sentence and switches are what the lesson left them as. */
int lesson_player_goto(LessonPlayer *p, int step);
/* `continue`: the next step; on an open question or turn, a reminder
 * first and, said again, the answer and on. */
void lesson_player_continue(LessonPlayer *p);
/* `back`: the previous step. */
void lesson_player_back(LessonPlayer *p);
void lesson_player_hint(LessonPlayer *p);
LessonWait lesson_player_waiting(const LessonPlayer *p);
/* The open question (NULL unless WAIT_ASK). */
const LessonAsk *lesson_player_question(const LessonPlayer *p);
/* The question that has just closed (answered, or its answer shown), until
 * the step changes, another question opens or the learner runs a command:
 * a line shaped like an answer to it is a late answer, which
 * lesson_player_answer declines with a note instead of the REPL running it
 * ("b" would be `back`, "a" a sentence). NULL when there is none. */
const LessonAsk *lesson_player_closed_question(const LessonPlayer *p);
/* Whether text has the shape of an answer to ask (a choice's letter or
 * number, a number, a "quoted" token): the REPL then takes the line as
 * the answer even when it is also a command ("b" is `back`). */
int lesson_answer_shaped(const LessonAsk *ask, const char *text);
/* The learner's answer to the open question: 1 right, 0 not. With no
 * question open but one just closed, a note that it is closed (0). */
int lesson_player_answer(LessonPlayer *p, const char *text);
/* A command the learner ran (its table name, "sentence" for text), its
 * arguments as typed, and whether it worked: ends a `try:` that asked for
 * it. A `try:` with arguments wants those arguments (a `try: sentence`
 * any sentence). */
void lesson_player_observe(LessonPlayer *p, const char *command, const char *args, int ok);
/* While the player runs its own lines (which must not count as the learner's). */
int lesson_player_busy(const LessonPlayer *p);
int lesson_player_step(const LessonPlayer *p);
int lesson_player_finished(const LessonPlayer *p);

/* ---- the checker -------------------------------------------------------- */

typedef struct {
    int steps, commands, checks, questions;
    int skipped_steps;     /* steps whose `needs:` this model does not meet */
    int failures;
} LessonCheckReport;

/* Plays the whole lesson unattended: runs every command (the stored one
 * for `try:`), evaluates every `let:`, `check:` and {EXPR}, and answers
 * every question with its stored answer, which must be accepted. Each
 * problem goes to log as "PATH:LINE: ..." (command errors are reported
 * by the REPL through host->run). Returns 0 when there was none. */
int lesson_check(const Lesson *l, const LessonHost *host, LessonCheckReport *rep, FILE *log);

#endif
