/* hub_resolve NAME: prints what `--model NAME` resolves to (a directory
 * as is, else the cache directory of a pulled model id) and exits 1 when
 * it is neither, so test_pull.py can check hub_resolve_model directly. */
#include "bertology/hub.h"
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: hub_resolve NAME\n");
        return 2;
    }
    char out[4096];
    int rc = hub_resolve_model(argv[1], out, sizeof out);
    printf("%s\n", out);
    return rc ? 1 : 0;
}
