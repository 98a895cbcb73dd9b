#include "bertology/train_step.h"
#include "bertology/adamw.h"
#include "bertology/forward.h"
#include <string.h>

void train_grad(const BertModel *m, BertModel *g, Trace *tr, BackwardScratch *s, const int *labels,
                const int *nsp_labels, float *dlogits, float *dnsp, float clip, const VisibleWords *vw,
                uint64_t *rng, StepLoss *out) {
    int n = tr->n_mlm, B = tr->B, V = m->cfg.vocab_size;
    forward(m, tr, rng);
    out->mlm_right = out->nsp_right = 0;
    out->mlm_loss = cross_entropy(tr->mlm_logits, labels, n, V, dlogits, 1.0f / n, &out->mlm_right, NULL);
    out->unlikely_loss = unlikely_visible(dlogits, labels, tr->mlm_rows, n, V, 1.0f / n, vw);
    out->nsp_loss = cross_entropy(tr->nsp_logits, nsp_labels, B, 2, dnsp, 1.0f / B, &out->nsp_right, NULL);
    memset(g->params, 0, sizeof(float) * g->n_params);
    backward(m, tr, dlogits, dnsp, g, s);
    out->grad_norm = clip_grad_norm(g->params, g->n_params, clip);
}
