#include "bertology/eval.h"
#include "bertology/backward.h"
#include "bertology/forward.h"
#include "bertology/train_batch.h"
#include <stdlib.h>
#include <string.h>

static int top5_frequent(const Corpus *c, int V, int out[5]) {
    long *count = calloc(V, sizeof(long));
    if (!count) return -1;
    for (long i = 0; i < c->n_ids; i++)
        if (c->ids[i] >= 0 && c->ids[i] < V) count[c->ids[i]]++;
    for (int k = 0; k < 5; k++) {
        int best = 0;
        for (int v = 1; v < V; v++)
            if (count[v] > count[best]) best = v;
        out[k] = best;
        count[best] = -1;
    }
    free(count);
    return 0;
}

/* Sequences per forward pass: enough to keep the matrix products busy,
 * few enough that a (B,nh,T,T) attention trace stays small at T = 128. */
enum { EVAL_BATCH = 16 };

static void free_instances(Instance *in, int n) {
    for (int i = 0; i < n; i++) instance_free(&in[i]);
}

int eval_run(const BertModel *m, const Corpus *c, const InstanceSpec *spec, long n_seq,
             uint64_t seed, EvalResult *r, BtError *err) {
    memset(r, 0, sizeof *r);
    if (!m->has_mlm) return bt_fail(err, "the model has no MLM head to evaluate");
    int T = spec->max_len, B = EVAL_BATCH, V = m->cfg.vocab_size;
    if (top5_frequent(c, V, r->top_freq)) return bt_fail(err, "out of memory");
    Trace tr;
    if (trace_alloc(&tr, m, B, T, B * T, 0.0f, err)) return -1;
    Instance in[EVAL_BATCH] = {{0}};
    const Instance *members[EVAL_BATCH];
    TrainBatch batch;
    int bad = train_batch_alloc(&batch, B, B * T, 1);
    for (int b = 0; !bad && b < B; b++) {
        members[b] = &in[b];
        bad = instance_alloc(&in[b], T);
    }
    if (bad) {
        free_instances(in, B);
        train_batch_free(&batch);
        trace_free(&tr);
        return bt_fail(err, "out of memory");
    }
    const int *labels = batch.labels;
    const unsigned char *kind = batch.kind;
    uint64_t rng = seed;
    long nsp_right = 0, nsp_n = 0;
    double loss_sum = 0;
    long m1 = 0, m5 = 0, c1 = 0, c5 = 0, b1 = 0, b5 = 0;
    for (long done = 0; done < n_seq; done += B) {
        int nb = n_seq - done < B ? (int)(n_seq - done) : B;
        for (int b = 0; b < nb; b++) instance_sample(c, spec, &rng, &in[b]);
        train_batch_fill(&tr, members, nb, spec->pad_id, &batch);   /* a short last batch is padded */
        int n = tr.n_mlm;
        forward(m, &tr, NULL);
        for (int i = 0; i < n; i++) {
            int k1 = 0, k5 = 0;
            loss_sum += cross_entropy(tr.mlm_logits + (size_t)i * V, &labels[i], 1, V, NULL, 1, &k1, &k5);
            c1 += k1;
            c5 += k5;
            if (kind[i] == MASK_MASKED) {
                m1 += k1;
                m5 += k5;
                b1 += labels[i] == r->top_freq[0];
                for (int k = 0; k < 5; k++) b5 += labels[i] == r->top_freq[k];
                r->n_mask++;
            }
        }
        r->n_chosen += n;
        if (m->has_nsp)
            for (int b = 0; b < nb; b++) {
                const float *lg = tr.nsp_logits + (size_t)b * 2;
                nsp_right += (lg[1] > lg[0]) == batch.nsp_labels[b];
                nsp_n++;
            }
    }
    r->n_seq = n_seq;
    r->mlm_loss = r->n_chosen ? loss_sum / r->n_chosen : 0;
    double nm = r->n_mask ? (double)r->n_mask : 1, nc = r->n_chosen ? (double)r->n_chosen : 1;
    r->mask_top1 = m1 / nm;
    r->mask_top5 = m5 / nm;
    r->chosen_top1 = c1 / nc;
    r->chosen_top5 = c5 / nc;
    r->base_top1 = b1 / nm;
    r->base_top5 = b5 / nm;
    r->nsp_acc = nsp_n ? (double)nsp_right / nsp_n : -1;
    free_instances(in, B);
    train_batch_free(&batch);
    trace_free(&tr);
    return 0;
}
