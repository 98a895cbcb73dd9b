/* The training loop, read as llm.c's reads: open (options, tokenizer,
 * corpora, model, optimizer, the run's state when resuming); for each
 * step fill a batch, take the step, log, checkpoint, evaluate; close.
 * The parts have their own files: train_pool.c (where batches come from),
 * train_batch.c (how a batch sits in the trace), train_step.c (the
 * gradient), train_state.c (state.bin), train_log.c (logs and progress
 * lines), repeat_table.c (the words copy-free masking takes together). */
#include "bertology/trainer.h"
#include "bertology/adamw.h"
#include "bertology/backward.h"
#include "bertology/corpus.h"
#include "bertology/eval.h"
#include "bertology/ops.h"
#include "bertology/repeat_table.h"
#include "bertology/train_batch.h"
#include "bertology/train_init.h"
#include "bertology/train_log.h"
#include "bertology/train_pool.h"
#include "bertology/train_state.h"
#include "bertology/train_step.h"
#include "bertology/unlikely.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const TrainOptions *o;
    Tokenizer *tok;
    BertConfig cfg;            /* o->cfg with the vocabulary's size */
    Corpus train, held;        /* held has no documents without --heldout */
    InstanceSpec spec;         /* training instances */
    InstanceSpec espec;        /* held-out ones: BERT's pairs, at up to EVAL_MAX_LEN */
    unsigned char *repeats;    /* repeat_table under copy-free masking, else NULL */

    BertModel m, g;            /* the weights, their gradient */
    AdamW opt;
    Trace tr;                  /* B × --seq-len, run at each batch's length */
    BackwardScratch s;
    TrainPool pool;
    const Instance **members;  /* (B) the batch, in the pool */
    TrainBatch batch;
    float *dlogits, *dnsp;     /* (mlm_cap × V), (B × 2): the losses' gradients */
    int *vis_ids, *vis_count;  /* (B × T), (B): --unlikely-visible's words per sequence */

    TrainLogs logs;
    LogWindow win;
    uint64_t rng, data_rng;    /* the dropout and data streams */
    long step;                 /* optimizer steps taken */
    double tokens;             /* real tokens trained on */
    double run_start;          /* train_clock() when the run would have started, had it never stopped */
} Trainer;

/* every `every` steps (0: never) */
static int due(long step, long every) {
    return every > 0 && step % every == 0;
}

/* The weights as a model directory RUN/name (step-N/, latest/). */
static int checkpoint(const Trainer *t, const char *name, BtError *err) {
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", t->o->run_dir, name);
    return model_save(&t->m, dir, 0, t->o->vocab_path, err);
}

/* ---- open ---------------------------------------------------------------- */

/* The options, the run directory, the thread count; when resuming, that
 * there is a state to resume from: all before the minutes of loading. */
static int open_options(const TrainOptions *o, BtError *err) {
    if (train_check_options(o, err)) return -1;
    if (mkdir(o->run_dir, 0755) != 0 && errno != EEXIST)
        return bt_fail(err, "%s: cannot create the run directory: %s", o->run_dir, strerror(errno));
    ops_set_threads(o->threads);
    return o->resume ? train_state_check(o->run_dir, err) : 0;
}

/* The vocabulary, the configuration, how instances are made, and the
 * recipe (written, or checked against the run's when resuming). */
static int open_recipe(Trainer *t, BtError *err) {
    const TrainOptions *o = t->o;
    if (tok_load(&t->tok, o->vocab_path, 1, err)) return -1;
    t->cfg = o->cfg;
    t->cfg.vocab_size = tok_vocab_size(t->tok);
    if (config_validate(&t->cfg, "training configuration", err) ||
        instance_spec_init(&t->spec, t->tok, o->seq_len, o->mask_rate, err))
        return -1;
    t->espec = t->spec;
    t->espec.max_len = t->cfg.max_position < EVAL_MAX_LEN ? t->cfg.max_position : EVAL_MAX_LEN;
    char warn[512] = "";
    if (train_check_init_from(o, &t->cfg, t->tok, err)) return -1;
    if (o->resume ? train_recipe_check(o, t->cfg.vocab_size, warn, sizeof warn, err)
                  : train_recipe_write(o, t->cfg.vocab_size, err))
        return -1;
    if (warn[0] && o->progress) fprintf(o->progress, "warning: %s\n", warn);
    return 0;
}

/* The corpora, and the training instances' phase options: copy-free
 * masking, short inputs. Held-out instances keep BERT's recipe, so their
 * figures stay comparable across phases. */
static int open_data(Trainer *t, BtError *err) {
    const TrainOptions *o = t->o;
    double t0 = train_clock();
    if (corpus_load(&t->train, o->train_path, t->tok, err)) return -1;
    if (o->heldout_path && corpus_load(&t->held, o->heldout_path, t->tok, err)) return -1;
    const Corpus *c = &t->train;
    if (o->progress)
        fprintf(o->progress, "corpus: %ld documents, %ld sentences, %ld pieces (%.2f%% [UNK]) in %.1fs\n", c->n_docs,
                c->n_sents, c->n_ids, 100.0 * c->n_unk / (c->n_ids ? c->n_ids : 1), train_clock() - t0);
    int copy_free = o->mask_repeats || o->mask_repeats_shared;
    if (copy_free && !(t->repeats = repeat_table(t->tok, c))) return bt_fail(err, "out of memory");
    t->spec.mask.repeats = t->repeats;
    t->spec.mask.repeats_shared = o->mask_repeats_shared;
    t->spec.cut_prob = o->short_inputs;
    t->spec.cut_min = o->short_inputs_min;
    if (o->short_inputs > 0 && o->progress)
        fprintf(o->progress, "instances: %g of them cut to %d..%d tokens (log-uniform)\n", o->short_inputs,
                o->short_inputs_min, o->seq_len);
    if (copy_free && o->progress)
        fprintf(o->progress, "masking: copy-free (a chosen word takes its repeats%s)\n",
                o->mask_repeats_shared ? ", all with one 80/10/10 draw" : "");
    if (o->unlikely_visible > 0 && o->progress)
        fprintf(o->progress, "loss: + %g x unlikelihood of the words each sequence shows\n", o->unlikely_visible);
    return 0;
}

/* Batches of at most this many positions get an MLM row for every one:
 * in a small batch the count of chosen positions spreads more, relative
 * to its mean, than the margin of mlm_rows_cap allows for. */
enum { MLM_CAP_SMALL_BATCH = 1024 };

/* Rows for a batch's chosen positions: 1/0.6 = 1.67× their mean count plus
 * one per sequence (B·T/4 + B at BERT's 15%), dozens of standard
 * deviations above what a real batch draws, at most B·T; a small batch,
 * where the count spreads more, gets a row for every position. Chosen
 * positions past it would be left out of the loss. */
static int mlm_rows_cap(int B, int T, float rate) {
    long cap = (long)((double)B * T * rate / 0.6) + B, all = (long)B * T;
    return (int)(cap > all || all <= MLM_CAP_SMALL_BATCH ? all : cap);
}

/* Every buffer a step uses, sized for the longest batch. */
static int open_model(Trainer *t, BtError *err) {
    const TrainOptions *o = t->o;
    int B = o->batch, T = o->seq_len, V = t->cfg.vocab_size, mlm_cap = mlm_rows_cap(B, T, o->mask_rate);
    if (model_alloc(&t->m, &t->cfg, err) || model_alloc(&t->g, &t->cfg, err)) return -1;
    if (adamw_init(&t->opt, &t->m, o->beta1, o->beta2, o->eps, o->weight_decay)) return bt_fail(err, "out of memory");
    if (trace_alloc(&t->tr, &t->m, B, T, mlm_cap, o->dropout, err)) return -1;
    if (backward_scratch_alloc(&t->s, &t->tr, err)) return -1;   /* at the full T, before any batch shrinks it */
    t->m.has_mlm = t->m.has_nsp = 1;
    t->dlogits = malloc(sizeof(float) * (size_t)mlm_cap * V);
    t->dnsp = malloc(sizeof(float) * 2 * B);
    t->vis_ids = malloc(sizeof(int) * (size_t)B * T);
    t->vis_count = malloc(sizeof(int) * B);
    t->members = malloc(sizeof *t->members * B);
    if (train_batch_alloc(&t->batch, B, mlm_cap, 0) || !t->dlogits || !t->dnsp || !t->vis_ids || !t->vis_count ||
        !t->members)
        return bt_fail(err, "out of memory (lower --batch)");
    return train_pool_alloc(&t->pool, B, T, err);
}

/* Where the run stands: fresh weights (and the step-0 checkpoint), or the
 * state it was stopped in; its logs; both random streams. */
static int open_run(Trainer *t, BtError *err) {
    const TrainOptions *o = t->o;
    TrainState st = {0};
    t->rng = o->seed ? o->seed : 1;
    t->data_rng = train_data_stream(t->rng);
    TrainInitStats ist;
    if (train_init_params(&t->m, o, &t->train, t->tok, &t->rng, &ist, err)) return -1;
    if (!o->resume && o->init_vectors_path && o->progress)
        fprintf(o->progress, "init: word rows from %s: %d whole words, %d pieces as the mean of the words holding "
                "them, %d left random\n", o->init_vectors_path, ist.direct, ist.mean, ist.random);
    if (o->resume) {
        if (train_state_load(o->run_dir, &t->m, &t->opt, &st, err)) return -1;
        if (o->progress) fprintf(o->progress, "resumed %s at step %ld\n", o->run_dir, st.step);
        t->step = st.step;
        t->rng = st.rng;
        t->tokens = st.tokens;
    }
    if (train_logs_open(&t->logs, o->run_dir, o->resume ? t->step : -1, err)) return -1;
    if (!o->resume && o->ckpt_every > 0 && checkpoint(t, "step-0", err)) return -1;
    t->run_start = train_clock() - st.elapsed;
    log_window_start(&t->win);
    if (o->resume)
        train_pool_resume(&t->pool, &t->train, &t->spec, st.pool_rng, st.next_batch, &t->data_rng);
    return 0;
}

static void trainer_close(Trainer *t) {
    train_logs_close(&t->logs);
    train_pool_free(&t->pool);
    train_batch_free(&t->batch);
    free(t->members);
    free(t->dlogits);
    free(t->dnsp);
    free(t->vis_ids);
    free(t->vis_count);
    backward_scratch_free(&t->s);
    trace_free(&t->tr);
    adamw_free(&t->opt);
    model_free(&t->g);
    model_free(&t->m);
    corpus_free(&t->train);
    corpus_free(&t->held);
    tok_free(t->tok);
    free(t->repeats);
}

static int trainer_open(Trainer *t, const TrainOptions *o, BtError *err) {
    memset(t, 0, sizeof *t);
    t->o = o;
    if (open_options(o, err)) return -1;
    return open_recipe(t, err) || open_data(t, err) || open_model(t, err) || open_run(t, err) ? -1 : 0;
}

/* ---- one step ------------------------------------------------------------ */

/* The next batch of the pool, in the trace at its longest member's length
 * (most pairs are far shorter than --seq-len: no paying for the padding).
 * Returns the real tokens in it. */
static int fill_batch(Trainer *t, long *real, BtError *err) {
    int Tb = train_pool_next(&t->pool, &t->train, &t->spec, &t->data_rng, t->members);
    if (trace_set_T(&t->tr, Tb, err)) return -1;
    *real = train_batch_fill(&t->tr, t->members, t->o->batch, t->spec.pad_id, &t->batch);
    if (t->o->unlikely_visible > 0)
        visible_words_collect(t->tr.input_ids, t->tr.valid, t->tr.B, Tb, t->repeats, t->cfg.vocab_size, t->vis_ids,
                              t->vis_count);
    return 0;
}

/* The gradient of the batch and AdamW's step at the schedule's rate. */
static int take_step(Trainer *t, StepLoss *sl, float *lr, BtError *err) {
    const TrainOptions *o = t->o;
    VisibleWords vw = {t->vis_ids, t->vis_count, t->tr.T, o->unlikely_visible};
    train_grad(&t->m, &t->g, &t->tr, &t->s, t->batch.labels, t->batch.nsp_labels, t->dlogits, t->dnsp, o->clip,
               o->unlikely_visible > 0 ? &vw : NULL, &t->rng, sl);
    *lr = lr_schedule(t->step, o->warmup, o->steps, o->lr);
    adamw_step(&t->opt, t->m.params, t->g.params, *lr);
    t->step++;
    if (!isfinite(sl->mlm_loss + sl->nsp_loss))
        return bt_fail(err, "step %ld: the loss became %f; lower --lr or raise --warmup", t->step,
                       sl->mlm_loss + sl->nsp_loss);
    return 0;
}

/* ---- checkpoints and evaluation ----------------------------------------- */

/* The --snapshots step-N/ kept for good, and latest/ with state.bin at
 * every --ckpt-every, at the end and at --stop-after. */
static int save(Trainer *t, BtError *err) {
    const TrainOptions *o = t->o;
    for (int i = 0; i < o->n_snapshots; i++)
        if (o->snapshots[i] == t->step) {
            char name[64];
            snprintf(name, sizeof name, "step-%ld", t->step);
            if (checkpoint(t, name, err)) return -1;
            break;
        }
    if (!due(t->step, o->ckpt_every) && t->step != o->steps && t->step != o->stop_after) return 0;
    TrainState st = {t->step, t->rng, train_pool_saved_rng(&t->pool, t->data_rng), t->pool.next_batch, t->tokens,
                     train_clock() - t->run_start};
    return checkpoint(t, "latest", err) || train_state_save(o->run_dir, &t->m, &t->opt, &st, err) ? -1 : 0;
}

/* The held-out figures, always on the same EVAL_SEED instances. */
static int evaluate(Trainer *t, BtError *err) {
    EvalResult r;
    double t0 = train_clock();
    int rc = eval_run(&t->m, &t->held, &t->espec, t->o->eval_sequences, EVAL_SEED, &r, err);
    if (!rc) train_log_eval(&t->logs, t->o->progress, t->step, t->tokens, &r, train_clock() - t0);
    t->win.start += train_clock() - t0;   /* evaluation time is not training throughput */
    return rc;
}

/* ---- the loop ------------------------------------------------------------ */

int train_run(const TrainOptions *o, BtError *err) {
    Trainer t;
    int rc = trainer_open(&t, o, err);
    while (!rc && t.step < o->steps && (o->stop_after <= 0 || t.step < o->stop_after)) {
        long real;
        float lr;
        StepLoss sl;
        rc = fill_batch(&t, &real, err);
        if (!rc) rc = take_step(&t, &sl, &lr, err);
        if (rc) break;
        t.tokens += real;
        log_window_add(&t.win, &sl, t.tr.n_mlm, real);
        /* state before the log line: a run killed in between never has a
         * log that runs ahead of what it can resume from at a stop step */
        rc = save(&t, err);
        if (!rc && (t.step % o->log_every == 0 || t.step == o->steps))
            train_log_step(&t.logs, o, &t.win, t.step, t.tokens, train_clock() - t.run_start, lr, sl.grad_norm);
        if (!rc && t.held.n_docs && (due(t.step, o->eval_every) || t.step == o->steps)) rc = evaluate(&t, err);
    }
    trainer_close(&t);
    return rc;
}
