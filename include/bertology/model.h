#ifndef BERTOLOGY_MODEL_H
#define BERTOLOGY_MODEL_H
#include <stddef.h>
#include "bertology/config.h"
#include "bertology/error.h"
#include "bertology/tokenizer.h"

/* Linear weights are [out, in] as in PyTorch: y = x·Wᵀ + b. */
typedef struct {
    float *wq, *bq, *wk, *bk, *wv, *bv;   /* (H,H), (H); wq|wk|wv are one (3H,H) block
                                           * and bq|bk|bv one (3H), for the fused product */
    float *wo, *bo;                       /* attention.output.dense (H,H), (H) */
    float *ln1_g, *ln1_b;                 /* attention.output.LayerNorm (H) */
    float *w1, *b1;                       /* intermediate.dense (I,H), (I) */
    float *w2, *b2;                       /* output.dense (H,I), (H) */
    float *ln2_g, *ln2_b;                 /* output.LayerNorm (H) */
} BertLayer;

typedef struct {
    BertConfig cfg;
    float *word_emb;                      /* (V,H) */
    float *pos_emb;                       /* (P,H): learned, or the sinusoid (not a parameter) */
    float *type_emb;                      /* (TV,H) */
    float *emb_ln_g, *emb_ln_b;           /* (H) */
    BertLayer *layers;                    /* num_layers */
    /* MLM head (cls.predictions); has_mlm == 0 for a bare BertModel file. */
    int has_mlm;
    float *mlm_w, *mlm_b;                 /* transform.dense (H,H), (H) */
    float *mlm_ln_g, *mlm_ln_b;           /* transform.LayerNorm (H) */
    float *mlm_decoder;                   /* (V,H): == word_emb when tied */
    float *mlm_bias;                      /* (V) */
    /* NSP head (bert.pooler + cls.seq_relationship); has_nsp == 0 if absent. */
    int has_nsp;
    float *pool_w, *pool_b;               /* (H,H), (H) */
    float *nsp_w, *nsp_b;                 /* (2,H), (2) */

    /* Every trainable parameter lives in one block, in param-table order
     * but for each layer's Q, K, V (side by side, model.c), so the trainer
     * can mirror it for gradients and AdamW moments. */
    float *params;
    size_t n_params;
    float *sinusoid;                      /* owned when pos_type is sinusoidal */
    float *untied_decoder;                /* owned when the file has its own decoder */

    Tokenizer *tok;                       /* NULL when loaded without vocab */
    char *dir;
} BertModel;

/* One parameter: its Hugging Face name (with the "bert." prefix for the
 * encoder), shape, and where it lives in the params block. */
typedef struct {
    char name[96];
    int ndim;
    int shape[2];
    size_t offset;     /* in floats, into params */
    size_t numel;
    int optional;      /* heads: absent in BertModel checkpoints */
    int no_decay;      /* biases and LayerNorm: no weight decay */
} ParamInfo;

/* The table of parameters for cfg; returns the count, fills *out (malloc'd). */
int model_param_table(const BertConfig *cfg, ParamInfo **out);

/* The names a checkpoint may store the parameter `name` under, most
 * usual first: with or without the "bert." prefix (BertModel vs
 * BertForMaskedLM) and with the old TF-port LayerNorm names gamma/beta.
 * Returns how many were written to out. */
#define MODEL_PARAM_NAMES 4
#define MODEL_PARAM_NAME_MAX 128
int model_param_names(const char *name, char out[MODEL_PARAM_NAMES][MODEL_PARAM_NAME_MAX]);

/* Loads config.json, vocab.txt (+tokenizer_config.json) and model.safetensors
 * from dir. Accepts names with/without "bert.", gamma/beta LayerNorm names,
 * and a decoder tied to the word embeddings. Rejects wrong shapes, NaN/Inf,
 * missing tensors, naming the file and the tensor. */
int model_load(BertModel *m, const char *dir, BtError *err);
/* A sinusoidal position table (computed, not stored) holds at most this
 * many floats, max_position × hidden_size: 128 MiB (docs/limits.md). */
enum { MODEL_MAX_SINUSOID = 1 << 25 };
/* Allocates a model for cfg with all parameters zero (for init / tests). */
int model_alloc(BertModel *m, const BertConfig *cfg, BtError *err);
/* Writes config.json and model.safetensors (F32 or F16) into dir (made if
 * needed); vocab_src, if not NULL, is copied to dir/vocab.txt. */
int model_save(const BertModel *m, const char *dir, int as_f16, const char *vocab_src, BtError *err);
void model_free(BertModel *m);

#endif
