#ifndef BERTOLOGY_FWD_PROFILE_H
#define BERTOLOGY_FWD_PROFILE_H
/* Where a forward pass spends its time, stage by stage (bench_forward
 * --profile). A Trace's `profile` is NULL unless a caller points it at a
 * FwdProfile; forward() then adds the time since the last mark to each
 * stage as it leaves it. With it NULL (everywhere but the bench) a mark
 * is one compare of a pointer: the timed forward rows run the same code
 * as the profiled ones, not a second build of it. */

/* In the order a pass runs them; FWD_STAGES holds their names. Both
 * residual + LayerNorm steps of a layer go to FP_RESID_LN. */
typedef enum {
    FP_EMBED,          /* lookup, sum, LayerNorm (and dropout) */
    FP_QKV,            /* the three projections and the head split */
    FP_ATTN,           /* scores, mask, softmax, context; knock-outs */
    FP_OUT_PROJ,       /* attention.output.dense */
    FP_RESID_LN,       /* residual add + LayerNorm, twice a layer */
    FP_FFN_UP,         /* intermediate.dense + GELU */
    FP_FFN_DOWN,       /* output.dense */
    FP_MLM_TRANSFORM,  /* gather of the rows, dense + GELU + LayerNorm */
    FP_MLM_DECODER,    /* rows × vocabulary logits */
    FP_NSP,            /* pooler + classifier */
    FP_N
} FwdStage;

extern const char *const FWD_STAGES[FP_N];

typedef struct {
    double s[FP_N];    /* seconds per stage since fwd_profile_start */
    double last;       /* the clock at the last mark */
} FwdProfile;

/* Zeroes p and starts its clock. */
void fwd_profile_start(FwdProfile *p);
/* Adds the time since the last mark (or the start) to stage s. */
void fwd_profile_mark(FwdProfile *p, FwdStage s);

#endif
