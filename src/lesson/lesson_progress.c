/* How far a learner got: $XDG_STATE_HOME/bertology/lessons, one line per
 * lesson, "STEM STEP N_STEPS open|done", keyed by the file's stem so that
 * every translation of a lesson shares its progress. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bertology/lesson.h"
#include "bertology/paths.h"

int lesson_progress_load_path(LessonProgressStore *ps, const char *path, BtError *err) {
    memset(ps, 0, sizeof *ps);
    snprintf(ps->path, sizeof ps->path, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f) return errno == ENOENT ? 0 : bt_fail(err, "%s: %s", path, strerror(errno));
    char line[256];
    while (fgets(line, sizeof line, f)) {
        LessonProgress r;
        char state[16];
        memset(&r, 0, sizeof r);
        /* A line we cannot read is dropped: losing one lesson's place is
         * better than refusing to start. */
        if (sscanf(line, "%63s %d %d %15s", r.stem, &r.step, &r.n_steps, state) != 4) continue;
        if (r.step < 0 || r.n_steps <= 0) continue;
        r.done = strcmp(state, "done") == 0;
        LessonProgress *g = realloc(ps->rows, (size_t)(ps->n + 1) * sizeof *g);
        if (!g) { fclose(f); lesson_progress_free(ps); return bt_fail(err, "out of memory"); }
        ps->rows = g;
        ps->rows[ps->n++] = r;
    }
    fclose(f);
    return 0;
}

int lesson_progress_load(LessonProgressStore *ps, BtError *err) {
    char dir[1024];
    memset(ps, 0, sizeof *ps);
    if (!paths_state_dir(dir, sizeof dir))
        return bt_fail(err, "no place to keep lesson progress ($XDG_STATE_HOME and $HOME are unset or unwritable)");
    char path[1100];
    snprintf(path, sizeof path, "%s/lessons", dir);
    return lesson_progress_load_path(ps, path, err);
}

const LessonProgress *lesson_progress_get(const LessonProgressStore *ps, const char *stem) {
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->rows[i].stem, stem) == 0) return &ps->rows[i];
    return NULL;
}

/* The whole file is written anew beside the old one and renamed over it,
 * so a crash leaves the old progress, never half a file. */
static int save(const LessonProgressStore *ps, BtError *err) {
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", ps->path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) return bt_fail(err, "cannot save lesson progress to %s: %s", ps->path, strerror(errno));
    for (int i = 0; i < ps->n; i++)
        fprintf(f, "%s %d %d %s\n", ps->rows[i].stem, ps->rows[i].step, ps->rows[i].n_steps,
                ps->rows[i].done ? "done" : "open");
    int bad = ferror(f);
    if (fclose(f) != 0) bad = 1;
    if (bad || rename(tmp, ps->path) != 0) {
        int e = errno;
        unlink(tmp);
        return bt_fail(err, "cannot save lesson progress to %s: %s", ps->path, strerror(e));
    }
    return 0;
}

int lesson_progress_set(LessonProgressStore *ps, const char *stem, int step, int n_steps, int done, BtError *err) {
    if (strlen(stem) >= sizeof ps->rows[0].stem || strchr(stem, ' '))
        return bt_fail(err, "'%s' cannot be a lesson's key", stem);
    LessonProgress *r = (LessonProgress *)lesson_progress_get(ps, stem);
    if (!r) {
        LessonProgress *g = realloc(ps->rows, (size_t)(ps->n + 1) * sizeof *g);
        if (!g) return bt_fail(err, "out of memory");
        ps->rows = g;
        r = &ps->rows[ps->n++];
        memset(r, 0, sizeof *r);
        snprintf(r->stem, sizeof r->stem, "%s", stem);
    }
    r->step = step;
    r->n_steps = n_steps;
    r->done = r->done || done;
    return save(ps, err);
}

void lesson_progress_free(LessonProgressStore *ps) {
    free(ps->rows);
    ps->rows = NULL;
    ps->n = 0;
}
