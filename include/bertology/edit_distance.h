#ifndef BERTOLOGY_EDIT_DISTANCE_H
#define BERTOLOGY_EDIT_DISTANCE_H
/* "Did you mean": how far a typed word is from a name. One measure for
 * the REPL's commands and stages, the lessons' directives and the
 * command line's options and subcommands. */
#include <stddef.h>

/* Levenshtein distance, a swap of two neighbours ("haed") counting as one
 * edit; 99 when either word is longer than 64 bytes. */
int edit_distance(const char *a, const char *b);

/* How many edits still look like a slip of the fingers in a word of len
 * bytes: 1 up to 3, 2 up to 6, then 3. */
int edit_slip_limit(size_t len);

/* The nearest of n names to word, each name the first member (a const
 * char *) of a table row stride bytes long, so that a command or option
 * table is searched as it is; its distance in *dist. NULL when n is 0. */
const char *edit_nearest(const char *word, const void *rows, size_t stride, int n, int *dist);

#endif
