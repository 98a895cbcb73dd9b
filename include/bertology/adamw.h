#ifndef BERTOLOGY_ADAMW_H
#define BERTOLOGY_ADAMW_H
#include <stddef.h>
#include "bertology/model.h"

typedef struct {
    float beta1, beta2, eps, weight_decay;
    float *m, *v;            /* (n) first and second moments */
    unsigned char *decay;    /* (n) 1 where weight decay applies */
    size_t n;
    long t;                  /* steps taken */
} AdamW;

/* Decay is off for biases, LayerNorm and (by BERT's recipe) nothing else. */
int adamw_init(AdamW *o, const BertModel *m, float beta1, float beta2, float eps, float wd);
void adamw_free(AdamW *o);
/* One step over params with gradients g (both n floats). */
void adamw_step(AdamW *o, float *params, const float *g, float lr);

/* Global L2 norm of g; if above max_norm, scales g down to it. Returns the norm before. */
float clip_grad_norm(float *g, size_t n, float max_norm);

/* Linear warm-up to peak over warmup steps, then linear decay to 0 at total. */
float lr_schedule(long step, long warmup, long total, float peak);

#endif
