#include "bertology/masking.h"
#include <math.h>
#include "bertology/ops.h"

int mask_spec_init(MaskSpec *spec, const Tokenizer *tok, float rate, BtError *err) {
    int mask_id = tok_mask_id(tok);
    if (mask_id < 0) return bt_fail(err, "the vocabulary has no [MASK] token");
    int ids[] = {tok_pad_id(tok), tok_unk_id(tok), tok_cls_id(tok), tok_sep_id(tok), mask_id};
    int last = -1;
    for (int i = 0; i < 5; i++)
        if (ids[i] > last) last = ids[i];
    int V = tok_vocab_size(tok);
    *spec = (MaskSpec){.rate = rate, .p_mask = 0.8f, .p_random = 0.1f, .mask_id = mask_id,
                       .first_normal_id = last + 1 < V ? last + 1 : 0, .vocab_size = V};
    return 0;
}

/* Each eligible position with probability rate. The draws are the
 * trainer's: a run resumed from saved state depends on their order. */
static int choose_by_rate(const int *ids, int n, const unsigned char *special, float rate, uint64_t *rng,
                          int *labels) {
    int chosen = 0, eligible = 0, last = -1;
    for (int i = 0; i < n; i++) {
        if (special && special[i]) continue;
        eligible++;
        if (rng_uniform(rng) >= rate) {
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
    return chosen;
}

/* Exactly round(rate × eligible), at least one, by selection sampling
 * (Knuth's algorithm S): every set of that size is equally likely and no
 * scratch space is needed. */
static int choose_exact(const int *ids, int n, const unsigned char *special, float rate, uint64_t *rng,
                        int *labels) {
    int eligible = 0;
    for (int i = 0; i < n; i++) eligible += !(special && special[i]);
    if (!eligible) return 0;
    int want = (int)lround((double)rate * eligible);
    if (want < 1) want = 1;
    int need = want, left = eligible;
    for (int i = 0; i < n && need > 0; i++) {
        if (special && special[i]) continue;
        if (rng_next(rng) % (uint64_t)left-- < (uint64_t)need) {
            labels[i] = ids[i];
            need--;
        }
    }
    return want;
}

/* Copy-free masking: each chosen token whose id is marked takes every other
 * occurrence of that id with it (no random draws, so the stream is the
 * one without it up to here). Returns how many were added. */
static int choose_repeats(const int *ids, int n, const unsigned char *special, const unsigned char *repeats, int V,
                          int *labels) {
    int added = 0;
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || ids[i] < 0 || ids[i] >= V || !repeats[ids[i]]) continue;
        for (int j = 0; j < n; j++)
            if (j != i && labels[j] < 0 && ids[j] == ids[i] && !(special && special[j])) {
                labels[j] = ids[j];
                added++;
            }
    }
    return added;
}

/* The first chosen position with the same original id as i, when that id
 * is marked for copy-free masking; i itself otherwise. */
static int first_of_word(const int *labels, int i, const MaskSpec *spec) {
    int id = labels[i];
    if (id < 0 || id >= spec->vocab_size || !spec->repeats[id]) return i;
    for (int j = 0; j < i; j++)
        if (labels[j] == id) return j;
    return i;
}

static int random_id(const MaskSpec *spec, uint64_t *rng) {
    int span = spec->vocab_size - spec->first_normal_id;
    return spec->first_normal_id + (int)(rng_next(rng) % (uint64_t)(span > 0 ? span : 1));
}

int mask_apply(int *ids, int n, const unsigned char *special, const MaskSpec *spec,
               uint64_t *rng, int *labels, unsigned char *kind) {
    for (int i = 0; i < n; i++) {
        labels[i] = -1;
        kind[i] = MASK_NONE;
    }
    int chosen = spec->exact ? choose_exact(ids, n, special, spec->rate, rng, labels)
                             : choose_by_rate(ids, n, special, spec->rate, rng, labels);
    if (spec->repeats) chosen += choose_repeats(ids, n, special, spec->repeats, spec->vocab_size, labels);
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0) continue;
        int f = spec->repeats && spec->repeats_shared ? first_of_word(labels, i, spec) : i;
        if (f < i) {
            /* The draw of the word's first chosen occurrence, already made:
             * a random replacement is drawn anew per position (it shows
             * no copy of the word either way). */
            kind[i] = kind[f];
            if (kind[i] == MASK_MASKED) ids[i] = spec->mask_id;
            else if (kind[i] == MASK_RANDOM) ids[i] = random_id(spec, rng);
            continue;
        }
        float r = rng_uniform(rng);
        if (r < spec->p_mask) {
            ids[i] = spec->mask_id;
            kind[i] = MASK_MASKED;
        } else if (r < spec->p_mask + spec->p_random) {
            ids[i] = random_id(spec, rng);
            kind[i] = MASK_RANDOM;
        } else {
            kind[i] = MASK_KEPT;
        }
    }
    return chosen;
}
