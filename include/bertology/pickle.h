#ifndef BERTOLOGY_PICKLE_H
#define BERTOLOGY_PICKLE_H
/* Reading PyTorch checkpoints (pytorch_model.bin) without Python.
 *
 * torch.save writes a zip archive: PREFIX/data.pkl, a pickle of the state
 * dict whose tensors point at storages by key, and PREFIX/data/KEY, the raw
 * little-endian bytes of each storage. Files from before torch 1.6 are a
 * chain of pickles followed by the storages, which is read as well.
 *
 * A pickle is a program: a general unpickler calls any Python function the
 * file names, which is how a malicious checkpoint runs code. This one is a
 * restricted machine: it knows only the opcodes torch's tensor
 * serialisation emits and only the callables torch._utils._rebuild_tensor_v2
 * and collections.OrderedDict, plus the torch.*Storage type names (data
 * types, not code). Anything else is refused, and stack, memo, object
 * counts and every size are bounded, so a hostile file can only fail. */
#include <stddef.h>
#include <stdint.h>
#include "bertology/error.h"
#include "bertology/safetensors.h"

#define PT_MAX_DIMS 8
/* Bounds on the machine; a BERT-large state dict needs a few thousand. */
#define PT_MAX_STACK (1 << 16)
#define PT_MAX_MEMO (1 << 20)
#define PT_MAX_OBJECTS (1 << 20)

typedef struct {
    char *key;                  /* record name under data/ */
    StDtype dtype;
    int64_t numel;              /* elements, as the pickle declares */
    const uint8_t *data;        /* filled by the container reader */
    size_t nbytes;
} PtStorage;

typedef struct {
    char *name;
    int storage;                /* index into storages */
    int64_t offset;             /* in elements */
    int ndim;
    int64_t size[PT_MAX_DIMS], stride[PT_MAX_DIMS];
} PtTensor;

typedef struct {
    PtTensor *tensors;
    int n_tensors;
    PtStorage *storages;
    int n_storages;
} PtStateDict;

/* Runs one pickle from buf and requires a dict (OrderedDict) of tensors;
 * *used gets the bytes read through STOP. Storage data is left NULL.
 * Each tensor's extent is checked against its storage's declared size. */
int pt_unpickle_state_dict(const uint8_t *buf, size_t n, size_t *used, PtStateDict *sd, BtError *err);

/* A pickle of plain data only (None, bools, ints, strings, tuples, lists,
 * dicts), as in the headers of the pre-1.6 format. When it is a list of
 * strings they are returned in *strs (malloc'd, free with pt_free_strs). */
int pt_unpickle_plain(const uint8_t *buf, size_t n, size_t *used, char ***strs, int *n_strs, BtError *err);
void pt_free_strs(char **strs, int n);
void pt_state_dict_free(PtStateDict *sd);

/* A whole checkpoint file, mapped read-only. */
typedef struct {
    PtStateDict sd;
    void *map;
    size_t map_size;
    int legacy;                 /* pre-1.6 format */
} PtCheckpoint;

int pt_open(PtCheckpoint *c, const char *path, BtError *err);
void pt_close(PtCheckpoint *c);
int pt_is_float(StDtype d);
int64_t pt_numel(const PtTensor *t);
/* Copies a float tensor (F32/F16/BF16/F64) to out as contiguous f32,
 * honouring the storage offset and strides. */
int pt_tensor_f32(const PtCheckpoint *c, const PtTensor *t, float *out, BtError *err);

/* bin_path → out_path (safetensors, written atomically). Float tensors are
 * kept: F16 when every one is F16, else F32 (bf16 widens exactly). A tensor
 * that repeats another one (a tied decoder) and non-float buffers such as
 * position_ids are left out and counted. Before anything is allocated or
 * written the file is refused when a tensor shows more numbers than its
 * storage holds (a stride-0 broadcast) or the tensors of one storage
 * overlap, so the output is never larger than the float data in the file
 * (twice it for bf16 → F32); and, when cfg_path is not NULL, when a tensor
 * config.json names has another shape. */
typedef struct {
    int n_written, n_tied, n_skipped;
    StDtype dtype;
    int legacy;
} PtConvertInfo;
int pt_convert(const char *bin_path, const char *cfg_path, const char *out_path, PtConvertInfo *info, BtError *err);

#endif
