#ifndef BERTOLOGY_CHECKPOINTS_H
#define BERTOLOGY_CHECKPOINTS_H
/* The snapshots a training run keeps beside a model's weights: step-N/
 * directories, each a model directory of its own (config.json, vocab.txt,
 * model.safetensors). The one reader of that layout for the REPL's
 * `checkpoint` command and the lessons' `checkpoints()`. */
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
    long final_step;        /* root/train.log's last step; -1 when unknown */
} CheckpointList;

/* The checkpoints of the model in dir. The snapshots belong to their
 * root: dir itself, or its parent when dir is a step-N directory of a
 * model (a lone step-N directory is a model of its own). No step-N
 * directory is an empty list, not an error. */
int checkpoints_scan(const char *dir, CheckpointList *k, BtError *err);
void checkpoints_free(CheckpointList *k);
/* "step-400" -> 400; any other name -> -1. */
long checkpoint_step_of(const char *name);

#endif
