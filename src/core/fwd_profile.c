/* The clock behind a forward pass's per-stage profile (fwd_profile.h). */
#include "bertology/fwd_profile.h"
#include <string.h>
#include <time.h>

const char *const FWD_STAGES[FP_N] = {
    [FP_EMBED] = "embeddings",
    [FP_QKV] = "qkv",
    [FP_ATTN] = "attention",
    [FP_OUT_PROJ] = "out_proj",
    [FP_RESID_LN] = "residual_ln",
    [FP_FFN_UP] = "ffn_up_gelu",
    [FP_FFN_DOWN] = "ffn_down",
    [FP_MLM_TRANSFORM] = "mlm_transform",
    [FP_MLM_DECODER] = "mlm_decoder",
    [FP_NSP] = "nsp",
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void fwd_profile_start(FwdProfile *p) {
    memset(p, 0, sizeof *p);
    p->last = now();
}

void fwd_profile_mark(FwdProfile *p, FwdStage s) {
    double t = now();
    if ((int)s >= 0 && s < FP_N) p->s[s] += t - p->last;
    p->last = t;
}
