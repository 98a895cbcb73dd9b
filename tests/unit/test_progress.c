/* The progress line (src/repl/progress_line.c) on core's reports, with a
 * fake clock: a loop shorter than after_s prints nothing; a longer one
 * writes "\r<line>\033[K" in place, translated by its message id, not
 * again for the same count, and erases it at the end; a new loop starts
 * its own clock. */
#include "bertology/progress.h"
#include "bertology/progress_line.h"
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

static double now_s;
static double fake_clock(void) { return now_s; }

static const char *WHAT = "scan: %ld of %ld heads knocked out";

/* What pl printed since the last call (out is a tmpfile). */
static const char *printed(FILE *out) {
    static char buf[512];
    long end = ftell(out);
    static long from;
    if (end < from) from = 0;
    fseek(out, from, SEEK_SET);
    size_t n = fread(buf, 1, (size_t)(end - from) < sizeof buf - 1 ? (size_t)(end - from) : sizeof buf - 1, out);
    buf[n] = '\0';
    from = end;
    fseek(out, end, SEEK_SET);
    return buf;
}

int main(void) {
    FILE *out = tmpfile();
    if (!out) return 2;
    ProgressLine pl = {.out = out, .after_s = 0.5, .clock = fake_clock};
    progress_line_install(&pl);

    /* a short loop: nothing at all */
    now_s = 10.0;
    bt_progress(WHAT, 1, 4);
    now_s = 10.3;
    bt_progress(WHAT, 2, 4);
    bt_progress(WHAT, 4, 4);
    CHECKF(strcmp(printed(out), "") == 0, "short loop printed something");

    /* a long one: shown once past 0.5 s, rewritten in place, erased at the end */
    now_s = 20.0;
    bt_progress(WHAT, 3, 144);
    CHECK(strcmp(printed(out), "") == 0);
    now_s = 20.6;
    bt_progress(WHAT, 37, 144);
    const char *s = printed(out);
    CHECKF(strcmp(s, "\rscan: 37 of 144 heads knocked out\033[K") == 0, "got '%s'", s);
    bt_progress(WHAT, 38, 144);
    s = printed(out);
    CHECKF(strcmp(s, "\rscan: 38 of 144 heads knocked out\033[K") == 0, "got '%s'", s);
    /* the same count again (scan reports a layer's end) is not redrawn; the
     * same text at another address is the same loop */
    char same[64];
    strcpy(same, WHAT);
    bt_progress(same, 38, 144);
    CHECK(strcmp(printed(out), "") == 0);
    bt_progress(WHAT, 144, 144);
    s = printed(out);
    CHECKF(strcmp(s, "\r\033[K") == 0, "end: '%s'", s);

    /* the next loop is timed from its own first report */
    now_s = 30.0;
    bt_progress("census: %ld of %ld lines", 1, 9);
    now_s = 30.4;
    bt_progress("census: %ld of %ld lines", 2, 9);
    CHECK(strcmp(printed(out), "") == 0);
    now_s = 31.0;
    bt_progress("census: %ld of %ld lines", 5, 9);
    s = printed(out);
    CHECKF(strcmp(s, "\rcensus: 5 of 9 lines\033[K") == 0, "got '%s'", s);
    bt_progress("census: %ld of %ld lines", 9, 9);
    CHECK(strcmp(printed(out), "\r\033[K") == 0);

    bt_progress_hook(NULL, NULL);
    bt_progress(WHAT, 1, 2);   /* no hook: nothing, no crash */
    CHECK(strcmp(printed(out), "") == 0);
    fclose(out);
    return test_done("progress");
}
