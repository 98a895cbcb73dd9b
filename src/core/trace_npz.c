#include "bertology/trace_npz.h"
#include "bertology/npz.h"
#include <stdio.h>

/* One array of the table under one name; nothing when tr lacks it. */
static int put(NpzWriter *w, const Trace *tr, const TraceArray *a, int layer, const char *name, BtError *err) {
    const void *d = trace_data(tr, a, layer);
    if (!d) return 0;
    char full[64];
    if (a->per_layer) snprintf(full, sizeof full, "layer%d.%s", layer, name);
    else snprintf(full, sizeof full, "%s", name);
    int64_t shape[3];
    int nd = trace_dims(tr, a, shape);
    return a->shape == TRACE_IDS ? npz_add_i32(w, full, (const int32_t *)d, nd, shape, err)
                                 : npz_add_f32(w, full, (const float *)d, nd, shape, err);
}

int trace_export_npz(const Trace *tr, const char *path, BtError *err) {
    if (tr->B != 1) return bt_fail(err, "internal: export takes one sequence, the trace has %d", tr->B);
    NpzWriter *w;
    if (npz_open(&w, path, err)) return -1;
    int rc = 0;
    for (int i = 0; !rc && i < trace_array_count(); i++) {
        const TraceArray *a = trace_array_at(i);
        int layers = a->per_layer ? tr->L : 1;
        for (int l = 0; !rc && l < layers; l++) {
            rc = put(w, tr, a, l, a->name, err);
            /* files written before the table used these names: they stay */
            if (!rc && a->npz_old) rc = put(w, tr, a, l, a->npz_old, err);
        }
    }
    if (rc) {
        npz_abort(w);
        return -1;
    }
    return npz_close(w, err);
}
