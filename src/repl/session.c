#include "session.h"
#include <stdlib.h>
#include <string.h>
#include "bertology/forward.h"
#include "cmd_vectors.h"
#include "commands.h"

int session_T(const Session *s) { return s->text ? s->in.n : 0; }

int session_need_sentence(const Session *s, BtError *err) {
    if (s->have_trace) return 0;
    return bt_fail(err, "no sentence yet: type one, e.g. the cat sat on the mat");
}

int session_run(Session *s, BtError *err) {
    int T = s->in.n;
    if (!s->have_trace || s->tr.T != T) {
        if (s->have_trace) trace_free(&s->tr);
        s->have_trace = 0;
        memset(&s->tr, 0, sizeof s->tr);
        if (trace_alloc(&s->tr, &s->model, 1, T, s->model.has_mlm ? T : 0, 0, err) != 0) return -1;
        s->have_trace = 1;
    }
    if (forward_prepare(&s->tr, s->ids, s->in.type_ids, T, err) != 0) return -1;
    s->tr.causal = s->set.causal;
    s->tr.unscaled = s->set.unscaled;
    forward(&s->model, &s->tr, NULL);
    for (int i = 0; i < T; i++) s->tokens[i] = tok_token(s->model.tok, s->ids[i]);
    return 0;
}

/* Encodes with truncation allowed so that a refusal can say exactly how
 * long the sentence is; the truncate setting then decides. */
int session_set_sentence(Session *s, const char *text, BtError *err) {
    if (!s->model.tok) return bt_fail(err, "this model has no vocab.txt, so it cannot read text");
    TokInput in;
    memset(&in, 0, sizeof in);
    int max_len = s->model.cfg.max_position;
    if (tok_encode(s->model.tok, text, max_len, 1, &in, err) != 0) return -1;
    if (in.n_full > in.n && !s->set.truncate) {
        int n_full = in.n_full;
        tok_input_free(&in);
        free(s->rejected);
        s->rejected = strdup(text);
        return bt_fail(err,
                       "the sentence is %d tokens and this model takes at most %d; "
                       "`set truncate on` cuts it (the longer segment first) and analyses it",
                       n_full, max_len);
    }
    int T = in.n;
    int *ids = malloc((size_t)T * sizeof *ids);
    unsigned char *mask = calloc((size_t)T, 1);
    const char **tokens = calloc((size_t)T, sizeof *tokens);
    char *copy = strdup(text);
    if (!ids || !mask || !tokens || !copy) {
        free(ids); free(mask); free(tokens); free(copy);
        tok_input_free(&in);
        return bt_fail(err, "out of memory for a sentence of %d tokens", T);
    }
    memcpy(ids, in.ids, (size_t)T * sizeof *ids);

    /* Swap in the new sentence, keeping the old one until the forward pass
     * has worked, so that a failure leaves the session as it was. */
    Session old = *s;
    s->in = in;
    s->ids = ids;
    s->mask = mask;
    s->tokens = tokens;
    s->text = copy;
    s->have_trace = 0;
    memset(&s->tr, 0, sizeof s->tr);
    if (session_run(s, err) != 0) {
        if (s->have_trace) trace_free(&s->tr);
        tok_input_free(&s->in);
        free(ids); free(mask); free(tokens); free(copy);
        s->in = old.in; s->ids = old.ids; s->mask = old.mask; s->tokens = old.tokens;
        s->text = old.text; s->tr = old.tr; s->have_trace = old.have_trace;
        return -1;
    }
    if (old.text) {
        tok_input_free(&old.in);
        free(old.ids); free(old.mask); free(old.tokens); free(old.text);
        if (old.have_trace) trace_free(&old.tr);
    }
    free(s->rejected);
    s->rejected = NULL;
    return 0;
}

static int same_vocab(const Tokenizer *a, const Tokenizer *b) {
    if (!a || !b) return a == b;
    int n = tok_vocab_size(a);
    if (n != tok_vocab_size(b) || tok_do_lower_case(a) != tok_do_lower_case(b)) return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(tok_token(a, i), tok_token(b, i)) != 0) return 0;
    return 1;
}

/* The masking of the current sentence, carried over to its new encoding
 * `in` by m when both have the same word pieces at every position: the
 * very ids with the same vocabulary; with another, [MASK] stays [MASK]
 * and a random token becomes the same word piece (or [UNK]). Returns 0
 * when some masking could not be carried over. */
static int carry_mask(const Session *s, const BertModel *m, int same, const TokInput *in, int *ids,
                      unsigned char *mask) {
    int T = in->n, any = 0;
    for (int t = 0; t < s->in.n; t++) any |= s->mask[t];
    if (!any) return 1;
    if (T != s->in.n) return 0;
    if (same) {
        memcpy(ids, s->ids, (size_t)T * sizeof *ids);
        memcpy(mask, s->mask, (size_t)T);
        return 1;
    }
    const Tokenizer *ot = s->model.tok, *nt = m->tok;
    for (int t = 0; t < T; t++) {
        const char *a = tok_token(ot, s->in.ids[t]), *b = tok_token(nt, in->ids[t]);
        if (!a || !b || strcmp(a, b) != 0) return 0;
    }
    int mask_id = tok_mask_id(nt);
    for (int t = 0; t < T; t++) {
        if (s->mask[t] == MASK_MASKED) {
            if (mask_id < 0) return 0;
            ids[t] = mask_id;
        } else if (s->mask[t] == MASK_RANDOM) {
            const char *w = tok_token(ot, s->ids[t]);
            int id = w ? tok_id(nt, w) : -1;
            ids[t] = id >= 0 ? id : tok_unk_id(nt);
        }
        mask[t] = s->mask[t];
    }
    return 1;
}

int session_swap_model(Session *s, BertModel *m, ModelSwap *sw, BtError *err) {
    memset(sw, 0, sizeof *sw);
    int same = same_vocab(s->model.tok, m->tok);
    sw->vocab_changed = !same;
    TokInput in;
    memset(&in, 0, sizeof in);
    int *ids = NULL;
    unsigned char *mask = NULL;
    const char **tokens = NULL;
    if (s->text) {
        /* Encoded again even with the same vocabulary: the new model may
         * read fewer positions. */
        if (!m->tok) return bt_fail(err, "this model has no vocab.txt, so it cannot read the sentence");
        int max_len = m->cfg.max_position;
        if (tok_encode(m->tok, s->text, max_len, 1, &in, err) != 0) return -1;
        if (in.n_full > in.n && !s->set.truncate) {
            int n_full = in.n_full;
            tok_input_free(&in);
            return bt_fail(err, "the sentence is %d tokens and this model takes at most %d; `set truncate on` cuts it",
                           n_full, max_len);
        }
        int T = in.n;
        ids = malloc((size_t)T * sizeof *ids);
        mask = calloc((size_t)T, 1);
        tokens = calloc((size_t)T, sizeof *tokens);
        if (!ids || !mask || !tokens) {
            free(ids); free(mask); free(tokens);
            tok_input_free(&in);
            return bt_fail(err, "out of memory for a sentence of %d tokens", T);
        }
        memcpy(ids, in.ids, (size_t)T * sizeof *ids);
        sw->old_T = s->in.n;
        sw->new_T = T;
        if (!carry_mask(s, m, same, &in, ids, mask)) {
            memcpy(ids, in.ids, (size_t)T * sizeof *ids);
            memset(mask, 0, (size_t)T);
            sw->mask_dropped = 1;
        }
    }

    /* Swap everything in, and back if the forward pass fails. */
    Session old = *s;
    s->model = *m;
    s->have_trace = 0;
    memset(&s->tr, 0, sizeof s->tr);
    if (s->text) {
        s->in = in;
        s->ids = ids;
        s->mask = mask;
        s->tokens = tokens;
        if (session_run(s, err) != 0) {
            if (s->have_trace) trace_free(&s->tr);
            tok_input_free(&in);
            free(ids); free(mask); free(tokens);
            s->model = old.model;
            s->in = old.in; s->ids = old.ids; s->mask = old.mask; s->tokens = old.tokens;
            s->tr = old.tr; s->have_trace = old.have_trace;
            return -1;
        }
        tok_input_free(&old.in);
        free(old.ids); free(old.mask); free(old.tokens);
    }
    if (old.have_trace) trace_free(&old.tr);
    int L = s->model.cfg.num_layers, nh = s->model.cfg.num_heads;
    if (s->pos.layer >= L) s->pos.layer = L - 1;
    if (s->pos.head >= nh) s->pos.head = nh - 1;
    /* What was built from the old weights goes before they do. */
    vectors_model_changed(s);
    if (!old.model_borrowed) model_free(&old.model);
    s->model_borrowed = 0;
    s->vs.model_gen++;   /* the window's caches of the old weights are stale */
    memset(m, 0, sizeof *m);
    return 0;
}

void session_sync_viz(Session *s) {
    if (!s->viz) return;
    s->vs.model = &s->model;
    s->vs.trace = s->have_trace ? &s->tr : NULL;
    s->vs.tokens = s->have_trace ? (const char *const *)s->tokens : NULL;
    s->vs.pos = s->pos;
    /* The last comparison's second sentence is the second one of the
     * embedding view (which then draws its first sentence too: frame.c). */
    s->vs.compare = vectors_last_compare(s);
    s->vs.trace2 = s->vs.compare ? &s->vs.compare->s[1].tr : NULL;
    s->vs.tokens2 = s->vs.compare ? (const char *const *)s->vs.compare->s[1].tokens : NULL;
    if (s->vs.top_k <= 0) s->vs.top_k = 5;
    /* Read again on every move: a run that is still training grows
     * between looks, and the logs are small. Read here, so that the
     * window only draws. */
    runlog_free(&s->run);
    runlog_read(&s->run, s->model.dir);
    s->vs.run = &s->run;
    viz_set_state(s->viz, &s->vs);
}

void session_init_borrowed(Session *s, const BertModel *model, FILE *out) {
    memset(s, 0, sizeof *s);
    s->model = *model;
    s->model_borrowed = 1;
    s->out = out;
    s->set.precision = 3;
    s->set.plain = 1;
    s->set.width = 100;
    s->set.seed = 42;
    s->rng = s->set.seed;
}

void session_free(Session *s) {
    if (s->have_trace) trace_free(&s->tr);
    if (s->text) tok_input_free(&s->in);
    free(s->ids);
    free(s->mask);
    free(s->tokens);
    free(s->text);
    free(s->rejected);
    vectors_state_free(s->vec);
    lesson_state_free(s);
    runlog_free(&s->run);
    if (!s->model_borrowed) model_free(&s->model);
    memset(s, 0, sizeof *s);
}
