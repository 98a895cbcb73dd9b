#ifndef BERTOLOGY_CHECKPOINTS_H
#define BERTOLOGY_CHECKPOINTS_H
/* The snapshots a training run keeps beside a model's weights: step-N/
 * directories, each a model directory of its own (config.json, vocab.txt,
 * model.safetensors), and latest/, the trainer's most recent state. The
 * one reader of that layout: the REPL's `checkpoint` command, the lessons'
 * `checkpoints()`, the training logs' checkpoint marks (trainlog.c) and
 * the run a checkpoint's log is found in (runlog.c). */
#include <stddef.h>
#include "bertology/error.h"

typedef struct {
    long step;
    char name[64];          /* "step-400", as the directory is spelled */
} Checkpoint;

typedef struct {
    char root[4096];        /* the model directory the snapshots live in */
    char current[64];       /* which one dir is: "final" or a step-N name */
    Checkpoint *v;          /* the step-N model directories, by step */
    int n;
} CheckpointList;

/* The checkpoints of the model in dir. The snapshots belong to their
 * root: dir itself, or its parent when dir is a step-N directory of a
 * model (a lone step-N directory is a model of its own). No step-N
 * directory is an empty list, not an error. Reads the directory only,
 * not the run's logs (the lessons' `checkpoints()` calls it often). */
int checkpoints_scan(const char *dir, CheckpointList *k, BtError *err);
void checkpoints_free(CheckpointList *k);
/* "step-400" -> 400; any other name -> -1. */
long checkpoint_step_of(const char *name);

enum { CHECKPOINT_LATEST = -2 };
/* Whether dir is a snapshot inside a run: "runs/x/step-400" -> 400,
 * "runs/x/latest" -> CHECKPOINT_LATEST, with the run ("runs/x") in run;
 * -1 for any other directory (run untouched). */
long checkpoint_in_run(const char *dir, char *run, size_t n);
/* The step-N subdirectories of dir, by step, into a malloc'ed *v (free
 * it): with models_only those holding a model (what `checkpoint` can
 * load), otherwise every one (what a run's log marks as kept). */
int checkpoints_in(const char *dir, int models_only, Checkpoint **v, int *n, BtError *err);

#endif
