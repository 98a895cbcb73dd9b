/* The parts train_run's loop is made of, each on its own: the pools
 * batches come from (length buckets, every instance once, the same
 * batches again after a resume from the saved position), a batch laid
 * into a shrunk trace (and the padding of a short one), state.bin
 * (round trip, version 1, refusals) and the logs (headers, trimming on
 * resume, lines the log reader understands). test_train runs them
 * together. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/train_batch.h"
#include "bertology/train_log.h"
#include "bertology/train_pool.h"
#include "bertology/train_state.h"
#include "bertology/trainlog.h"
#include "testutil.h"

enum { B = 4, T = 64 };

static int longest(const Instance *x) {
    int n = 0;
    for (int t = 0; t < x->T; t++) n += x->valid[t];
    return n;
}

static int same_instance(const Instance *a, const Instance *b) {
    size_t n = sizeof(int) * (size_t)T;
    return !memcmp(a->ids, b->ids, n) && !memcmp(a->type_ids, b->type_ids, n) && !memcmp(a->valid, b->valid, n) &&
           !memcmp(a->labels, b->labels, n) && a->is_next == b->is_next;
}

/* A pool's batches: lengths rounded up to 8 (but no more than the
 * pool's Tmax) and covering their members, every instance once, the
 * batches cut from the sorted lengths. */
static void test_pool(const Corpus *c, const InstanceSpec *spec_T, int Tmax) {
    BtError err;
    TrainPool p;
    InstanceSpec sp = *spec_T, *spec = &sp;
    sp.max_len = Tmax;
    CHECK(train_pool_alloc(&p, B, Tmax, &err) == 0);
    CHECK(p.next_batch == TRAIN_POOL_BATCHES);
    uint64_t rng = train_data_stream(7), start = rng;
    CHECK(rng != 7);
    int seen[TRAIN_POOL_BATCHES * B] = {0}, lo[TRAIN_POOL_BATCHES], hi[TRAIN_POOL_BATCHES], full = 0;
    for (int k = 0; k < TRAIN_POOL_BATCHES; k++) {
        const Instance *mem[B];
        int Tb = train_pool_next(&p, c, spec, &rng, mem);
        CHECK(p.start_rng == start);
        CHECKF((Tb % TRAIN_BATCH_T_STEP == 0 || Tb == Tmax) && Tb >= TRAIN_BATCH_T_STEP && Tb <= Tmax, "Tb %d", Tb);
        lo[k] = Tmax + 1, hi[k] = 0;
        for (int b = 0; b < B; b++) {
            int i = (int)(mem[b] - p.inst), n = longest(mem[b]);
            CHECK(i >= 0 && i < TRAIN_POOL_BATCHES * B);
            if (i >= 0 && i < TRAIN_POOL_BATCHES * B) seen[i]++;
            if (n < lo[k]) lo[k] = n;
            if (n > hi[k]) hi[k] = n;
        }
        CHECKF(Tb >= hi[k] && (Tb < hi[k] + TRAIN_BATCH_T_STEP || hi[k] < TRAIN_BATCH_T_STEP), "Tb %d for %d", Tb,
               hi[k]);
        full += Tb == Tmax;
    }
    CHECK(full > 0);   /* most pairs fill the length: the cap was reached */
    for (int i = 0; i < TRAIN_POOL_BATCHES * B; i++) CHECKF(seen[i] == 1, "instance %d used %d times", i, seen[i]);
    /* batches from the sorted lengths: any two are ordered, one's longest
     * no longer than the other's shortest */
    for (int i = 0; i < TRAIN_POOL_BATCHES; i++)
        for (int j = 0; j < TRAIN_POOL_BATCHES; j++)
            if (i != j) CHECKF(hi[i] <= lo[j] || hi[j] <= lo[i], "batches %d [%d,%d] and %d [%d,%d]", i, lo[i], hi[i], j,
                               lo[j], hi[j]);
    CHECK(p.next_batch == TRAIN_POOL_BATCHES && train_pool_saved_rng(&p, rng) == rng);
    const Instance *mem[B];
    uint64_t before = rng;
    train_pool_next(&p, c, spec, &rng, mem);   /* a used-up pool: a new one from where the stream stands */
    CHECK(p.start_rng == before && p.next_batch == 1 && train_pool_saved_rng(&p, rng) == before);
    train_pool_free(&p);
}

/* Saved mid-pool (next_batch < 8) or with the pool used up, a resumed pool
 * gives the batches the uninterrupted one goes on to. */
static void test_pool_resume(const Corpus *c, const InstanceSpec *spec, int taken) {
    BtError err;
    TrainPool p, q;
    CHECK(train_pool_alloc(&p, B, T, &err) == 0 && train_pool_alloc(&q, B, T, &err) == 0);
    uint64_t rng = train_data_stream(11), qrng = 0;
    const Instance *mp[B], *mq[B];
    for (int k = 0; k < taken; k++) train_pool_next(&p, c, spec, &rng, mp);
    train_pool_resume(&q, c, spec, train_pool_saved_rng(&p, rng), p.next_batch, &qrng);
    CHECK(q.next_batch == p.next_batch && qrng == rng);
    int bad = 0;
    for (int k = 0; k < TRAIN_POOL_BATCHES + 3; k++) {
        int tp = train_pool_next(&p, c, spec, &rng, mp), tq = train_pool_next(&q, c, spec, &qrng, mq);
        bad += tp != tq;
        for (int b = 0; b < B; b++) bad += !same_instance(mp[b], mq[b]);
    }
    CHECKF(bad == 0, "after %d batches: %d differences on resuming", taken, bad);
    train_pool_free(&p);
    train_pool_free(&q);
}

/* A batch in a trace shrunk to its length: rows at s·Tb + t, chosen rows
 * in order, the padding of a short batch, the cap on chosen rows. */
static void test_batch(const Corpus *c, const InstanceSpec *spec, int V) {
    BertConfig cfg = {.vocab_size = V, .hidden_size = 8, .num_layers = 1, .num_heads = 2, .intermediate_size = 16,
                      .max_position = T, .type_vocab_size = 2, .layer_norm_eps = 1e-12f, .pos_type = POS_SINUSOIDAL};
    BertModel m;
    BtError err;
    Trace tr;
    TrainPool p;
    TrainBatch bt;
    if (model_alloc(&m, &cfg, &err) || trace_alloc(&tr, &m, B, T, B * T, 0.0f, &err) ||
        train_pool_alloc(&p, B, T, &err) || train_batch_alloc(&bt, B, B * T, 1)) {
        CHECKF(0, "%s", err.msg);
        return;
    }
    CHECK(tr.T_alloc == T);
    CHECK(trace_set_T(&tr, T + 1, &err) != 0 && tr.T == T && strstr(err.msg, "carved for 64"));
    CHECK(trace_set_T(&tr, 0, &err) != 0 && tr.T == T);
    uint64_t rng = train_data_stream(3);
    const Instance *mem[B];
    int Tb = train_pool_next(&p, c, spec, &rng, mem);
    CHECK(trace_set_T(&tr, Tb, &err) == 0 && tr.T == Tb);
    for (int n = B; n >= 2; n -= 2) {   /* a full batch, then two sequences and two of padding */
        long real = train_batch_fill(&tr, mem, n, spec->pad_id, &bt), want_real = 0;
        int bad = 0, row = 0;
        for (int s = 0; s < B; s++) {
            for (int t = 0; t < Tb; t++) {
                size_t st = (size_t)s * Tb + t;
                if (s >= n) {
                    bad += tr.input_ids[st] != spec->pad_id || tr.type_ids[st] != 0 || tr.valid[st] != (t == 0);
                    continue;
                }
                bad += tr.input_ids[st] != mem[s]->ids[t] || tr.type_ids[st] != mem[s]->type_ids[t] ||
                       tr.valid[st] != mem[s]->valid[t];
                want_real += mem[s]->valid[t];
                if (mem[s]->labels[t] < 0) continue;
                bad += row >= tr.n_mlm || tr.mlm_rows[row] != (int)st || bt.labels[row] != mem[s]->labels[t] ||
                       bt.kind[row] != mem[s]->kind[t];
                row++;
            }
            bad += bt.nsp_labels[s] != (s < n ? !mem[s]->is_next : 0);
        }
        CHECKF(bad == 0 && row == tr.n_mlm && row > 0, "%d of %d sequences: %d wrong, %d of %d rows", n, B, bad, row,
               tr.n_mlm);
        CHECK(real == want_real);
    }
    /* a trace with room for 3 chosen rows takes the first 3 */
    Trace small;
    if (trace_alloc(&small, &m, B, T, 3, 0.0f, &err) == 0) {
        CHECK(trace_set_T(&small, Tb, &err) == 0);
        train_batch_fill(&small, mem, B, spec->pad_id, &bt);
        CHECK(small.n_mlm == 3);
        for (int i = 0; i < 3; i++) CHECK(small.mlm_rows[i] == tr.mlm_rows[i]);
        trace_free(&small);
    }
    train_batch_free(&bt);
    train_pool_free(&p);
    trace_free(&tr);
    model_free(&m);
}

static long file_size(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void write_at(const char *path, long at, const void *buf, size_t n) {
    FILE *f = fopen(path, "r+b");
    if (!f) return;
    fseek(f, at, SEEK_SET);
    fwrite(buf, 1, n, f);
    fclose(f);
}

static void test_state(void) {
    BertConfig cfg = {.vocab_size = 20, .hidden_size = 8, .num_layers = 1, .num_heads = 2, .intermediate_size = 16,
                      .max_position = 16, .type_vocab_size = 2, .layer_norm_eps = 1e-12f, .pos_type = POS_SINUSOIDAL};
    BertModel m, m2;
    AdamW o, o2;
    BtError err;
    const char *dir = test_tmpdir(), *path = test_tmp_path("state.bin");
    remove(path);
    CHECK(train_state_check(dir, &err) != 0 && strstr(err.msg, "state.bin") && strstr(err.msg, "--out"));
    if (model_alloc(&m, &cfg, &err) || model_alloc(&m2, &cfg, &err) || adamw_init(&o, &m, 0.9f, 0.98f, 1e-6f, 0.01f) ||
        adamw_init(&o2, &m2, 0.9f, 0.98f, 1e-6f, 0.01f)) {
        CHECK(0);
        return;
    }
    for (size_t i = 0; i < m.n_params; i++) {
        m.params[i] = (float)i * 0.5f - 3;
        o.m[i] = (float)i * 0.25f;
        o.v[i] = (float)i * 0.125f;
    }
    TrainState st = {42, 0x1234567890abcdefull, 0xfedcba0987654321ull, 5, 1e6, 3.5}, got;
    CHECKF(train_state_save(dir, &m, &o, &st, &err) == 0, "%s", err.msg);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(train_state_check(dir, &err) == 0 && access(tmp, F_OK) != 0);
    CHECKF(train_state_load(dir, &m2, &o2, &got, &err) == 0, "%s", err.msg);
    CHECK(got.step == 42 && got.rng == st.rng && got.pool_rng == st.pool_rng && got.next_batch == 5 &&
          got.tokens == 1e6 && got.elapsed == 3.5 && o2.t == 42);
    size_t nb = sizeof(float) * m.n_params;
    CHECK(!memcmp(m.params, m2.params, nb) && !memcmp(o.m, o2.m, nb) && !memcmp(o.v, o2.v, nb));

    /* another configuration's state, a cut file, a pool position out of range */
    BertConfig big = cfg;
    big.hidden_size = 16;
    BertModel mb;
    AdamW ob;
    if (model_alloc(&mb, &big, &err) == 0 && adamw_init(&ob, &mb, 0.9f, 0.98f, 1e-6f, 0.01f) == 0) {
        CHECK(train_state_load(dir, &mb, &ob, &got, &err) != 0 && strstr(err.msg, "parameters"));
        adamw_free(&ob);
        model_free(&mb);
    }
    long size = file_size(path);
    int far = TRAIN_POOL_BATCHES + 1;
    write_at(path, 12, &far, sizeof far);   /* next_batch follows magic and version */
    CHECK(train_state_load(dir, &m2, &o2, &got, &err) != 0 && strstr(err.msg, "not a bertology training state"));
    CHECK(train_state_save(dir, &m, &o, &st, &err) == 0 && truncate(path, size - 4) == 0);
    CHECK(train_state_load(dir, &m2, &o2, &got, &err) != 0 && strstr(err.msg, "truncated"));

    /* version 1: no data stream saved; the run goes on from a fresh pool.
     * Its blocks, as every version's, hold the parameters in the table's
     * order (the layout before Q, K, V were put side by side): float k of
     * each block here is k, and each parameter must land at its offset. */
    FILE *f = fopen(path, "wb");
    struct { char magic[8]; int version, pad; long step; uint64_t rng; size_t n_params; double tokens, elapsed; } v1 =
        {"BTSTATE", 1, 0, 7, 99, m.n_params, 500, 2};
    fwrite(&v1, sizeof v1, 1, f);
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < m.n_params; i++) {
            float x = (float)i + (float)k * 0.25f;
            fwrite(&x, sizeof x, 1, f);
        }
    fclose(f);
    memset(m2.params, 0, nb);
    CHECKF(train_state_load(dir, &m2, &o2, &got, &err) == 0, "%s", err.msg);
    CHECK(got.step == 7 && got.rng == 99 && got.pool_rng == train_data_stream(99) &&
          got.next_batch == TRAIN_POOL_BATCHES && got.tokens == 500 && got.elapsed == 2);
    ParamInfo *tab = NULL;
    int np = model_param_table(&cfg, &tab), in_order = 1, moved = 0;
    size_t k = 0;
    for (int p = 0; p < np; p++)
        for (size_t e = 0; e < tab[p].numel; e++, k++) {
            size_t at = tab[p].offset + e;
            in_order = in_order && m2.params[at] == (float)k && o2.v[at] == (float)k + 0.5f;
            moved += at != k;
        }
    free(tab);
    CHECK(k == m.n_params && in_order);
    CHECK(moved > 0);   /* the layout differs from the file's order: the test tests it */
    adamw_free(&o);
    adamw_free(&o2);
    model_free(&m);
    model_free(&m2);
}

static void append(const char *path, const char *text) {
    FILE *f = fopen(path, "a");
    if (f) fputs(text, f), fclose(f);
}

/* Fresh logs have their headers at once; the lines train_log_step and
 * train_log_eval write read back (trainlog.c) as what was logged; a
 * resume drops the lines past its step. */
static void test_logs(void) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s", test_tmp_path("logs"));
    CHECK(mkdir(dir, 0755) == 0);
    TrainOptions o;
    train_defaults(&o);
    o.batch = 2;
    o.steps = 100;
    TrainLogs lg;
    BtError err;
    CHECKF(train_logs_open(&lg, dir, -1, &err) == 0, "%s", err.msg);
    TrainLog log;
    CHECKF(trainlog_load(&log, dir, &err) == 0 && log.n_train == 0 && log.n_eval == 0, "%s", err.msg);
    trainlog_free(&log);
    LogWindow w;
    log_window_start(&w);
    StepLoss a = {.mlm_loss = 6, .nsp_loss = 0.5, .mlm_right = 3, .nsp_right = 1};
    StepLoss b = {.mlm_loss = 4, .nsp_loss = 0.7, .mlm_right = 1, .nsp_right = 2};
    log_window_add(&w, &a, 10, 100);
    log_window_add(&w, &b, 10, 60);
    train_log_step(&lg, &o, &w, 10, 160, 1.5, 2e-4f, 0.75f);
    CHECK(w.steps == 0 && w.tokens == 0);
    EvalResult r = {.mlm_loss = 3.25, .mask_top1 = 0.125, .mask_top5 = 0.5, .nsp_acc = 0.75};
    train_log_eval(&lg, NULL, 10, 160, &r, 0.1);
    train_logs_close(&lg);
    CHECKF(trainlog_load(&log, dir, &err) == 0 && log.n_train == 1 && log.n_eval == 1, "%s", err.msg);
    if (log.n_train == 1 && log.n_eval == 1) {
        TrainRow *t = &log.train[0];
        CHECK(t->step == 10 && t->tokens == 160 && t->elapsed_s == 1.5 && t->loss == 5.6 && t->mlm_loss == 5 &&
              t->nsp_loss == 0.6 && t->mlm_acc == 0.2 && t->nsp_acc == 0.75 && t->lr == 2e-4 && t->grad_norm == 0.75);
        CHECK(log.eval[0].step == 10 && log.eval[0].mlm_loss == 3.25 && log.eval[0].mask_top5 == 0.5 &&
              log.eval[0].nsp_acc == 0.75);
    }
    trainlog_free(&log);

    /* a run killed at step 30 whose state.bin is at 20 */
    char path[600];
    snprintf(path, sizeof path, "%s/train.log", dir);
    append(path, "20\t320\t3.0\t5\t4.5\t0.5\t0.2\t0.5\t1e-4\t1\t100\n30\t480\t4.5\t5\t4.5\t0.5\t0.2\t0.5\t1e-4\t1\t100\n");
    CHECKF(train_logs_open(&lg, dir, 20, &err) == 0, "%s", err.msg);
    train_logs_close(&lg);
    CHECKF(trainlog_load(&log, dir, &err) == 0 && log.n_train == 2 && log.n_eval == 1, "%s", err.msg);
    if (log.n_train == 2) CHECK(log.train[1].step == 20);
    trainlog_free(&log);
}

int main(void) {
    BtError err;
    Tokenizer *tok;
    Corpus c = {0};
    if (tok_load(&tok, test_data_path("bert-base-uncased-vocab.txt"), 1, &err) ||
        corpus_load(&c, test_data_path("heldout-prose-sample.txt"), tok, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        CHECK(0);
        return test_done("train_loop");
    }
    InstanceSpec spec;
    CHECK(instance_spec_init(&spec, tok, T, 0.15f, &err) == 0);
    spec.cut_prob = 0.3f;   /* short inputs too: lengths from 8 to T */
    spec.cut_min = 8;
    test_pool(&c, &spec, T);
    test_pool(&c, &spec, 60);   /* not a multiple of 8: the longest batch runs at 60, not 64 */
    test_pool_resume(&c, &spec, 3);
    test_pool_resume(&c, &spec, TRAIN_POOL_BATCHES);
    test_pool_resume(&c, &spec, TRAIN_POOL_BATCHES + 5);
    test_batch(&c, &spec, tok_vocab_size(tok));
    test_state();
    test_logs();
    corpus_free(&c);
    tok_free(tok);
    return test_done("train_loop");
}
