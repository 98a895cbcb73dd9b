#ifndef BERTOLOGY_GROW_H
#define BERTOLOGY_GROW_H
/* The one growable array: makes room in *p (of *cap elements of elem
 * bytes) for at least need elements, doubling from 16, so that appending
 * n elements costs O(n). Returns 0, or -1 when out of memory (*p and
 * *cap are then unchanged and still valid). */
#include <stddef.h>

int bt_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
