#ifndef BERTOLOGY_STAGES_H
#define BERTOLOGY_STAGES_H
/* The pipeline a learner steps through, in order. Stages from STAGE_QKV to
 * STAGE_LN2 repeat for each layer; the position is (stage, layer, head). */

typedef enum {
    STAGE_TOKENS = 0,   /* WordPiece ids */
    STAGE_EMBED,        /* word embedding lookup */
    STAGE_POS,          /* positional encoding */
    STAGE_SEGMENT,      /* segment (token type) embeddings */
    STAGE_EMB_LN,       /* sum + LayerNorm */
    STAGE_QKV,          /* per layer: Q, K, V projections */
    STAGE_SCORES,       /* QKᵀ/√d */
    STAGE_ATTN,         /* softmax */
    STAGE_CONTEXT,      /* attn·V, heads concatenated */
    STAGE_ATTN_OUT,     /* output projection */
    STAGE_LN1,          /* residual + LayerNorm */
    STAGE_FFN,          /* GELU(x·W1+b1) */
    STAGE_LN2,          /* FFN output, residual + LayerNorm */
    STAGE_MLM,          /* MLM head: logits and predictions */
    STAGE_COUNT
} Stage;

typedef struct {
    Stage stage;
    const char *name;      /* short name used by `stage NAME` and the prompt */
    const char *title;     /* one-line description */
    const char *formula;   /* the math in one line */
    int per_layer;         /* repeats for each layer */
} StageInfo;

const StageInfo *stage_info(Stage s);
/* Looks a stage up by its short name; -1 if unknown. */
int stage_by_name(const char *name);

/* A position in the pipeline; layer/head meaningful for per-layer stages. */
typedef struct {
    Stage stage;
    int layer;
    int head;
} StagePos;

/* Next/previous position through all layers (returns 0 at either end). */
int stage_next(StagePos *p, int num_layers);
int stage_prev(StagePos *p, int num_layers);

#endif
