#ifndef BERTOLOGY_CLI_INSTRUMENTS_H
#define BERTOLOGY_CLI_INSTRUMENTS_H
/* Subcommands for the attention instruments, argv after the subcommand
 * name (as in bertology/cli.h):
 *   bertology rollout  last layer, rollout and flow of one query row (cli_rollout.c)
 *   bertology census   every head's entropy and attention shares (cli_census.c) */
int cli_rollout(int argc, char **argv);
int cli_census(int argc, char **argv);
#endif
