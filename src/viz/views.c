/* What each row of the view list (bertology/views.h) draws with: the
 * ViewOps its own file, src/viz/view_NAME.c, defines. */
#include <string.h>
#include "draw.h"
#include "viz_internal.h"

#define DECLARE(ID, name, key, label, title, stages) extern const ViewOps view_##name;
BT_VIEWS(DECLARE)
#undef DECLARE

#define OPS(ID, name, key, label, title, stages) [VIZ_##ID] = &view_##name,
static const ViewOps *const OPS[VIZ_VIEW_COUNT] = {BT_VIEWS(OPS)};
#undef OPS

const ViewOps *viz_view_ops(VizView view) {
    return (int)view >= 0 && view < VIZ_VIEW_COUNT ? OPS[view] : NULL;
}

void *viz_view_state(Viz *v, VizView view) {
    return (int)view >= 0 && view < VIZ_VIEW_COUNT ? v->self[view] : NULL;
}

void viz_fig_params(const VizCtx *cx, FigParams *p) {
    memset(p, 0, sizeof *p);
    p->layer = cx->layer;
    p->head = cx->head;
    p->scores = cx->scores;
    p->all_heads = cx->all_heads;
    memcpy(p->head_on, cx->head_on, sizeof p->head_on < sizeof cx->head_on ? sizeof p->head_on : sizeof cx->head_on);
    p->level = cx->level;
    p->rollout_query = -1;
    p->gen = cx->gen;
}

int viz_view_figure(VizCtx *cx, VizView view, void *self, const VizState *st, Figure *f, BtError *err) {
    FigParams p;
    viz_fig_params(cx, &p);
    const ViewOps *ops = viz_view_ops(view);
    if (ops && ops->params) ops->params(self, st, &p);
    return fig_build(view, st, &p, cx->cache, f, err);
}

int viz_view_figure_or_notice(VizCtx *cx, VizView view, void *self, const VizState *st, SDL_Rect area, Figure *f) {
    BtError err = {""};
    if (viz_view_figure(cx, view, self, st, f, &err) == 0 && !f->empty) return 0;
    /* nothing to show: its reason and what to do, or why it failed */
    draw_notice(cx, area, f->empty ? f->empty : err.msg, f->empty ? f->empty_hint : NULL);
    fig_free(f);
    return -1;
}
