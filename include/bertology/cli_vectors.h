#ifndef BERTOLOGY_CLI_VECTORS_H
#define BERTOLOGY_CLI_VECTORS_H
/* `bertology vectors convert|info|similar|analogy ...`: static word
 * vectors for scripts (and for scripts/fetch-vectors.sh). Takes argc/argv
 * after the subcommand name; returns the exit status. */
int cli_vectors(int argc, char **argv);

#endif
