#ifndef BT_VECTORS_BTV_H
#define BT_VECTORS_BTV_H
/* The .btv file (README.md beside this file has the picture): a fixed
 * header, then sections at 8-byte aligned offsets, all little-endian.
 * Private to src/vectors. */
#include <stdint.h>
#include <stdio.h>
#include "bertology/error.h"

#define BTV_MAGIC "BTVEC\r\n\032"   /* like PNG's: catches text-mode mangling */
enum {
    BTV_VERSION = 1,
    BTV_HEADER_SIZE = 256,
    BTV_NAME_SIZE = 96,
    BTV_MAX_DIM = 10000,
    BTV_MAX_WORD = 1000,            /* bytes; longer "words" mean a foreign file */
};
#define BTV_MAX_COUNT 0x7fffffffL

typedef struct {
    char magic[8];
    uint32_t version;
    uint32_t dim;
    uint64_t count;
    uint64_t rows_off;      /* f32 [count][dim] */
    uint64_t norms_off;     /* f32 [count]: |row| */
    uint64_t woff_off;      /* u32 [count+1]: start of each word in the strings */
    uint64_t str_off;       /* words, each NUL-terminated */
    uint64_t str_size;
    uint64_t sorted_off;    /* u32 [count]: rows in byte order of their words */
    uint64_t file_size;
    uint32_t flags;         /* none defined yet; must be 0 */
    uint32_t reserved0;
    char name[BTV_NAME_SIZE];
    uint8_t pad[BTV_HEADER_SIZE - 88 - BTV_NAME_SIZE];   /* zero */
} BtvHeader;

_Static_assert(sizeof(BtvHeader) == BTV_HEADER_SIZE, "the header is 256 bytes on disk");

/* The writer that every reader feeds: rows go straight to a temporary
 * file next to the output, so a 3-million-word table never sits in memory. */
typedef struct BtvWriter BtvWriter;

int btv_writer_open(BtvWriter **out, const char *path, long top, BtError *err);
/* Fixes the dimension; the first call wins, later ones must agree. */
int btv_writer_dim(BtvWriter *w, int dim, BtError *err);
/* Adds one word (len bytes, need not be NUL-terminated). Returns 0, 1 when
 * the writer has `top` rows and wants no more, or -1. Duplicates and words
 * that are not valid UTF-8 are counted and dropped. */
int btv_writer_add(BtvWriter *w, const char *word, size_t len, const float *v, BtError *err);
long btv_writer_rows(const BtvWriter *w);
int btv_writer_get_dim(const BtvWriter *w);
/* Writes the tables and header and renames into place; frees w. */
int btv_writer_finish(BtvWriter *w, const char *name, long *duplicates, long *bad_words, long long *bytes,
                      BtError *err);
/* Removes the temporary file; frees w (NULL is fine). */
void btv_writer_abort(BtvWriter *w);

#endif
