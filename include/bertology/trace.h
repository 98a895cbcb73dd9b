#ifndef BERTOLOGY_TRACE_H
#define BERTOLOGY_TRACE_H
/* Every intermediate of one forward pass over B sequences of T tokens.
 * The REPL and window read a Trace with B == 1; the trainer uses B > 1
 * plus the dropout masks. Layout is row-major, shapes in comments. */
#include <stddef.h>
#include <stdint.h>
#include "bertology/ablate.h"
#include "bertology/fwd_profile.h"
#include "bertology/model.h"
#include "bertology/stages.h"

typedef struct {
    float *q, *k, *v;          /* (B,nh,T,hd) per head, after projection + bias */
    float *scores;             /* (B,nh,T,T) QKᵀ/√hd (+mask), before softmax */
    float *attn;               /* (B,nh,T,T) softmax probabilities */
    float *ctx;                /* (B,T,H) per-head context attn·V, heads concatenated */
    float *attn_out;           /* (B,T,H) output projection of ctx */
    float *res1;               /* (B,T,H) layer input + attn_out */
    float *ln1;                /* (B,T,H) LayerNorm(res1) */
    float *ln1_mean, *ln1_rstd;/* (B,T) */
    float *ffn_pre;            /* (B,T,I) intermediate dense, before GELU */
    float *ffn_act;            /* (B,T,I) after GELU */
    float *ffn_out;            /* (B,T,H) output dense */
    float *res2;               /* (B,T,H) ln1 + ffn_out */
    float *out;                /* (B,T,H) LayerNorm(res2): the layer's output */
    float *ln2_mean, *ln2_rstd;/* (B,T) */
    /* Dropout masks (0 or 1/(1-p)), only when training with dropout. */
    float *drop_attn;          /* (B,nh,T,T) */
    float *drop_attn_out;      /* (B,T,H) */
    float *drop_ffn_out;       /* (B,T,H) */
} LayerTrace;

typedef struct {
    int B, T, H, nh, hd, I, V, L;
    int *input_ids;            /* (B,T) */
    int *type_ids;             /* (B,T) */
    int *valid;                /* (B,T) 1 for real tokens, 0 for padding */
    float *tok_emb;            /* (B,T,H) word embedding rows */
    float *pos_emb;            /* (T,H) position rows (learned or sinusoid) */
    float *type_emb;           /* (B,T,H) segment embedding rows */
    float *emb_sum;            /* (B,T,H) their sum */
    float *emb;                /* (B,T,H) LayerNorm(emb_sum): input to layer 0 */
    float *emb_mean, *emb_rstd;/* (B,T) */
    float *drop_emb;           /* (B,T,H) dropout mask, training only */
    float *x0;                 /* (B,T,H) input to layer 0: emb, or emb ⊙ drop_emb when training */
    LayerTrace *layers;        /* L */

    /* MLM head rows: all B*T positions, or the n_mlm rows listed in mlm_rows. */
    int n_mlm;
    int *mlm_rows;             /* (n_mlm) flat indices b*T+t */
    float *mlm_in;             /* (n_mlm,H) gathered final hidden states */
    float *mlm_pre;            /* (n_mlm,H) transform dense */
    float *mlm_act;            /* (n_mlm,H) GELU */
    float *mlm_ln;             /* (n_mlm,H) LayerNorm */
    float *mlm_mean, *mlm_rstd;/* (n_mlm) */
    float *mlm_logits;         /* (n_mlm,V) decoder logits (+bias) */

    /* NSP head on [CLS] (row t=0 of each sequence), when the model has one. */
    float *pooled;             /* (B,H) tanh(dense(h_cls)) */
    float *nsp_logits;         /* (B,2) */

    float *scratch;            /* (B,T,3H) work space: the fused Q|K|V before head splitting */

    /* How this trace was made (switches the lessons play with). */
    int causal;                /* mask keys after the query (GPT-style) */
    int unscaled;              /* scores without the 1/√hd */
    float dropout;             /* 0 for inference */
    Ablation ablate;           /* heads and FFNs knocked out (ablate.h); n == 0 for the intact model */
    FwdProfile *profile;       /* per-stage clock (fwd_profile.h); NULL but in bench_forward --profile */

    int mlm_cap;               /* rows allocated for the MLM head */
    int T_alloc;               /* T the arrays were carved for: trace_set_T's bound */
    void *arena;               /* the one allocation behind every array */
} Trace;

/* Allocates a trace for B×T tokens of model m. mlm_cap: rows for the MLM
 * head (B*T for every position); dropout > 0 also allocates masks. */
int trace_alloc(Trace *tr, const BertModel *m, int B, int T, int mlm_cap, float dropout, BtError *err);
void trace_free(Trace *tr);
/* The bytes trace_alloc would take for that trace (the arena), without
 * taking them: for a caller choosing how many sequences to run at once. */
size_t trace_bytes(const BertModel *m, int B, int T, int mlm_cap, float dropout);

/* The next pass runs at T tokens per sequence, 1 ≤ T ≤ tr->T_alloc (else
 * fails and leaves tr as it was). The trainer runs each batch at its
 * longest member instead of padding it to --seq-len, all in one trace.
 * Safe because every array's size grows with T, so the shorter shape fits
 * in the space carved for T_alloc, and forward, backward and the table
 * below index by the current tr->T alone. Every array is then laid out
 * for the new T from its start ((B,T,H): row b·T + t; mlm_rows entries
 * b·T + t); what lies past it is stale, and what the arrays held is not
 * their contents under the new shape: the caller fills input_ids,
 * type_ids, valid and mlm_rows again, then runs forward. Buffers sized
 * from a trace (backward_scratch_alloc) keep their size: allocate them at
 * T_alloc, before the first shrink. */
int trace_set_T(Trace *tr, int T, BtError *err);

/* ---- The table of the trace ------------------------------------------------
 * Every intermediate of an inference pass, one row each, in pipeline
 * order: its one name, the stage that shows it, its shape and where it
 * lives. The REPL's stages, the window's views, the lessons' probes and
 * `export`/`dump` all find arrays here, so a new array is one row.
 * Shapes are those of one sequence (sequence 0 when B > 1). Dropout
 * masks, x0 and the scratch space are not in it: they belong to
 * training, not to what a sentence goes through. */

typedef enum {
    TRACE_IDS,        /* (T) int32 */
    TRACE_ROWS_H,     /* (T,H) one vector per token */
    TRACE_ROWS_I,     /* (T,I) */
    TRACE_ROW_STAT,   /* (T) one number per token (LayerNorm mean, 1/std) */
    TRACE_HEADS,      /* (nh,T,hd) */
    TRACE_SQUARE,     /* (nh,T,T) queries × keys per head */
    TRACE_MLM_H,      /* (T,H) MLM head rows: present only when the head ran on every position */
    TRACE_MLM_STAT,   /* (T) likewise */
    TRACE_MLM_V,      /* (T,V) likewise */
    TRACE_CLS_H,      /* (1,H) on [CLS] */
    TRACE_NSP,        /* (1,2) */
} TraceShape;

/* What an array is to the stage that shows it. */
typedef enum {
    TRACE_SHOWN,      /* the stage's result: what its view is about */
    TRACE_LN_IN,      /* the residual sum the stage's LayerNorm reads */
    TRACE_PART,       /* a step inside the stage, its statistics, or the ids */
} TraceRole;

typedef struct {
    const char *name;        /* the one name: the Trace field, `layer{i}.NAME` in .npz */
    const char *npz_old;     /* the name .npz files had before, still written beside it (or NULL) */
    const char *aliases[2];  /* other names trace_find takes: the lessons' short names, the formula's letter */
    Stage stage;
    TraceRole role;
    TraceShape shape;
    size_t offset;           /* of the pointer in Trace, or in LayerTrace when per_layer */
    int per_layer;           /* one per layer, in LayerTrace */
} TraceArray;

int trace_array_count(void);
const TraceArray *trace_array_at(int i);          /* 0 ≤ i < trace_array_count(), in pipeline order */
/* By name, .npz name or alias (case matters: "O" is the formula's); NULL if none. */
const TraceArray *trace_find(const char *name);
/* The nth array (0, 1, ...) with that stage and role; NULL past the last. */
const TraceArray *trace_stage_array(Stage st, TraceRole role, int nth);

/* The array in tr (layer for per-layer ones), or NULL when tr has none:
 * a head the model lacks, an MLM head run on chosen rows only, a layer
 * out of range. trace_floats is NULL for the int arrays too. */
const void *trace_data(const Trace *tr, const TraceArray *a, int layer);
const float *trace_floats(const Trace *tr, const TraceArray *a, int layer);
/* trace_floats(tr, trace_find(name), layer); NULL for an unknown name. */
const float *trace_get(const Trace *tr, const char *name, int layer);
/* Fills dims with a's shape in tr and returns how many there are. */
int trace_dims(const Trace *tr, const TraceArray *a, int64_t dims[3]);
/* 1 for (T, n) arrays: one vector per token, n = dims[1]. */
int trace_per_token(const TraceArray *a);

/* For a view about to turn v[0..n) (values read off tr, such as logits)
 * into probabilities: 0 when all are finite, else fails with one line
 * naming the first array of the pass, in pipeline order, that holds NaN
 * or ∞ ("layer 0 scores"). Huge finite weights overflow float32. */
int trace_check_finite(const Trace *tr, const float *v, size_t n, BtError *err);

/* The MLM head's logits (V) at position pos of sequence 0, when the
 * forward pass ran the head there; NULL otherwise. */
const float *trace_mlm_logits_at(const Trace *tr, int pos);

#endif
