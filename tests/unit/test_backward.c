/* Gradients of every parameter tensor against central finite differences
 * of the training loss (MLM cross-entropy at chosen rows + NSP), with
 * padding, dropout (fixed masks through a fixed seed), both position types. */
#include "bertology/backward.h"
#include "bertology/forward.h"
#include "bertology/ops.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { B = 2, T = 6 };
static const int rows[] = {1, 3, 7, 10};   /* flat b*T+t rows with MLM labels */
static const int labels[] = {4, 9, 2, 17};
static const int nsp_labels[] = {0, 1};

static double loss_of(const BertModel *m, Trace *tr, float *dmlm, float *dnsp) {
    uint64_t rng = 1234;   /* same seed -> same dropout masks every call */
    tr->n_mlm = 4;
    memcpy(tr->mlm_rows, rows, sizeof rows);
    forward(m, tr, &rng);
    double l = cross_entropy(tr->mlm_logits, labels, 4, m->cfg.vocab_size, dmlm, 1.0f / 4, NULL, NULL);
    l += cross_entropy(tr->nsp_logits, nsp_labels, B, 2, dnsp, 1.0f / B, NULL, NULL);
    return l;
}

static void check_model(PosType pos, float dropout, int unscaled) {
    BertConfig cfg = {.vocab_size = 20, .hidden_size = 8, .num_layers = 2, .num_heads = 2,
                      .intermediate_size = 12, .max_position = 16, .type_vocab_size = 2,
                      .layer_norm_eps = 1e-5f, .pos_type = pos};
    BertModel m, g;
    BtError err;
    CHECK(model_alloc(&m, &cfg, &err) == 0);
    CHECK(model_alloc(&g, &cfg, &err) == 0);
    uint64_t rng = 99;
    ParamInfo *tab;
    int n = model_param_table(&cfg, &tab);
    /* drawn in the table's order: the same model as before Q, K, V were
     * put side by side in the block (model.c) */
    for (int p = 0; p < n; p++)
        for (size_t e = 0; e < tab[p].numel; e++) m.params[tab[p].offset + e] = 0.5f * rng_normal(&rng);
    Trace tr;
    CHECK(trace_alloc(&tr, &m, B, T, B * T, dropout, &err) == 0);
    tr.unscaled = unscaled;
    for (int i = 0; i < B * T; i++) {
        tr.input_ids[i] = 5 + (int)(rng_next(&rng) % 15);
        tr.type_ids[i] = (i % T) >= 3;
        tr.valid[i] = !(i / T == 1 && i % T >= 4);   /* second sequence padded */
    }
    BackwardScratch s;
    CHECK(backward_scratch_alloc(&s, &tr, &err) == 0);
    float *dmlm = malloc(sizeof(float) * 4 * cfg.vocab_size), dnsp[B * 2];
    loss_of(&m, &tr, dmlm, dnsp);
    backward(&m, &tr, dmlm, dnsp, &g, &s);

    double worst = 0;
    const char *worst_name = "";
    for (int p = 0; p < n; p++) {
        /* a handful of entries per tensor keeps the test fast: 6 anywhere,
         * and 3 where the analytic gradient is not 0 (unused rows, such as
         * positions past T, would otherwise let a tensor pass untested) */
        double live = 0, live_ana = 0, live_num = 0;
        for (int k = 0; k < 9; k++) {
            size_t idx = tab[p].offset + (rng_next(&rng) % tab[p].numel);
            if (!strcmp(tab[p].name, "bert.embeddings.word_embeddings.weight") && k < 3)
                idx = tab[p].offset + (size_t)tr.input_ids[k] * cfg.hidden_size + (size_t)k;
            for (int tries = 0; k >= 6 && g.params[idx] == 0 && tries < 1000; tries++)
                idx = tab[p].offset + (rng_next(&rng) % tab[p].numel);
            float save = m.params[idx], h = 1e-2f;
            m.params[idx] = save + h;
            double lp = loss_of(&m, &tr, NULL, NULL);
            m.params[idx] = save - h;
            double lm = loss_of(&m, &tr, NULL, NULL);
            m.params[idx] = save;
            double num = (lp - lm) / (2 * h), ana = g.params[idx];
            double rel = fabs(num - ana) / fmax(1e-2, fabs(num) + fabs(ana));
            if (rel > worst) { worst = rel; worst_name = tab[p].name; }
            if (fabs(num) > live) { live = fabs(num); live_ana = ana; live_num = num; }
            CHECKF(rel < 2e-2, "%s[%zu] (pos %d, dropout %.1f): numeric %.6f analytic %.6f",
                   tab[p].name, idx - tab[p].offset, pos, dropout, num, ana);
        }
        /* the floor of 1e-2 in rel lets tiny gradients pass: every tensor
         * must also match on its largest sampled gradient, without the
         * floor. Except the key bias, whose true gradient is 0: it adds
         * q·b to every score of a query alike, and softmax ignores that. */
        if (strstr(tab[p].name, "key.bias")) {
            CHECKF(live < 1e-4 && fabs(live_ana) < 1e-4, "%s: gradient %.2e (analytic %.2e) where it must be 0", tab[p].name, live, live_ana);
            continue;
        }
        CHECKF(live > 1e-4 && fabs(live_num - live_ana) < 0.05 * live + 1e-6,
               "%s: largest sampled gradient numeric %.3e analytic %.3e", tab[p].name, live_num, live_ana);
    }
    printf("pos=%s dropout=%.1f unscaled=%d: %d tensors, worst relative error %.2e (%s)\n",
           pos == POS_SINUSOIDAL ? "sinusoidal" : "absolute", dropout, unscaled, n, worst, worst_name);
    free(tab);
    free(dmlm);
    backward_scratch_free(&s);
    trace_free(&tr);
    model_free(&m);
    model_free(&g);
}

int main(void) {
    check_model(POS_ABSOLUTE, 0.0f, 0);
    check_model(POS_SINUSOIDAL, 0.0f, 0);
    check_model(POS_SINUSOIDAL, 0.3f, 0);
    check_model(POS_ABSOLUTE, 0.0f, 1);
    return test_done("backward");
}
