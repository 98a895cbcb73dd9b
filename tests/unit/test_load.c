/* Loading a model directory (model_load): every parameter arrives with the
 * bits the file holds (F32 as is, F16 widened exactly), and a stored MLM
 * decoder is told apart from the word embeddings as before: a tied copy
 * keeps one table, any differing bit (first row, last row) gives the
 * model its own decoder, a NaN or an integer dtype in it is refused with
 * the same message. The decoder is compared a block of rows at a time
 * (src/core/model.c), so the vocabulary here spans several blocks and
 * ends in a partial one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/half.h"
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "testmodel.h"
#include "testutil.h"

enum { V = 600, H = 16 };

static const BertConfig CFG = {.vocab_size = V, .hidden_size = H, .num_layers = 1, .num_heads = 2,
                               .intermediate_size = 32, .max_position = 16, .type_vocab_size = 2,
                               .layer_norm_eps = 1e-12f, .pos_type = POS_ABSOLUTE};

static char vocab_words[V][16];
static const char *vocab[V];

static int make_source(BertModel *m) {
    static const char *special[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (int i = 0; i < V; i++) {
        if (i < 5) snprintf(vocab_words[i], sizeof vocab_words[i], "%s", special[i]);
        else snprintf(vocab_words[i], sizeof vocab_words[i], "w%d", i);
        vocab[i] = vocab_words[i];
    }
    return test_random_model(m, &CFG, vocab, V);
}

static const char *save(const BertModel *m, const char *name, int f16) {
    const char *dir = test_tmp_path(name);
    char vsrc[700];
    snprintf(vsrc, sizeof vsrc, "%s/vocab.txt", test_tmpdir());
    BtError err = {{0}};
    int rc = model_save(m, dir, f16, vsrc, &err);
    CHECKF(rc == 0, "%s", err.msg);
    return rc ? NULL : dir;
}

/* x as the file stores it, widened back: itself for F32, the F16 round trip. */
static float stored(float x, int f16) { return f16 ? bt_f16_to_f32(bt_f32_to_f16(x)) : x; }

/* n floats of got hold stored(want) bit for bit; returns the first index
 * that does not, or n. */
static size_t same_bits(const float *got, const float *want, size_t n, int f16) {
    for (size_t i = 0; i < n; i++) {
        float w = stored(want[i], f16);
        if (memcmp(&got[i], &w, sizeof w)) return i;
    }
    return n;
}

static void test_params(const BertModel *src, int f16) {
    const char *dir = save(src, f16 ? "m-f16" : "m-f32", f16);
    if (!dir) return;
    BertModel m;
    BtError err = {{0}};
    CHECKF(model_load(&m, dir, &err) == 0, "%s", err.msg);
    if (err.msg[0]) return;
    CHECK(m.n_params == src->n_params);
    size_t i = same_bits(m.params, src->params, m.n_params, f16);
    CHECKF(i == m.n_params, "%s: parameter %zu of %zu differs", f16 ? "F16" : "F32", i, m.n_params);
    CHECK(!m.untied_decoder && m.mlm_decoder == m.word_emb && m.has_mlm && m.has_nsp);
    /* each layer's query, key and value side by side, the one (3H,H)
     * matrix and (3H) bias the fused product of forward.c reads */
    for (int l = 0; l < m.cfg.num_layers; l++) {
        const BertLayer *w = &m.layers[l];
        CHECK(w->wk == w->wq + H * H && w->wv == w->wk + H * H && w->bk == w->bq + H && w->bv == w->bk + H);
    }
    printf("ok   %s file: %zu parameters, bit for bit\n", f16 ? "F16" : "F32", m.n_params);
    model_free(&m);
}

/* The source with a stored decoder: the word embeddings, element `at`
 * set to `value` unless at < 0. */
static void test_decoder(BertModel *src, const char *label, int f16, long at, float value, int want_untied) {
    src->untied_decoder = malloc(sizeof(float) * V * H);
    memcpy(src->untied_decoder, src->word_emb, sizeof(float) * V * H);
    if (at >= 0) src->untied_decoder[at] = value;
    char name[64];
    snprintf(name, sizeof name, "dec-%s-%d", label, f16);
    const char *dir = save(src, name, f16);
    if (dir) {
        BertModel m;
        BtError err = {{0}};
        CHECKF(model_load(&m, dir, &err) == 0, "%s: %s", label, err.msg);
        if (!err.msg[0]) {
            CHECKF(!!m.untied_decoder == want_untied, "%s: untied %d, wanted %d", label, !!m.untied_decoder,
                   want_untied);
            CHECK(m.mlm_decoder == (want_untied ? m.untied_decoder : m.word_emb));
            size_t i = same_bits(m.mlm_decoder, src->untied_decoder, (size_t)V * H, f16);
            CHECKF(i == (size_t)V * H, "%s: decoder element %zu differs", label, i);
            i = same_bits(m.params, src->params, m.n_params, f16);
            CHECKF(i == m.n_params, "%s: parameter %zu differs", label, i);
            model_free(&m);
        }
    }
    free(src->untied_decoder);
    src->untied_decoder = NULL;
}

/* A refusal, with every phrase in its message. */
static void expect_refused(const char *dir, const char *label, const char *a, const char *b) {
    BertModel m;
    BtError err = {{0}};
    int rc = model_load(&m, dir, &err);
    CHECKF(rc == -1, "%s: loaded", label);
    if (rc == 0) {
        model_free(&m);
        return;
    }
    CHECKF(strstr(err.msg, a) && strstr(err.msg, b), "%s: message '%s'", label, err.msg);
    printf("ok   %s refused: %s\n", label, err.msg);
}

static void test_decoder_refused(BertModel *src) {
    /* a NaN in the third block of rows: found when the block differs, then
     * named with its index by the full read, as before */
    long at = 2L * 256 * H + 5;
    src->untied_decoder = malloc(sizeof(float) * V * H);
    memcpy(src->untied_decoder, src->word_emb, sizeof(float) * V * H);
    src->untied_decoder[at] = NAN;
    const char *dir = save(src, "dec-nan", 0);
    char idx[32];
    snprintf(idx, sizeof idx, "NaN at index %ld", at);
    if (dir) expect_refused(dir, "NaN in the decoder", "'cls.predictions.decoder.weight'", idx);

    /* the decoder's dtype made I32 (same size: the offsets still hold) */
    src->untied_decoder[at] = 0.25f;
    dir = save(src, "dec-int", 0);
    if (dir) {
        char path[700];
        snprintf(path, sizeof path, "%s/model.safetensors", dir);
        FILE *f = fopen(path, "r+b");
        char head[8192] = {0};
        size_t n = f ? fread(head, 1, sizeof head - 1, f) : 0;
        char *d = strstr(head + 8, "\"cls.predictions.decoder.weight\"");
        char *end = d ? strchr(d, '}') : NULL, *dt = d ? strstr(d, "\"F32\"") : NULL;
        CHECK(n > 8 && d && dt && dt < end);
        if (f && dt && dt < end) {
            fseek(f, (long)(dt + 1 - head), SEEK_SET);
            fputc('I', f);
        }
        if (f) fclose(f);
        expect_refused(dir, "integer decoder", "'cls.predictions.decoder.weight'", "integer dtype I32");
    }
    free(src->untied_decoder);
    src->untied_decoder = NULL;
}

/* vocab.txt cut: a few rows short is padding (loads), under half is
 * another model's vocabulary (refused, not predictions printed as "?") */
static void test_short_vocab(const BertModel *src) {
    const char *dir = save(src, "short-vocab", 0);
    if (!dir) return;
    char path[700];
    snprintf(path, sizeof path, "%s/vocab.txt", dir);
    const int keeps[] = {V - 3, V / 2 - 1};
    for (int k = 0; k < 2; k++) {
        int keep = keeps[k];
        FILE *f = fopen(path, "w");
        CHECK(f != NULL);
        if (!f) return;
        for (int i = 0; i < keep; i++) fprintf(f, "%s\n", vocab[i]);
        fclose(f);
        if (keep == V - 3) {
            BertModel m;
            BtError err = {{0}};
            CHECKF(model_load(&m, dir, &err) == 0, "padding: %s", err.msg);
            model_free(&m);
        } else {
            expect_refused(dir, "half a vocabulary", "vocab.txt", "not the one these weights were trained with");
        }
    }
}

int main(void) {
    BertModel src;
    if (make_source(&src)) {
        CHECK(0);
        return test_done("load");
    }
    for (int f16 = 0; f16 <= 1; f16++) {
        test_params(&src, f16);
        test_decoder(&src, "tied copy", f16, -1, 0, 0);
        /* a value F16 holds exactly, so the difference survives the file */
        test_decoder(&src, "first element", f16, 0, 0.125f, 1);
        test_decoder(&src, "last element", f16, (long)V * H - 1, 0.125f, 1);
        test_decoder(&src, "row 256", f16, 256L * H, 0.375f, 1);
    }
    test_decoder_refused(&src);
    test_short_vocab(&src);
    model_free(&src);
    return test_done("load");
}
