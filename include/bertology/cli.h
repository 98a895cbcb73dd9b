#ifndef BERTOLOGY_CLI_H
#define BERTOLOGY_CLI_H
/* Subcommands for scripts (src/cli/, one file per family; main.c's table
 * runs them): each takes argc/argv after the subcommand name, parses them
 * with cli_parse (bertology/cli_opts.h), prints its result on stdout, a
 * one-line error on stderr, and returns the exit status: 0, 1 when the
 * work failed, 2 for a bad command line. */
#include <stdio.h>
#include "bertology/cli_opts.h"
#include "bertology/i18n.h"   /* N_: the tables' help, translated by cli_opts.c */
#include "bertology/export.h"
#include "bertology/model.h"
#include "bertology/safetext.h"  /* json_string, safe_str: every printed token */

/* cli_engine.c: the forward pass for scripts */
int cli_tokenize(int argc, char **argv);
int cli_dump(int argc, char **argv);
int cli_predict(int argc, char **argv);
/* cli_lens.c */
int cli_lens(int argc, char **argv);
/* cli_scan.c: every head knocked out in turn (core/scan.h), as grids of
 * Δ log p of the [MASK] word and of IsNext */
int cli_scan(int argc, char **argv);
/* cli_saliency.c: gradient × input and integrated gradients of a [MASK] word (core/saliency.h) */
int cli_saliency(int argc, char **argv);
/* cli_rollout.c, cli_census.c: attention rollout and flow, the head census */
int cli_rollout(int argc, char **argv);
int cli_census(int argc, char **argv);
/* cli_whatif.c: two runs compared (core/whatif.h): attention, hidden vectors, guesses */
int cli_whatif(int argc, char **argv);
/* cli_train.c: pretraining */
int cli_train(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_vocab(int argc, char **argv);
int cli_pack(int argc, char **argv);
/* cli_vectors.c: static word vectors (convert|info|similar|analogy) */
int cli_vectors(int argc, char **argv);
/* cli_lesson.c: the lessons listed, or --check'ed against a model (1
 * when a command fails or a check does not hold) */
int cli_lesson(int argc, char **argv);
/* cli_hub.c: the Hugging Face hub and the model cache */
int cli_pull(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_models(int argc, char **argv);
/* cli_plot.c: a training run's curves drawn off-screen by the window's
 * training view, as PNG; or its numbers (.csv) or picture (.svg) */
int cli_plot(int argc, char **argv);

/* cli_export.c: `--out FILE.csv|.svg` of dump and plot: the view's figure
 * (src/figure) written as fmt says; one line on stderr when it cannot be
 * (and the line of what was written on stdout unless quiet). Returns the
 * exit status. */
int cli_export_view(const ExportFormat *fmt, const char *out, VizView view, const VizState *st, const FigParams *p,
                    int quiet);

/* --model's help wherever cli_load_model reads it. */
#define CLI_MODEL_HELP N_("model directory, or the id of a pulled model (default: the shipped model)")

/* Loads dir, or the default model when dir is NULL; on failure prints one
 * line naming what was wrong and returns -1. */
int cli_load_model(const char *dir, BertModel *m);
/* An instrument's start: TEXT (the positional words, joined; the caller
 * frees it) and the model of --model; NULL after one line on stderr, with
 * no model left loaded. */
char *cli_text_and_model(int words, char **argv, const char *dir, BertModel *m);

#endif
