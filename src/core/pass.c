/* One sentence through the model (bertology/pass.h). */
#include "bertology/pass.h"
#include <stdlib.h>
#include <string.h>
#include "bertology/forward.h"

int pass_T(const Pass *p) { return p->text ? p->in.n : 0; }

int pass_has_trace(const Pass *p) { return p->tr.arena != NULL; }

void pass_free(Pass *p) {
    if (p->tr.arena) trace_free(&p->tr);
    tok_input_free(&p->in);
    free(p->ids);
    free(p->tokens);
    free(p->text);
    memset(p, 0, sizeof *p);
}

int pass_word_span(const Pass *p, int w, int *first) {
    int n = 0;
    *first = -1;
    for (int t = 0; t < p->in.n; t++)
        if (p->in.word[t] == w) {
            if (*first < 0) *first = t;
            n++;
        }
    return n;
}

const float *pass_point(const Pass *p, int point) {
    return point == 0 ? p->tr.emb : p->tr.layers[point - 1].out;
}

static void name_tokens(Pass *p) {
    for (int t = 0; t < p->in.n; t++) p->tokens[t] = tok_token(p->model->tok, p->ids[t]);
}

int pass_encode(Pass *p, const BertModel *m, const char *text, const PassOptions *opt, BtError *err) {
    memset(p, 0, sizeof *p);
    p->model = m;
    if (opt) p->opt = *opt;
    if (!m->tok) return bt_fail(err, "this model has no vocab.txt, so it cannot read text");
    if (tok_encode(m->tok, text, m->cfg.max_position, p->opt.truncate, &p->in, err) != 0) {
        memset(p, 0, sizeof *p);
        return -1;
    }
    int T = p->in.n;
    p->text = strdup(text);
    p->ids = malloc((size_t)T * sizeof *p->ids);
    p->tokens = calloc((size_t)T, sizeof *p->tokens);
    if (!p->text || !p->ids || !p->tokens) {
        pass_free(p);
        return bt_fail(err, "out of memory for a sentence of %d tokens", T);
    }
    memcpy(p->ids, p->in.ids, (size_t)T * sizeof *p->ids);
    name_tokens(p);
    return 0;
}

int pass_rerun(Pass *p, const PassOptions *opt, BtError *err) {
    if (opt) p->opt = *opt;
    int T = p->in.n, mlm_cap = p->opt.mlm ? T : 0;
    if (p->tr.arena && p->tr.mlm_cap != mlm_cap) trace_free(&p->tr);
    if (!p->tr.arena) {
        memset(&p->tr, 0, sizeof p->tr);
        if (trace_alloc(&p->tr, p->model, 1, T, mlm_cap, 0, err) != 0) {
            memset(&p->tr, 0, sizeof p->tr);
            return -1;
        }
    }
    if (forward_prepare(&p->tr, p->ids, p->in.type_ids, T, err) != 0) return -1;
    p->tr.causal = p->opt.causal;
    p->tr.unscaled = p->opt.unscaled;
    p->tr.ablate = p->opt.ablate;
    forward(p->model, &p->tr, NULL);
    name_tokens(p);
    return 0;
}

int pass_run(Pass *p, const BertModel *m, const char *text, const PassOptions *opt, BtError *err) {
    if (pass_encode(p, m, text, opt, err) != 0) return -1;
    if (pass_rerun(p, NULL, err) != 0) {
        pass_free(p);
        return -1;
    }
    return 0;
}

int pass_copy(Pass *dst, const Pass *src, const PassOptions *opt, BtError *err) {
    memset(dst, 0, sizeof *dst);
    if (!src->text) return bt_fail(err, "internal: pass_copy of a Pass without a sentence");
    /* Encoded as src was (same model, same truncation), so the same tokens. */
    if (pass_encode(dst, src->model, src->text, &src->opt, err) != 0) return -1;
    if (dst->in.n != src->in.n) {
        pass_free(dst);
        return bt_fail(err, "internal: the sentence encodes to %d tokens, not %d", dst->in.n, src->in.n);
    }
    memcpy(dst->ids, src->ids, (size_t)src->in.n * sizeof *dst->ids);
    if (pass_rerun(dst, opt, err) != 0) {
        pass_free(dst);
        return -1;
    }
    return 0;
}
