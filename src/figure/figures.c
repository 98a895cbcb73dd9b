/* Every view's figure function, in the order of the views' table
 * (bertology/views.h): a view without one does not link. */
#include <stdlib.h>
#include <string.h>
#include "bertology/census.h"
#include "bertology/rollout.h"
#include "fig_internal.h"

typedef int (*FigFn)(Figure *, const VizState *, const FigParams *, FigCache *, BtError *);

#define ROW(ID, name, key, label, title, stages) [VIZ_##ID] = fig_##name,
static const FigFn FIGURES[VIZ_VIEW_COUNT] = {BT_VIEWS(ROW)};
#undef ROW

/* The views whose figure has no plot the SVG writer draws: the embedding
 * view's points are in 3D (their coordinates are in the CSV), the census
 * colours tiles by a role, not on a scale. */
static const VizView NO_SVG[] = {VIZ_EMBEDDINGS, VIZ_CENSUS};

int fig_view_has_svg(VizView view) {
    for (size_t i = 0; i < sizeof NO_SVG / sizeof *NO_SVG; i++)
        if (NO_SVG[i] == view) return 0;
    return view >= 0 && view < VIZ_VIEW_COUNT;
}

int fig_build(VizView view, const VizState *st, const FigParams *p, FigCache *cache, Figure *f, BtError *err) {
    memset(f, 0, sizeof *f);
    f->view = view;
    if (view < 0 || view >= VIZ_VIEW_COUNT) return bt_fail(err, "no view %d", (int)view);
    int rc = FIGURES[view](f, st, p, cache, err);
    return rc ? rc : fig_done(f, err);
}

void fig_cache_free(FigCache *c) {
    free(c->pos.sin);
    free(c->pos.sin_dot);
    free(c->pos.learned_dot);
    free(c->pca.xyz);
    if (c->rollout.r) rollout_free(c->rollout.r);
    free(c->rollout.r);
    if (c->census.own) census_free(c->census.own);
    free(c->census.own);
    memset(c, 0, sizeof *c);
}

const int32_t *fig_iota(Figure *f, int n, int from) {
    int32_t *v = fig_alloc(f, sizeof *v * (size_t)(n > 0 ? n : 1));
    for (int i = 0; v && i < n; i++) v[i] = from + i;
    return v;
}
