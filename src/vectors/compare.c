/* The "bank" demonstration: the same word in two sentences, static against
 * contextual. */
#include "bertology/vec_compare.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"

const float *vec_compare_point(const VecSentence *s, int point) {
    return pass_point(&s->pass, point);
}

void vec_compare_free(VecCompare *c) {
    for (int i = 0; i < 2; i++) pass_free(&c->s[i].pass);
    free(c->word_cos);
    memset(c, 0, sizeof *c);
}

/* The basic words of a text, lower-cased as the tokenizer does. */
static int words_of(const BertModel *m, const char *text, TokWords *l, BtError *err) {
    return tok_words(text, tok_do_lower_case(m->tok), l, err);
}

static const char *excerpt(const char *s, char *buf, size_t n) {
    size_t len = strlen(s);
    if (len <= 60) snprintf(buf, n, "%s", s);
    else snprintf(buf, n, "%.57s…", s);
    return buf;
}

/* Encodes sentence i, runs the model, and finds the word in it. */
static int run_sentence(VecCompare *c, int i, const BertModel *m, const char *word, const char *text,
                        const PassOptions *opt, BtError *err) {
    VecSentence *s = &c->s[i];
    char ex[80];
    if (strstr(text, "|||"))
        return bt_fail(err, "sentence %d contains |||: compare takes two single sentences", i + 1);
    /* Cut only to say how long it is: compare refuses a cut sentence. */
    PassOptions o = {.causal = opt ? opt->causal : 0, .unscaled = opt ? opt->unscaled : 0, .truncate = 1};
    BtError e2;
    if (pass_encode(&s->pass, m, text, &o, &e2) != 0) return bt_fail(err, "sentence %d: %s", i + 1, e2.msg);
    const TokInput *in = &s->pass.in;
    if (in->n_full > in->n)
        return bt_fail(err, "sentence %d is %d tokens; this model reads at most %d", i + 1, in->n_full,
                       m->cfg.max_position);
    TokWords l;
    if (words_of(m, text, &l, err) != 0) return -1;
    int at = -1;
    s->occurrences = 0;
    for (int k = 0; k < l.n; k++)
        if (strcmp(l.w[k], word) == 0 && s->occurrences++ == 0) at = k;
    s->words = l.n;
    if (at < 0) {
        int nw = l.n;
        char list[240] = "";
        size_t n = 0;
        for (int k = 0; k < l.n && n < sizeof list; k++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? " " : "", l.w[k]);
        if (n >= sizeof list) strcpy(list + sizeof list - 4, "…");
        tok_words_free(&l);
        return bt_fail(err, "'%s' does not occur in sentence %d (\"%s\"); its words: %s", word, i + 1,
                       excerpt(text, ex, sizeof ex), nw ? list : _("none"));
    }
    tok_words_free(&l);
    s->n_pieces = pass_word_span(&s->pass, at, &s->first);
    if (s->first < 0) return bt_fail(err, "internal: word %d of sentence %d has no tokens", at, i + 1);
    return pass_rerun(&s->pass, NULL, err);
}

/* Mean static vector of the sentence's words that the set has; 0 if none. */
static int static_mean(const VecSet *vs, const BertModel *m, VecSentence *s, float *out, float *tmp, BtError *err) {
    TokWords l;
    if (words_of(m, s->pass.text, &l, err) != 0) return -1;
    int dim = vecset_dim(vs);
    memset(out, 0, (size_t)dim * sizeof *out);
    s->static_found = 0;
    for (int k = 0; k < l.n; k++) {
        VecWord info;
        BtError ignore;
        if (vecset_word_vector(vs, l.w[k], tmp, &info, &ignore) != 0) continue;
        for (int d = 0; d < dim; d++) out[d] += tmp[d];
        s->static_found++;
    }
    tok_words_free(&l);
    for (int d = 0; d < dim && s->static_found; d++) out[d] /= (float)s->static_found;
    return 0;
}

int vec_compare(VecCompare *c, const BertModel *m, const VecSet *vs, const char *word, const char *sentence_a,
                const char *sentence_b, const PassOptions *opt, BtError *err) {
    memset(c, 0, sizeof *c);
    if (!m->tok) return bt_fail(err, "this model has no vocabulary, so it cannot read sentences");
    TokWords wl;
    if (words_of(m, word, &wl, err) != 0) return -1;
    if (wl.n != 1) {
        int n = wl.n;
        tok_words_free(&wl);
        return bt_fail(err, "'%.60s' is %s for the tokenizer; compare takes one word", word, n ? _("several words") : _("no word"));
    }
    snprintf(c->word, sizeof c->word, "%s", wl.w[0]);
    tok_words_free(&wl);
    snprintf(c->set_name, sizeof c->set_name, "%s", vecset_name(vs));
    snprintf(c->set_desc, sizeof c->set_desc, "%s", vecset_desc(vs));

    int dim = vecset_dim(vs), H = m->cfg.hidden_size;
    int big = dim > H ? dim : H;
    float *buf = malloc((size_t)big * 4 * sizeof *buf);
    if (!buf) return bt_fail(err, "out of memory");
    float *a = buf, *b = buf + big, *ma = buf + 2 * big, *mb = buf + 3 * big;
    int rc = -1;
    /* The static lookups come first: a word missing there needs no model run. */
    VecWord again;
    if (vecset_word_vector(vs, word, a, &c->static_word, err) != 0 || vecset_word_vector(vs, word, b, &again, err) != 0) {
        c->not_in_set = 1;
        goto done;
    }
    c->static_word_cos = vec_cosine(a, b, dim);
    if (run_sentence(c, 0, m, c->word, sentence_a, opt, err) != 0 ||
        run_sentence(c, 1, m, c->word, sentence_b, opt, err) != 0)
        goto done;
    if (static_mean(vs, m, &c->s[0], ma, a, err) != 0 || static_mean(vs, m, &c->s[1], mb, a, err) != 0) goto done;
    c->static_mean_cos = c->s[0].static_found && c->s[1].static_found ? vec_cosine(ma, mb, dim) : NAN;

    c->n_points = m->cfg.num_layers + 1;
    if (!(c->word_cos = malloc((size_t)c->n_points * 3 * sizeof *c->word_cos))) {
        bt_fail(err, "out of memory");
        goto done;
    }
    c->mean_cos = c->word_cos + c->n_points;
    c->cls_cos = c->word_cos + 2 * c->n_points;
    for (int p = 0; p < c->n_points; p++) {
        const float *xa = vec_compare_point(&c->s[0], p), *xb = vec_compare_point(&c->s[1], p);
        const VecSentence *A = &c->s[0], *B = &c->s[1];
        mean_rows(xa, H, A->first, A->first + A->n_pieces, a);
        mean_rows(xb, H, B->first, B->first + B->n_pieces, b);
        c->word_cos[p] = vec_cosine(a, b, H);
        mean_rows(xa, H, 1, pass_T(&A->pass) - 1, a);
        mean_rows(xb, H, 1, pass_T(&B->pass) - 1, b);
        c->mean_cos[p] = vec_cosine(a, b, H);
        c->cls_cos[p] = vec_cosine(xa, xb, H);
    }
    rc = 0;
done:
    free(buf);
    return rc;
}
