#include "history.h"
#include <stdio.h>
#include <string.h>
#include <readline/history.h>
#include "bertology/paths.h"

enum { HISTORY_MAX = 2000 };

void history_open(History *h) {
    char dir[4096];
    h->path[0] = 0;
    using_history();
    stifle_history(HISTORY_MAX);
    if (!paths_state_dir(dir, sizeof dir)) return;
    if ((size_t)snprintf(h->path, sizeof h->path, "%s/history", dir) >= sizeof h->path) { h->path[0] = 0; return; }
    read_history(h->path);   /* absent the first time: fine */
}

void history_add_line(History *h, const char *line) {
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0) return;
    add_history(line);
    if (!h->path[0]) return;
    FILE *f = fopen(h->path, "a");   /* append_history needs the file to exist */
    if (f) fclose(f);
    append_history(1, h->path);
}

void history_close(History *h) {
    if (h->path[0]) history_truncate_file(h->path, HISTORY_MAX);
}
