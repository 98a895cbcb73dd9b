#ifndef BT_REPL_HISTORY_H
#define BT_REPL_HISTORY_H
/* readline history kept in $XDG_STATE_HOME/bertology/history
 * (~/.local/state/bertology/history), appended line by line so that it
 * survives a crash or a closed terminal. */
#include <stddef.h>

typedef struct {
    char path[4096];    /* "" when no home could be found: history stays in memory */
} History;

void history_open(History *h);
/* Adds a typed line (not a repeat of the previous one) and appends it to the file. */
void history_add_line(History *h, const char *line);
void history_close(History *h);

#endif
