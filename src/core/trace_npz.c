#include "bertology/trace_npz.h"
#include "bertology/npz.h"
#include <stdio.h>

typedef struct {
    NpzWriter *w;
    BtError *err;
    int rc;
} Out;

static void put_f(Out *o, const char *name, const float *d, int ndim, int64_t a, int64_t b, int64_t c) {
    if (o->rc || !d) return;
    int64_t shape[3] = {a, b, c};
    o->rc = npz_add_f32(o->w, name, d, ndim, shape, o->err);
}

static void put_i(Out *o, const char *name, const int *d, int64_t n) {
    if (o->rc) return;
    int64_t shape[1] = {n};
    o->rc = npz_add_i32(o->w, name, (const int32_t *)d, 1, shape, o->err);
}

int trace_export_npz(const Trace *tr, const char *path, BtError *err) {
    if (tr->B != 1) return bt_fail(err, "internal: export takes one sequence, the trace has %d", tr->B);
    Out o = {NULL, err, 0};
    if (npz_open(&o.w, path, err)) return -1;
    int T = tr->T, H = tr->H, nh = tr->nh, hd = tr->hd, I = tr->I;
    char name[64];
    put_i(&o, "input_ids", tr->input_ids, T);
    put_i(&o, "token_type_ids", tr->type_ids, T);
    put_f(&o, "tok_emb", tr->tok_emb, 2, T, H, 0);
    put_f(&o, "pos_emb", tr->pos_emb, 2, T, H, 0);
    put_f(&o, "type_emb", tr->type_emb, 2, T, H, 0);
    put_f(&o, "emb_sum", tr->emb_sum, 2, T, H, 0);
    put_f(&o, "embeddings", tr->emb, 2, T, H, 0);
    for (int l = 0; l < tr->L; l++) {
        const LayerTrace *lt = &tr->layers[l];
        struct { const char *n; const float *d; int ndim; int64_t a, b, c; } arr[] = {
            {"q", lt->q, 3, nh, T, hd}, {"k", lt->k, 3, nh, T, hd}, {"v", lt->v, 3, nh, T, hd},
            {"scores", lt->scores, 3, nh, T, T}, {"attn", lt->attn, 3, nh, T, T},
            {"context", lt->ctx, 2, T, H, 0}, {"attn_out", lt->attn_out, 2, T, H, 0},
            {"ln1", lt->ln1, 2, T, H, 0}, {"ffn_act", lt->ffn_act, 2, T, I, 0},
            {"ffn_out", lt->ffn_out, 2, T, H, 0}, {"output", lt->out, 2, T, H, 0},
        };
        for (size_t i = 0; i < sizeof arr / sizeof arr[0]; i++) {
            snprintf(name, sizeof name, "layer%d.%s", l, arr[i].n);
            put_f(&o, name, arr[i].d, arr[i].ndim, arr[i].a, arr[i].b, arr[i].c);
        }
    }
    if (tr->mlm_logits && tr->n_mlm == T) put_f(&o, "mlm_logits", tr->mlm_logits, 2, T, tr->V, 0);
    if (tr->nsp_logits) put_f(&o, "nsp_logits", tr->nsp_logits, 2, 1, 2, 0);
    if (o.rc) {
        npz_abort(o.w);
        return -1;
    }
    return npz_close(o.w, err);
}
