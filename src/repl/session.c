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
    viz_set_state(s->viz, &s->vs);
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
    model_free(&s->model);
    memset(s, 0, sizeof *s);
}
