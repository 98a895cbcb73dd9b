/* One sentence through the model (core/pass.c): a rerun with the same
 * options gives the very same trace, the causal switch reaches the
 * attention, and a failed run leaves the Pass it was to replace as it
 * was: for a Pass, and for the REPL session's sentence and model swap. */
#include "bertology/pass.h"
#include "repl/dispatch.h"
#include "repl/session.h"
#include "testmodel.h"
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 8, L = 2, NH = 2, MAXPOS = 16 };

/* Every float array of the trace, one after another (the trace's table). */
static float *snapshot(const Trace *tr, size_t *n) {
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        float *out = pass ? malloc(total * sizeof *out) : NULL;
        size_t at = 0;
        for (int i = 0; i < trace_array_count(); i++) {
            const TraceArray *a = trace_array_at(i);
            for (int l = 0; l < (a->per_layer ? tr->L : 1); l++) {
                const float *x = trace_floats(tr, a, l);
                int64_t d[3];
                int nd = trace_dims(tr, a, d);
                size_t k = 1;
                for (int j = 0; j < nd; j++) k *= (size_t)d[j];
                if (!x) continue;
                if (out) memcpy(out + at, x, k * sizeof *x);
                at += k;
            }
        }
        if (!pass) total = at;
        else { *n = total; return out; }
    }
    return NULL;
}

static void test_rerun(const BertModel *m) {
    BtError err = {{0}};
    Pass p;
    PassOptions plain = {.mlm = 1};
    CHECKF(pass_run(&p, m, "the cat sat on the mat", &plain, &err) == 0, "%s", err.msg);
    CHECK(pass_has_trace(&p) && pass_T(&p) == 8);
    CHECK(strcmp(p.tokens[0], "[CLS]") == 0 && strcmp(p.tokens[2], "cat") == 0 && strcmp(p.tokens[7], "[SEP]") == 0);
    CHECK(p.tr.mlm_logits != NULL);
    size_t n0 = 0, n1 = 0;
    float *first = snapshot(&p.tr, &n0);
    void *arena = p.tr.arena;

    /* the same options again: the same trace, bit for bit, in the same memory */
    CHECKF(pass_rerun(&p, NULL, &err) == 0, "%s", err.msg);
    float *again = snapshot(&p.tr, &n1);
    CHECK(n0 == n1 && n0 > 0 && memcmp(first, again, n0 * sizeof *first) == 0);
    CHECK(p.tr.arena == arena);
    free(again);

    /* causal: row 0 attends only to itself, in every layer and head */
    PassOptions causal = plain;
    causal.causal = 1;
    CHECKF(pass_rerun(&p, &causal, &err) == 0, "%s", err.msg);
    CHECK(p.opt.causal == 1 && p.tr.causal == 1);
    int T = pass_T(&p);
    for (int l = 0; l < L; l++)
        for (int h = 0; h < NH; h++) {
            const float *row0 = p.tr.layers[l].attn + (size_t)h * T * T;
            CHECK(row0[0] == 1.0f);
            for (int k = 1; k < T; k++) CHECK(row0[k] == 0.0f);
        }
    float *masked = snapshot(&p.tr, &n1);
    CHECK(n0 == n1 && memcmp(first, masked, n0 * sizeof *first) != 0);
    free(masked);

    /* and back: the plain trace again */
    CHECKF(pass_rerun(&p, &plain, &err) == 0, "%s", err.msg);
    again = snapshot(&p.tr, &n1);
    CHECK(n0 == n1 && memcmp(first, again, n0 * sizeof *first) == 0);
    CHECK(p.tr.layers[0].attn[1] != 0.0f);   /* without the mask row 0 sees the others */
    free(again);
    free(first);
    pass_free(&p);
    pass_free(&p);   /* harmless twice */
}

static void test_refusals(const BertModel *m) {
    BtError err = {{0}};
    Pass p;
    /* invalid UTF-8, and a text longer than the model reads */
    CHECK(pass_run(&p, m, "the \xff cat", NULL, &err) != 0);
    CHECK(!pass_has_trace(&p) && pass_T(&p) == 0 && p.text == NULL);
    pass_free(&p);
    const char *lng = "the cat sat on the mat the cat sat on the mat the cat sat on the mat";
    CHECK(pass_run(&p, m, lng, NULL, &err) != 0);
    CHECKF(strstr(err.msg, "the model's limit is 16") != NULL, "%s", err.msg);
    CHECK(!pass_has_trace(&p) && p.text == NULL);
    PassOptions cut = {.truncate = 1};
    CHECKF(pass_run(&p, m, lng, &cut, &err) == 0, "%s", err.msg);
    CHECK(pass_T(&p) == MAXPOS && p.in.n_full == 20 && p.tr.mlm_logits == NULL);
    pass_free(&p);
}

/* The session builds a new Pass beside the old and swaps only on success. */
static void test_session(BertModel *m) {
    Session s;
    memset(&s, 0, sizeof s);
    s.model = *m;
    s.model_borrowed = 1;
    s.out = stdout;
    BtError err = {{0}};
    CHECKF(session_set_sentence(&s, "the cat sat", &err) == 0, "%s", err.msg);
    size_t n0 = 0, n1 = 0;
    float *before = snapshot(&s.pass.tr, &n0);
    Pass kept = s.pass;

    CHECK(session_set_sentence(&s, "the \xff cat", &err) != 0);
    CHECK(session_set_sentence(&s, "the cat sat on the mat the cat sat on the mat the cat sat on the mat", &err) != 0);
    CHECK(s.rejected != NULL);
    CHECK(memcmp(&kept, &s.pass, sizeof kept) == 0 && strcmp(s.pass.text, "the cat sat") == 0);
    float *after = snapshot(&s.pass.tr, &n1);
    CHECK(n0 == n1 && memcmp(before, after, n0 * sizeof *before) == 0);
    free(after);

    /* a model that cannot read the sentence: nothing changes, the caller keeps it */
    BertModel other = *m;
    other.tok = NULL;
    ModelSwap sw;
    CHECK(session_swap_model(&s, &other, &sw, &err) != 0);
    CHECKF(strstr(err.msg, "no vocab.txt") != NULL, "%s", err.msg);
    CHECK(memcmp(&kept, &s.pass, sizeof kept) == 0 && s.model.tok == m->tok && other.word_emb == m->word_emb);

    /* the causal switch through the session reruns the same Pass */
    s.set.causal = 1;
    CHECKF(session_run(&s, &err) == 0, "%s", err.msg);
    CHECK(s.pass.tr.arena == kept.tr.arena && s.pass.tr.layers[1].attn[1] == 0.0f);
    free(before);
    session_free(&s);
}

/* `lens` keeps its first position's result for the window (view L), which
 * follows it; a new model drops it, and the window its stage again. */
static void test_session_lens(BertModel *m) {
    Session s;
    memset(&s, 0, sizeof s);
    s.model = *m;
    s.model_borrowed = 1;
    s.out = fopen("/dev/null", "w");
    BtError err = {{0}};
    CHECKF(session_set_sentence(&s, "the cat sat on the [MASK]", &err) == 0, "%s", err.msg);
    CHECK(dispatch_line(&s, "lens", "t") == 0);
    CHECK(s.lens && s.vs.instrument == VIZ_LENS && s.vs.instrument_gen == 1);
    if (s.lens) {
        CHECK(s.lens->pos == 6 && s.lens->answer && s.lens->word == s.lens->top[L * s.lens->k].id);
        CHECK(s.lens->rank[L] == 1 && s.lens->pos_id == 4 && strcmp(s.lens->text, s.pass.text) == 0);
    }
    CHECK(dispatch_line(&s, "lens 2 mat 3", "t") == 0);
    CHECK(s.lens && s.vs.instrument_gen == 2 && s.lens->pos == 2 && !s.lens->answer && s.lens->k == 3);
    /* a failed lens keeps the last one */
    CHECK(dispatch_line(&s, "lens 40", "t") != 0);
    CHECK(s.lens && s.lens->pos == 2 && s.vs.instrument_gen == 2);
    BertModel again = *m;
    ModelSwap sw;
    CHECKF(session_swap_model(&s, &again, &sw, &err) == 0, "%s", err.msg);
    s.model_borrowed = 1;   /* the same weights as m, which main frees */
    CHECK(s.lens == NULL && s.vs.lens == NULL && s.vs.instrument == VIZ_FOLLOW);
    fclose(s.out);
    session_free(&s);
}

int main(void) {
    BertModel m;
    BertConfig cfg = {V, H, L, NH, 16, MAXPOS, 2, 1e-12f, POS_ABSOLUTE};
    if (test_random_model(&m, &cfg, VOCAB, V)) { CHECK(0); return test_done("pass"); }
    test_rerun(&m);
    test_refusals(&m);
    test_session(&m);
    test_session_lens(&m);
    model_free(&m);
    return test_done("pass");
}
