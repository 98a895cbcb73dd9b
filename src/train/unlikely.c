/* Unlikelihood on visible words: see include/bertology/unlikely.h. */
#include "bertology/unlikely.h"
#include <math.h>
#include <stddef.h>

void visible_words_collect(const int *input_ids, const int *valid, int B, int T, const unsigned char *eligible,
                           int vocab_size, int *ids, int *count) {
    for (int b = 0; b < B; b++) {
        int *out = ids + (size_t)b * T, k = 0;
        for (int t = 0; t < T; t++) {
            int id = input_ids[(size_t)b * T + t];
            if (!valid[(size_t)b * T + t] || id < 0 || id >= vocab_size || !eligible[id]) continue;
            int seen = 0;   /* T ≤ 4096 and few eligible words: a scan beats a V-sized mark table */
            for (int j = 0; j < k && !seen; j++) seen = out[j] == id;
            if (!seen) out[k++] = id;
        }
        count[b] = k;
    }
}

/* 1 − p is kept at least this far from 0: a candidate the model is sure of
 * gets a large but finite push (the step's gradient clipping bounds the rest). */
#define UL_MIN_REST 1e-4f

/* the trainer's --seq-len bound: a sequence never shows more distinct words */
#define UL_MAX_CAND 4096

double unlikely_visible(float *dlogits, const int *labels, const int *mlm_rows, int n, int V, float scale,
                        const VisibleWords *vw) {
    double loss = 0;
    if (!vw || vw->weight <= 0 || scale <= 0) return 0;
    float a = vw->weight;
    #pragma omp parallel for reduction(+ : loss) schedule(static) if (n > 8)
    for (int i = 0; i < n; i++) {
        float *d = dlogits + (size_t)i * V;
        int y = labels[i], b = mlm_rows[i] / vw->T;
        const int *cand = vw->ids + (size_t)b * vw->T;
        int nc = vw->count[b] < UL_MAX_CAND ? vw->count[b] : UL_MAX_CAND;
        float w[UL_MAX_CAND];   /* w_c = p_c / (1 − p_c), before d changes */
        double wsum = 0, li = 0;
        for (int j = 0; j < nc; j++) {
            int c = cand[j];
            w[j] = 0;
            if (c == y) continue;   /* the answer itself (left unchanged, or a random draw of it) */
            float p = d[c] / scale, rest = 1.0f - p;   /* c ≠ y: d_c = scale·p_c */
            if (rest < UL_MIN_REST) rest = UL_MIN_REST;
            li -= log(rest);
            w[j] = p / rest;
            wsum += w[j];
        }
        if (wsum == 0) continue;
        loss += a * li;
        /* d/dz_k Σ_c −log(1 − p_c) = Σ_c w_c·(δ_ck − p_k) = w_k·[k ∈ C] − p_k·Σw */
        float g = a * (float)wsum;
        for (int k = 0; k < V; k++) {
            float p = d[k] / scale + (k == y);
            d[k] -= scale * g * p;
        }
        for (int j = 0; j < nc; j++) d[cand[j]] += scale * a * w[j];
    }
    return n ? loss / n : 0;
}
