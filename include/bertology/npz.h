#ifndef BERTOLOGY_NPZ_H
#define BERTOLOGY_NPZ_H
/* Writes .npz files (a zip of .npy arrays, stored uncompressed with CRC-32)
 * that numpy.load opens. */
#include <stdint.h>
#include "bertology/error.h"

typedef struct NpzWriter NpzWriter;

int npz_open(NpzWriter **w, const char *path, BtError *err);
/* Adds name.npy; shape has ndim entries. */
int npz_add_f32(NpzWriter *w, const char *name, const float *data, int ndim, const int64_t *shape, BtError *err);
int npz_add_i32(NpzWriter *w, const char *name, const int32_t *data, int ndim, const int64_t *shape, BtError *err);
/* Writes the central directory and closes; on failure the file is removed. */
int npz_close(NpzWriter *w, BtError *err);
/* Discards an unfinished archive. */
void npz_abort(NpzWriter *w);

#endif
