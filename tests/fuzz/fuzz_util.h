#ifndef BT_FUZZ_UTIL_H
#define BT_FUZZ_UTIL_H
/* Shared by the fuzz targets of tests/fuzz (a header, so that fuzz.sh,
 * which builds every NAME.c there as a target, still needs no list). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The input as a C string (the APIs take one: it ends at the first NUL);
 * malloc'd, NULL when out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) return NULL;
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* A broken promise: said, then abort() so that libFuzzer keeps the input. */
static inline void fuzz_die(const char *target, const char *what, const char *msg) {
    fprintf(stderr, "%s: %s: %s\n", target, what, msg);
    abort();
}

#endif
