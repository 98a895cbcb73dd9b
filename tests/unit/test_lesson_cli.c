/* `bertology lesson` as a program of its own, so that lesson_check.py can
 * run the checker before src/main.c dispatches the subcommand. */
#include "bertology/cli_lesson.h"

int main(int argc, char **argv) { return cli_lesson(argc - 1, argv + 1); }
