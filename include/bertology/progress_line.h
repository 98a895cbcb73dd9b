#ifndef BERTOLOGY_PROGRESS_LINE_H
#define BERTOLOGY_PROGRESS_LINE_H
/* Core's progress reports (bertology/progress.h) as one line on a
 * terminal: "scan: 37 of 144 heads knocked out", rewritten in place, shown
 * only once a loop has run for `after_s` seconds (short loops print
 * nothing) and erased when it ends, so the output that follows is what it
 * would have been without it. main.c installs it when stderr is a
 * terminal; transcripts and pipes never see it. */
#include <stdio.h>

typedef struct {
    FILE *out;
    double after_s;     /* show a loop only after this long */
    double (*clock)(void);   /* seconds; monotonic (NULL: CLOCK_MONOTONIC), a test's own */
    const char *what;   /* the loop being timed */
    double t0;
    int shown;          /* a line is on the screen */
    long done;          /* the count it shows */
} ProgressLine;

/* Installs pl as the process's progress hook; out, after_s and clock set by the caller. */
void progress_line_install(ProgressLine *pl);
/* The hook itself (for tests). */
void progress_line_report(void *pl, const char *what, long done, long total);

#endif
