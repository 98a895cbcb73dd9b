#include "bertology/evalfile.h"
#include "bertology/infile.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "bertology/i18n.h"

int evalfile_each(const char *path, const char *what, EvalLineFn fn, void *ctx, BtError *err) {
    FILE *f = bt_file_fopen(path, BT_FILE_EVAL, err);
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, taken = 0, rc = 0;
    while (!rc && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (!line[strspn(line, " \t")] || line[0] == '#') continue;
        taken++;
        rc = fn(line, lineno, ctx, err);
    }
    if (!rc && ferror(f)) rc = bt_fail(err, "%s: cannot read the %s: %s", path, _(what), strerror(errno));
    free(line);
    fclose(f);
    return rc ? -1 : taken;
}

int evalfile_grow(void **items, size_t size, int n, int *cap) {
    if (n < *cap) return 0;
    int c = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, size * (size_t)c);
    if (!p) return -1;
    *items = p;
    *cap = c;
    return 0;
}
