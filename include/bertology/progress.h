#ifndef BERTOLOGY_PROGRESS_H
#define BERTOLOGY_PROGRESS_H
/* Progress of core's long loops: scan's knock-outs, integrated gradients'
 * rows, a census file's sentences. On bert-base at T = 128 a scan takes
 * ~17 s and IG ~5 s (1,000 steps: minutes); without a sign of life a
 * learner takes that for a hang. Core only reports; the program's front
 * end (main.c: a line on a terminal's stderr, src/repl/progress_line.c)
 * shows it. One hook for the process, none by default; it is called on
 * the thread that runs the loop, between its steps. */

/* what: an untranslated message id (N_()) naming the loop and its unit,
 * "integrated gradients: %ld of %ld rows" (the front end prints it with
 * done and total, and tells loops apart by it); a loop reports done = 0
 * before its first step (a front end times it from there), counts up to
 * total, and ends with done == total (also when it stops on an error, so
 * that a shown line is cleared). */
typedef void (*BtProgressFn)(void *ctx, const char *what, long done, long total);

/* Sets the hook (fn NULL: none). */
void bt_progress_hook(BtProgressFn fn, void *ctx);
/* Reports to the hook, if any. */
void bt_progress(const char *what, long done, long total);

#endif
