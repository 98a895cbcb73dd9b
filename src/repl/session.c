#include "bertology/i18n.h"
#include "session.h"
#include <stdlib.h>
#include <string.h>
#include "bertology/forward.h"
#include "cmd_vectors.h"
#include "commands.h"

int session_T(const Session *s) { return pass_T(&s->pass); }

int session_need_sentence(const Session *s, BtError *err) {
    if (pass_has_trace(&s->pass)) return 0;
    return bt_fail(err, "no sentence yet: type one, e.g. the cat sat on the mat");
}

/* The switches in force, as the Pass takes them. Encoding always allows
 * truncation, so that a refusal can say exactly how long the sentence is;
 * the truncate setting then decides (too_long). */
static PassOptions pass_options(const Session *s) {
    PassOptions o = {.causal = s->set.causal, .unscaled = s->set.unscaled, .mlm = 1, .truncate = 1,
                     .ablate = s->set.ablate};
    return o;
}

PassOptions session_pass_options(const Session *s) { return pass_options(s); }

/* The knock-outs that fit model m: a model with fewer layers or heads
 * (a checkpoint of another size) drops the others. */
static Ablation ablation_for(const Ablation *a, const BertModel *m) {
    Ablation kept = {0};
    for (int i = 0; i < a->n; i++) {
        const Knockout *k = &a->ko[i];
        if (k->layer < m->cfg.num_layers && (k->kind == KO_FFN || k->head < m->cfg.num_heads))
            kept.ko[kept.n++] = *k;
    }
    return kept;
}

static int too_long(const Session *s, const Pass *p) { return p->in.n_full > p->in.n && !s->set.truncate; }

int session_run(Session *s, BtError *err) {
    PassOptions o = pass_options(s);
    return pass_rerun(&s->pass, &o, err);
}

/* The sentence's new Pass and masking replace the old ones, which are freed. */
static void take_sentence(Session *s, Pass *p, unsigned char *mask) {
    pass_free(&s->pass);
    free(s->mask);
    s->pass = *p;
    s->pass.model = &s->model;
    s->mask = mask;
}

int session_set_sentence(Session *s, const char *text, BtError *err) {
    if (!s->model.tok) return bt_fail(err, "this model has no vocab.txt, so it cannot read text");
    PassOptions o = pass_options(s);
    Pass p;
    if (pass_encode(&p, &s->model, text, &o, err) != 0) return -1;
    if (too_long(s, &p)) {
        int n_full = p.in.n_full;
        pass_free(&p);
        free(s->rejected);
        s->rejected = strdup(text);
        return bt_fail(err,
                       ngettext("the sentence is %d token and this model takes at most %d; "
                                "`set truncate on` cuts it (the longer segment first) and analyses it",
                                "the sentence is %d tokens and this model takes at most %d; "
                                "`set truncate on` cuts it (the longer segment first) and analyses it",
                                n_full),
                       n_full, s->model.cfg.max_position);
    }
    /* Built beside the old sentence and swapped in once the forward pass
     * has worked, so that a failure leaves the session as it was. */
    unsigned char *mask = calloc((size_t)pass_T(&p), 1);
    if (!mask) {
        int T = pass_T(&p);
        pass_free(&p);
        return bt_fail(err, "out of memory for a sentence of %d tokens", T);
    }
    if (pass_rerun(&p, NULL, err) != 0) {
        pass_free(&p);
        free(mask);
        return -1;
    }
    take_sentence(s, &p, mask);
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
    const Pass *old = &s->pass;
    int T = in->n, any = 0;
    for (int t = 0; t < old->in.n; t++) any |= s->mask[t];
    if (!any) return 1;
    if (T != old->in.n) return 0;
    if (same) {
        memcpy(ids, old->ids, (size_t)T * sizeof *ids);
        memcpy(mask, s->mask, (size_t)T);
        return 1;
    }
    const Tokenizer *ot = s->model.tok, *nt = m->tok;
    for (int t = 0; t < T; t++) {
        const char *a = tok_token(ot, old->in.ids[t]), *b = tok_token(nt, in->ids[t]);
        if (!a || !b || strcmp(a, b) != 0) return 0;
    }
    int mask_id = tok_mask_id(nt);
    for (int t = 0; t < T; t++) {
        if (s->mask[t] == MASK_MASKED) {
            if (mask_id < 0) return 0;
            ids[t] = mask_id;
        } else if (s->mask[t] == MASK_RANDOM) {
            const char *w = tok_token(ot, old->ids[t]);
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
    Pass p;
    memset(&p, 0, sizeof p);
    unsigned char *mask = NULL;
    if (s->pass.text) {
        /* Encoded again even with the same vocabulary: the new model may
         * read fewer positions. */
        if (!m->tok) return bt_fail(err, "this model has no vocab.txt, so it cannot read the sentence");
        PassOptions o = pass_options(s);
        o.ablate = ablation_for(&s->set.ablate, m);
        if (pass_encode(&p, m, s->pass.text, &o, err) != 0) return -1;
        if (too_long(s, &p)) {
            int n_full = p.in.n_full;
            pass_free(&p);
            return bt_fail(err,
                           ngettext("the sentence is %d token and this model takes at most %d; `set truncate on` cuts it",
                                    "the sentence is %d tokens and this model takes at most %d; `set truncate on` cuts it",
                                    n_full),
                           n_full, m->cfg.max_position);
        }
        int T = pass_T(&p);
        if (!(mask = calloc((size_t)T, 1))) {
            pass_free(&p);
            return bt_fail(err, "out of memory for a sentence of %d tokens", T);
        }
        sw->old_T = session_T(s);
        sw->new_T = T;
        if (!carry_mask(s, m, same, &p.in, p.ids, mask)) {
            memcpy(p.ids, p.in.ids, (size_t)T * sizeof *p.ids);
            memset(mask, 0, (size_t)T);
            sw->mask_dropped = 1;
        }
        /* Run on the new model before anything is swapped, so that a
         * failure leaves the session as it was. */
        if (pass_rerun(&p, NULL, err) != 0) {
            pass_free(&p);
            free(mask);
            return -1;
        }
    }

    BertModel old_model = s->model;
    int old_borrowed = s->model_borrowed;
    sw->ablate_dropped = s->set.ablate.n;
    s->set.ablate = ablation_for(&s->set.ablate, m);
    sw->ablate_dropped -= s->set.ablate.n;
    s->model = *m;
    if (p.text) take_sentence(s, &p, mask);
    else pass_free(&s->pass);   /* no sentence: at most a trace that failed to run */
    int L = s->model.cfg.num_layers, nh = s->model.cfg.num_heads;
    if (s->pos.layer >= L) s->pos.layer = L - 1;
    if (s->pos.head >= nh) s->pos.head = nh - 1;
    /* What was built from the old weights goes before they do. */
    vectors_model_changed(s);
    scan_forget(s);
    saliency_forget(s);
    lens_forget(s);
    whatif_forget(s);
    if (!old_borrowed) model_free(&old_model);
    s->model_borrowed = 0;
    s->vs.model_gen++;   /* the window's caches of the old weights are stale */
    memset(m, 0, sizeof *m);
    return 0;
}

/* s->vs without the run's logs. */
static void fill_view_state(Session *s) {
    s->vs.model = &s->model;
    int have = pass_has_trace(&s->pass);
    s->vs.trace = have ? &s->pass.tr : NULL;
    s->vs.tokens = have ? (const char *const *)s->pass.tokens : NULL;
    s->vs.pos = s->pos;
    /* The last comparison's second sentence is the second one of the
     * embedding view (which then draws its first sentence too: frame.c). */
    s->vs.compare = vectors_last_compare(s);
    s->vs.trace2 = s->vs.compare ? &s->vs.compare->s[1].pass.tr : NULL;
    s->vs.tokens2 = s->vs.compare ? (const char *const *)s->vs.compare->s[1].pass.tokens : NULL;
    s->vs.scan = s->scan;
    s->vs.saliency = s->saliency;
    s->vs.lens = s->lens;
    s->vs.whatif = s->whatif;
    if (s->vs.top_k <= 0) s->vs.top_k = 5;
    /* A census of a file is shown until the weights change (`checkpoint`). */
    int census_ok = s->census && s->census_model_gen == s->vs.model_gen;
    s->vs.census = census_ok ? s->census : NULL;
    s->vs.census_source = census_ok ? s->census_source : NULL;
    s->vs_gen++;
}

void session_view_state(Session *s) {
    fill_view_state(s);
    /* Read again on every move: a run that is still training grows
     * between looks, and the logs are small. Read here, so that the
     * window only draws. */
    runlog_free(&s->run);
    runlog_read(&s->run, s->model.dir);
    s->vs.run = &s->run;
}

void session_sync_viz(Session *s) {
    /* Without a window only what is cheap: the state and which view a
     * window would follow, for `export`. */
    if (!s->viz) {
        fill_view_state(s);
        view_follow_update(&s->follow, &s->vs);
        return;
    }
    session_view_state(s);
    view_follow_update(&s->follow, &s->vs);
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
    scan_forget(s);
    saliency_forget(s);
    lens_forget(s);
    whatif_forget(s);
    pass_free(&s->pass);
    free(s->mask);
    free(s->rejected);
    vectors_state_free(s->vec);
    lesson_state_free(s);
    census_state_free(s);
    runlog_free(&s->run);
    if (!s->model_borrowed) model_free(&s->model);
    memset(s, 0, sizeof *s);
}
