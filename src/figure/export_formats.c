/* The formats `export` writes (bertology/export.h): the pass as numpy
 * arrays, the view on show as a table or as a picture. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "bertology/export.h"
#include "bertology/i18n.h"
#include "bertology/trace_npz.h"

static int write_npz(const ExportInput *in, const char *path, BtError *err) {
    return trace_export_npz(in->trace, path, err);
}

static int write_csv(const ExportInput *in, const char *path, BtError *err) { return fig_write_csv(in->fig, path, err); }

static int write_svg(const ExportInput *in, const char *path, BtError *err) { return fig_write_svg(in->fig, path, err); }

static const ExportFormat FORMATS[] = {
    {".npz", N_("every intermediate of the forward pass, for numpy.load"), 0, write_npz},
    {".csv", N_("the numbers behind the view on show, as a table"), 1, write_csv},
    {".svg", N_("the view on show as a picture: heatmaps, line plots, bars"), 1, write_svg},
};
enum { NFORMATS = sizeof FORMATS / sizeof *FORMATS };

int export_format_count(void) { return NFORMATS; }

const ExportFormat *export_format_at(int i) { return i >= 0 && i < NFORMATS ? &FORMATS[i] : NULL; }

const ExportFormat *export_format_for(const char *path, BtError *err) {
    size_t n = strlen(path);
    for (int i = 0; i < NFORMATS; i++) {
        size_t e = strlen(FORMATS[i].ext);
        if (n > e && strcasecmp(path + n - e, FORMATS[i].ext) == 0) return &FORMATS[i];
    }
    char list[512];
    size_t len = 0;
    for (int i = 0; i < NFORMATS && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s (%s)", i == 0 ? "" : i == NFORMATS - 1 ? _(" or ") : ", ",
                                FORMATS[i].ext, _(FORMATS[i].what));
    bt_fail(err, "cannot tell what to write from the name '%s': it must end in %s", path, list);
    return NULL;
}
