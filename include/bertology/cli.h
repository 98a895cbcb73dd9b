#ifndef BERTOLOGY_CLI_H
#define BERTOLOGY_CLI_H
/* Subcommands for scripts: each takes argc/argv after the subcommand name,
 * prints its result on stdout, a one-line error on stderr, and returns the
 * exit status. */
#include <stdio.h>
#include "bertology/model.h"
#include "bertology/safetext.h"  /* json_string, safe_str: every printed token */

int cli_tokenize(int argc, char **argv);
int cli_dump(int argc, char **argv);
int cli_predict(int argc, char **argv);
int cli_lens(int argc, char **argv);   /* cli_lens.c */

/* Loads dir, or the default model when dir is NULL; on failure prints one
 * line naming what was wrong and returns -1. */
int cli_load_model(const char *dir, BertModel *m);
/* Joins argv[from..argc) with spaces (the TEXT of a subcommand); NULL if none. */
char *cli_join_args(int argc, char **argv, int from);

#endif
