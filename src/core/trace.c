#include "bertology/trace.h"
#include <stdlib.h>
#include <string.h>

/* The trace is one allocation carved into named arrays: the sizes are
 * computed by running the same carving with no memory behind it. */
typedef struct {
    char *base;
    size_t used;
} Arena;

static void *take(Arena *a, size_t bytes) {
    size_t at = (a->used + 63) & ~(size_t)63;   /* cache-line aligned rows */
    a->used = at + bytes;
    return a->base ? a->base + at : NULL;
}

#define TAKE_F(a, n) ((float *)take((a), sizeof(float) * (size_t)(n)))
#define TAKE_I(a, n) ((int *)take((a), sizeof(int) * (size_t)(n)))

static void carve(Trace *tr, Arena *a, const BertModel *m, int mlm_cap) {
    size_t BT = (size_t)tr->B * tr->T, H = tr->H, I = tr->I;
    size_t att = (size_t)tr->B * tr->nh * tr->T * tr->T;
    int drop = tr->dropout > 0;
    tr->input_ids = TAKE_I(a, BT);
    tr->type_ids = TAKE_I(a, BT);
    tr->valid = TAKE_I(a, BT);
    tr->tok_emb = TAKE_F(a, BT * H);
    tr->pos_emb = TAKE_F(a, (size_t)tr->T * H);
    tr->type_emb = TAKE_F(a, BT * H);
    tr->emb_sum = TAKE_F(a, BT * H);
    tr->emb = TAKE_F(a, BT * H);
    tr->emb_mean = TAKE_F(a, BT);
    tr->emb_rstd = TAKE_F(a, BT);
    tr->drop_emb = drop ? TAKE_F(a, BT * H) : NULL;
    tr->x0 = drop ? TAKE_F(a, BT * H) : tr->emb;
    tr->scratch = TAKE_F(a, BT * H);
    for (int l = 0; l < tr->L; l++) {
        LayerTrace *lt = &tr->layers[l];
        lt->q = TAKE_F(a, BT * H);
        lt->k = TAKE_F(a, BT * H);
        lt->v = TAKE_F(a, BT * H);
        lt->scores = TAKE_F(a, att);
        lt->attn = TAKE_F(a, att);
        lt->ctx = TAKE_F(a, BT * H);
        lt->attn_out = TAKE_F(a, BT * H);
        lt->res1 = TAKE_F(a, BT * H);
        lt->ln1 = TAKE_F(a, BT * H);
        lt->ln1_mean = TAKE_F(a, BT);
        lt->ln1_rstd = TAKE_F(a, BT);
        lt->ffn_pre = TAKE_F(a, BT * I);
        lt->ffn_act = TAKE_F(a, BT * I);
        lt->ffn_out = TAKE_F(a, BT * H);
        lt->res2 = TAKE_F(a, BT * H);
        lt->out = TAKE_F(a, BT * H);
        lt->ln2_mean = TAKE_F(a, BT);
        lt->ln2_rstd = TAKE_F(a, BT);
        lt->drop_attn = drop ? TAKE_F(a, att) : NULL;
        lt->drop_attn_out = drop ? TAKE_F(a, BT * H) : NULL;
        lt->drop_ffn_out = drop ? TAKE_F(a, BT * H) : NULL;
    }
    if (m->has_mlm && mlm_cap > 0) {
        tr->mlm_rows = TAKE_I(a, mlm_cap);
        tr->mlm_in = TAKE_F(a, (size_t)mlm_cap * H);
        tr->mlm_pre = TAKE_F(a, (size_t)mlm_cap * H);
        tr->mlm_act = TAKE_F(a, (size_t)mlm_cap * H);
        tr->mlm_ln = TAKE_F(a, (size_t)mlm_cap * H);
        tr->mlm_mean = TAKE_F(a, mlm_cap);
        tr->mlm_rstd = TAKE_F(a, mlm_cap);
        tr->mlm_logits = TAKE_F(a, (size_t)mlm_cap * tr->V);
    }
    if (m->has_nsp) {
        tr->pooled = TAKE_F(a, (size_t)tr->B * H);
        tr->nsp_logits = TAKE_F(a, (size_t)tr->B * 2);
    }
}

int trace_alloc(Trace *tr, const BertModel *m, int B, int T, int mlm_cap, float dropout, BtError *err) {
    memset(tr, 0, sizeof *tr);
    const BertConfig *c = &m->cfg;
    if (B < 1 || T < 1) return bt_fail(err, "empty input: nothing to run the model on");
    if (T > c->max_position)
        return bt_fail(err, "input is %d tokens, the model's limit is %d", T, c->max_position);
    tr->B = B;
    tr->T = T;
    tr->H = c->hidden_size;
    tr->nh = c->num_heads;
    tr->hd = c->hidden_size / c->num_heads;
    tr->I = c->intermediate_size;
    tr->V = c->vocab_size;
    tr->L = c->num_layers;
    tr->dropout = dropout;
    if (mlm_cap > B * T) mlm_cap = B * T;
    tr->layers = calloc(tr->L ? tr->L : 1, sizeof *tr->layers);
    if (!tr->layers) return bt_fail(err, "out of memory");
    Arena a = {0};
    carve(tr, &a, m, mlm_cap);
    a.base = calloc(1, a.used + 64);
    if (!a.base) {
        free(tr->layers);
        tr->layers = NULL;
        return bt_fail(err, "out of memory: the trace of %d×%d tokens needs %.0f MB", B, T, a.used / 1e6);
    }
    a.used = 0;
    carve(tr, &a, m, mlm_cap);
    tr->arena = a.base;
    tr->mlm_cap = mlm_cap;
    /* by default the MLM head runs on every position */
    if (tr->mlm_rows) {
        tr->n_mlm = mlm_cap;
        for (int i = 0; i < mlm_cap; i++) tr->mlm_rows[i] = i;
    }
    return 0;
}

void trace_free(Trace *tr) {
    free(tr->arena);
    free(tr->layers);
    memset(tr, 0, sizeof *tr);
}
