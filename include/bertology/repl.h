#ifndef BERTOLOGY_REPL_H
#define BERTOLOGY_REPL_H
#include <stdio.h>
#include "bertology/error.h"
#include "bertology/model.h"
/* The interactive explorer: `bertology` with no subcommand.
 *
 * Options: see repl_print_options; --help calls print_usage (the whole
 * program's usage, which only main knows) when given. With -e or --script the
 * commands run in order and the program exits; otherwise commands come from
 * readline when stdin is a terminal, or line by line from stdin when not.
 *
 * is_subcommand, when given, names the words that are subcommands (which
 * only main knows): one put after an option is answered with where it goes.
 *
 * Returns the process exit status: 0, 1 when a scripted command or the
 * model failed, 2 for a bad command line. */
int repl_main(int argc, char **argv, void (*print_usage)(FILE *), int (*is_subcommand)(const char *word));
/* The message language (--lang among argv, else the locale), before
 * anything is printed: the first thing main does. */
void repl_i18n_start(int argc, char **argv);

/* The REPL's options, one per line, for `bertology --help` and the REPL's
 * own --help: written once, here. */
void repl_print_options(FILE *f);

/* Whether name (or a short alias such as "n") is a command of the REPL's
 * table: lets the lesson checker prove that every command a lesson runs
 * still exists. */
int repl_command_exists(const char *name);

/* A REPL session of its own for one lesson played unattended (`bertology
 * lesson --check`): output to out, plain; model borrowed, so it must
 * outlive the run. *host (bertology/lesson.h) then runs the lesson's lines
 * through this session exactly as if they were typed. 0, or -1 with err. */
struct LessonHost;
typedef struct ReplLessonRun ReplLessonRun;
int repl_lesson_run_open(ReplLessonRun **run, const BertModel *model, FILE *out, struct LessonHost *host,
                         BtError *err);
void repl_lesson_run_close(ReplLessonRun *run);

#endif
