#include "bertology/trace.h"
#include "bertology/bigmem.h"
#include <stddef.h>
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
    tr->scratch = TAKE_F(a, BT * 3 * H);
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

/* The shape of a trace of m, B×T tokens, before carving. */
static void shape(Trace *tr, const BertModel *m, int B, int T, float dropout) {
    const BertConfig *c = &m->cfg;
    memset(tr, 0, sizeof *tr);
    tr->B = B;
    tr->T = T;
    tr->H = c->hidden_size;
    tr->nh = c->num_heads;
    tr->hd = c->hidden_size / c->num_heads;
    tr->I = c->intermediate_size;
    tr->V = c->vocab_size;
    tr->L = c->num_layers;
    tr->dropout = dropout;
}

size_t trace_bytes(const BertModel *m, int B, int T, int mlm_cap, float dropout) {
    Trace tr;
    shape(&tr, m, B, T, dropout);
    if (mlm_cap > B * T) mlm_cap = B * T;
    LayerTrace *layers = calloc(tr.L ? tr.L : 1, sizeof *layers);
    if (!layers) return (size_t)-1;
    tr.layers = layers;
    Arena a = {0};
    carve(&tr, &a, m, mlm_cap);
    free(layers);
    return a.used + 64;
}

int trace_alloc(Trace *tr, const BertModel *m, int B, int T, int mlm_cap, float dropout, BtError *err) {
    memset(tr, 0, sizeof *tr);
    if (B < 1 || T < 1) return bt_fail(err, "empty input: nothing to run the model on");
    if (T > m->cfg.max_position)
        return bt_fail(err, "input is %d tokens, the model's limit is %d", T, m->cfg.max_position);
    shape(tr, m, B, T, dropout);
    if (mlm_cap > B * T) mlm_cap = B * T;
    tr->layers = calloc(tr->L ? tr->L : 1, sizeof *tr->layers);
    if (!tr->layers) return bt_fail(err, "out of memory");
    Arena a = {0};
    carve(tr, &a, m, mlm_cap);
    a.base = big_calloc(1, a.used + 64);
    if (!a.base) {
        free(tr->layers);
        tr->layers = NULL;
        return bt_fail(err, "out of memory: the trace of %d×%d tokens needs %.0f MB", B, T, a.used / 1e6);
    }
    a.used = 0;
    carve(tr, &a, m, mlm_cap);
    tr->arena = a.base;
    tr->mlm_cap = mlm_cap;
    tr->T_alloc = T;
    /* by default the MLM head runs on every position */
    if (tr->mlm_rows) {
        tr->n_mlm = mlm_cap;
        for (int i = 0; i < mlm_cap; i++) tr->mlm_rows[i] = i;
    }
    return 0;
}

int trace_set_T(Trace *tr, int T, BtError *err) {
    if (T < 1 || T > tr->T_alloc)
        return bt_fail(err, "internal: a pass of %d tokens per sequence in a trace carved for %d", T, tr->T_alloc);
    tr->T = T;
    return 0;
}

void trace_free(Trace *tr) {
    big_free(tr->arena);
    free(tr->layers);
    memset(tr, 0, sizeof *tr);
}

/* ---- the table ------------------------------------------------------------ */

/* One row per array, in pipeline order. The stages follow the REPL's
 * views: ffn_out is shown with the second residual + LayerNorm (stage
 * ln2's formula starts from it), the statistics with their LayerNorm. */

/* offset and per_layer, the last two fields of a row */
#define TOP(f) offsetof(Trace, f), 0
#define LAY(f) offsetof(LayerTrace, f), 1

static const TraceArray ROWS[] = {
    {"input_ids", NULL, {NULL, NULL}, STAGE_TOKENS, TRACE_PART, TRACE_IDS, TOP(input_ids)},
    {"type_ids", "token_type_ids", {NULL, NULL}, STAGE_TOKENS, TRACE_PART, TRACE_IDS, TOP(type_ids)},
    {"tok_emb", NULL, {"tok", NULL}, STAGE_EMBED, TRACE_SHOWN, TRACE_ROWS_H, TOP(tok_emb)},
    {"pos_emb", NULL, {"pos", NULL}, STAGE_POS, TRACE_SHOWN, TRACE_ROWS_H, TOP(pos_emb)},
    {"type_emb", NULL, {"type", NULL}, STAGE_SEGMENT, TRACE_SHOWN, TRACE_ROWS_H, TOP(type_emb)},
    {"emb_sum", NULL, {"sum", NULL}, STAGE_EMB_LN, TRACE_LN_IN, TRACE_ROWS_H, TOP(emb_sum)},
    {"emb", "embeddings", {NULL, NULL}, STAGE_EMB_LN, TRACE_SHOWN, TRACE_ROWS_H, TOP(emb)},
    {"emb_mean", NULL, {NULL, NULL}, STAGE_EMB_LN, TRACE_PART, TRACE_ROW_STAT, TOP(emb_mean)},
    {"emb_rstd", NULL, {NULL, NULL}, STAGE_EMB_LN, TRACE_PART, TRACE_ROW_STAT, TOP(emb_rstd)},
    {"q", NULL, {NULL, NULL}, STAGE_QKV, TRACE_SHOWN, TRACE_HEADS, LAY(q)},
    {"k", NULL, {NULL, NULL}, STAGE_QKV, TRACE_SHOWN, TRACE_HEADS, LAY(k)},
    {"v", NULL, {NULL, NULL}, STAGE_QKV, TRACE_SHOWN, TRACE_HEADS, LAY(v)},
    {"scores", NULL, {NULL, NULL}, STAGE_SCORES, TRACE_SHOWN, TRACE_SQUARE, LAY(scores)},
    {"attn", NULL, {NULL, NULL}, STAGE_ATTN, TRACE_SHOWN, TRACE_SQUARE, LAY(attn)},
    {"ctx", "context", {NULL, NULL}, STAGE_CONTEXT, TRACE_SHOWN, TRACE_ROWS_H, LAY(ctx)},
    {"attn_out", NULL, {"proj", "O"}, STAGE_ATTN_OUT, TRACE_SHOWN, TRACE_ROWS_H, LAY(attn_out)},
    {"res1", NULL, {NULL, NULL}, STAGE_LN1, TRACE_LN_IN, TRACE_ROWS_H, LAY(res1)},
    {"ln1", NULL, {NULL, NULL}, STAGE_LN1, TRACE_SHOWN, TRACE_ROWS_H, LAY(ln1)},
    {"ln1_mean", NULL, {NULL, NULL}, STAGE_LN1, TRACE_PART, TRACE_ROW_STAT, LAY(ln1_mean)},
    {"ln1_rstd", NULL, {NULL, NULL}, STAGE_LN1, TRACE_PART, TRACE_ROW_STAT, LAY(ln1_rstd)},
    {"ffn_pre", NULL, {"ffnpre", NULL}, STAGE_FFN, TRACE_PART, TRACE_ROWS_I, LAY(ffn_pre)},
    {"ffn_act", NULL, {"ffnact", NULL}, STAGE_FFN, TRACE_SHOWN, TRACE_ROWS_I, LAY(ffn_act)},
    {"ffn_out", NULL, {"ffnout", NULL}, STAGE_LN2, TRACE_PART, TRACE_ROWS_H, LAY(ffn_out)},
    {"res2", NULL, {NULL, NULL}, STAGE_LN2, TRACE_LN_IN, TRACE_ROWS_H, LAY(res2)},
    {"out", "output", {NULL, NULL}, STAGE_LN2, TRACE_SHOWN, TRACE_ROWS_H, LAY(out)},
    {"ln2_mean", NULL, {NULL, NULL}, STAGE_LN2, TRACE_PART, TRACE_ROW_STAT, LAY(ln2_mean)},
    {"ln2_rstd", NULL, {NULL, NULL}, STAGE_LN2, TRACE_PART, TRACE_ROW_STAT, LAY(ln2_rstd)},
    {"mlm_pre", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_MLM_H, TOP(mlm_pre)},
    {"mlm_act", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_MLM_H, TOP(mlm_act)},
    {"mlm_ln", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_MLM_H, TOP(mlm_ln)},
    {"mlm_mean", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_MLM_STAT, TOP(mlm_mean)},
    {"mlm_rstd", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_MLM_STAT, TOP(mlm_rstd)},
    {"mlm_logits", NULL, {NULL, NULL}, STAGE_MLM, TRACE_SHOWN, TRACE_MLM_V, TOP(mlm_logits)},
    /* NSP has no stage of its own: it is the other head, beside the MLM */
    {"pooled", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_CLS_H, TOP(pooled)},
    {"nsp_logits", NULL, {NULL, NULL}, STAGE_MLM, TRACE_PART, TRACE_NSP, TOP(nsp_logits)},
};

#undef TOP
#undef LAY

enum { N_ROWS = (int)(sizeof ROWS / sizeof ROWS[0]) };

int trace_array_count(void) { return N_ROWS; }

const TraceArray *trace_array_at(int i) { return i >= 0 && i < N_ROWS ? &ROWS[i] : NULL; }

const TraceArray *trace_find(const char *name) {
    if (!name) return NULL;
    for (int i = 0; i < N_ROWS; i++) {
        const TraceArray *a = &ROWS[i];
        if (!strcmp(name, a->name) || (a->npz_old && !strcmp(name, a->npz_old))) return a;
        for (int j = 0; j < 2; j++)
            if (a->aliases[j] && !strcmp(name, a->aliases[j])) return a;
    }
    return NULL;
}

const TraceArray *trace_stage_array(Stage st, TraceRole role, int nth) {
    for (int i = 0; i < N_ROWS; i++)
        if (ROWS[i].stage == st && ROWS[i].role == role && nth-- == 0) return &ROWS[i];
    return NULL;
}

static int is_mlm(TraceShape s) { return s == TRACE_MLM_H || s == TRACE_MLM_STAT || s == TRACE_MLM_V; }

const void *trace_data(const Trace *tr, const TraceArray *a, int layer) {
    if (!a) return NULL;
    if (a->per_layer && (layer < 0 || layer >= tr->L || !tr->layers)) return NULL;
    /* the MLM rows are per token only when every position went through the head, in order */
    if (is_mlm(a->shape) && tr->n_mlm != tr->B * tr->T) return NULL;
    const char *base = a->per_layer ? (const char *)&tr->layers[layer] : (const char *)tr;
    if (a->shape == TRACE_IDS) return *(int *const *)(const void *)(base + a->offset);
    return *(float *const *)(const void *)(base + a->offset);
}

const float *trace_floats(const Trace *tr, const TraceArray *a, int layer) {
    return a && a->shape != TRACE_IDS ? trace_data(tr, a, layer) : NULL;
}

const float *trace_get(const Trace *tr, const char *name, int layer) {
    return trace_floats(tr, trace_find(name), layer);
}

int trace_dims(const Trace *tr, const TraceArray *a, int64_t dims[3]) {
    int64_t T = tr->T;
    switch (a->shape) {
    case TRACE_IDS: case TRACE_ROW_STAT: case TRACE_MLM_STAT:
        dims[0] = T;
        return 1;
    case TRACE_ROWS_H: case TRACE_MLM_H: dims[0] = T, dims[1] = tr->H; return 2;
    case TRACE_ROWS_I: dims[0] = T, dims[1] = tr->I; return 2;
    case TRACE_MLM_V: dims[0] = T, dims[1] = tr->V; return 2;
    case TRACE_CLS_H: dims[0] = 1, dims[1] = tr->H; return 2;
    case TRACE_NSP: dims[0] = 1, dims[1] = 2; return 2;
    case TRACE_HEADS: dims[0] = tr->nh, dims[1] = T, dims[2] = tr->hd; return 3;
    case TRACE_SQUARE: dims[0] = tr->nh, dims[1] = T, dims[2] = T; return 3;
    }
    return 0;
}

int trace_per_token(const TraceArray *a) {
    return a->shape == TRACE_ROWS_H || a->shape == TRACE_ROWS_I || a->shape == TRACE_MLM_H || a->shape == TRACE_MLM_V;
}

const float *trace_mlm_logits_at(const Trace *tr, int pos) {
    if (!tr->mlm_logits || !tr->mlm_rows) return NULL;
    for (int i = 0; i < tr->n_mlm; i++)
        if (tr->mlm_rows[i] == pos) return tr->mlm_logits + (size_t)i * tr->V;
    return NULL;
}
