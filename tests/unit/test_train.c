/* The trainer end to end on a tiny synthetic language: the loss falls in
 * a few dozen steps, a checkpoint opens as a model, and a run stopped and
 * resumed ends bit-for-bit where an uninterrupted run ends. */
#include "bertology/model.h"
#include "bertology/ops.h"
#include "bertology/trainer.h"
#include "bertology/vocab_builder.h"
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

static const char *subj[] = {"the cat", "a dog", "the old man", "my sister", "the river"};
static const char *verb[] = {"sat on", "looked at", "walked to", "ran past", "slept near"};
static const char *obj[] = {"the mat", "a tree", "the house", "the bank", "a red car"};

static void write_corpus(const char *path, int docs, uint64_t seed) {
    FILE *f = fopen(path, "w");
    uint64_t r = seed;
    for (int d = 0; d < docs; d++) {
        int s = (int)(rng_next(&r) % 5);   /* a document keeps its subject: NSP can learn it */
        for (int k = 0; k < 3; k++)
            fprintf(f, "%s %s %s .\n", subj[s], verb[rng_next(&r) % 5], obj[rng_next(&r) % 5]);
        fprintf(f, "\n");
    }
    fclose(f);
}

static void options(TrainOptions *o, const char *dir, const char *corpus, const char *vocab, long steps) {
    train_defaults(o);
    o->train_path = corpus;
    o->vocab_path = vocab;
    o->run_dir = dir;
    o->cfg.hidden_size = 32;
    o->cfg.num_layers = 2;
    o->cfg.num_heads = 2;
    o->cfg.intermediate_size = 64;
    o->cfg.max_position = 32;
    o->seq_len = 32;
    o->batch = 8;
    o->steps = steps;
    o->warmup = 4;
    o->lr = 3e-3f;
    o->log_every = 4;
    o->ckpt_every = 10;
    o->eval_every = 0;
    o->threads = 1;
}

/* Mean MLM loss of the first (which=0) or last (which=1) three log lines:
 * single lines are too noisy at batch 8. */
static double log_loss(const char *dir, int which) {
    char path[512], line[512];
    snprintf(path, sizeof path, "%s/train.log", dir);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    double v[256];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < 256) {
        double step, tokens, el, loss, mlm;
        if (sscanf(line, "%lf\t%lf\t%lf\t%lf\t%lf", &step, &tokens, &el, &loss, &mlm) == 5) v[n++] = mlm;
    }
    fclose(f);
    if (n < 6) return -1;
    double s = 0;
    for (int i = 0; i < 3; i++) s += v[which ? n - 1 - i : i];
    return s / 3;
}

static long file_bytes(const char *path, char **out) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc(n);
    if (fread(*out, 1, n, f) != (size_t)n) n = -1;
    fclose(f);
    return n;
}

int main(void) {
    const char *tmp = test_tmpdir();
    char corpus[512], held[512], vocab[512], run[512], a[512], b[512];
    snprintf(corpus, sizeof corpus, "%s/train.txt", tmp);
    snprintf(held, sizeof held, "%s/held.txt", tmp);
    snprintf(vocab, sizeof vocab, "%s/vocab.txt", tmp);
    write_corpus(corpus, 300, 1);
    write_corpus(held, 40, 2);
    BtError err;
    const char *files[] = {corpus};
    CHECKF(vocab_build(files, 1, 120, 1, vocab, NULL, &err) == 0, "%s", err.msg);

    /* 1. the loss falls */
    TrainOptions o;
    snprintf(run, sizeof run, "%s/run", tmp);
    options(&o, run, corpus, vocab, 240);
    o.lr = 5e-3f;
    o.heldout_path = held;
    o.eval_every = 240;
    o.eval_sequences = 32;
    CHECKF(train_run(&o, &err) == 0, "%s", err.msg);
    double first = log_loss(run, 0), last = log_loss(run, 1);
    printf("MLM loss %.3f -> %.3f over 240 steps\n", first, last);
    CHECKF(first > 0 && last < first - 0.5, "MLM loss %.3f -> %.3f did not fall", first, last);

    /* 2. the checkpoint is a model the engine opens */
    char latest[600];
    snprintf(latest, sizeof latest, "%s/latest", run);
    BertModel m;
    CHECKF(model_load(&m, latest, &err) == 0, "%s", err.msg);
    if (m.params) {
        CHECK(m.cfg.pos_type == POS_SINUSOIDAL && m.has_mlm && m.has_nsp && m.cfg.hidden_size == 32);
        model_free(&m);
    }

    /* 3. stop + resume == uninterrupted (13 is mid-pool: POOL is 8 batches) */
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    options(&o, a, corpus, vocab, 24);
    CHECKF(train_run(&o, &err) == 0, "%s", err.msg);
    options(&o, b, corpus, vocab, 24);
    o.stop_after = 13;
    CHECKF(train_run(&o, &err) == 0, "%s", err.msg);
    /* as if killed after logging past its last state: the resumed log drops that line */
    char lb[600];
    snprintf(lb, sizeof lb, "%s/train.log", b);
    FILE *lf = fopen(lb, "a");
    if (lf) { fputs("16\t1\t1\t9\t9\t0\t0\t0\t0\t0\t0\n", lf); fclose(lf); }
    options(&o, b, corpus, vocab, 24);
    o.resume = 1;
    CHECKF(train_run(&o, &err) == 0, "%s", err.msg);
    char pa[600], pb[600], *da = NULL, *db = NULL;
    snprintf(pa, sizeof pa, "%s/latest/model.safetensors", a);
    snprintf(pb, sizeof pb, "%s/latest/model.safetensors", b);
    long na = file_bytes(pa, &da), nb = file_bytes(pb, &db);
    CHECKF(na > 0 && na == nb && memcmp(da, db, na) == 0, "resumed run differs from the uninterrupted one");
    free(da);
    free(db);
    /* and its log's steps rise like the uninterrupted run's */
    char la[600];
    snprintf(la, sizeof la, "%s/train.log", a);
    long nla = file_bytes(la, &da), nlb = file_bytes(lb, &db);
    long steps_a[64], steps_b[64];
    int ka = 0, kb = 0;
    for (char *p = da; da && p && p < da + nla && ka < 64; p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (*p >= '0' && *p <= '9') steps_a[ka++] = strtol(p, NULL, 10);
    for (char *p = db; db && p && p < db + nlb && kb < 64; p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (*p >= '0' && *p <= '9') steps_b[kb++] = strtol(p, NULL, 10);
    CHECKF(ka > 3 && ka == kb && memcmp(steps_a, steps_b, sizeof(long) * ka) == 0,
           "resumed log has %d step lines, the uninterrupted one %d", kb, ka);
    free(da);
    free(db);

    /* 3b. the v3 phase (shared copy-free masking, unlikelihood of visible
     * words, cut pairs) trains, and resumes exactly too */
    const char *v3[2] = {"v3a", "v3b"};
    char v3dir[2][512];
    for (int k = 0; k < 2; k++) {
        snprintf(v3dir[k], sizeof v3dir[k], "%s/%s", tmp, v3[k]);
        options(&o, v3dir[k], corpus, vocab, 24);
        o.mask_repeats = o.mask_repeats_shared = 1;
        o.unlikely_visible = 1.0f;
        o.short_inputs = 0.3f;
        if (k) o.stop_after = 11;
        CHECKF(train_run(&o, &err) == 0, "%s", err.msg);
        if (k) {
            o.stop_after = 0;
            o.resume = 1;
            CHECKF(train_run(&o, &err) == 0, "%s", err.msg);
        }
    }
    snprintf(pa, sizeof pa, "%s/latest/model.safetensors", v3dir[0]);
    snprintf(pb, sizeof pb, "%s/latest/model.safetensors", v3dir[1]);
    na = file_bytes(pa, &da);
    nb = file_bytes(pb, &db);
    CHECKF(na > 0 && na == nb && memcmp(da, db, na) == 0, "resumed v3-phase run differs from the uninterrupted one");
    free(da);
    free(db);
    options(&o, run, corpus, vocab, 5);
    o.unlikely_visible = 1.0f;   /* without shared copy-free masking a visible word can be the answer */
    CHECK(train_run(&o, &err) != 0 && strstr(err.msg, "--mask-repeats-shared"));
    options(&o, run, corpus, vocab, 5);
    o.short_inputs = 1.5f;
    CHECK(train_run(&o, &err) != 0 && strstr(err.msg, "--short-inputs"));

    /* 4. errors are messages, not crashes */
    options(&o, run, "/nonexistent/train.txt", vocab, 5);
    CHECK(train_run(&o, &err) != 0 && strstr(err.msg, "/nonexistent/train.txt"));
    options(&o, run, corpus, vocab, 5);
    o.seq_len = 64;   /* longer than max_position 32 */
    CHECK(train_run(&o, &err) != 0 && strstr(err.msg, "seq-len"));
    return test_done("train");
}
