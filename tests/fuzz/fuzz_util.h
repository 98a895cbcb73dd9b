#ifndef BT_FUZZ_UTIL_H
#define BT_FUZZ_UTIL_H
/* Shared by the fuzz targets of tests/fuzz (a header, so that fuzz.sh,
 * which builds every NAME.c there as a target, still needs no list). */
#include <ftw.h>   /* nftw, mkdtemp: _GNU_SOURCE comes from the build */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The target's scratch folder (bt-NAME-XXXXXX, made once) and its
 * removal when the process exits: libFuzzer ends with exit() after -runs
 * or -max_total_time, and a campaign starts thousands of processes, so a
 * folder left behind by each would pile up. A crash leaves it (with the
 * input that libFuzzer keeps elsewhere).
 *
 * It is made in /dev/shm (a tmpfs) when there is one: targets that write
 * each input to a file there rewrite the same names every execution, and
 * on ext4 rewriting a file in place makes close() start writing it to the
 * disk (the replace-via-truncate heuristic, auto_da_alloc). Measured on
 * the shared machine: fuzz_config spent most of its time waiting for that
 * disk (9 to 38 exec/s under load, about 75% of its CPU time in ext4 and
 * block-device code); in a tmpfs the same files are pages in memory.
 * The readers see the same regular files and directory either way. */
static char fuzz_dir_path[64];

static inline int fuzz_rm_entry(const char *p, const struct stat *st, int type, struct FTW *f) {
    (void)st;
    (void)type;
    (void)f;
    remove(p);   /* go on whatever one entry does */
    return 0;
}

static inline void fuzz_rm_dir(void) {
    if (fuzz_dir_path[0]) nftw(fuzz_dir_path, fuzz_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline const char *fuzz_tmpdir(const char *target) {
    if (!fuzz_dir_path[0]) {
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "/dev/shm/bt-%s-XXXXXX", target);
        if (!mkdtemp(fuzz_dir_path)) {   /* no tmpfs there: the disk, slower but the same */
            snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "/tmp/bt-%s-XXXXXX", target);
            if (!mkdtemp(fuzz_dir_path)) fuzz_die(target, "mkdtemp", fuzz_dir_path);
        }
        atexit(fuzz_rm_dir);
    }
    return fuzz_dir_path;
}

#endif
