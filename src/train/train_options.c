/* The trainer's options: their defaults, the ranges they must lie in
 * (checked before minutes of corpus loading, each error naming the
 * option), and the recipe file that lets --resume refuse to continue a
 * run with a different recipe. */
#include "bertology/trainer.h"
#include "bertology/train_init.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void train_defaults(TrainOptions *o) {
    memset(o, 0, sizeof *o);
    o->cfg = (BertConfig){.vocab_size = 0, .hidden_size = 256, .num_layers = 4, .num_heads = 4,
                          .intermediate_size = 1024, .max_position = 128, .type_vocab_size = 2,
                          .layer_norm_eps = 1e-12f, .pos_type = POS_SINUSOIDAL};
    o->seq_len = 128;
    o->batch = 32;
    o->steps = 10000;
    o->warmup = 500;
    o->lr = 5e-4f;
    o->weight_decay = 0.01f;
    o->beta1 = 0.9f;
    o->beta2 = 0.98f;
    o->eps = 1e-6f;
    o->clip = 1.0f;
    o->dropout = 0.1f;
    o->mask_rate = 0.15f;
    o->word_init_std = 1.0f;
    o->init_std = 0.02f;
    o->mlm_ln_init = 0.0f;
    o->bias_unigram = 1;
    o->pos_heads = 2;
    o->word_split = -1;
    o->pos_head_pairs = 12;
    o->pos_head_sharpness = 8.0f;
    o->init_vectors_scan = 50000;
    o->short_inputs_min = 8;
    o->seed = 42;
    /* not the core count: the thread count changes BLAS's rounding, and a
     * default that followed the machine would train other weights */
    o->threads = 2;
    o->log_every = 10;
    o->eval_every = 500;
    o->ckpt_every = 250;
    o->eval_sequences = 512;
}

static int in_range(float v, float lo, float hi) { return isfinite(v) && v >= lo && v <= hi; }

int train_check_options(const TrainOptions *o, BtError *err) {
    if (o->seq_len < 8 || o->seq_len > o->cfg.max_position || o->seq_len > 4096)
        return bt_fail(err, "--seq-len %d must be between 8 and max_position %d (at most 4096)", o->seq_len,
                       o->cfg.max_position);
    if (o->batch < 1 || o->batch > 4096) return bt_fail(err, "--batch %d must be between 1 and 4096", o->batch);
    if (o->steps < 1) return bt_fail(err, "--steps %ld must be positive", o->steps);
    if (o->warmup < 0) return bt_fail(err, "--warmup %ld must be 0 or positive", o->warmup);
    if (!in_range(o->lr, 1e-9f, 1.0f)) return bt_fail(err, "--lr %.9g must be between 1e-9 and 1", o->lr);
    if (!in_range(o->weight_decay, 0, 1)) return bt_fail(err, "--wd %g must be in [0, 1]", o->weight_decay);
    if (!in_range(o->beta1, 0, 0.999999f)) return bt_fail(err, "beta1 %.9g must be in [0, 0.999999]", o->beta1);
    if (!in_range(o->beta2, 0, 0.999999f)) return bt_fail(err, "--beta2 %.9g must be in [0, 0.999999]", o->beta2);
    if (!in_range(o->eps, 1e-30f, 1)) return bt_fail(err, "AdamW eps %g must be in (0, 1]", o->eps);
    if (!in_range(o->clip, 0, 1e9f)) return bt_fail(err, "--clip %g must be 0 (off) or positive", o->clip);
    if (!in_range(o->dropout, 0, 0.95f)) return bt_fail(err, "--dropout %g must be in [0, 0.95]", o->dropout);
    if (!in_range(o->mask_rate, 0.01f, 0.5f))
        return bt_fail(err, "--mask-rate %g must be between 0.01 and 0.5 (BERT: 0.15)", o->mask_rate);
    if (!in_range(o->word_init_std, 0, 100) || !in_range(o->init_std, 0, 100))
        return bt_fail(err, "--word-init-std and --init-std must be between 0 and 100");
    if (!in_range(o->mlm_ln_init, 0, 100)) return bt_fail(err, "--mlm-ln-init %g must be between 0 and 100", o->mlm_ln_init);
    if (o->threads < 1 || o->threads > 256) return bt_fail(err, "--threads %d must be between 1 and 256", o->threads);
    if (o->log_every < 1) return bt_fail(err, "--log-every %ld must be at least 1", o->log_every);
    if (o->eval_every < 0 || o->ckpt_every < 0)
        return bt_fail(err, "--eval-every and --ckpt-every must be 0 (never) or positive");
    if (o->eval_sequences < 1) return bt_fail(err, "--eval-sequences %ld must be positive", o->eval_sequences);
    if (o->stop_after < 0) return bt_fail(err, "--stop-after %ld must be 0 (run to the end) or positive", o->stop_after);
    if (!in_range(o->short_inputs, 0, 1)) return bt_fail(err, "--short-inputs %g must be in [0, 1]", o->short_inputs);
    if (o->short_inputs_min < 5 || o->short_inputs_min > o->seq_len)
        return bt_fail(err, "--short-inputs-min %d must be between 5 and --seq-len %d", o->short_inputs_min, o->seq_len);
    if (!in_range(o->unlikely_visible, 0, 100))
        return bt_fail(err, "--unlikely-visible %g must be between 0 (off) and 100", o->unlikely_visible);
    if (o->unlikely_visible > 0 && !o->mask_repeats_shared)
        return bt_fail(err, "--unlikely-visible needs --mask-repeats-shared: with plain masking a word the sequence "
                            "shows can be the answer");
    if (o->init_vectors_scan < 0) return bt_fail(err, "--init-vectors-scan %ld must be 0 or positive", o->init_vectors_scan);
    if (o->n_snapshots > TRAIN_MAX_SNAPSHOTS)
        return bt_fail(err, "--snapshots: at most %d steps", TRAIN_MAX_SNAPSHOTS);
    return train_check_init(o, &o->cfg, err);
}

static long long file_bytes(const char *path) {
    struct stat sb;
    return path && stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* What makes two runs the same recipe: everything that changes the
 * weights, except the schedule's length (--steps and --stop-after may
 * change on resume: that is how a run is stretched) and the thread count.
 * The corpus and vocabulary are known by their sizes, so that a moved
 * file still resumes and a rebuilt, different one does not. */
static void recipe_text(const TrainOptions *o, int vocab_size, char *buf, size_t n) {
    const BertConfig *c = &o->cfg;
    int k = snprintf(buf, n, "corpus-bytes %lld\nvocab-bytes %lld\n", file_bytes(o->train_path),
                     file_bytes(o->vocab_path));
    if (k >= 0 && (size_t)k < n && o->init_from)
        k += snprintf(buf + k, n - (size_t)k, "init-from %s\n", o->init_from);
    /* only a run with vectors writes these lines: older runs still resume */
    if (k >= 0 && (size_t)k < n && o->init_vectors_path)
        k += snprintf(buf + k, n - (size_t)k, "init-vectors-bytes %lld\ninit-vectors-scan %ld\n",
                      file_bytes(o->init_vectors_path), o->init_vectors_scan);
    if (k < 0 || (size_t)k >= n) return;
    buf += k;
    n -= (size_t)k;
    snprintf(buf, n,
             "layers %d\nhidden %d\nheads %d\nffn %d\nmax-len %d\npositions %s\nvocab-size %d\n"
             "seq-len %d\nbatch %d\nwarmup %ld\nlr %.9g\nwd %.9g\nbeta1 %.9g\nbeta2 %.9g\neps %.9g\nclip %.9g\n"
             "dropout %.9g\nmask-rate %.9g\nword-init-std %.9g\ninit-std %.9g\nmlm-ln-init %.9g\nbias-unigram %d\n"
             "pos-heads %d\nword-split %d\npos-head-pairs %d\npos-head-sharpness %.9g\nseed %llu\n",
             c->num_layers, c->hidden_size, c->num_heads, c->intermediate_size, c->max_position,
             c->pos_type == POS_SINUSOIDAL ? "sinusoidal" : "absolute", vocab_size, o->seq_len, o->batch, o->warmup,
             o->lr, o->weight_decay, o->beta1, o->beta2, o->eps, o->clip, o->dropout, o->mask_rate, o->word_init_std,
             o->init_std, o->mlm_ln_init, o->bias_unigram, o->pos_heads, o->word_split, o->pos_head_pairs,
             o->pos_head_sharpness, o->seed);
}

/* The recipe, then the thread count: a resumed run may change the
 * threads (another machine), but is then no longer bit-for-bit the
 * uninterrupted run, which the caller is told. */
static void recipe_file_text(const TrainOptions *o, int vocab_size, char *buf, size_t n) {
    recipe_text(o, vocab_size, buf, n);
    size_t k = strlen(buf);
    snprintf(buf + k, n - k, "threads %d\n", o->threads);
}

int train_recipe_write(const TrainOptions *o, int vocab_size, BtError *err) {
    char path[4200], text[2048];
    snprintf(path, sizeof path, "%s/recipe.txt", o->run_dir);
    recipe_file_text(o, vocab_size, text, sizeof text);
    FILE *f = fopen(path, "w");
    int bad = !f || fputs(text, f) < 0;
    if (f && fclose(f)) bad = 1;
    return bad ? bt_fail(err, "%s: cannot write: %s", path, strerror(errno)) : 0;
}

int train_recipe_check(const TrainOptions *o, int vocab_size, char *warn, size_t wn, BtError *err) {
    char path[4200], want[2048], have[2048];
    if (wn) warn[0] = '\0';
    snprintf(path, sizeof path, "%s/recipe.txt", o->run_dir);
    FILE *f = fopen(path, "r");
    if (!f && errno == ENOENT) return train_recipe_write(o, vocab_size, err);   /* a run from before recipe.txt */
    if (!f) return bt_fail(err, "%s: cannot read: %s", path, strerror(errno));
    size_t n = fread(have, 1, sizeof have - 1, f);
    fclose(f);
    have[n] = '\0';
    recipe_file_text(o, vocab_size, want, sizeof want);
    /* name the first line that differs: that is the option to fix */
    const char *a = want, *b = have;
    while (*a || *b) {
        if (!*b && !strncmp(a, "threads ", 8)) break;   /* written before the thread count was */
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        if (la != lb || strncmp(a, b, la) != 0) {
            size_t ka = strcspn(a, " \n"), kb = strcspn(b, " \n");
            const char *va = a + (ka < la ? ka + 1 : la);
            int nva = (int)(a + la - va);
            if (ka == kb && ka == 7 && !strncmp(a, "threads", 7) && !strncmp(b, "threads", 7)) {
                snprintf(warn, wn, "this run was started with %.*s; with %.*s the resumed run rounds differently "
                         "and will not be bit-for-bit the uninterrupted one", (int)lb, b, nva, va);
            } else {
                return bt_fail(err, "--resume: this run was started with %.*s (recipe.txt), not %.*s; resume it with "
                               "the same corpus, vocabulary and options (only --steps, --stop-after, --threads and "
                               "the intervals may change)", (int)lb, b, (int)(ka == kb ? nva : (int)la),
                               ka == kb ? va : a);
            }
        }
        a += la + (a[la] == '\n');
        b += lb + (b[lb] == '\n');
    }
    return 0;
}
