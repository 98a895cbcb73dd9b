#ifndef BERTOLOGY_RUNLOG_H
#define BERTOLOGY_RUNLOG_H
/* The training run a model came from, as the window's training view
 * shows it: the logs beside the model's weights or, when the model is a
 * snapshot inside a run directory (step-N/ or latest/), the run's logs
 * with that step marked. The REPL reads it and hands it to the window in
 * its VizState, so that drawing never reads a file. */
#include "bertology/trainlog.h"

typedef struct {
    int status;             /* 0 read, 1 no log there (or no directory), -1 unreadable (msg says why) */
    char msg[512];
    char source[512];       /* what the title bar names as the curves' origin */
    long model_step;        /* the snapshot on show: its step-N, CHECKPOINT_LATEST, or -1 */
    TrainLog log;           /* when status is 0 */
} RunLog;

/* Reads the run of the model in model_dir (NULL: a model from no
 * directory, status 1). Never fails: status and msg say what was found. */
void runlog_read(RunLog *r, const char *model_dir);
/* A log the caller read itself (`bertology plot`): *r takes it over. */
void runlog_take(RunLog *r, TrainLog *log);
void runlog_free(RunLog *r);

#endif
