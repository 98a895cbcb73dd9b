#include "trace_pick.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const float *pick_attn(const Trace *t, int layer, int head, int scores) {
    const float *a = trace_floats(t, trace_stage_array(scores ? STAGE_SCORES : STAGE_ATTN, TRACE_SHOWN, 0), layer);
    return a ? a + (size_t)head * t->T * t->T : NULL;
}

const float *pick_layer_input(const Trace *t, int layer) {
    /* x0, not the table's emb: with dropout the layer reads emb ⊙ mask */
    if (layer <= 0) return t->x0 ? t->x0 : t->emb;
    return trace_floats(t, trace_stage_array(STAGE_LN2, TRACE_SHOWN, 0), layer - 1);
}

void pick_gather_heads(const Trace *t, const float *src, float *dst) {
    for (int h = 0; h < t->nh; h++)
        for (int i = 0; i < t->T; i++)
            memcpy(dst + (size_t)i * t->H + (size_t)h * t->hd,
                   src + ((size_t)h * t->T + i) * t->hd, sizeof(float) * t->hd);
}

const float *pick_mlm_row(const Trace *t, int pos) {
    return trace_mlm_logits_at(t, pos);
}

const char *const *pick_labels(const char *const *tokens, int T, char **owned) {
    *owned = NULL;
    if (tokens) return tokens;
    /* One block: T pointers followed by their strings. */
    char *block = malloc(sizeof(char *) * (size_t)T + 16 * (size_t)T);
    if (!block) return NULL;
    char **ptr = (char **)block;
    char *text = block + sizeof(char *) * (size_t)T;
    for (int i = 0; i < T; i++) {
        ptr[i] = text + 16 * i;
        snprintf(ptr[i], 16, "#%d", i);
    }
    *owned = block;
    return (const char *const *)ptr;
}
