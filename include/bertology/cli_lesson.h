#ifndef BERTOLOGY_CLI_LESSON_H
#define BERTOLOGY_CLI_LESSON_H
/* `bertology lesson`: argv after the subcommand name.
 *   bertology lesson [--lang L]                  the lessons, with progress
 *   bertology lesson --check [N|all] [--lang L] [--model DIR] [--verbose]
 * --check plays lessons unattended against the model with their stored
 * answers; the status is 1 when a command fails or a check does not hold,
 * 2 for a bad command line. */
int cli_lesson(int argc, char **argv);
#endif
