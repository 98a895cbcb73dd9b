/* The window's views by name, key and stage (bertology/views.h), without
 * SDL: read by the window, the REPL and the lesson parser. */
#include "bertology/views.h"
#include <string.h>

#define ROW(ID, name, key, label, title, stages) [VIZ_##ID] = {#name, key, label, title, stages},
static const ViewInfo VIEWS[VIZ_VIEW_COUNT] = {BT_VIEWS(ROW)};
#undef ROW

const ViewInfo *viz_view_info(VizView view) {
    return (int)view >= 0 && view < VIZ_VIEW_COUNT ? &VIEWS[view] : NULL;
}

const char *viz_view_name(VizView view) {
    if (view == VIZ_FOLLOW) return "follow";
    const ViewInfo *vi = viz_view_info(view);
    return vi ? vi->name : NULL;
}

int viz_view_by_name(const char *name) {
    if (strcmp(name, "follow") == 0) return VIZ_FOLLOW;
    for (int i = 0; i < VIZ_VIEW_COUNT; i++)
        if (strcmp(VIEWS[i].name, name) == 0) return i;
    return -2;
}

VizView viz_view_for_stage(Stage s) {
    for (int i = 0; i < VIZ_VIEW_COUNT; i++)
        if (VIEWS[i].stages & STAGE_BIT(s)) return (VizView)i;
    return VIZ_VECTORS;   /* a stage no row claims: the view_table test says which */
}
