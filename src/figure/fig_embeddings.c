/* The embedding view's numbers: the sentence's vectors (and a second
 * sentence's, after a `compare`) at one depth of the model, projected on
 * their first three principal components and scaled so that the largest
 * |coordinate| is 1. Rows: points. No SVG: the window draws them in 3D. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fig_internal.h"
#include "pca.h"

enum { MAX_POINTS = 4096 };

/* The vectors at a level: 0 static word embeddings, 1 after the
 * embedding LayerNorm, 2+l after layer l. */
static const float *level_rows(const Trace *t, int level) {
    if (level <= 0) return t->tok_emb;
    if (level == 1 || t->L == 0) return t->emb;
    return t->layers[level - 2 < t->L ? level - 2 : t->L - 1].out;
}

static const char *level_name(Figure *f, int level) {
    if (level <= 0) return _("static word embeddings (no position, no context)");
    if (level == 1) return _("input to layer 0 (word + position + segment, LayerNorm)");
    return fig_strf(f, _("output of layer %d"), level - 2);
}

/* Runs PCA when the sentence, the depth or the trace changed. */
static int refresh_pca(FigPca *p, const Trace *t, const Trace *t2, unsigned gen, int level) {
    if (p->xyz && p->t1 == t && p->t2 == t2 && p->gen == gen && p->level == level) return 0;
    int n1 = t->T, n2 = t2 ? t2->T : 0, n = n1 + n2, H = t->H;
    float *x = malloc(sizeof *x * (size_t)n * H);
    float *xyz = malloc(sizeof *xyz * (size_t)n * 3);
    if (!x || !xyz) {
        free(x);
        free(xyz);
        return -1;
    }
    memcpy(x, level_rows(t, level), sizeof *x * (size_t)n1 * H);
    if (t2) memcpy(x + (size_t)n1 * H, level_rows(t2, level), sizeof *x * (size_t)n2 * H);
    int rc = pca3(x, n, H, xyz, p->var);
    free(x);
    if (rc) {
        free(xyz);
        return -1;
    }
    /* Into [-1,1] on the widest axis, keeping the proportions. */
    float m = 1e-12f;
    for (int i = 0; i < n * 3; i++)
        if (fabsf(xyz[i]) > m) m = fabsf(xyz[i]);
    for (int i = 0; i < n * 3; i++) xyz[i] /= m;
    free(p->xyz);
    p->xyz = xyz;
    p->n = n;
    p->t1 = t;
    p->t2 = t2;
    p->gen = gen;
    p->level = level;
    return 0;
}

FIG_FN(embeddings) {
    (void)err;
    const Trace *t = st->trace;
    if (!t) return fig_empty(f, _("No vectors to show yet"), _("Type a sentence in the REPL."));
    const Trace *t2 = st->trace2 && st->trace2->H == t->H && st->trace2->L == t->L ? st->trace2 : NULL;
    int level = p->level < 0 ? 0 : p->level > t->L + 1 ? t->L + 1 : p->level;
    FigPca *pca = &cache->pca;
    if (t->T + (t2 ? t2->T : 0) > MAX_POINTS || refresh_pca(pca, t, t2, p->gen, level))
        return fig_empty(f, _("Too many tokens to draw"), NULL);
    int n1 = t->T, n = pca->n;
    /* Huge weights overflow float on the way here: the points would be
     * NaN, and NaN has no pixel. */
    for (int i = 0; i < n * 3; i++)
        if (!isfinite(pca->xyz[i]))
            return fig_empty(f, _("These vectors are not finite numbers"),
                             _("The model's weights overflow float (inf or NaN): there is nothing to draw."));
    f->title = level_name(f, level);
    f->caption = fig_strf(f, "PC1 %.0f%%, PC2 %.0f%%, PC3 %.0f%%", pca->var[0] * 100, pca->var[1] * 100,
                          pca->var[2] * 100);
    int32_t *sent = fig_alloc(f, sizeof *sent * (size_t)n), *pos = fig_alloc(f, sizeof *pos * (size_t)n);
    const char **tok = fig_alloc(f, sizeof *tok * (size_t)n);
    if (!sent || !pos || !tok) return 0;
    for (int i = 0; i < n; i++) {
        int s = i >= n1, k = s ? i - n1 : i;
        const char *const *tk = s ? st->tokens2 : st->tokens;
        sent[i] = s + 1;
        pos[i] = k;
        tok[i] = tk ? tk[k] : NULL;
    }
    fig_column(f, "sentence");
    fig_column(f, "position");
    fig_column(f, "token");
    fig_column(f, "pc1");
    fig_column(f, "pc2");
    fig_column(f, "pc3");
    fig_block(f, 0, 0, n, 1, FIG_I32, sent, sizeof *sent, 0);
    fig_block(f, 0, 1, n, 1, FIG_I32, pos, sizeof *pos, 0);
    fig_block(f, 0, 2, n, 1, FIG_STR, tok, sizeof *tok, 0);
    fig_block(f, 0, 3, n, 3, FIG_F32, pca->xyz, 3 * sizeof(float), sizeof(float));
    f->source = pca;
    return 0;
}
