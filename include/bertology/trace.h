#ifndef BERTOLOGY_TRACE_H
#define BERTOLOGY_TRACE_H
/* Every intermediate of one forward pass over B sequences of T tokens.
 * The REPL and window read a Trace with B == 1; the trainer uses B > 1
 * plus the dropout masks. Layout is row-major, shapes in comments. */
#include <stdint.h>
#include "bertology/model.h"

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

    float *scratch;            /* (B,T,max(H,2)) work space for head splitting */

    /* How this trace was made (switches the lessons play with). */
    int causal;                /* mask keys after the query (GPT-style) */
    int unscaled;              /* scores without the 1/√hd */
    float dropout;             /* 0 for inference */

    int mlm_cap;               /* rows allocated for the MLM head */
    void *arena;               /* the one allocation behind every array */
} Trace;

/* Allocates a trace for B×T tokens of model m. mlm_cap: rows for the MLM
 * head (B*T for every position); dropout > 0 also allocates masks. */
int trace_alloc(Trace *tr, const BertModel *m, int B, int T, int mlm_cap, float dropout, BtError *err);
void trace_free(Trace *tr);

#endif
