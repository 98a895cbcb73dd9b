/* Reading training logs back: the trainer's exact format, logs of a run
 * still being written (header not yet flushed, half a line at the end),
 * resumed runs (steps logged twice), hand-edited logs (reordered or
 * missing columns, CRLF) and broken ones (file, line and column named). */
#include "bertology/trainlog.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRAIN_HEAD "step\ttokens\telapsed_s\tloss\tmlm_loss\tnsp_loss\tmlm_acc\tnsp_acc\tlr\tgrad_norm\ttok_per_s\n"
#define EVAL_HEAD "step\ttokens\tmlm_loss\tmask_top1\tmask_top5\tchosen_top1\tchosen_top5\tbase_top1\tbase_top5\tnsp_acc\n"

/* A fresh run directory under the test's tmpdir. */
static const char *run_dir(const char *name) {
    static char buf[8][600];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 600, "%s/%s", test_tmpdir(), name);
    mkdir(p, 0755);
    return p;
}

static void put(const char *dir, const char *file, const char *text) {
    char path[800];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static void subdir(const char *dir, const char *name) {
    char path[800];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mkdir(path, 0755);
}

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * (fabs(b) + 1); }

static void test_trainer_format(void) {
    const char *d = run_dir("full");
    /* Lines exactly as trainer.c prints them. */
    put(d, "train.log", TRAIN_HEAD
        "10\t14831\t25.7\t7.9417\t7.2403\t0.7014\t0.0589\t0.4750\t5e-05\t7.831\t578\n"
        "20\t33430\t36.9\t7.9606\t7.2705\t0.6900\t0.0439\t0.5563\t0.0001\t3.957\t1655\n"
        "30\t49456\t53.1\t7.9562\t7.2578\t0.6984\t0.0581\t0.4875\t0.00015\t3.666\t990\n");
    put(d, "eval.log", EVAL_HEAD "20\t33430\t7.1\t0.0500\t0.1800\t0.0600\t0.2000\t0.0450\t0.1900\t0.6100\n");
    subdir(d, "step-0");
    subdir(d, "step-20");
    subdir(d, "latest");
    subdir(d, "step-x");
    subdir(d, "step-5b");
    put(d, "step-7", "a file, not a checkpoint\n");
    TrainLog log;
    BtError err = {""};
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECK(log.n_train == 3 && log.n_eval == 1);
    CHECK(log.dir && strcmp(log.dir, d) == 0);
    if (log.n_train == 3) {
        const TrainRow *r = &log.train[1];
        CHECK(r->step == 20 && near(r->tokens, 33430) && near(r->elapsed_s, 36.9));
        CHECK(near(r->loss, 7.9606) && near(r->mlm_loss, 7.2705) && near(r->nsp_loss, 0.69));
        CHECK(near(r->mlm_acc, 0.0439) && near(r->nsp_acc, 0.5563) && near(r->lr, 1e-4));
        CHECK(near(r->grad_norm, 3.957) && near(r->tok_per_s, 1655));
        CHECK(near(log.train[0].lr, 5e-5) && log.train[2].step == 30);
    }
    if (log.n_eval == 1) {
        const EvalRow *e = &log.eval[0];
        CHECK(e->step == 20 && near(e->tokens, 33430) && near(e->mlm_loss, 7.1));
        CHECK(near(e->mask_top1, 0.05) && near(e->mask_top5, 0.18) && near(e->chosen_top1, 0.06));
        CHECK(near(e->chosen_top5, 0.2) && near(e->base_top1, 0.045) && near(e->base_top5, 0.19));
        CHECK(near(e->nsp_acc, 0.61));
    }
    /* Only step-N directories are checkpoints, in step order. */
    CHECKF(log.n_ckpt == 2, "%d checkpoints", log.n_ckpt);
    if (log.n_ckpt == 2) CHECK(log.ckpt_steps[0] == 0 && log.ckpt_steps[1] == 20);

    /* Tokens at a step: logged, interpolated, before the first row, beyond the last. */
    CHECK(trainlog_tokens_at(&log, 0) == 0);
    CHECK(near(trainlog_tokens_at(&log, 20), 33430));
    CHECK(near(trainlog_tokens_at(&log, 25), (33430 + 49456) / 2.0));
    CHECK(near(trainlog_tokens_at(&log, 5), 14831 / 2.0));
    CHECK(near(trainlog_tokens_at(&log, 60), 49456 * 2.0));
    trainlog_free(&log);
    CHECK(log.train == NULL && log.n_train == 0 && log.dir == NULL);
}

static void test_live_run(void) {
    /* The trainer's eval.log holds nothing until the first evaluation
     * flushes it, and the last line of train.log may be half written. */
    const char *d = run_dir("live");
    put(d, "train.log", TRAIN_HEAD
        "10\t100\t1.0\t8.0\t7.3\t0.7\t0.05\t0.5\t5e-05\t7.8\t578\n"
        "20\t200\t2.0\t7.5\t6.9\t0.6\t0.06\t0.5\t1e-4\t3.9\t600\n"
        "30\t300\t3.0\t7.");
    put(d, "eval.log", "");
    TrainLog log;
    BtError err = {""};
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECKF(log.n_train == 2, "%d rows: the half line should be left out", log.n_train);
    CHECK(log.n_eval == 0 && log.n_ckpt == 0);
    trainlog_free(&log);

    /* A last line complete but for its newline counts. */
    put(d, "train.log", TRAIN_HEAD "10\t100\t1.0\t8.0\t7.3\t0.7\t0.05\t0.5\t5e-05\t7.8\t578");
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECK(log.n_train == 1 && near(log.train[0].tok_per_s, 578));
    trainlog_free(&log);

    /* Header only: the run has just started. */
    put(d, "train.log", TRAIN_HEAD);
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECK(log.n_train == 0);
    trainlog_free(&log);
}

static void test_resumed(void) {
    /* Stopped after step 40, resumed from the checkpoint at 20: steps 30
     * and 40 come again, and the second time is what the run did. */
    const char *d = run_dir("resumed");
    put(d, "train.log", TRAIN_HEAD
        "10\t100\t1\t8.0\t7.3\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "20\t200\t2\t7.0\t6.3\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "30\t300\t3\t6.9\t6.2\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "40\t400\t4\t6.8\t6.1\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "30\t300\t3\t6.5\t5.8\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "40\t400\t4\t6.4\t5.7\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "50\t500\t5\t6.3\t5.6\t0.7\t0.05\t0.5\t1e-4\t1\t100\n");
    TrainLog log;
    BtError err = {""};
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECKF(log.n_train == 5, "%d rows", log.n_train);
    for (int i = 0; i < log.n_train; i++) CHECK(log.train[i].step == 10 * (i + 1));
    if (log.n_train == 5) CHECK(near(log.train[2].loss, 6.5) && near(log.train[3].loss, 6.4));
    trainlog_free(&log);
}

static void test_hand_edited(void) {
    /* Columns found by name: reordered, extra, missing (NAN), CRLF. */
    const char *d = run_dir("edited");
    put(d, "train.log", "loss\tnote\ttokens\tstep\r\n8.5\t1\t1000\t10\r\n\r\n7.5\t2\t2000\t20\r\n");
    TrainLog log;
    BtError err = {""};
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECK(log.n_train == 2 && log.n_eval == 0);
    if (log.n_train == 2) {
        CHECK(log.train[1].step == 20 && near(log.train[1].tokens, 2000) && near(log.train[1].loss, 7.5));
        CHECK(isnan(log.train[1].mlm_loss) && isnan(log.train[0].lr) && isnan(log.train[0].elapsed_s));
    }
    trainlog_free(&log);

    /* Two logs joined by hand: the second header is skipped. */
    put(d, "train.log", "step\ttokens\tloss\n10\t100\t8\nstep\ttokens\tloss\n20\t200\t7\n");
    CHECKF(trainlog_load(&log, d, &err) == 0, "%s", err.msg);
    CHECK(log.n_train == 2);
    trainlog_free(&log);
}

static void test_errors(void) {
    TrainLog log;
    BtError err = {""};
    /* No train.log: not a run directory, which is not an error. */
    const char *d = run_dir("none");
    CHECK(trainlog_load(&log, d, &err) == 1 && log.n_train == 0 && log.train == NULL);
    CHECK(trainlog_load(&log, "/nonexistent/run", &err) == 1);

    d = run_dir("bad");
    put(d, "train.log", TRAIN_HEAD
        "10\t100\t1\t8.0\t7.3\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "20\t200\t2\tabc\t6.3\t0.7\t0.05\t0.5\t1e-4\t1\t100\n"
        "30\t300\t3\t6.9\t6.2\t0.7\t0.05\t0.5\t1e-4\t1\t100\n");
    CHECK(trainlog_load(&log, d, &err) == -1 && log.train == NULL);
    CHECKF(strstr(err.msg, "train.log:3") && strstr(err.msg, "'loss'") && strstr(err.msg, "abc"), "%s", err.msg);

    put(d, "train.log", TRAIN_HEAD "10\t100\t1\t8.0\n20\t200\t2\t7.0\t6.3\t0.7\t0.05\t0.5\t1e-4\t1\t100\n");
    CHECK(trainlog_load(&log, d, &err) == -1);
    CHECKF(strstr(err.msg, "train.log:2") && strstr(err.msg, "4 fields"), "%s", err.msg);

    put(d, "train.log", "step\telapsed_s\tloss\n10\t1\t8\n");
    CHECK(trainlog_load(&log, d, &err) == -1);
    CHECKF(strstr(err.msg, "train.log:1") && strstr(err.msg, "'tokens'"), "%s", err.msg);

    put(d, "train.log", "step\ttokens\tloss\n10.5\t100\t8\n");
    CHECK(trainlog_load(&log, d, &err) == -1);
    CHECKF(strstr(err.msg, "whole number"), "%s", err.msg);

    /* A broken eval.log is named as such. */
    put(d, "train.log", "step\ttokens\tloss\n10\t100\t8\n");
    put(d, "eval.log", EVAL_HEAD "20\t200\t7.1\t0.05\n");
    CHECK(trainlog_load(&log, d, &err) == -1);
    CHECKF(strstr(err.msg, "eval.log:2"), "%s", err.msg);
}

int main(void) {
    test_trainer_format();
    test_live_run();
    test_resumed();
    test_hand_edited();
    test_errors();
    return test_done("trainlog");
}
