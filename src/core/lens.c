#include "bertology/lens.h"
#include "bertology/i18n.h"
#include "bertology/forward.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const float *lens_hidden(const Trace *tr, int d, int pos) {
    if (d < 0 || d > tr->L || pos < 0 || pos >= tr->T) return NULL;
    const float *x = d == 0 ? tr->emb : tr->layers[d - 1].out;
    return x + (size_t)pos * tr->H;
}

/* In the REPL's language (`bertology lens`, which sets no locale, keeps
 * English: its --json is read by programs). */
void lens_depth_name(int d, char *buf, size_t n) {
    /* TRANSLATORS: the depth of the embeddings' output, before layer 0 (short: a row label) */
    if (d == 0) snprintf(buf, n, "%s", _("emb"));
    else snprintf(buf, n, _("layer %d"), d - 1);
}

void lens_depth_key(int d, char *buf, size_t n) {
    if (d == 0) snprintf(buf, n, "emb");
    else snprintf(buf, n, "layer %d", d - 1);
}

int lens_check_model(const BertModel *m, BtError *err) {
    if (m->has_mlm) return 0;
    return bt_fail(err, "this model has no MLM head (cls.predictions.*, a bare encoder checkpoint), so there is "
                          "nothing for the lens to read");
}

int lens_word(const Tokenizer *t, const char *word, int *id, BtError *err) {
    if (!t) return bt_fail(err, "this model has no vocabulary");
    if ((*id = tok_id(t, word)) >= 0) return 0;
    int ids[8];
    int n = tok_wordpieces(t, word, ids, NULL, 8, err);
    if (n < 0) return -1;
    if (n == 1 && ids[0] != tok_unk_id(t)) {
        *id = ids[0];
        return 0;
    }
    if (n == 0) return bt_fail(err, "'%s' has no word pieces: give a word to follow", word);
    if (n == 1) return bt_fail(err, "'%s' is not in the vocabulary (the model reads it as [UNK])", word);
    char list[256] = "";
    for (int i = 0; i < n && i < 8; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? " " : "", tok_token(t, ids[i]));
    }
    return bt_fail(err, "'%s' is not one token of the vocabulary but %d word pieces (%s%s): follow one of them", word,
                   n, list, n > 8 ? " …" : "");
}

void lens_free(LensResult *r) {
    free(r->top);
    free(r->rank);
    free(r->prob);
    free(r->text);
    memset(r, 0, sizeof *r);
}

int lens_run(const BertModel *m, const Trace *tr, int pos, int k, int word, LensResult *r, BtError *err) {
    memset(r, 0, sizeof *r);
    int V = m->cfg.vocab_size, H = m->cfg.hidden_size, D = tr->L + 1;
    if (lens_check_model(m, err) != 0) return -1;
    if (tr->H != H || tr->V != V) return bt_fail(err, "internal: the trace is not of this model");
    if (pos < 0 || pos >= tr->T)
        return bt_fail(err, "position %d is out of range: the sentence has %d tokens, 0–%d", pos, tr->T, tr->T - 1);
    if (k < 1 || k > V) return bt_fail(err, "k must be from 1 to %d (the vocabulary), not %d", V, k);
    if (word < LENS_ANSWER || word >= V) return bt_fail(err, "token id %d is not in the vocabulary (0–%d)", word, V - 1);

    /* Depths to run through the head: all, or all but the last when the
     * forward pass already did (one matmul for all the rows). */
    const float *last = trace_mlm_logits_at(tr, pos);
    int n = last ? D - 1 : D;
    size_t rows = n > 0 ? (size_t)n : 1, nH = rows * H;
    float *work = malloc(sizeof(float) * (4 * nH + 2 * rows + rows * V));
    r->top = malloc(sizeof *r->top * (size_t)D * k);
    if (word != -1) {
        r->rank = malloc(sizeof *r->rank * D);
        r->prob = malloc(sizeof *r->prob * D);
    }
    if (!work || !r->top || (word != -1 && (!r->rank || !r->prob))) {
        free(work);
        lens_free(r);
        return bt_fail(err, "out of memory for the lens (%d depths × %d tokens)", D, V);
    }
    float *in = work, *pre = in + nH, *act = pre + nH, *ln = act + nH, *mean = ln + nH, *rstd = mean + n,
          *logits = rstd + n;
    for (int d = 0; d < n; d++) memcpy(in + (size_t)d * H, lens_hidden(tr, d, pos), sizeof(float) * H);
    if (n) mlm_head_forward(m, in, n, pre, act, ln, mean, rstd, logits);

    r->pos = pos;
    r->pos_id = tr->input_ids[pos];
    r->depths = D;
    r->k = k;
    for (int d = D - 1; d >= 0; d--) {   /* the last first: LENS_ANSWER is its top guess */
        const float *lg = d < n ? logits + (size_t)d * V : last;
        guesses_top(lg, V, k, r->top + (size_t)d * k);
        if (word == LENS_ANSWER) {
            word = r->top[(size_t)d * k].id;
            r->answer = 1;
        }
        if (word >= 0) {
            r->rank[d] = guesses_rank(lg, V, word);
            r->prob[d] = guesses_prob(lg, V, word);
        }
    }
    r->word = word;
    free(work);
    return 0;
}

int lens_settled(const LensResult *r) {
    if (!r->rank || r->word < 0) return -1;
    int d = r->depths;
    while (d > 0 && r->rank[d - 1] == 1) d--;
    return d < r->depths ? d : -1;
}
