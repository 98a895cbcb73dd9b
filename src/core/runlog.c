/* Finding a model's training run and reading its logs (runlog.h). */
#include "bertology/runlog.h"
#include <stdio.h>
#include <string.h>
#include "bertology/checkpoints.h"

void runlog_read(RunLog *r, const char *model_dir) {
    memset(r, 0, sizeof *r);
    r->model_step = -1;
    if (!model_dir) {
        r->status = 1;
        return;
    }
    snprintf(r->source, sizeof r->source, "%s", model_dir);
    BtError err = {""};
    int rc = trainlog_load(&r->log, model_dir, &err);
    /* The trainer keeps its snapshots inside the run directory, beside
     * the logs: a snapshot's curves are the run's. */
    char run[4096];
    long step = rc == 1 ? checkpoint_in_run(model_dir, run, sizeof run) : -1;
    if (step != -1) {
        rc = trainlog_load(&r->log, run, &err);
        if (rc == 0) {
            r->model_step = step;
            snprintf(r->source, sizeof r->source, "%.*s", (int)sizeof r->source - 1, run);
        }
    }
    r->status = rc;
    if (rc < 0) snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

void runlog_take(RunLog *r, TrainLog *log) {
    memset(r, 0, sizeof *r);
    r->model_step = -1;
    snprintf(r->source, sizeof r->source, "%s", log->dir ? log->dir : "");
    r->log = *log;
    memset(log, 0, sizeof *log);
}

void runlog_free(RunLog *r) {
    trainlog_free(&r->log);
    r->status = 1;
}
