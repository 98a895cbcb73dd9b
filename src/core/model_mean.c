/* The element-wise mean of checkpoints of one model. Averaging the
 * weights of checkpoints along one training run (or of runs that share a
 * start) lands in a flatter part of the loss than either end point; the
 * default model's card says what it bought. */
#include "bertology/model_mean.h"
#include <stdlib.h>

/* A mean also needs the same segment table and LayerNorm eps (the result
 * keeps the first model's config.json). */
static int same_cfg(const BertConfig *a, const BertConfig *b) {
    return config_same_shape(a, b) && a->type_vocab_size == b->type_vocab_size &&
           a->layer_norm_eps == b->layer_norm_eps;
}

/* Why model o (from dir) cannot be averaged with m, or 0 when it can. */
static int check_same(const BertModel *m, const BertModel *o, const char *dir, BtError *err) {
    const BertConfig *a = &m->cfg, *b = &o->cfg;
    if (!same_cfg(a, b))
        return bt_fail(err, "%s: its shape (%d layers, H %d, %d heads, FFN %d, V %d) or config.json differs from "
                       "the first model's (%d, %d, %d, %d, %d): only checkpoints of one model can be averaged",
                       dir, b->num_layers, b->hidden_size, b->num_heads, b->intermediate_size, b->vocab_size,
                       a->num_layers, a->hidden_size, a->num_heads, a->intermediate_size, a->vocab_size);
    if (m->has_mlm != o->has_mlm || m->has_nsp != o->has_nsp || !m->untied_decoder != !o->untied_decoder)
        return bt_fail(err, "%s: its heads (MLM, NSP, tied decoder) differ from the first model's", dir);
    if (!m->tok != !o->tok) return bt_fail(err, "%s: one model has a vocab.txt and the other not", dir);
    int v = m->tok ? tok_first_difference(m->tok, o->tok, a->vocab_size) : -1;
    if (v >= 0)
        return bt_fail(err, "%s: its vocabulary differs from the first model's at id %d ('%s' vs '%s')", dir, v,
                       tok_token(o->tok, v), tok_token(m->tok, v));
    return 0;
}

static void add(double *acc, const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) acc[i] += x[i];
}

static void store(float *x, const double *acc, size_t n, int count) {
    for (size_t i = 0; i < n; i++) x[i] = (float)(acc[i] / count);
}

int model_mean_with(BertModel *m, const char *const *dirs, int n, BtError *err) {
    size_t np = m->n_params, nd = m->untied_decoder ? (size_t)m->cfg.vocab_size * m->cfg.hidden_size : 0;
    double *acc = calloc(np + nd + 1, sizeof *acc);
    if (!acc) return bt_fail(err, "out of memory averaging %zu parameters", np + nd);
    add(acc, m->params, np);
    if (nd) add(acc + np, m->untied_decoder, nd);
    int rc = 0;
    for (int k = 0; k < n && !rc; k++) {
        BertModel o;
        if (model_load(&o, dirs[k], err)) { rc = -1; break; }
        rc = check_same(m, &o, dirs[k], err);
        if (!rc) {
            add(acc, o.params, np);
            if (nd) add(acc + np, o.untied_decoder, nd);
        }
        model_free(&o);
    }
    if (!rc) {
        store(m->params, acc, np, n + 1);
        if (nd) store(m->untied_decoder, acc + np, nd, n + 1);
    }
    free(acc);
    return rc;
}
