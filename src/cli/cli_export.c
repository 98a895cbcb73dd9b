/* What `dump` and `plot` share for `--out FILE.csv|.svg`: a window view's
 * figure (src/figure) written in the format the file's extension names,
 * through the one table of formats that the REPL's `export` reads. */
#include <stdio.h>
#include <string.h>
#include "bertology/cli.h"
#include "bertology/export.h"
#include "bertology/i18n.h"

int cli_export_view(const ExportFormat *fmt, const char *out, VizView view, const VizState *st, const FigParams *p,
                    int quiet) {
    FigCache cache;
    memset(&cache, 0, sizeof cache);
    Figure f;
    BtError err = {""};
    int rc = fig_build(view, st, p, &cache, &f, &err);
    if (rc == 0 && f.empty) {
        rc = bt_fail(&err, "nothing to write from the %s view: %s%s%s", viz_view_name(view), f.empty,
                     f.empty_hint ? ". " : "", f.empty_hint ? f.empty_hint : "");
    }
    ExportInput in = {st->trace, &f};
    if (rc == 0) rc = fmt->write(&in, out, &err);
    if (rc != 0) fprintf(stderr, "bertology: %s\n", err.msg);
    else if (!quiet && fmt->of_view && strcmp(fmt->ext, ".csv") == 0)
        printf(_("wrote %s: the numbers of the %s view, %d rows × %d columns\n"), out, viz_view_name(view), f.nrows,
               f.ncols);
    else if (!quiet)
        printf(_("wrote %s: the %s view as SVG\n"), out, viz_view_name(view));
    fig_free(&f);
    fig_cache_free(&cache);
    return rc ? 1 : 0;
}
