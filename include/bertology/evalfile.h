#ifndef BERTOLOGY_EVALFILE_H
#define BERTOLOGY_EVALFILE_H
/* The line files of `bertology eval` (--cloze, --senses, --neighbours):
 * one item a line, '#' comments and blank lines skipped. One reader, so
 * that the three agree on what a comment, a blank line and a read error
 * are. */
#include <stddef.h>
#include "bertology/error.h"

/* One item line (newline stripped, writable) and its 1-based number. */
typedef int (*EvalLineFn)(char *line, int lineno, void *ctx, BtError *err);

/* Calls fn on each item line of path, stopping at the first nonzero
 * return. `what` names the file in the errors ("cloze file"). Returns how
 * many lines fn took, or -1. */
int evalfile_each(const char *path, const char *what, EvalLineFn fn, void *ctx, BtError *err);

/* Room for item n in *items (elements of `size` bytes; *cap doubles from
 * 16). 0, or -1 when out of memory (*items is then unchanged). */
int evalfile_grow(void **items, size_t size, int n, int *cap);

#endif
