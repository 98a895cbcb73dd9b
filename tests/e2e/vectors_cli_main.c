/* `bertology vectors ...` for the tests while src/main.c does not
 * dispatch the subcommand yet: the same cli_vectors, its own binary. */
#include <string.h>
#include "bertology/cli_vectors.h"

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "vectors") == 0) argc--, argv++;
    return cli_vectors(argc - 1, argv + 1);
}
