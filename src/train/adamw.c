#include "bertology/adamw.h"
#include "bertology/bigmem.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int adamw_init(AdamW *o, const BertModel *m, float beta1, float beta2, float eps, float wd) {
    memset(o, 0, sizeof *o);
    o->beta1 = beta1;
    o->beta2 = beta2;
    o->eps = eps;
    o->weight_decay = wd;
    o->n = m->n_params;
    o->m = big_calloc(o->n, sizeof(float));
    o->v = big_calloc(o->n, sizeof(float));
    o->decay = calloc(o->n, 1);
    if (!o->m || !o->v || !o->decay) { adamw_free(o); return -1; }
    ParamInfo *tab;
    int np = model_param_table(&m->cfg, &tab);
    for (int i = 0; i < np; i++)
        if (!tab[i].no_decay) memset(o->decay + tab[i].offset, 1, tab[i].numel);
    free(tab);
    return 0;
}

void adamw_free(AdamW *o) {
    big_free(o->m);
    big_free(o->v);
    free(o->decay);
    memset(o, 0, sizeof *o);
}

/* Decoupled weight decay (Loshchilov & Hutter): decay acts on the weight,
 * not through the adaptive denominator. */
void adamw_step(AdamW *o, float *p, const float *g, float lr) {
    o->t++;
    float b1c = 1.0f - powf(o->beta1, (float)o->t), b2c = 1.0f - powf(o->beta2, (float)o->t);
    #pragma omp parallel for simd schedule(static)
    for (size_t i = 0; i < o->n; i++) {
        float m = o->m[i] = o->beta1 * o->m[i] + (1.0f - o->beta1) * g[i];
        float v = o->v[i] = o->beta2 * o->v[i] + (1.0f - o->beta2) * g[i] * g[i];
        float update = (m / b1c) / (sqrtf(v / b2c) + o->eps) + (o->decay[i] ? o->weight_decay * p[i] : 0.0f);
        p[i] -= lr * update;
    }
}

float clip_grad_norm(float *g, size_t n, float max_norm) {
    double s = 0;
    #pragma omp parallel for simd reduction(+ : s) schedule(static)
    for (size_t i = 0; i < n; i++) s += (double)g[i] * g[i];
    float norm = (float)sqrt(s);
    if (max_norm > 0 && norm > max_norm) {
        float k = max_norm / (norm + 1e-6f);
        for (size_t i = 0; i < n; i++) g[i] *= k;
    }
    return norm;
}

float lr_schedule(long step, long warmup, long total, float peak) {
    if (warmup > 0 && step < warmup) return peak * (float)(step + 1) / (float)warmup;
    if (step >= total) return 0.0f;
    return peak * (float)(total - step) / (float)(total - warmup > 0 ? total - warmup : 1);
}
