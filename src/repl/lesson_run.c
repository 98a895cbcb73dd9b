/* The REPL as a lesson's host for the unattended checker (bertology/repl.h):
 * `bertology lesson --check` gets a LessonHost without seeing a Session. */
#include <stdlib.h>
#include "bertology/lesson.h"
#include "bertology/repl.h"
#include "commands.h"

struct ReplLessonRun {
    Session s;
};

int repl_lesson_run_open(ReplLessonRun **run, const BertModel *model, FILE *out, LessonHost *host, BtError *err) {
    ReplLessonRun *r = calloc(1, sizeof *r);
    if (!r) return bt_fail(err, "out of memory");
    session_init_borrowed(&r->s, model, out);
    if (lesson_session_host(&r->s, host, err) != 0) {
        session_free(&r->s);
        free(r);
        return -1;
    }
    *run = r;
    return 0;
}

void repl_lesson_run_close(ReplLessonRun *run) {
    if (!run) return;
    session_free(&run->s);
    free(run);
}
