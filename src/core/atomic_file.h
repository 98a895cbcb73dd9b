#ifndef BT_ATOMIC_FILE_H
#define BT_ATOMIC_FILE_H
/* Writing a file so that readers see either the old one or the complete
 * new one, never a half-written one: the bytes go to a temporary file in
 * the same directory (rename is atomic only within a file system), which
 * is synced and then renamed over the target. Used by src/core and the
 * window's PNG writer (src/viz/png_write.c). */
#include <stdio.h>
#include "bertology/error.h"

typedef struct {
    FILE *fp;
    char *path;     /* the target */
    char *tmp;      /* path.tmp.XXXXXX while open */
} AtomicFile;

int af_open(AtomicFile *a, const char *path, BtError *err);
/* fwrite that reports a short write as a failure naming the target. */
int af_write(AtomicFile *a, const void *buf, size_t n, BtError *err);
/* Flushes, fsyncs, closes and renames; on failure removes the temp file.
 * Either way the AtomicFile is finished. */
int af_commit(AtomicFile *a, BtError *err);
/* Closes and removes the temp file; safe on a zeroed or finished one. */
void af_abort(AtomicFile *a);

#endif
