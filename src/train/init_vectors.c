/* Word embeddings started from static word vectors (transfer learning).
 *
 * A model trained from random embeddings on a few tens of millions of
 * tokens never learns that "dog" is like "cat": the tied decoder then
 * guesses words of the sentence instead of words of the right kind.
 * GloVe (6B tokens of co-occurrence counts) already knows it. So every
 * whole-word piece that GloVe has starts as its GloVe vector:
 *
 *   E[v, K:H] = hi * sqrt(H-K) * Q u_v,   u_v = g_v / |g_v|
 *
 * Q is a fixed random (H-K) x D map with orthonormal columns (drawn from
 * its own random stream, so every other weight is the draw it would have
 * been without vectors); being orthonormal it keeps every cosine of the
 * GloVe table. The scale gives each of the H-K dimensions the same std
 * `hi` as the random init, and dims [0, K) keep their near-zero draw, so
 * the sinusoid's fast dimensions and the position heads built on them
 * (init.c) are untouched. A piece GloVe lacks ("##ing", "aback") starts
 * as the normalised mean of u over the GloVe words (the most frequent
 * `scan` of them) whose WordPieces contain it; one that no such word
 * contains keeps its random row. Training then moves everything. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/ops.h"
#include "bertology/train_init.h"
#include "bertology/vectors.h"

/* Columns of a (rows x cols) Gaussian matrix, orthonormalised by modified
 * Gram-Schmidt (cols <= rows; double for the repeated projections). */
static int orthonormal_map(float *q, int rows, int cols, uint64_t *rng) {
    double *a = malloc(sizeof(double) * rows * cols);
    if (!a) return -1;
    for (int i = 0; i < rows * cols; i++) a[i] = rng_normal(rng);
    for (int c = 0; c < cols; c++) {
        for (int p = 0; p < c; p++) {
            double dot = 0;
            for (int r = 0; r < rows; r++) dot += a[r * cols + c] * a[r * cols + p];
            for (int r = 0; r < rows; r++) a[r * cols + c] -= dot * a[r * cols + p];
        }
        double n = 0;
        for (int r = 0; r < rows; r++) n += a[r * cols + c] * a[r * cols + c];
        n = sqrt(n);
        for (int r = 0; r < rows; r++) a[r * cols + c] /= n;
    }
    for (int i = 0; i < rows * cols; i++) q[i] = (float)a[i];
    free(a);
    return 0;
}

static int is_special(const char *piece) {
    size_t n = strlen(piece);
    return n >= 2 && piece[0] == '[' && piece[n - 1] == ']';
}

int train_init_vectors(BertModel *m, const TrainOptions *o, const Tokenizer *tok, TrainInitStats *st,
                       BtError *err) {
    memset(st, 0, sizeof *st);
    if (!o->init_vectors_path) return 0;
    int H = m->cfg.hidden_size, V = m->cfg.vocab_size;
    int K = train_word_split(o, &m->cfg), W = H - K;
    VecSet *vs;
    if (vecset_open(&vs, o->init_vectors_path, err)) return -1;
    int D = vecset_dim(vs);
    if (D > W) {
        vecset_free(vs);
        return bt_fail(err, "--init-vectors: %d-dimensional vectors do not fit the %d dimensions [%d, %d) words "
                       "start in (lower --word-split)", D, W, K, H);
    }
    float *q = malloc(sizeof(float) * W * D);
    double *acc = calloc((size_t)V * D, sizeof(double));
    int *count = calloc(V, sizeof(int)), *ids = malloc(sizeof(int) * 64);
    char *direct = calloc(V, 1);
    uint64_t qrng = (o->seed ? o->seed : 1) ^ 0x9E3779B97F4A7C15ull;
    int rc = 0;
    if (!q || !acc || !count || !ids || !direct || orthonormal_map(q, W, D, &qrng)) {
        rc = bt_fail(err, "out of memory");
        goto done;
    }
    /* Whole words GloVe has: their own unit vector. */
    for (int v = 0; v < V; v++) {
        const char *piece = tok_token(tok, v);
        if (!piece || is_special(piece) || !strncmp(piece, "##", 2)) continue;
        long r = vecset_find(vs, piece);
        float n = r >= 0 ? vecset_norm(vs, r) : 0;
        if (r < 0 || !(n > 0)) continue;
        const float *g = vecset_row(vs, r);
        for (int k = 0; k < D; k++) acc[(long)v * D + k] = g[k] / n;
        count[v] = 1;
        direct[v] = 1;
        st->direct++;
    }
    /* The rest: the mean over the frequent GloVe words that contain them. */
    long scan = o->init_vectors_scan < vecset_count(vs) ? o->init_vectors_scan : vecset_count(vs);
    for (long r = 0; r < scan; r++) {
        float n = vecset_norm(vs, r);
        if (!(n > 0)) continue;
        BtError e2;
        int np = tok_wordpieces(tok, vecset_word(vs, r), ids, NULL, 64, &e2);
        if (np < 1 || np > 64) continue;   /* invalid UTF-8 or too long: skip the word */
        const float *g = vecset_row(vs, r);
        for (int i = 0; i < np; i++) {
            int v = ids[i];
            if (v < 0 || v >= V || direct[v] || v == tok_unk_id(tok)) continue;
            for (int k = 0; k < D; k++) acc[(long)v * D + k] += g[k] / n;
            count[v]++;
        }
    }
    float scale = o->word_init_std * sqrtf((float)H / (float)W) * sqrtf((float)W);
    for (int v = 0; v < V; v++) {
        if (!count[v]) continue;
        const char *piece = tok_token(tok, v);
        if (!piece || is_special(piece)) continue;
        double nn = 0;
        for (int k = 0; k < D; k++) nn += acc[(long)v * D + k] * acc[(long)v * D + k];
        if (!(nn > 0)) continue;
        if (!direct[v]) st->mean++;
        double inv = 1.0 / sqrt(nn);
        float *e = m->word_emb + (long)v * H + K;
        for (int j = 0; j < W; j++) {
            double s = 0;
            for (int k = 0; k < D; k++) s += (double)q[j * D + k] * acc[(long)v * D + k];
            e[j] = (float)(scale * s * inv);
        }
    }
    st->random = V - st->direct - st->mean;
done:
    free(q);
    free(acc);
    free(count);
    free(ids);
    free(direct);
    vecset_free(vs);
    return rc;
}
