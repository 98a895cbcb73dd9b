/* `export FILE [VIEW]`: the forward pass as .npz, or the numbers of the
 * view on show as .csv, or its picture as .svg; the format by the file's
 * extension (bertology/export.h, one table). The view is the window's,
 * with its layer, head and keys; without a window, the view a window
 * would show (the REPL keeps following as the window does). */
#include <stdio.h>
#include <string.h>
#include "bertology/export.h"
#include "bertology/figure.h"
#include "bertology/i18n.h"
#include "commands.h"

/* The view names, for an error line: "heatmap, heads, ...". */
static void view_names(char *buf, size_t n) {
    size_t len = 0;
    buf[0] = '\0';
    for (int v = 0; v < VIZ_VIEW_COUNT && len < n; v++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", v ? ", " : "", viz_view_name(v));
}

/* The figure of view as the window shows it, or as it would. */
static int view_figure(Session *s, VizView view, FigCache *cache, Figure *f, BtError *err) {
    session_view_state(s);   /* the training run's logs too, read now */
    if (s->viz) {
        viz_set_state(s->viz, &s->vs);
        return viz_figure(s->viz, view, f, err);
    }
    FigParams p;
    fig_params_follow(&p, &s->vs);
    p.gen = s->vs_gen;
    if (s->vs.instrument == VIZ_ROLLOUT) p.rollout_query = s->vs.rollout_query;
    VizState both;
    return fig_build(view, fig_state_for(&s->vs, view, &both), &p, cache, f, err);
}

int cmd_export(Session *s, const Call *c, BtError *err) {
    if (c->argc < 2 || c->argc > 3) return CMD_USAGE;
    const char *path = c->argv[1];
    const ExportFormat *fmt = export_format_for(path, err);
    if (!fmt) return CMD_ERR;
    if (!fmt->of_view) {
        if (c->argc == 3) {
            bt_fail(err, "a view goes with .csv and .svg; %s holds the whole forward pass", path);
            return CMD_ERR;
        }
        if (session_need_sentence(s, err) != 0) return CMD_ERR;
        ExportInput in = {&s->pass.tr, NULL};
        if (fmt->write(&in, path, err) != 0) return CMD_ERR;
        fprintf(s->out, _("wrote %s: every intermediate of this forward pass (numpy.load reads it)\n"), path);
        return CMD_OK;
    }
    VizView view;
    if (c->argc == 3) {
        int v = viz_view_by_name(c->argv[2]);
        if (v < 0) {
            char names[512];
            view_names(names, sizeof names);
            bt_fail(err, "no view '%s'; the views are %s", c->argv[2], names);
            return CMD_ERR;
        }
        view = (VizView)v;
    } else {
        session_sync_viz(s);
        view = s->viz ? viz_shown_view(s->viz) : view_follow_pick(&s->follow, &s->vs);
    }
    FigCache cache;
    memset(&cache, 0, sizeof cache);
    Figure f;
    int rc = view_figure(s, view, &cache, &f, err);
    if (rc == 0 && f.empty) {
        if (f.empty_hint)
            bt_fail(err, "nothing to export from the %s view: %s. %s", viz_view_name(view), f.empty, f.empty_hint);
        else
            bt_fail(err, "nothing to export from the %s view: %s", viz_view_name(view), f.empty);
        rc = -1;
    }
    ExportInput in = {s->pass.text ? &s->pass.tr : NULL, &f};
    if (rc == 0) rc = fmt->write(&in, path, err);
    if (rc == 0) {
        if (strcmp(fmt->ext, ".csv") == 0)
            fprintf(s->out, _("wrote %s: the numbers of the %s view, %d rows × %d columns\n"), path, viz_view_name(view),
                    f.nrows, f.ncols);
        else
            fprintf(s->out, _("wrote %s: the %s view as SVG\n"), path, viz_view_name(view));
    }
    fig_free(&f);
    fig_cache_free(&cache);
    return rc == 0 ? CMD_OK : CMD_ERR;
}

/* One line of names, wrapped at 78 columns under a heading. */
static void name_list(FILE *out, const char *heading, int svg) {
    int col = fprintf(out, "  %s", heading), first = 1;
    for (int v = 0; v < VIZ_VIEW_COUNT; v++) {
        if (fig_view_has_svg(v) != svg) continue;
        const char *n = viz_view_name(v);   /* typed as `export FILE VIEW` takes it */
        if (col + (int)strlen(n) + 4 > 78) col = fprintf(out, ",\n    ") - 2;
        else if (!first) col += fprintf(out, ", ");
        col += fprintf(out, "`%s`", n);
        first = 0;
    }
    fputc('\n', out);
}

void export_help_views(FILE *out) {
    name_list(out, _("CSV and SVG: "), 1);
    name_list(out, _("CSV only: "), 0);
}
