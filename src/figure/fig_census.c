/* The census view's numbers (core/census.c): every head's mean attention
 * entropy, its share of attention on each target and its role, over the
 * sentence or the REPL's `census FILE`. Rows: heads. No SVG: the window
 * colours the layers × heads grid by role, which is not a scale. */
#include <stdio.h>
#include <stdlib.h>
#include "bertology/census.h"
#include "fig_internal.h"

static const Census *census_for(FigCache *cache, const VizState *st, unsigned gen, const char **why) {
    if (st->census) return st->census;
    const Trace *t = st->trace;
    Census *own = cache->census.own;
    if (own && cache->census.for_trace == t && cache->census.for_gen == gen && own->done) return own;
    if (own) census_free(own);
    else if (!(own = cache->census.own = calloc(1, sizeof *own))) return NULL;
    cache->census.for_trace = NULL;
    BtError err;
    if (!st->model || !st->model->tok) {
        *why = _("this model has no vocabulary to name [CLS], [SEP] and punctuation");
        return NULL;
    }
    if (census_of_trace(own, t, st->model->tok, &err) != 0) {
        snprintf(cache->census.error, sizeof cache->census.error, "%s", err.msg);
        *why = cache->census.error;
        return NULL;
    }
    cache->census.for_trace = t;
    cache->census.for_gen = gen;
    return own;
}

FIG_FN(census) {
    (void)err;
    const Trace *t = st->trace;
    if (!st->census && (!t || t->L == 0))
        return fig_empty(f, _("No attention heads to count"),
                         t ? _("This model has no layers.") : _("Type a sentence in the REPL."));
    const char *why = _("out of memory");
    const Census *c = census_for(cache, st, p->gen, &why);
    if (!c) return fig_empty(f, _("No census for this sentence"), fig_strdup(f, why));
    int L = c->L, nh = c->nh, n = L * nh;
    if (st->census)
        f->title = fig_strf(f,
                            ngettext("every head over %d sentence of %s (%ld query rows): its role and that share",
                                     "every head over %d sentences of %s (%ld query rows): its role and that share",
                                     c->sentences),
                            c->sentences, st->census_source ? st->census_source : _("a file"), c->rows);
    else
        f->title = fig_strf(f, _("every head over this sentence's %ld query rows: its role and that share"), c->rows);
    f->caption = _("a role: at least half the attention on one target (else mixed) · after Clark et al. 2019");
    int32_t *layer = fig_alloc(f, sizeof *layer * (size_t)n), *head = fig_alloc(f, sizeof *head * (size_t)n);
    const char **role = fig_alloc(f, sizeof *role * (size_t)n);
    if (!layer || !head || !role) return 0;
    for (int i = 0; i < n; i++) {
        layer[i] = i / nh;
        head[i] = i % nh;
        role[i] = census_role_info(c->role[i])->name;
    }
    fig_column(f, "layer");
    fig_column(f, "head");
    fig_column(f, "role");
    fig_column(f, "entropy_bits");
    for (int k = 0; k < CENSUS_TARGETS; k++) fig_column(f, census_role_info(k)->name);
    fig_block(f, 0, 0, n, 1, FIG_I32, layer, sizeof *layer, 0);
    fig_block(f, 0, 1, n, 1, FIG_I32, head, sizeof *head, 0);
    fig_block(f, 0, 2, n, 1, FIG_STR, role, sizeof *role, 0);
    fig_block(f, 0, 3, n, 1, FIG_F64, c->entropy, sizeof(double), 0);
    fig_block(f, 0, 4, n, CENSUS_TARGETS, FIG_F64, c->share, sizeof(double) * CENSUS_TARGETS, sizeof(double));
    f->source = c;
    return 0;
}
