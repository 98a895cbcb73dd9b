/* Batches in a trace: see include/bertology/train_batch.h. */
#include "bertology/train_batch.h"
#include <stdlib.h>
#include <string.h>

int train_batch_alloc(TrainBatch *b, int B, int mlm_cap, int with_kind) {
    memset(b, 0, sizeof *b);
    b->labels = malloc(sizeof(int) * (size_t)mlm_cap);
    b->nsp_labels = malloc(sizeof(int) * (size_t)B);
    b->kind = with_kind ? malloc((size_t)mlm_cap) : NULL;
    if (!b->labels || !b->nsp_labels || (with_kind && !b->kind)) {
        train_batch_free(b);
        return -1;
    }
    return 0;
}

void train_batch_free(TrainBatch *b) {
    free(b->labels);
    free(b->kind);
    free(b->nsp_labels);
    memset(b, 0, sizeof *b);
}

long train_batch_fill(Trace *tr, const Instance *const *in, int n, int pad_id, TrainBatch *b) {
    int B = tr->B, T = tr->T, chosen = 0;
    long real = 0;
    for (int s = 0; s < B; s++) {
        const Instance *x = s < n ? in[s] : NULL;
        for (int t = 0; t < T; t++) {
            size_t st = (size_t)s * T + t;
            tr->input_ids[st] = x ? x->ids[t] : pad_id;
            tr->type_ids[st] = x ? x->type_ids[t] : 0;
            tr->valid[st] = x ? x->valid[t] : t == 0;
            if (!x) continue;
            real += x->valid[t];
            if (x->labels[t] >= 0 && chosen < tr->mlm_cap) {
                tr->mlm_rows[chosen] = (int)st;
                b->labels[chosen] = x->labels[t];
                if (b->kind) b->kind[chosen] = x->kind[t];
                chosen++;
            }
        }
        b->nsp_labels[s] = x ? !x->is_next : 0;
    }
    tr->n_mlm = chosen;
    return real;
}
