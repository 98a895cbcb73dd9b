/* The hub subcommands on their own, so tests/hub can run them while
 * src/main.c does not dispatch them yet; the drivers prefer `bertology`
 * itself as soon as it knows `pull`. */
#include "bertology/cli_hub.h"
#include "bertology/hub.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "pull")) return cli_pull(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "convert")) return cli_convert(argc - 2, argv + 2);
    if (argc > 1 && !strcmp(argv[1], "models")) return cli_models(argc - 2, argv + 2);
    /* what --model NAME resolves to, for the tests */
    if (argc == 3 && !strcmp(argv[1], "resolve")) {
        char out[4096];
        int rc = hub_resolve_model(argv[2], out, sizeof out);
        printf("%s\n", out);
        return rc ? 1 : 0;
    }
    fprintf(stderr, "usage: %s pull|convert|models|resolve ...\n", argv[0]);
    return 2;
}
