#ifndef BERTOLOGY_PASS_H
#define BERTOLOGY_PASS_H
/* One sentence through the model: its text, its tokens, the ids the model
 * reads, the switches it ran with and every intermediate (the Trace).
 * This is what the REPL, the window, the lessons, `compare`, the engine
 * commands and the evaluators analyse; each builds a Pass here instead of
 * repeating encode → trace_alloc → forward_prepare → switches → forward.
 *
 * Two steps, so that a caller can look at the tokens before the model
 * runs (find a word, count the [MASK]s, refuse a cut sentence with its own
 * advice, mask some positions): pass_encode, then pass_rerun. pass_run
 * does both. A Pass borrows its model, which must outlive it. */
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"

/* How to run the sentence. Zeroed options are the plain model.
 * The instruments (issue 15) plug in here as further fields (heads to
 * knock out, a layer's FFN to skip, ...), each applied by pass_rerun, so
 * a sentence can be run again with one change and the two Passes
 * compared (pass_copy). */
typedef struct {
    int causal;     /* attention masks the keys after each query (GPT-style; `set causal on`) */
    int unscaled;   /* scores without the 1/√d (`set scale off`) */
    int mlm;        /* run the MLM head on every position (when the model has one) */
    int truncate;   /* cut a text longer than the model reads (longest segment first; in.n_full keeps
                     * its length) instead of refusing it with tok_encode's message */
    Ablation ablate;    /* heads and FFNs knocked out (ablate.h; `ablate`); none when n == 0 */
} PassOptions;

typedef struct {
    const BertModel *model;  /* borrowed */
    char *text;              /* as given */
    TokInput in;             /* as encoded: ids, segments, word of each token */
    int *ids;                /* (T) what the model reads: in.ids unless the caller replaced some (masking) */
    const char **tokens;     /* (T) token strings of ids, owned by the model's tokenizer */
    PassOptions opt;         /* of the last run */
    Trace tr;                /* B == 1, T == in.n; tr.arena NULL until the model has run */
} Pass;

/* Encodes text for m (p is overwritten: free an old Pass first). On
 * failure p is left empty (pass_free is harmless) and err says why. */
int pass_encode(Pass *p, const BertModel *m, const char *text, const PassOptions *opt, BtError *err);
/* Runs the model on p->ids with opt (NULL: the options p has), the first
 * time or again: same text, other switches or other ids. The trace is
 * allocated once and overwritten; tokens follow the ids. */
int pass_rerun(Pass *p, const PassOptions *opt, BtError *err);
/* pass_encode then pass_rerun; on failure p is left empty. */
int pass_run(Pass *p, const BertModel *m, const char *text, const PassOptions *opt, BtError *err);
/* A second Pass of src's sentence as the model reads it (src's ids, so
 * its masking too) run with opt: the same sentence with one switch
 * changed, to compare with src (the intact run beside an ablated one).
 * src must have been encoded; on failure dst is left empty. */
int pass_copy(Pass *dst, const Pass *src, const PassOptions *opt, BtError *err);
/* The tokens of word w (tok_encode's word index, in.word): how many, and
 * the first in *first (-1 when none). */
int pass_word_span(const Pass *p, int w, int *first);
/* The (T, H) hidden vectors at a point along the model: 0 is the
 * embedding output, point l + 1 the output of layer l. */
const float *pass_point(const Pass *p, int point);
/* 1 once the model has run (the trace holds a result). */
int pass_has_trace(const Pass *p);
int pass_T(const Pass *p);   /* tokens; 0 for an empty Pass */
void pass_free(Pass *p);

#endif
