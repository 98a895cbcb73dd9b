#include "bertology/masking.h"
#include "bertology/ops.h"

int mask_apply(int *ids, int n, const unsigned char *special, const MaskSpec *spec,
               uint64_t *rng, int *labels, unsigned char *kind) {
    int chosen = 0, eligible = 0, last = -1;
    for (int i = 0; i < n; i++) {
        labels[i] = -1;
        kind[i] = MASK_NONE;
        if (special && special[i]) continue;
        eligible++;
        if (rng_uniform(rng) >= spec->rate) {
            /* reservoir of one: a fallback pick if nothing gets chosen */
            if (rng_next(rng) % (uint64_t)eligible == 0) last = i;
            continue;
        }
        labels[i] = ids[i];
        chosen++;
    }
    if (!chosen && last >= 0) {
        labels[last] = ids[last];
        chosen = 1;
    }
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0) continue;
        float r = rng_uniform(rng);
        if (r < spec->p_mask) {
            ids[i] = spec->mask_id;
            kind[i] = MASK_MASKED;
        } else if (r < spec->p_mask + spec->p_random) {
            int span = spec->vocab_size - spec->first_normal_id;
            ids[i] = spec->first_normal_id + (int)(rng_next(rng) % (uint64_t)(span > 0 ? span : 1));
            kind[i] = MASK_RANDOM;
        } else {
            kind[i] = MASK_KEPT;
        }
    }
    return chosen;
}
