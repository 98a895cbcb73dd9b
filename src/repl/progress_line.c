/* Core's progress as one line on a terminal (progress_line.h). */
#include "bertology/progress_line.h"
#include <string.h>
#include <time.h>
#include "bertology/i18n.h"
#include "bertology/progress.h"

static double monotonic_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

void progress_line_report(void *ctx, const char *what, long done, long total) {
    ProgressLine *pl = ctx;
    double now = pl->clock ? pl->clock() : monotonic_s();
    if (!pl->what || strcmp(pl->what, what) != 0) {   /* a new loop (its message id is its name) */
        pl->what = what;
        pl->t0 = now;
    }
    if (done >= total) {
        if (pl->shown) fputs("\r\033[K", pl->out);   /* erase the line: what follows starts clean */
        pl->shown = 0;
        pl->what = NULL;
        fflush(pl->out);
        return;
    }
    if (now - pl->t0 < pl->after_s || (pl->shown && done == pl->done)) return;
    pl->done = done;
    /* what is a message id with two %ld (progress.h); msgfmt --check keeps translations to it */
    fputc('\r', pl->out);
    fprintf(pl->out, _(what), done, total);
    fputs("\033[K", pl->out);
    fflush(pl->out);
    pl->shown = 1;
}

void progress_line_install(ProgressLine *pl) {
    pl->what = NULL;
    pl->shown = 0;
    bt_progress_hook(progress_line_report, pl);
}
