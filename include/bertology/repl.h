#ifndef BERTOLOGY_REPL_H
#define BERTOLOGY_REPL_H
#include <stdio.h>
/* The interactive explorer: `bertology` with no subcommand.
 *
 * Options: see repl_print_options; --help calls print_usage (the whole
 * program's usage, which only main knows) when given. With -e or --script the
 * commands run in order and the program exits; otherwise commands come from
 * readline when stdin is a terminal, or line by line from stdin when not.
 *
 * Returns the process exit status: 0, 1 when a scripted command or the
 * model failed, 2 for a bad command line. */
int repl_main(int argc, char **argv, void (*print_usage)(FILE *));

/* The REPL's options, one per line, for `bertology --help` and the REPL's
 * own --help: written once, here. */
void repl_print_options(FILE *f);

/* Whether name (or a short alias such as "n") is a command of the REPL's
 * table: lets the lesson checker prove that every command a lesson runs
 * still exists. */
int repl_command_exists(const char *name);

#endif
