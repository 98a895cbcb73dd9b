/* Attention rollout (bertology/rollout.h): the layers' mixing matrices,
 * one row of their product, and the three columns `rollout` shows. The
 * flow is in attnflow.c. */
#include "bertology/rollout.h"
#include <stdlib.h>
#include <string.h>

int rollout_mix(const Trace *tr, int layer, double *mix, BtError *err) {
    int T = tr->T, nh = tr->nh;
    const float *a = tr->layers[layer].attn;
    if (trace_check_finite(tr, a, (size_t)nh * T * T, err) != 0) return -1;
    for (int q = 0; q < T; q++) {
        double *row = mix + (size_t)q * T, sum = 0;
        for (int k = 0; k < T; k++) {
            double s = 0;
            for (int h = 0; h < nh; h++) s += a[((size_t)h * T + q) * T + k];
            row[k] = 0.5 * s / nh + 0.5 * (q == k);
            sum += row[k];
        }
        for (int k = 0; k < T; k++) row[k] /= sum;   /* ≥ 0.5: the diagonal */
    }
    return 0;
}

void rollout_free(Rollout *r) {
    free(r->raw);
    free(r->rollout);
    free(r->flow);
    free(r->flow_value);
    memset(r, 0, sizeof *r);
}

int rollout_default_query(const Trace *tr, const Tokenizer *tok) {
    int mask = tok ? tok_mask_id(tok) : -1;
    for (int t = 0; mask >= 0 && t < tr->T; t++)
        if (tr->input_ids[t] == mask) return t;
    return 0;
}

int rollout_run(const Trace *tr, int query, Rollout *r, BtError *err) {
    memset(r, 0, sizeof *r);
    int T = tr->T, L = tr->L, nh = tr->nh;
    if (L < 1) return bt_fail(err, "this model has no layers, so there is no attention to roll out");
    if (query < 0 || query >= T)
        return bt_fail(err, "position %d is out of range: the sentence has %d tokens, 0–%d", query, T, T - 1);
    double *mix = malloc(sizeof *mix * (size_t)L * T * T), *next = malloc(sizeof *next * T);
    r->raw = calloc(T, sizeof *r->raw);
    r->rollout = calloc(T, sizeof *r->rollout);
    r->flow = calloc(T, sizeof *r->flow);
    r->flow_value = calloc(T, sizeof *r->flow_value);
    int rc = 0;
    if (!mix || !next || !r->raw || !r->rollout || !r->flow || !r->flow_value)
        rc = bt_fail(err, "out of memory for the rollout of %d tokens and %d layers", T, L);
    for (int l = 0; l < L && rc == 0; l++) rc = rollout_mix(tr, l, mix + (size_t)l * T * T, err);
    if (rc == 0) {
        const float *a = tr->layers[L - 1].attn;
        for (int k = 0; k < T; k++) {
            double s = 0;
            for (int h = 0; h < nh; h++) s += a[((size_t)h * T + query) * T + k];
            r->raw[k] = s / nh;
        }
        /* Row `query` of Â_{L-1} ⋯ Â_0: a row vector through the layers
         * top down, T² per layer instead of the T³ of the whole product. */
        r->rollout[query] = 1;
        for (int l = L - 1; l >= 0; l--) {
            const double *m = mix + (size_t)l * T * T;
            memset(next, 0, sizeof *next * T);
            for (int q = 0; q < T; q++)
                if (r->rollout[q] != 0)
                    for (int k = 0; k < T; k++) next[k] += r->rollout[q] * m[(size_t)q * T + k];
            memcpy(r->rollout, next, sizeof *next * T);
        }
        rc = rollout_flow(mix, L, T, query, r->flow_value, err);
    }
    if (rc == 0) {
        double sum = 0;
        for (int j = 0; j < T; j++) sum += r->flow_value[j];
        for (int j = 0; j < T; j++) r->flow[j] = sum > 0 ? r->flow_value[j] / sum : 0;
        r->T = T;
        r->L = L;
        r->query = query;
    }
    free(mix);
    free(next);
    if (rc) rollout_free(r);
    return rc;
}
