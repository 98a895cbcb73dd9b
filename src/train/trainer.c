#include "bertology/trainer.h"
#include "bertology/adamw.h"
#include "bertology/backward.h"
#include "bertology/corpus.h"
#include "bertology/eval.h"
#include "bertology/forward.h"
#include "bertology/ops.h"
#include "bertology/train_init.h"
#include "bertology/train_step.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* state.bin: what resuming needs beyond a checkpoint. */
typedef struct {
    char magic[8];
    int version;
    int next_batch;        /* position in the current length-bucketed pool */
    long step;
    uint64_t rng;          /* dropout stream */
    uint64_t pool_rng;     /* data stream at the start of the current pool */
    size_t n_params;
    double tokens;
    double elapsed;
} StateHeader;

/* Training data comes in pools: POOL batches' worth of instances drawn
 * from the data stream, sorted by length and cut into batches used in a
 * random order, so a batch rarely pays for one long member's padding.
 * The pool is a pure function of the data stream at its start, which is
 * what makes a resumed run continue exactly where it stopped. */
enum { POOL = 8 };
typedef struct {
    Instance *inst;        /* POOL*B */
    int *order, *lens;     /* POOL*B */
    int batch_order[POOL];
    int next_batch;
    uint64_t start_rng;
} Pool;

static void pool_fill(Pool *p, const Corpus *c, const InstanceSpec *spec, int B, uint64_t *data_rng) {
    int n = POOL * B, T = spec->max_len;
    p->start_rng = *data_rng;
    for (int i = 0; i < n; i++) {
        instance_sample(c, spec, data_rng, &p->inst[i]);
        p->lens[i] = 0;
        for (int t = 0; t < T; t++) p->lens[i] += p->inst[i].valid[t];
        p->order[i] = i;
    }
    /* insertion sort by length: n is a few hundred */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && p->lens[p->order[j - 1]] > p->lens[p->order[j]]; j--) {
            int x = p->order[j]; p->order[j] = p->order[j - 1]; p->order[j - 1] = x;
        }
    for (int i = 0; i < POOL; i++) p->batch_order[i] = i;
    for (int i = POOL - 1; i > 0; i--) {
        int j = (int)(rng_next(data_rng) % (uint64_t)(i + 1)), x = p->batch_order[i];
        p->batch_order[i] = p->batch_order[j];
        p->batch_order[j] = x;
    }
    p->next_batch = 0;
}

static int save_state(const char *dir, const BertModel *m, const AdamW *opt, long step,
                      uint64_t rng, const Pool *pool, double tokens, double elapsed, BtError *err) {
    char path[4200], tmp[4210];
    snprintf(path, sizeof path, "%s/state.bin", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return bt_fail(err, "%s: cannot write: %s", tmp, strerror(errno));
    StateHeader h = {"BTSTATE", 2, pool->next_batch, step, rng, pool->start_rng, m->n_params, tokens, elapsed};
    int ok = fwrite(&h, sizeof h, 1, f) == 1 && fwrite(m->params, sizeof(float), m->n_params, f) == m->n_params &&
             fwrite(opt->m, sizeof(float), opt->n, f) == opt->n && fwrite(opt->v, sizeof(float), opt->n, f) == opt->n;
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return bt_fail(err, "%s: write failed", path);
    }
    return 0;
}

static int load_state(const char *dir, BertModel *m, AdamW *opt, long *step, uint64_t *rng,
                      uint64_t *pool_rng, int *next_batch, double *tokens, double *elapsed, BtError *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/state.bin", dir);
    FILE *f = fopen(path, "rb");
    if (!f) return bt_fail(err, "%s: cannot resume: %s", path, strerror(errno));
    StateHeader h;
    int ok = fread(&h, 16, 1, f) == 1 && !memcmp(h.magic, "BTSTATE", 8);
    if (ok && h.version == 2) {
        ok = fread((char *)&h + 16, sizeof h - 16, 1, f) == 1;
    } else if (ok && h.version == 1) {
        /* v1, before pools were saved: same fields minus the data stream;
         * go on from a fresh pool, which changes the data order only */
        struct { long step; uint64_t rng; size_t n_params; double tokens, elapsed; } v1;
        ok = fread(&v1, sizeof v1, 1, f) == 1;
        h.step = v1.step;
        h.rng = v1.rng;
        h.pool_rng = v1.rng ^ 0xD1B54A32D192ED03ull;
        h.next_batch = POOL;
        h.n_params = v1.n_params;
        h.tokens = v1.tokens;
        h.elapsed = v1.elapsed;
    } else {
        ok = 0;
    }
    if (ok && h.n_params != m->n_params) {
        fclose(f);
        return bt_fail(err, "%s: holds %zu parameters, this configuration has %zu", path, h.n_params, m->n_params);
    }
    ok = ok && fread(m->params, sizeof(float), m->n_params, f) == m->n_params &&
         fread(opt->m, sizeof(float), opt->n, f) == opt->n && fread(opt->v, sizeof(float), opt->n, f) == opt->n;
    fclose(f);
    if (!ok) return bt_fail(err, "%s: truncated or not a bertology training state", path);
    *step = h.step;
    *rng = h.rng;
    *pool_rng = h.pool_rng;
    *next_batch = h.next_batch;
    *tokens = h.tokens;
    *elapsed = h.elapsed;
    opt->t = h.step;
    return 0;
}

static int checkpoint(const BertModel *m, const TrainOptions *o, const char *name, BtError *err) {
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", o->run_dir, name);
    return model_save(m, dir, 0, o->vocab_path, err);
}

/* A run killed between checkpoints has logged steps past its state.bin;
 * the resumed run logs them again, so they go (the header and lines up to
 * `step` stay), and the curves never double back. */
static int trim_log(const char *path, long step, BtError *err) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;   /* a missing log is simply started again */
    char *keep = NULL, *line = NULL;
    size_t cap = 0, n = 0, lcap = 0;
    ssize_t len;
    int first = 1;
    while ((len = getline(&line, &lcap, f)) > 0) {
        char *end;
        long s = strtol(line, &end, 10);
        if (!first && (end == line || s > step)) continue;
        first = 0;
        if (n + (size_t)len + 1 > cap) {
            cap = (n + (size_t)len + 1) * 2;
            char *k = realloc(keep, cap);
            if (!k) { free(keep); free(line); fclose(f); return bt_fail(err, "out of memory"); }
            keep = k;
        }
        memcpy(keep + n, line, (size_t)len);
        n += (size_t)len;
    }
    free(line);
    fclose(f);
    f = fopen(path, "w");
    int bad = !f || (n && fwrite(keep, 1, n, f) != n);
    if (f && fclose(f)) bad = 1;
    free(keep);
    return bad ? bt_fail(err, "%s: cannot rewrite: %s", path, strerror(errno)) : 0;
}

static void fmt_time(char *buf, size_t n, double s) {
    if (s < 0 || !isfinite(s)) s = 0;
    snprintf(buf, n, "%dh%02dm%02ds", (int)(s / 3600), (int)fmod(s / 60, 60), (int)fmod(s, 60));
}

/* The ids copy-free masking takes together: whole words (a piece that
 * starts with a letter, not "##", not special), except the REPEAT_COMMON
 * commonest ids of the corpus. Function words and punctuation recur in
 * every sentence; masking all of them at once would hide the grammar the
 * guess needs, and guessing "the" from "the" is not the copying at issue
 * ("Water freezes into [MASK]." -> water). */
enum { REPEAT_COMMON = 100 };

static int cmp_count_desc(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

static unsigned char *repeat_table(const Tokenizer *tok, const Corpus *c) {
    int V = tok_vocab_size(tok);
    long *count = corpus_id_counts(c, V), *sorted = malloc(sizeof(long) * V);
    unsigned char *t = calloc(V, 1);
    if (!count || !sorted || !t) {
        free(count); free(sorted); free(t);
        return NULL;
    }
    memcpy(sorted, count, sizeof(long) * V);
    qsort(sorted, V, sizeof(long), cmp_count_desc);
    long common = sorted[REPEAT_COMMON < V ? REPEAT_COMMON - 1 : V - 1];
    for (int v = 0; v < V; v++) {
        const char *p = tok_token(tok, v);
        unsigned char c0 = p ? (unsigned char)p[0] : 0;
        int letter = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80;
        t[v] = letter && p[1] && count[v] < common;
    }
    free(count);
    free(sorted);
    return t;
}

int train_run(const TrainOptions *o, BtError *err) {
    if (train_check_options(o, err)) return -1;
    if (mkdir(o->run_dir, 0755) != 0 && errno != EEXIST)
        return bt_fail(err, "%s: cannot create the run directory: %s", o->run_dir, strerror(errno));
    ops_set_threads(o->threads);
    if (o->resume) {
        /* fail before the minutes of corpus loading, not after */
        char sp[4200];
        snprintf(sp, sizeof sp, "%s/state.bin", o->run_dir);
        if (access(sp, R_OK) != 0)
            return bt_fail(err, "%s: cannot resume: %s (was the run started with this --out?)", sp, strerror(errno));
    }

    Tokenizer *tok;
    if (tok_load(&tok, o->vocab_path, 1, err)) return -1;
    BertConfig cfg = o->cfg;
    cfg.vocab_size = tok_vocab_size(tok);
    InstanceSpec spec, espec;
    int rc0 = config_validate(&cfg, "training configuration", err);
    if (!rc0) rc0 = instance_spec_init(&spec, tok, o->seq_len, o->mask_rate, err);
    if (!rc0) {
        espec = spec;   /* held-out sequences at up to 128, whatever --seq-len */
        espec.max_len = cfg.max_position < 128 ? cfg.max_position : 128;
    }
    char warn[512] = "";
    if (!rc0) rc0 = train_check_init_from(o, &cfg, tok, err);
    if (!rc0) rc0 = o->resume ? train_recipe_check(o, cfg.vocab_size, warn, sizeof warn, err)
                              : train_recipe_write(o, cfg.vocab_size, err);
    if (!rc0 && warn[0] && o->progress) fprintf(o->progress, "warning: %s\n", warn);
    if (rc0) { tok_free(tok); return -1; }

    Corpus train = {0}, held = {0};
    double t0 = now();
    int rc = corpus_load(&train, o->train_path, tok, err);
    if (!rc && o->heldout_path) rc = corpus_load(&held, o->heldout_path, tok, err);
    if (rc) { corpus_free(&train); tok_free(tok); return -1; }
    if (o->progress)
        fprintf(o->progress, "corpus: %ld documents, %ld sentences, %ld pieces (%.2f%% [UNK]) in %.1fs\n",
                train.n_docs, train.n_sents, train.n_ids, 100.0 * train.n_unk / (train.n_ids ? train.n_ids : 1), now() - t0);

    unsigned char *repeats = NULL;
    int copy_free = o->mask_repeats || o->mask_repeats_shared;
    if (copy_free && !(repeats = repeat_table(tok, &train))) {
        corpus_free(&train); corpus_free(&held); tok_free(tok);
        return bt_fail(err, "out of memory");
    }
    spec.mask.repeats = repeats;   /* training batches only: held-out figures stay comparable */
    spec.mask.repeats_shared = o->mask_repeats_shared;
    spec.cut_prob = o->short_inputs;   /* training only, like the masking: held-out stays BERT's pairs */
    spec.cut_min = o->short_inputs_min;
    if (o->short_inputs > 0 && o->progress)
        fprintf(o->progress, "instances: %g of them cut to %d..%d tokens (log-uniform)\n", o->short_inputs,
                o->short_inputs_min, o->seq_len);
    if (copy_free && o->progress)
        fprintf(o->progress, "masking: copy-free (a chosen word takes its repeats%s)\n",
                o->mask_repeats_shared ? ", all with one 80/10/10 draw" : "");
    if (o->unlikely_visible > 0 && o->progress)
        fprintf(o->progress, "loss: + %g x unlikelihood of the words each sequence shows\n", o->unlikely_visible);

    BertModel m, g;
    AdamW opt;
    Trace tr;
    BackwardScratch s;
    int B = o->batch, T = o->seq_len, V = cfg.vocab_size;
    /* room for the chosen positions: 1.67× their mean count plus one per
     * sequence (B·T/4 + B at BERT's 15%), dozens of standard deviations
     * above what a real batch draws; a small batch, where the Bernoulli
     * count spreads more, gets a row for every position */
    long mlm_cap = (long)((double)B * T * o->mask_rate / 0.6) + B;
    if (mlm_cap > (long)B * T || (long)B * T <= 1024) mlm_cap = (long)B * T;
    memset(&g, 0, sizeof g);
    rc = model_alloc(&m, &cfg, err);
    if (!rc) rc = model_alloc(&g, &cfg, err);
    if (!rc && adamw_init(&opt, &m, o->beta1, o->beta2, o->eps, o->weight_decay)) rc = bt_fail(err, "out of memory");
    if (!rc) rc = trace_alloc(&tr, &m, B, T, (int)mlm_cap, o->dropout, err);
    if (!rc) rc = backward_scratch_alloc(&s, &tr, err);
    if (rc) { free(repeats); corpus_free(&train); corpus_free(&held); tok_free(tok); return -1; }
    m.has_mlm = m.has_nsp = 1;

    uint64_t rng = o->seed ? o->seed : 1;
    uint64_t data_rng = rng ^ 0xD1B54A32D192ED03ull, pool_rng = 0;
    int resume_batch = POOL;
    long step = 0;
    double tokens = 0, elapsed = 0;
    TrainInitStats ist;
    rc = train_init_params(&m, o, &train, tok, &rng, &ist, err);
    if (!rc && !o->resume && o->init_vectors_path && o->progress)
        fprintf(o->progress, "init: word rows from %s: %d whole words, %d pieces as the mean of the words holding "
                "them, %d left random\n", o->init_vectors_path, ist.direct, ist.mean, ist.random);
    if (!rc && o->resume) {
        rc = load_state(o->run_dir, &m, &opt, &step, &rng, &pool_rng, &resume_batch, &tokens, &elapsed, err);
        if (!rc && o->progress) fprintf(o->progress, "resumed %s at step %ld\n", o->run_dir, step);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/train.log", o->run_dir);
    if (!rc && o->resume) rc = trim_log(path, step, err);
    FILE *log = rc ? NULL : fopen(path, o->resume ? "a" : "w");
    snprintf(path, sizeof path, "%s/eval.log", o->run_dir);
    if (!rc && o->resume) rc = trim_log(path, step, err);
    FILE *elog = rc ? NULL : fopen(path, o->resume ? "a" : "w");
    if (!rc && (!log || !elog)) rc = bt_fail(err, "%s: cannot write logs", o->run_dir);
    if (!rc && !o->resume) {
        fprintf(log, "step\ttokens\telapsed_s\tloss\tmlm_loss\tnsp_loss\tmlm_acc\tnsp_acc\tlr\tgrad_norm\ttok_per_s\n");
        fprintf(elog, "step\ttokens\tmlm_loss\tmask_top1\tmask_top5\tchosen_top1\tchosen_top5\tbase_top1\tbase_top5\tnsp_acc\n");
        /* now, not at the first evaluation: a run killed before it (not
         * stopped with --stop-after) would otherwise resume a log without
         * its header */
        fflush(log);
        fflush(elog);
        if (o->ckpt_every > 0) rc = checkpoint(&m, o, "step-0", err);
    }

    int *labels = malloc(sizeof(int) * mlm_cap);
    float *dlogits = malloc(sizeof(float) * (size_t)mlm_cap * V);
    int *nsp_labels = malloc(sizeof(int) * B);
    int *vis_ids = malloc(sizeof(int) * (size_t)B * T), *vis_count = malloc(sizeof(int) * B);
    float *dnsp = malloc(sizeof(float) * 2 * B);
    if (!rc && (!labels || !dlogits || !nsp_labels || !dnsp || !vis_ids || !vis_count)) rc = bt_fail(err, "out of memory (lower --batch)");
    double win_loss = 0, win_mlm = 0, win_nsp = 0, win_ul = 0, win_tokens = 0, win_t = now();
    long win_right = 0, win_n = 0, win_nsp_right = 0, win_steps = 0;
    double run_start = now() - elapsed;

    Pool pool = {calloc((size_t)POOL * B, sizeof(Instance)), malloc(sizeof(int) * POOL * B),
                 malloc(sizeof(int) * POOL * B), {0}, POOL, 0};
    if (!rc && (!pool.inst || !pool.order || !pool.lens)) rc = bt_fail(err, "out of memory (lower --batch)");
    for (int i = 0; !rc && i < POOL * B; i++)
        if (instance_alloc(&pool.inst[i], T)) rc = bt_fail(err, "out of memory (lower --batch)");
    if (!rc && o->resume && resume_batch < POOL) {
        data_rng = pool_rng;
        pool_fill(&pool, &train, &spec, B, &data_rng);
        pool.next_batch = resume_batch;
    } else if (o->resume) {
        data_rng = pool_rng;   /* saved as the stream's position after the pool */
    }
    while (!rc && step < o->steps && (o->stop_after <= 0 || step < o->stop_after)) {
        int n = 0, Tb = 8;
        long real = 0;
        if (pool.next_batch == POOL) pool_fill(&pool, &train, &spec, B, &data_rng);
        const int *members = pool.order + pool.batch_order[pool.next_batch++] * B;
        for (int b = 0; b < B; b++)
            if (pool.lens[members[b]] > Tb) Tb = pool.lens[members[b]];
        /* most pairs are far shorter than T: run the batch at its longest
         * member (rounded up to 8) instead of paying for the padding */
        Tb = (Tb + 7) / 8 * 8;
        if (Tb > T) Tb = T;
        tr.T = Tb;
        for (int b = 0; b < B; b++) {
            const Instance *ib = &pool.inst[members[b]];
            for (int t = 0; t < Tb; t++) {
                size_t bt = (size_t)b * Tb + t;
                tr.input_ids[bt] = ib->ids[t];
                tr.type_ids[bt] = ib->type_ids[t];
                tr.valid[bt] = ib->valid[t];
                real += ib->valid[t];
                if (ib->labels[t] >= 0 && n < mlm_cap) {
                    tr.mlm_rows[n] = (int)bt;
                    labels[n++] = ib->labels[t];
                }
            }
            nsp_labels[b] = !ib->is_next;   /* HF: label 0 = IsNext */
        }
        tr.n_mlm = n;
        VisibleWords vw = {vis_ids, vis_count, Tb, o->unlikely_visible};
        if (o->unlikely_visible > 0)
            visible_words_collect(tr.input_ids, tr.valid, B, Tb, repeats, V, vis_ids, vis_count);
        StepLoss sl;
        train_grad(&m, &g, &tr, &s, labels, nsp_labels, dlogits, dnsp, o->clip,
                   o->unlikely_visible > 0 ? &vw : NULL, &rng, &sl);
        double mlm = sl.mlm_loss, nsp = sl.nsp_loss;
        int right = sl.mlm_right, nsp_right = sl.nsp_right;
        float gn = sl.grad_norm;
        float lr = lr_schedule(step, o->warmup, o->steps, o->lr);
        adamw_step(&opt, m.params, g.params, lr);
        step++;
        tokens += real;
        if (!isfinite(mlm + nsp)) {
            rc = bt_fail(err, "step %ld: the loss became %f; lower --lr or raise --warmup", step, mlm + nsp);
            break;
        }
        win_loss += mlm + nsp; win_mlm += mlm; win_ul += sl.unlikely_loss; win_nsp += nsp; win_tokens += real;
        win_right += right; win_n += n; win_nsp_right += nsp_right; win_steps++;
        /* state before the log line: a run killed in between never has a
         * log that runs ahead of what it can resume from at a stop step */
        int snap = 0;
        for (int i = 0; i < o->n_snapshots; i++) snap |= o->snapshots[i] == step;
        if (!rc && snap) {
            char name[64];
            snprintf(name, sizeof name, "step-%ld", step);
            rc = checkpoint(&m, o, name, err);
        }
        if (!rc && ((o->ckpt_every > 0 && step % o->ckpt_every == 0) || step == o->steps || step == o->stop_after)) {
            rc = checkpoint(&m, o, "latest", err);
            /* a used-up pool is saved as the stream's current position */
            Pool at = pool;
            if (at.next_batch == POOL) at.start_rng = data_rng;
            if (!rc) rc = save_state(o->run_dir, &m, &opt, step, rng, &at, tokens, now() - run_start, err);
        }
        if (!rc && (step % o->log_every == 0 || step == o->steps)) {
            double t = now(), tps = win_tokens / (t - win_t);
            elapsed = t - run_start;
            fprintf(log, "%ld\t%.0f\t%.1f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.6g\t%.3f\t%.0f\n", step, tokens, elapsed,
                    win_loss / win_steps, win_mlm / win_steps, win_nsp / win_steps, (double)win_right / win_n,
                    (double)win_nsp_right / (win_steps * B), lr, gn, tps);
            fflush(log);
            if (o->progress) {
                char left[32], done[32];
                fmt_time(left, sizeof left, (o->steps - step) * (elapsed / (step ? step : 1)));
                fmt_time(done, sizeof done, elapsed);
                char ul[48] = "";   /* the log keeps cross-entropy alone: curves stay comparable across phases */
                if (o->unlikely_visible > 0) snprintf(ul, sizeof ul, " visible-words %.3f", win_ul / win_steps);
                fprintf(o->progress, "step %ld/%ld  %.0f tok/s  loss %.3f (mlm %.3f nsp %.3f%s)  mlm acc %.1f%%  nsp acc %.1f%%  lr %.2e  %s elapsed, %s left\n",
                        step, o->steps, tps, win_loss / win_steps, win_mlm / win_steps, win_nsp / win_steps, ul,
                        100.0 * win_right / win_n, 100.0 * win_nsp_right / (win_steps * B), lr, done, left);
                fflush(o->progress);
            }
            win_loss = win_mlm = win_nsp = win_ul = win_tokens = 0;
            win_right = win_n = win_nsp_right = win_steps = 0;
            win_t = now();
        }
        if (!rc && held.n_docs && ((o->eval_every > 0 && step % o->eval_every == 0) || step == o->steps)) {
            EvalResult r;
            double te = now();
            rc = eval_run(&m, &held, &espec, o->eval_sequences, 12345, &r, err);
            if (!rc) {
                fprintf(elog, "%ld\t%.0f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", step, tokens, r.mlm_loss,
                        r.mask_top1, r.mask_top5, r.chosen_top1, r.chosen_top5, r.base_top1, r.base_top5, r.nsp_acc);
                fflush(elog);
                if (o->progress)
                    fprintf(o->progress, "eval @%ld: [MASK] top-1 %.1f%% top-5 %.1f%% (baseline %.1f%% / %.1f%%), NSP %.1f%%, loss %.3f (%.1fs)\n",
                            step, 100 * r.mask_top1, 100 * r.mask_top5, 100 * r.base_top1, 100 * r.base_top5,
                            100 * r.nsp_acc, r.mlm_loss, now() - te);
            }
            win_t += now() - te;   /* evaluation time is not training throughput */
        }
    }
    for (int i = 0; pool.inst && i < POOL * B; i++) instance_free(&pool.inst[i]);
    free(pool.inst);
    free(pool.order);
    free(pool.lens);
    if (log) fclose(log);
    if (elog) fclose(elog);
    free(labels);
    free(dlogits);
    free(nsp_labels);
    free(vis_ids);
    free(vis_count);
    free(dnsp);
    backward_scratch_free(&s);
    trace_free(&tr);
    adamw_free(&opt);
    model_free(&g);
    model_free(&m);
    corpus_free(&train);
    corpus_free(&held);
    tok_free(tok);
    free(repeats);
    return rc;
}
