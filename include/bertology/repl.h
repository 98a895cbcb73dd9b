#ifndef BERTOLOGY_REPL_H
#define BERTOLOGY_REPL_H
/* The interactive explorer: `bertology` with no subcommand.
 *
 * Options: --model DIR, --no-window, --plain, -e CMD (repeatable),
 * --script FILE, --font FILE, --truncate, --help. With -e or --script the
 * commands run in order and the program exits; otherwise commands come from
 * readline when stdin is a terminal, or line by line from stdin when not.
 *
 * Returns the process exit status: 0, 1 when a scripted command or the
 * model failed, 2 for a bad command line. */
int repl_main(int argc, char **argv);

/* Whether name (or a short alias such as "n") is a command of the REPL's
 * table: lets the lesson checker prove that every command a lesson runs
 * still exists. */
int repl_command_exists(const char *name);

#endif
