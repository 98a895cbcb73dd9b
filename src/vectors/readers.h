#ifndef BT_VECTORS_READERS_H
#define BT_VECTORS_READERS_H
/* Readers of the published formats, each feeding a BtvWriter from an input
 * mapped in memory. Every message names the file and, for text, the line,
 * because the files are large and a learner has to find the bad spot. */
#include <stddef.h>
#include "bertology/vectors.h"
#include "btv.h"

typedef struct {
    const char *data;
    size_t size;
    const char *name;   /* the path, for messages */
} VecInput;

VecFormat vec_detect(const VecInput *in);

int vec_read_text(const VecInput *in, BtvWriter *w, BtError *err);
int vec_read_w2v_bin(const VecInput *in, BtvWriter *w, BtError *err);
int vec_read_wink(const VecInput *in, BtvWriter *w, BtError *err);

/* A decimal number of n bytes (not NUL-terminated) into *out: 0, or -1
 * when it is not a number, -2 when it is not finite. */
int vec_parse_float(const char *s, size_t n, float *out);
/* A whole non-negative decimal integer of n bytes: 0 or -1. */
int vec_parse_count(const char *s, size_t n, long *out);

#endif
