/* The trainer's parts one by one, against hand computations: the
 * learning-rate schedule, gradient clipping, one AdamW step, the
 * pretraining examples (BERT's layout, the 50/50 NSP pairs, the 15% and
 * 80/10/10 masking), and eval's counting at [MASK] positions and of the
 * frequency baseline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/adamw.h"
#include "bertology/corpus.h"
#include "bertology/eval.h"
#include "bertology/vocab_builder.h"
#include "testmodel.h"
#include "testutil.h"

static void test_schedule(void) {
    /* warm-up: step s (0-based) runs at peak·(s+1)/warmup, so the last
     * warm-up step reaches the peak; then linear to 0 at total */
    CHECK(fabsf(lr_schedule(0, 10, 110, 1e-3f) - 1e-4f) < 1e-9f);
    CHECK(fabsf(lr_schedule(9, 10, 110, 1e-3f) - 1e-3f) < 1e-9f);
    CHECK(fabsf(lr_schedule(10, 10, 110, 1e-3f) - 1e-3f) < 1e-9f);
    CHECK(fabsf(lr_schedule(60, 10, 110, 1e-3f) - 5e-4f) < 1e-9f);
    CHECK(fabsf(lr_schedule(109, 10, 110, 1e-3f) - 1e-5f) < 1e-9f);
    CHECK(lr_schedule(110, 10, 110, 1e-3f) == 0.0f);
    CHECK(lr_schedule(500, 10, 110, 1e-3f) == 0.0f);
    CHECK(fabsf(lr_schedule(0, 0, 100, 1e-3f) - 1e-3f) < 1e-9f);
    /* a stretched schedule (how the default model was resumed): the rate
     * at the resume step is what the longer schedule gives there */
    CHECK(fabsf(lr_schedule(22000, 900, 38000, 1e-3f) - 1e-3f * 16000.0f / 37100.0f) < 1e-8f);
}

static void test_clip(void) {
    float g[2] = {3, 4};
    CHECK(fabsf(clip_grad_norm(g, 2, 1.0f) - 5.0f) < 1e-6f);
    CHECKF(fabsf(g[0] - 0.6f) < 1e-5f && fabsf(g[1] - 0.8f) < 1e-5f, "%g %g", g[0], g[1]);
    float h[2] = {0.3f, 0.4f};
    CHECK(fabsf(clip_grad_norm(h, 2, 1.0f) - 0.5f) < 1e-6f);
    CHECK(h[0] == 0.3f && h[1] == 0.4f);   /* under the limit: untouched */
    float k[2] = {30, 40};
    CHECK(fabsf(clip_grad_norm(k, 2, 0.0f) - 50.0f) < 1e-4f && k[0] == 30 && k[1] == 40);   /* 0: off */
}

/* AdamW, two steps on a real parameter layout, against the update
 * written out: bias-corrected moments, decoupled decay on weights only. */
static void test_adamw(void) {
    BertConfig cfg = {.vocab_size = 8, .hidden_size = 4, .num_layers = 1, .num_heads = 1, .intermediate_size = 8,
                      .max_position = 8, .type_vocab_size = 2, .layer_norm_eps = 1e-12f, .pos_type = POS_SINUSOIDAL};
    const char *vocab[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c"};
    BertModel m;
    if (test_random_model(&m, &cfg, vocab, 8)) { CHECK(0); return; }
    AdamW o;
    CHECK(adamw_init(&o, &m, 0.9f, 0.999f, 1e-6f, 0.01f) == 0);
    size_t n = m.n_params;
    float *p0 = malloc(sizeof(float) * n), *g = malloc(sizeof(float) * n);
    memcpy(p0, m.params, sizeof(float) * n);
    /* the word embeddings decay, the embedding LayerNorm's gain does not */
    size_t w = (size_t)(m.word_emb - m.params), ln = (size_t)(m.emb_ln_g - m.params);
    CHECK(o.decay[w] == 1 && o.decay[ln] == 0);
    double mw = 0, vw = 0, ml = 0, vl = 0, pw = p0[w], pl = p0[ln];
    for (int t = 1; t <= 2; t++) {
        for (size_t i = 0; i < n; i++) g[i] = 0.1f * (float)t * (i % 2 ? -1.0f : 1.0f);
        adamw_step(&o, m.params, g, 1e-2f);
        double gw = g[w], gl = g[ln];
        mw = 0.9 * mw + 0.1 * gw; vw = 0.999 * vw + 0.001 * gw * gw;
        ml = 0.9 * ml + 0.1 * gl; vl = 0.999 * vl + 0.001 * gl * gl;
        double b1 = 1 - pow(0.9, t), b2 = 1 - pow(0.999, t);
        pw -= 1e-2 * ((mw / b1) / (sqrt(vw / b2) + 1e-6) + 0.01 * pw);
        pl -= 1e-2 * ((ml / b1) / (sqrt(vl / b2) + 1e-6));
    }
    CHECKF(fabs(m.params[w] - pw) < 1e-6, "weight %g want %g", m.params[w], pw);
    CHECKF(fabs(m.params[ln] - pl) < 1e-6, "LayerNorm gain %g want %g", m.params[ln], pl);
    free(p0);
    free(g);
    adamw_free(&o);
    model_free(&m);
}

/* 40 documents, each written in its own word ("w7 w7 w7 ."), so the
 * document a piece came from is readable from the piece itself. */
static const char *doc_word(int d) {
    static const char *w[] = {"apple", "brick", "cloud", "dance", "eagle", "flame", "grape", "house", "island", "jewel",
                              "knife", "lemon", "mango", "night", "ocean", "piano", "queen", "river", "stone", "tiger",
                              "uncle", "voice", "water", "youth", "zebra", "angel", "beach", "chair", "dream", "earth",
                              "field", "ghost", "heart", "image", "juice", "kite", "light", "money", "noise", "olive"};
    return w[d];
}

static int write_docs(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    for (int d = 0; d < 40; d++) {
        for (int s = 0; s < 2 + d % 4; s++) {
            for (int k = 0; k < 3 + (d + s) % 5; k++) fprintf(f, "%s ", doc_word(d));
            fprintf(f, ".\n");
        }
        fprintf(f, "\n");
    }
    return fclose(f);
}

static void test_instances(Corpus *c, const Tokenizer *tok) {
    InstanceSpec spec;
    BtError err;
    CHECK(instance_spec_init(&spec, tok, 32, 0.15f, &err) == 0);
    CHECK(spec.mask.first_normal_id == 5 && spec.mask.vocab_size == tok_vocab_size(tok));
    Instance in;
    CHECK(instance_alloc(&in, 32) == 0);
    uint64_t rng = 99;
    int dot = tok_id(tok, ".");
    long next = 0, eligible = 0, chosen = 0, masked = 0, random = 0, kept = 0, layout_bad = 0, pair_bad = 0;
    enum { N = 4000 };
    for (int i = 0; i < N; i++) {
        instance_sample(c, &spec, &rng, &in);
        next += in.is_next;
        /* [CLS] A [SEP] B [SEP] [PAD]...: segment 0 through the first
         * [SEP], 1 through the second, valid exactly up to there */
        int n = 0, seps = 0, a_doc = -1, b_doc = -1, same_a = 1, same_b = 1;
        while (n < 32 && in.valid[n]) n++;
        for (int t = 0; t < 32; t++) {
            int id = in.labels[t] >= 0 ? in.labels[t] : in.ids[t];   /* the original piece */
            if (t >= n) { layout_bad += in.ids[t] != spec.pad_id || in.labels[t] >= 0; continue; }
            if (t == 0) { layout_bad += id != spec.cls_id || in.type_ids[t] != 0; continue; }
            if (id == spec.sep_id) { layout_bad += in.type_ids[t] != (seps > 0) || in.labels[t] >= 0; seps++; continue; }
            layout_bad += in.type_ids[t] != (seps > 0) || seps >= 2;
            eligible++;
            if (in.labels[t] >= 0) {
                chosen++;
                masked += in.kind[t] == MASK_MASKED;
                kept += in.kind[t] == MASK_KEPT && in.ids[t] == in.labels[t];
                if (in.kind[t] == MASK_RANDOM) {
                    random++;
                    layout_bad += in.ids[t] < spec.mask.first_normal_id;
                }
            }
            if (id == dot) continue;
            int *doc = seps ? &b_doc : &a_doc, *same = seps ? &same_b : &same_a;
            if (*doc < 0) *doc = id;
            else *same &= *doc == id;
        }
        layout_bad += seps != 2 || n < 5;
        /* IsNext: B continues A's document; NotNext: B is another's */
        if (same_a && same_b && a_doc >= 0 && b_doc >= 0) pair_bad += in.is_next != (a_doc == b_doc);
    }
    CHECKF(layout_bad == 0, "%ld layout errors", layout_bad);
    CHECKF(pair_bad == 0, "%ld NSP pairs from the wrong document", pair_bad);
    CHECKF(fabs((double)next / N - 0.5) < 0.03, "IsNext %.3f", (double)next / N);
    CHECKF(fabs((double)chosen / eligible - 0.15) < 0.01, "chosen %.4f of eligible", (double)chosen / eligible);
    CHECKF(fabs((double)masked / chosen - 0.8) < 0.02, "[MASK] %.3f of chosen", (double)masked / chosen);
    CHECKF(fabs((double)random / chosen - 0.1) < 0.015, "random %.3f", (double)random / chosen);
    CHECKF(fabs((double)kept / chosen - 0.1) < 0.015, "kept %.3f", (double)kept / chosen);
    instance_free(&in);
}

/* --short-inputs: every cut pair still has the [CLS] A [SEP] B [SEP]
 * layout, never exceeds T, and its lengths spread log-uniformly from
 * cut_min: a third of the cuts are at most 2 × cut_min at T = 8 × cut_min. */
static void test_cut_instances(Corpus *c, const Tokenizer *tok) {
    InstanceSpec spec;
    BtError err;
    CHECK(instance_spec_init(&spec, tok, 64, 0.15f, &err) == 0);
    Instance in;
    CHECK(instance_alloc(&in, 64) == 0);
    long short0 = 0, short1 = 0, bad = 0;
    enum { N = 3000 };
    for (int cut = 0; cut <= 1; cut++) {
        spec.cut_prob = (float)cut;
        spec.cut_min = 8;
        uint64_t rng = 7;
        for (int i = 0; i < N; i++) {
            instance_sample(c, &spec, &rng, &in);
            int n = 0, seps = 0;
            while (n < 64 && in.valid[n]) n++;
            for (int t = 0; t < n; t++) seps += (in.labels[t] >= 0 ? in.labels[t] : in.ids[t]) == spec.sep_id;
            bad += seps != 2 || n < 5 || in.ids[0] != spec.cls_id;
            if (n <= 16) ++*(cut ? &short1 : &short0);
        }
    }
    CHECKF(bad == 0, "%ld cut instances without [CLS] A [SEP] B [SEP]", bad);
    /* the cut only shortens, independently of the pair's own length:
     * P(n ≤ 16) = P(cut ≤ 16) + P(cut > 16)·P(pair ≤ 16), P(cut ≤ 16) = log 2 / log 8 */
    double want = 1.0 / 3 + 2.0 / 3 * short0 / N;
    CHECKF(fabs((double)short1 / N - want) < 0.04, "%ld of %d cut pairs at most 16 tokens, want %.3f", short1, N, want);
    instance_free(&in);
}

/* eval_run's counts replayed: the same seed draws the same instances, so
 * the [MASK] positions and the baseline's hits can be counted here. */
static void test_eval_counts(Corpus *c, const Tokenizer *tok) {
    int V = tok_vocab_size(tok);
    char **words = malloc(sizeof(char *) * V);
    for (int i = 0; i < V; i++) words[i] = (char *)tok_token(tok, i);
    BertConfig cfg = {.vocab_size = V, .hidden_size = 16, .num_layers = 1, .num_heads = 2, .intermediate_size = 32,
                      .max_position = 32, .type_vocab_size = 2, .layer_norm_eps = 1e-12f, .pos_type = POS_SINUSOIDAL};
    BertModel m;
    if (test_random_model(&m, &cfg, (const char *const *)words, V)) { CHECK(0); free(words); return; }
    m.has_mlm = m.has_nsp = 1;
    InstanceSpec spec;
    BtError err;
    CHECK(instance_spec_init(&spec, m.tok, 32, 0.15f, &err) == 0);
    EvalResult r;
    CHECK(eval_run(&m, c, &spec, 300, 5, &r, &err) == 0);

    long *count = calloc(V, sizeof(long));
    for (long i = 0; i < c->n_ids; i++) count[c->ids[i]]++;
    int top = 0;
    for (int v = 1; v < V; v++)
        if (count[v] > count[top]) top = v;
    Instance in;
    instance_alloc(&in, 32);
    uint64_t rng = 5;
    long n_mask = 0, n_chosen = 0, hits = 0;
    for (int i = 0; i < 300; i++) {
        instance_sample(c, &spec, &rng, &in);
        for (int t = 0; t < 32; t++) {
            if (in.labels[t] < 0) continue;
            n_chosen++;
            if (in.kind[t] != MASK_MASKED) continue;
            n_mask++;
            hits += in.labels[t] == top;
        }
    }
    CHECK(r.n_seq == 300);
    CHECKF(r.n_mask == n_mask && r.n_chosen == n_chosen, "eval %ld/%ld, replay %ld/%ld", r.n_mask, r.n_chosen, n_mask,
           n_chosen);
    CHECK(r.top_freq[0] == top);
    CHECKF(fabs(r.base_top1 - (double)hits / n_mask) < 1e-12, "baseline %g, replay %g", r.base_top1, (double)hits / n_mask);
    CHECK(r.mask_top1 <= r.mask_top5 && r.chosen_top1 <= r.chosen_top5 && r.base_top1 <= r.base_top5);
    CHECK(r.nsp_acc >= 0 && r.nsp_acc <= 1 && r.mlm_loss > 0);
    instance_free(&in);
    free(count);
    free(words);
    model_free(&m);
}

int main(void) {
    test_schedule();
    test_clip();
    test_adamw();

    const char *corpus = test_tmp_path("docs.txt"), *vocab = test_tmp_path("docs_vocab.txt");
    CHECK(write_docs(corpus) == 0);
    VocabStats st;
    BtError err;
    const char *files[] = {corpus};
    CHECK(vocab_build(files, 1, 300, 1, vocab, &st, &err) == 0);
    Tokenizer *tok;
    Corpus c;
    if (tok_load(&tok, vocab, 1, &err) || corpus_load(&c, corpus, tok, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        CHECK(0);
        return test_done("train_parts");
    }
    for (int d = 0; d < 40; d++) CHECKF(tok_id(tok, doc_word(d)) >= 5, "%s is not one piece", doc_word(d));
    test_instances(&c, tok);
    test_cut_instances(&c, tok);
    test_eval_counts(&c, tok);

    /* a vocabulary without the special tokens is refused when loaded, naming one */
    const char *bad = test_tmp_path("bad_vocab.txt");
    FILE *f = fopen(bad, "w");
    fprintf(f, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ncat\n");
    fclose(f);
    Tokenizer *bt = NULL;
    CHECK(tok_load(&bt, bad, 1, &err) != 0 && bt == NULL && strstr(err.msg, "no [MASK] token"));

    corpus_free(&c);
    tok_free(tok);
    return test_done("train_parts");
}
