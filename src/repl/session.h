#ifndef BT_REPL_SESSION_H
#define BT_REPL_SESSION_H
/* The state of one REPL session: the model, the current sentence and its
 * forward pass, where the learner is in the pipeline, and the settings.
 * Every command receives the Session; nothing else holds state. */
#include <stdint.h>
#include <stdio.h>
#include "bertology/error.h"
#include "bertology/lens.h"
#include "bertology/masking.h"
#include "bertology/model.h"
#include "bertology/pass.h"
#include "bertology/stages.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"
#include "bertology/view_follow.h"
#include "bertology/viz.h"

typedef enum { COLOUR_AUTO = 0, COLOUR_OFF, COLOUR_256, COLOUR_TRUE } ColourMode;

typedef struct {
    int precision;          /* digits after the decimal point */
    ColourMode colour;      /* as requested; see term_colour_level */
    int plain;              /* --plain: no colour whatever the terminal */
    uint64_t seed;          /* for `mask` */
    int causal;             /* GPT-style mask on attention */
    int unscaled;           /* scores without 1/√d (lesson 5) */
    int truncate;           /* cut over-long sentences instead of refusing */
    int width;              /* 0: ask the terminal */
    Ablation ablate;        /* heads and FFNs knocked out (`ablate`); kept with the switches, so that
                             * a lesson puts them back as it does causal and scale */
} Settings;

typedef struct Session {
    BertModel model;
    int model_borrowed;     /* model belongs to the caller (the lesson checker shares
                             * one among sessions): session_free and a swap leave it */
    Settings set;
    FILE *out;

    /* The current sentence and its forward pass (pass.text NULL before the
     * first one): pass.in as encoded, pass.ids after masking. */
    Pass pass;
    unsigned char *mask;    /* (T) MaskKind per position (bertology/masking.h) */
    uint64_t rng;           /* advanced by each `mask` */

    char *rejected;         /* last sentence refused as too long, for `set truncate on` */
    StagePos pos;

    struct VecState *vec;   /* static vectors and the last compare (cmd_vectors.c); NULL until used */
    struct LessonState *lesson; /* the guided lesson (cmd_lesson.c); NULL until `lesson` is used */
    ScanResult *scan;           /* the last `scan` (cmd_ablate.c), for the window; NULL before one */
    struct Saliency *saliency;  /* the last `saliency` (cmd_saliency.c), for the window; NULL before one */
    LensResult *lens;           /* the last `lens` (cmd_lens.c), its first position, for the window; NULL before one */
    struct WhatIf *whatif;      /* the last `whatif` (cmd_whatif.c), for the window; NULL when off */

    /* The last `census FILE` (cmd_census.c) and its file, for the window's
     * census view; NULL after a census of the sentence. census_model_gen:
     * vs.model_gen when it was taken (a `checkpoint` makes it stale). */
    struct Census *census;
    char *census_source;
    unsigned census_model_gen;

    Viz *viz;               /* NULL without a window */
    VizState vs;            /* what the window reads; kept alive here */
    ViewFollow follow;      /* the view a window would show (for `export` without one) */
    unsigned vs_gen;        /* bumped with each new state */
    RunLog run;             /* the model's training run, for the window's training view */

    int quit;
} Session;

/* Sentence and forward pass (session.c). */
int session_set_sentence(Session *s, const char *text, BtError *err);
/* Re-runs the forward pass on s->pass.ids (after masking or a switch). */
int session_run(Session *s, BtError *err);
/* The switches in force (causal, scale, knock-outs) as a Pass takes them:
 * every pass the session makes runs with them. */
PassOptions session_pass_options(const Session *s);
/* Checks that a sentence has been entered; fails with advice otherwise. */
int session_need_sentence(const Session *s, BtError *err);
int session_T(const Session *s);
/* What session_swap_model did to the sentence. */
typedef struct {
    int vocab_changed;      /* the new model reads another vocabulary: the sentence was tokenized again */
    int mask_dropped;       /* ... into other word pieces, so the masking could not be carried over */
    int old_T, new_T;       /* tokens before and after (0 without a sentence) */
    int ablate_dropped;     /* knock-outs of heads or layers the new model lacks, dropped */
} ModelSwap;

/* Replaces the session's model by *m, a loaded model, and re-runs the
 * current sentence on it with its masking, stage, layer and head kept
 * (layer and head cut to the new model's sizes). On success the session
 * owns the model (*m is zeroed) and the old one is freed; on failure
 * nothing has changed and *m is still the caller's. */
int session_swap_model(Session *s, BertModel *m, ModelSwap *sw, BtError *err);
/* Tells the window (if any) where we are and what to draw. */
void session_sync_viz(Session *s);
/* s->vs filled for the REPL's current state, the training run's logs read
 * again too (what the window reads; `export` reads it without a window). */
void session_view_state(Session *s);
void session_free(Session *s);
/* A zeroed session that runs lines unattended (the lesson checker, tests,
 * the REPL's fuzz target) on model, which it borrows (session_free leaves
 * it): output to out, plain, 3 digits, 100 columns, seed 42. */
void session_init_borrowed(Session *s, const BertModel *model, FILE *out);

#endif
