/* What each row of the view list (bertology/views.h) draws with: the
 * ViewOps its own file, src/viz/view_NAME.c, defines. */
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
