/* pytorch_model.bin → model.safetensors, the format the engine loads. */
#include "bertology/pickle.h"
#include "display.h"
#include <stdlib.h>
#include <string.h>

/* Another name for the same numbers: HF state dicts hold the MLM decoder
 * as a view of the word embeddings, and the loader treats a missing
 * decoder as tied, so writing it once is enough. */
static int same_view(const PtTensor *a, const PtTensor *b) {
    if (a->storage != b->storage || a->offset != b->offset || a->ndim != b->ndim) return 0;
    for (int d = 0; d < a->ndim; d++)
        if (a->size[d] != b->size[d] || a->stride[d] != b->stride[d]) return 0;
    return 1;
}

int pt_convert(const char *bin_path, const char *out_path, PtConvertInfo *info, BtError *err) {
    PtConvertInfo dummy;
    if (!info) info = &dummy;
    memset(info, 0, sizeof *info);
    PtCheckpoint c;
    if (pt_open(&c, bin_path, err)) return -1;
    info->legacy = c.legacy;
    int n = c.sd.n_tensors, rc = 0, all_f16 = 1;
    StWriteTensor *ws = calloc((size_t)(n ? n : 1), sizeof *ws);
    const PtTensor **kept = calloc((size_t)(n ? n : 1), sizeof *kept);
    if (!ws || !kept) rc = bt_fail(err, "out of memory");
    for (int i = 0; i < n && !rc; i++) {
        const PtTensor *t = &c.sd.tensors[i];
        StDtype dt = c.sd.storages[t->storage].dtype;
        if (!pt_is_float(dt)) {
            info->n_skipped++;
            continue;
        }
        int dup = 0;
        for (int j = 0; j < info->n_written && !dup; j++) dup = same_view(kept[j], t);
        if (dup) {
            info->n_tied++;
            continue;
        }
        int64_t numel = pt_numel(t);
        float *buf = malloc(sizeof(float) * (size_t)(numel ? numel : 1));
        if (!buf) {
            char nm[HUB_NAME_BUF];
            hub_display(nm, t->name);
            rc = bt_fail(err, "out of memory for tensor '%s'", nm);
            break;
        }
        StWriteTensor *w = &ws[info->n_written];
        w->name = t->name;
        w->data = buf;
        w->ndim = t->ndim;
        memcpy(w->shape, t->size, sizeof(int64_t) * (size_t)t->ndim);
        kept[info->n_written++] = t;
        all_f16 &= dt == ST_F16;
        rc = pt_tensor_f32(&c, t, buf, err);
    }
    if (!rc && info->n_written == 0) rc = bt_fail(err, "%.300s holds no float tensors", bin_path);
    if (!rc) {
        /* F16 in, F16 out keeps the file as small as the original and is
         * exact; anything else (bf16, f64, mixed) is stored as F32. */
        info->dtype = all_f16 ? ST_F16 : ST_F32;
        const char *meta[] = {"format", "pt", "converted_from", "pytorch_model.bin"};
        rc = st_write(out_path, ws, info->n_written, info->dtype, meta, 2, err);
    }
    for (int i = 0; ws && i < info->n_written; i++) free((void *)ws[i].data);
    free(ws);
    free(kept);
    pt_close(&c);
    return rc;
}
