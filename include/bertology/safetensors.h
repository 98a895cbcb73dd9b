#ifndef BERTOLOGY_SAFETENSORS_H
#define BERTOLOGY_SAFETENSORS_H
/* safetensors files: 8-byte little-endian header length N, N bytes of JSON
 * {name: {dtype, shape, data_offsets:[begin,end]}, "__metadata__": {...}},
 * then the data; offsets are relative to the byte after the header. */
#include <stddef.h>
#include <stdint.h>
#include "bertology/error.h"

typedef enum { ST_F32, ST_F16, ST_BF16, ST_F64, ST_I64, ST_I32, ST_I16, ST_I8, ST_U8, ST_BOOL } StDtype;

#define ST_MAX_DIMS 8

typedef struct {
    char *name;
    StDtype dtype;
    int ndim;
    int64_t shape[ST_MAX_DIMS];
    size_t begin, end;          /* byte offsets into the data section */
} StTensor;

typedef struct {
    char *path;
    int fd;
    const uint8_t *map;         /* whole file, read-only mmap */
    size_t map_size;
    const uint8_t *data;        /* start of the data section */
    size_t data_size;
    StTensor *tensors;
    int n_tensors;
} StFile;

/* Maps the file and validates the header: length inside the file, valid
 * JSON, known dtypes, shape × dtype size == byte length, offsets inside
 * the data section and not overlapping. On error nothing stays open. */
int st_open(StFile *f, const char *path, BtError *err);
void st_close(StFile *f);
const StTensor *st_find(const StFile *f, const char *name);
size_t st_dtype_size(StDtype d);
const char *st_dtype_name(StDtype d);
int64_t st_numel(const StTensor *t);
/* Converts a float tensor (F32/F16/BF16/F64) to f32 into out (numel floats).
 * The pages of the mapping it reads are handed back as it goes, so a file
 * converted tensor by tensor never counts in the resident set beside its
 * f32 copy (reading the same tensor again maps them back). */
int st_read_f32(const StFile *f, const StTensor *t, float *out, BtError *err);

/* Writing: tensors are given as f32 and stored as F32 or F16. */
typedef struct {
    const char *name;
    const float *data;
    int ndim;
    int64_t shape[ST_MAX_DIMS];
} StWriteTensor;
/* Writes atomically (temp file + rename); dtype is ST_F32 or ST_F16 (rounded
 * to nearest even). meta_kv holds n_meta pairs, meta_kv[2i] a key and
 * meta_kv[2i+1] its value; it may be NULL when n_meta is 0. "__metadata__"
 * always gets "format": "pt" unless a "format" key is given. */
int st_write(const char *path, const StWriteTensor *ts, int n, StDtype dtype,
             const char *const *meta_kv, int n_meta, BtError *err);

#endif
