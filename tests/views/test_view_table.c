/* The window's views are listed once (include/bertology/views.h): this
 * checks that what is built from that list agrees with it.
 *   test_view_table NAME...   NAME... are the views tests/meson.build gives
 *                             a screenshot test (window_views), in order.
 * The list, the window's ops, the stage each view follows, the keys, the
 * lesson parser's `view:` names and the screenshot tests must agree. */
#include <stdio.h>
#include <string.h>
#include "../unit/testutil.h"
#include "bertology/lesson.h"
#include "viz/viz_internal.h"

/* Each view has its screenshot test, in the table's order, and no test
 * draws a view the table lacks. */
static void screenshot_tests(int argc, char **argv) {
    CHECKF(argc == VIZ_VIEW_COUNT, "tests/meson.build's window_views has %d views, the table %d", argc,
           (int)VIZ_VIEW_COUNT);
    for (int i = 0; i < argc; i++) {
        int v = viz_view_by_name(argv[i]);
        CHECKF(v >= 0, "window_views names '%s', which is no view of the table", argv[i]);
        CHECKF(v < 0 || v == i, "window_views has '%s' at %d, the table at %d", argv[i], i, v);
    }
    for (int v = 0; v < VIZ_VIEW_COUNT; v++) {
        int found = 0;
        for (int i = 0; i < argc; i++) found += strcmp(argv[i], viz_view_name((VizView)v)) == 0;
        CHECKF(found == 1, "view '%s' has %d screenshot tests in window_views, want 1", viz_view_name((VizView)v), found);
    }
}

static void rows(void) {
    for (int v = 0; v < VIZ_VIEW_COUNT; v++) {
        const ViewInfo *vi = viz_view_info((VizView)v);
        const ViewOps *ops = viz_view_ops((VizView)v);
        CHECKF(vi && vi->name[0] && vi->title[0] && vi->label[0], "view %d: a row without a name, title or label", v);
        CHECKF(ops && ops->draw, "view %s has nothing to draw with", vi->name);
        CHECKF(ops && (!ops->free || ops->size), "view %s frees a state it does not have", vi->name);
        CHECKF(viz_view_by_name(vi->name) == v, "'%s' finds view %d, not %d", vi->name, viz_view_by_name(vi->name), v);
        /* A key that shows a view is no other view's, nor one the window uses itself. */
        CHECKF(!strchr("0rascRASC?", vi->key), "view %s: key '%c' is taken by the window", vi->name, vi->key);
        for (int w = 0; w < v; w++)
            CHECKF(viz_view_info((VizView)w)->key != vi->key, "views %s and %s share the key '%c'",
                   viz_view_info((VizView)w)->name, vi->name, vi->key);
    }
    CHECK(viz_view_by_name("follow") == VIZ_FOLLOW && strcmp(viz_view_name(VIZ_FOLLOW), "follow") == 0);
    CHECK(viz_view_by_name("nosuchview") == -2 && viz_view_name(VIZ_VIEW_COUNT) == NULL);
    /* Following the REPL, every stage is exactly one view's. */
    for (int s = 0; s < STAGE_COUNT; s++) {
        int n = 0;
        for (int v = 0; v < VIZ_VIEW_COUNT; v++) n += (viz_view_info((VizView)v)->stages & STAGE_BIT(s)) != 0;
        CHECKF(n == 1, "stage %s is followed by %d views, want 1", stage_info((Stage)s)->name, n);
        VizView v = viz_view_for_stage((Stage)s);
        CHECKF(viz_view_info(v)->stages & STAGE_BIT(s), "stage %s shows view %s, which does not follow it",
               stage_info((Stage)s)->name, viz_view_name(v));
    }
}

/* A lesson's `view: NAME` takes every view of the table and "follow",
 * and its error lists exactly those after the stages. */
static void lesson_names(void) {
    char text[256], want[512] = "";
    for (int v = -1; v < VIZ_VIEW_COUNT; v++) {
        const char *name = viz_view_name((VizView)v);
        snprintf(text, sizeof text, "title: T\nstep: A\nview: %s\n", name);
        Lesson l;
        BtError err = {{0}};
        int rc = lesson_parse_text("t.lesson", text, &l, &err);
        CHECKF(rc == 0, "a lesson cannot show the view '%s': %s", name, err.msg);
        if (rc == 0) lesson_free(&l);
    }
    for (int v = 0; v < VIZ_VIEW_COUNT; v++) {
        strcat(want, viz_view_name((VizView)v));
        strcat(want, " ");
    }
    strcat(want, "follow; found 'nosuchview'");
    Lesson l;
    BtError err = {{0}};
    int rc = lesson_parse_text("t.lesson", "title: T\nstep: A\nview: nosuchview\n", &l, &err);
    CHECKF(rc != 0 && strstr(err.msg, want), "the lesson parser's list of views: %s", err.msg);
    if (rc == 0) lesson_free(&l);
}

int main(int argc, char **argv) {
    screenshot_tests(argc - 1, argv + 1);
    rows();
    lesson_names();
    return test_done("view_table");
}
