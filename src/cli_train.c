/* train and eval: the pretraining subcommands. */
#include "bertology/cli_train.h"
#include "bertology/safetext.h"
#include "bertology/cli.h"
#include "bertology/cloze.h"
#include "bertology/eval.h"
#include "bertology/neighbours.h"
#include "bertology/senses.h"
#include "bertology/trainer.h"
#include "bertology/vocab_builder.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OPT_STR, OPT_INT, OPT_LONG, OPT_FLOAT, OPT_FLAG } OptKind;

typedef struct {
    const char *name;
    OptKind kind;
    void *dst;
    const char *help;
} Opt;

/* Parses --name value pairs from a table; prints one line and fails on
 * anything unknown, missing or not a number. Returns 0, 1 after --help
 * (the table printed), -1. */
static int parse_opts(int argc, char **argv, const Opt *opts, int n, const char *usage) {
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: %s\n", usage);
            for (int k = 0; k < n; k++) {
                char name[64];
                snprintf(name, sizeof name, "--%s%s", opts[k].name, opts[k].kind == OPT_FLAG ? "" : " X");
                printf("  %-24s %s\n", name, opts[k].help);
            }
            return 1;
        }
        const Opt *o = NULL;
        for (int k = 0; k < n; k++)
            if (!strncmp(argv[i], "--", 2) && !strcmp(argv[i] + 2, opts[k].name)) o = &opts[k];
        if (!o) {
            fprintf(stderr, "bertology: unknown option '%s'; usage: %s\n", argv[i], usage);
            return -1;
        }
        if (o->kind == OPT_FLAG) { *(int *)o->dst = 1; continue; }
        if (i + 1 >= argc) {
            fprintf(stderr, "bertology: --%s needs a value (%s)\n", o->name, o->help);
            return -1;
        }
        const char *v = argv[++i];
        char *end = NULL;
        long l = 0;
        errno = 0;
        switch (o->kind) {
        case OPT_STR: *(const char **)o->dst = v; end = ""; break;
        case OPT_INT:
            l = strtol(v, &end, 10);
            if (l < INT_MIN || l > INT_MAX) errno = ERANGE;
            *(int *)o->dst = (int)l;
            break;
        case OPT_LONG: *(long *)o->dst = strtol(v, &end, 10); break;
        case OPT_FLOAT: *(float *)o->dst = strtof(v, &end); break;
        case OPT_FLAG: break;
        }
        if (!end || *end || !*v) {
            fprintf(stderr, "bertology: --%s takes a number, not '%s'\n", o->name, v);
            return -1;
        }
        if (errno == ERANGE) {
            fprintf(stderr, "bertology: --%s %s is out of range\n", o->name, v);
            return -1;
        }
    }
    return 0;
}

int cli_train(int argc, char **argv) {
    const char *usage = "bertology train --corpus TRAIN.txt --vocab VOCAB.txt --out RUN_DIR [--heldout FILE] [options]";
    TrainOptions t;
    train_defaults(&t);
    const char *pos = "sinusoidal", *snaps = NULL;
    long seed = (long)t.seed;
    int no_unigram = 0;
    Opt opts[] = {
        {"corpus", OPT_STR, &t.train_path, "training text: a sentence per line, blank line between documents"},
        {"heldout", OPT_STR, &t.heldout_path, "held-out text for periodic evaluation"},
        {"vocab", OPT_STR, &t.vocab_path, "vocab.txt (from `bertology vocab`)"},
        {"out", OPT_STR, &t.run_dir, "run directory: logs, state.bin, checkpoints"},
        {"layers", OPT_INT, &t.cfg.num_layers, "encoder layers"},
        {"hidden", OPT_INT, &t.cfg.hidden_size, "hidden size H"},
        {"heads", OPT_INT, &t.cfg.num_heads, "attention heads"},
        {"ffn", OPT_INT, &t.cfg.intermediate_size, "feed-forward size"},
        {"max-len", OPT_INT, &t.cfg.max_position, "max_position_embeddings"},
        {"positions", OPT_STR, &pos, "sinusoidal or absolute"},
        {"seq-len", OPT_INT, &t.seq_len, "tokens per training sequence"},
        {"batch", OPT_INT, &t.batch, "sequences per step"},
        {"steps", OPT_LONG, &t.steps, "optimizer steps"},
        {"warmup", OPT_LONG, &t.warmup, "warm-up steps"},
        {"lr", OPT_FLOAT, &t.lr, "peak learning rate"},
        {"wd", OPT_FLOAT, &t.weight_decay, "AdamW weight decay"},
        {"beta2", OPT_FLOAT, &t.beta2, "AdamW beta2"},
        {"clip", OPT_FLOAT, &t.clip, "gradient norm clip (0: off)"},
        {"dropout", OPT_FLOAT, &t.dropout, "dropout probability"},
        {"mask-rate", OPT_FLOAT, &t.mask_rate, "fraction of tokens chosen for MLM"},
        {"word-init-std", OPT_FLOAT, &t.word_init_std, "std of the word embedding init"},
        {"init-std", OPT_FLOAT, &t.init_std, "std of the other weight matrices"},
        {"mlm-ln-init", OPT_FLOAT, &t.mlm_ln_init, "MLM head LayerNorm gamma at init (default 1/sqrt(H))"},
        {"pos-heads", OPT_INT, &t.pos_heads, "layer-0 heads started as previous/next-token heads (0, 1 or 2)"},
        {"word-split", OPT_INT, &t.word_split, "words start in dims [K, H) (default H/2 with position heads)"},
        {"pos-head-sharpness", OPT_FLOAT, &t.pos_head_sharpness, "position heads' score margin at init, in logits"},
        {"pos-head-pairs", OPT_INT, &t.pos_head_pairs, "sinusoid pairs a position head reads"},
        {"init-vectors", OPT_STR, &t.init_vectors_path, "start word rows from static vectors (.btv, e.g. GloVe)"},
        {"init-vectors-scan", OPT_LONG, &t.init_vectors_scan, "frequent vector words averaged into pieces without a vector"},
        {"mask-repeats", OPT_FLAG, &t.mask_repeats, "copy-free masking: a chosen word takes its other occurrences in the sequence with it"},
        {"mask-repeats-shared", OPT_FLAG, &t.mask_repeats_shared, "--mask-repeats, the occurrences sharing one 80/10/10 draw (none stays visible beside a [MASK] of it)"},
        {"short-inputs", OPT_FLOAT, &t.short_inputs, "share of training pairs cut to a length drawn log-uniformly from --short-inputs-min to --seq-len (0: BERT's recipe)"},
        {"short-inputs-min", OPT_INT, &t.short_inputs_min, "shortest cut pair, [CLS] and [SEP]s included"},
        {"unlikely-visible", OPT_FLOAT, &t.unlikely_visible, "weight of an unlikelihood term on the words the sequence shows (needs --mask-repeats-shared; 0: off)"},
        {"init-from", OPT_STR, &t.init_from, "start from a model's weights (same shape and vocabulary), fresh optimizer"},
        {"no-bias-unigram", OPT_FLAG, &no_unigram, "start the decoder bias at 0, not log unigram frequencies"},
        {"seed", OPT_LONG, &seed, "random seed"},
        {"threads", OPT_INT, &t.threads, "BLAS and OpenMP threads (2); another count rounds differently"},
        {"log-every", OPT_LONG, &t.log_every, "steps between log lines"},
        {"eval-every", OPT_LONG, &t.eval_every, "steps between held-out evaluations"},
        {"ckpt-every", OPT_LONG, &t.ckpt_every, "steps between checkpoints (latest/ + state.bin)"},
        {"eval-sequences", OPT_LONG, &t.eval_sequences, "held-out sequences per evaluation"},
        {"snapshots", OPT_STR, &snaps, "comma-separated steps whose checkpoints are kept (step-N/)"},
        {"resume", OPT_FLAG, &t.resume, "continue the run in --out from its state.bin"},
        {"stop-after", OPT_LONG, &t.stop_after, "stop after this step, saving everything needed to --resume"},
    };
    int pr = parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (pr) return pr < 0 ? 2 : 0;
    if (!t.train_path || !t.vocab_path || !t.run_dir) {
        fprintf(stderr, "bertology: train needs --corpus, --vocab and --out; usage: %s\n", usage);
        return 2;
    }
    if (!strcmp(pos, "sinusoidal")) t.cfg.pos_type = POS_SINUSOIDAL;
    else if (!strcmp(pos, "absolute")) t.cfg.pos_type = POS_ABSOLUTE;
    else {
        fprintf(stderr, "bertology: --positions must be sinusoidal or absolute, not '%s'\n", pos);
        return 2;
    }
    for (const char *p = snaps; p && *p;) {
        char *end;
        errno = 0;
        long s = strtol(p, &end, 10);
        if (end == p || s <= 0 || errno == ERANGE || (*end && *end != ',') || (*end == ',' && !end[1])) {
            fprintf(stderr, "bertology: --snapshots takes steps like 100,1000, not '%s'\n", snaps);
            return 2;
        }
        if (t.n_snapshots == TRAIN_MAX_SNAPSHOTS) {
            fprintf(stderr, "bertology: --snapshots keeps at most %d steps, not '%s'\n", TRAIN_MAX_SNAPSHOTS, snaps);
            return 2;
        }
        t.snapshots[t.n_snapshots++] = s;
        p = *end == ',' ? end + 1 : end;
    }
    t.seed = (unsigned long long)seed;
    t.bias_unigram = !no_unigram;
    t.progress = stderr;
    BtError err;
    if (train_run(&t, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    return 0;
}

static void print_cloze(const BertModel *m, const char *path, const ClozeItem *it, int n) {
    int top1 = 0, top5 = 0, copies = 0;
    for (int i = 0; i < n; i++) {
        top1 += it[i].best_rank == 1;
        top5 += it[i].best_rank <= CLOZE_TOP;
        copies += it[i].first_is_copy;
    }
    printf("cloze (%s): %d of %d sentences have an accepted word first, %d of %d in the top %d\n", safe_str(path), top1, n,
           top5, n, CLOZE_TOP);
    printf("copies: %d of %d first guesses are a word of the sentence (marked copy)\n", copies, n);
    for (int i = 0; i < n; i++) {
        printf("  %s %s\n     ", it[i].best_rank <= CLOZE_TOP ? "ok " : "-- ", safe_str(it[i].sentence));
        for (int k = 0; k < CLOZE_TOP; k++) {
            const char *w = tok_token(m->tok, it[i].top[k].id);
            printf(" %s %.1f%%", safe_str(w), 100 * it[i].top[k].p);
        }
        printf("   (accepted: %s; best rank %d)%s\n", safe_str(it[i].accepted), it[i].best_rank,
               it[i].first_is_copy ? "  copy" : "");
    }
}

static double pct(int k, int n) { return n ? 100.0 * k / n : 0; }

static void print_senses(const char *path, const SenseResult *r) {
    int n = r->n, last = r->n_points - 1;
    printf("senses (%s): %d lines; a line holds when cos(A,B) > max(cos(A,C), cos(B,C)) for the word's vectors\n",
           safe_str(path), n);
    printf("  static (input embedding rows)  %d of %d hold (ties by construction)\n", senses_static_count(r), n);
    for (int p = 0; p < r->n_points; p++) {
        char name[48];
        if (p == 0) snprintf(name, sizeof name, "point 0 (embeddings + LayerNorm)");
        else snprintf(name, sizeof name, "point %d (after layer %d)", p, p);
        int k = senses_count(r, p);
        printf("  %-32s %d of %d hold (%.1f%%)\n", name, k, n, pct(k, n));
    }
    printf("  at point %d (the last layer):\n", last);
    for (int i = 0; i < n; i++) {
        const SenseItem *it = &r->items[i];
        const double *c = it->cos + 3 * last;
        printf("    %s  %-14s cos(A,B) %6.3f  cos(A,C) %6.3f  cos(B,C) %6.3f   (line %d", senses_holds(c) ? "holds" : "fails",
               safe_str(it->word), c[SENSE_AB], c[SENSE_AC], c[SENSE_BC], it->line);
        if (it->n_pieces > 1) printf("; %d pieces averaged", it->n_pieces);
        printf(")\n");
    }
}

static void print_neighbours(const BertModel *m, const char *path, const NeighbourItem *it, int n) {
    int k = 0;
    for (int i = 0; i < n; i++) k += it[i].holds;
    printf("neighbours (%s): %d of %d words (%.1f%%) have an acceptable word among their %d nearest pieces\n", safe_str(path),
           k, n, pct(k, n), NEIGHBOURS_TOP);
    printf("  (cosine of the model's input word embeddings; the word itself, special tokens and ## pieces left out;"
           " * marks an acceptable word)\n");
    for (int i = 0; i < n; i++) {
        printf("  %s %-14s", it[i].holds ? "ok " : "-- ", safe_str(it[i].word));
        for (int j = 0; j < it[i].n_top; j++) {
            const char *w = tok_token(m->tok, it[i].top[j]);
            printf("%s %s%s %.3f", j ? "," : "", safe_str(w), it[i].hit[j] ? "*" : "", it[i].cos[j]);
        }
        printf("\n");
    }
}

/* Separates the top-level keys of eval's JSON object. */
static void json_key(int *first, const char *key) {
    printf("%s\"%s\": ", *first ? "" : ", ", key);
    *first = 0;
}

int cli_eval(int argc, char **argv) {
    const char *usage = "bertology eval [--model DIR] [--data HELDOUT.txt] [--cloze FILE] [--senses FILE] "
                        "[--neighbours FILE] [--sequences N] [--seed S] [--seq-len T] [--json]";
    const char *model = NULL, *data = NULL, *cloze = NULL, *senses = NULL, *neigh = NULL;
    long n = 2000, seed = 12345;
    int T = 128, json = 0;
    Opt opts[] = {
        {"model", OPT_STR, &model, "model directory"},
        {"data", OPT_STR, &data, "held-out text: a sentence per line, blank line between documents"},
        {"cloze", OPT_STR, &cloze, "cloze sentences: a sentence with one [MASK], a tab, the accepted words"},
        {"senses", OPT_STR, &senses, "word in context: a word, then sentences A, B (one sense) and C (another), "
                                     "tab separated; counts where cos(A,B) beats cos(A,C) and cos(B,C), per layer"},
        {"neighbours", OPT_STR, &neigh, "static neighbours: a word, a tab, acceptable words; counts words with one "
                                        "among their 5 nearest input embeddings"},
        {"sequences", OPT_LONG, &n, "how many sequences to draw"},
        {"seed", OPT_LONG, &seed, "seed of the masking and pairing"},
        {"seq-len", OPT_INT, &T, "tokens per sequence"},
        {"json", OPT_FLAG, &json, "print JSON"},
    };
    int pr = parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (pr) return pr < 0 ? 2 : 0;
    if (!data && !cloze && !senses && !neigh) {
        fprintf(stderr, "bertology: eval needs at least one of --data FILE, held-out text (scripts/corpus.sh writes "
                        "heldout.txt), --cloze FILE, --senses FILE or --neighbours FILE; usage: %s\n", usage);
        return 2;
    }
    if (n < 1 || T < 8 || T > 4096) {
        fprintf(stderr, "bertology: --sequences must be positive and --seq-len between 8 and 4096\n");
        return 2;
    }
    BertModel m;
    if (cli_load_model(model, &m)) return 1;
    if (T > m.cfg.max_position) T = m.cfg.max_position;
    BtError err;
    EvalResult r;
    ClozeItem *items = NULL;
    int n_items = 0, rc = 0;
    SenseResult sr = {0};
    NeighbourItem *nb = NULL;
    int n_nb = 0;
    if (data) {
        Corpus c;
        rc = corpus_load(&c, data, m.tok, &err);
        if (!rc) {
            InstanceSpec spec;
            rc = instance_spec_init(&spec, m.tok, T, 0.15f, &err);
            if (!rc) rc = eval_run(&m, &c, &spec, n, (uint64_t)seed, &r, &err);
            corpus_free(&c);
        }
    }
    if (!rc && cloze) rc = cloze_run(&m, cloze, &items, &n_items, &err);
    if (!rc && senses) rc = senses_run(&m, senses, &sr, &err);
    if (!rc && neigh) rc = neighbours_run(&m, neigh, &nb, &n_nb, &err);
    if (rc) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        cloze_free(items, n_items);
        senses_free(&sr);
        neighbours_free(nb, n_nb);
        model_free(&m);
        return 1;
    }
    if (json) {
        int first = 1;
        printf("{");
        if (data) {
            printf("\"sequences\": %ld, \"mask_positions\": %ld, \"chosen_positions\": %ld, \"mlm_loss\": %.4f, "
                   "\"mask_top1\": %.4f, \"mask_top5\": %.4f, \"chosen_top1\": %.4f, \"chosen_top5\": %.4f, "
                   "\"baseline_top1\": %.4f, \"baseline_top5\": %.4f, \"nsp_accuracy\": %.4f",
                   r.n_seq, r.n_mask, r.n_chosen, r.mlm_loss, r.mask_top1, r.mask_top5, r.chosen_top1, r.chosen_top5,
                   r.base_top1, r.base_top5, r.nsp_acc);
            first = 0;
        }
        if (cloze) {
            int copies = 0;
            json_key(&first, "cloze");
            printf("[");
            for (int i = 0; i < n_items; i++) {
                copies += items[i].first_is_copy;
                printf("%s{\"line\": %d, \"best_rank\": %d, \"top\": [", i ? ", " : "", items[i].line, items[i].best_rank);
                for (int k = 0; k < CLOZE_TOP; k++) {
                    const char *w = tok_token(m.tok, items[i].top[k].id);
                    printf("%s", k ? ", " : "");
                    json_string(stdout, w ? w : "?");
                }
                printf("], \"first_is_copy\": %s}", items[i].first_is_copy ? "true" : "false");
            }
            printf("]");
            json_key(&first, "cloze_copies");
            printf("%d", copies);
        }
        if (senses) {
            json_key(&first, "senses_points");
            printf("%d", sr.n_points);
            json_key(&first, "senses_holds");
            printf("[");
            for (int p = 0; p < sr.n_points; p++) printf("%s%d", p ? ", " : "", senses_count(&sr, p));
            printf("]");
            json_key(&first, "senses_static_holds");
            printf("%d", senses_static_count(&sr));
            json_key(&first, "senses");
            printf("[");
            for (int i = 0; i < sr.n; i++) {
                const SenseItem *it = &sr.items[i];
                printf("%s{\"line\": %d, \"word\": ", i ? ", " : "", it->line);
                json_string(stdout, it->word);
                printf(", \"pieces\": %d, \"cos\": [", it->n_pieces);
                for (int p = 0; p < sr.n_points; p++) {
                    const double *c = it->cos + 3 * p;
                    printf("%s[%.7f, %.7f, %.7f]", p ? ", " : "", c[SENSE_AB], c[SENSE_AC], c[SENSE_BC]);
                }
                printf("], \"holds\": [");
                for (int p = 0; p < sr.n_points; p++)
                    printf("%s%s", p ? ", " : "", senses_holds(it->cos + 3 * p) ? "true" : "false");
                printf("], \"static_cos\": [%.7f, %.7f, %.7f]}", it->static_cos[SENSE_AB], it->static_cos[SENSE_AC],
                       it->static_cos[SENSE_BC]);
            }
            printf("]");
        }
        if (neigh) {
            int k = 0;
            for (int i = 0; i < n_nb; i++) k += nb[i].holds;
            json_key(&first, "neighbours_holds");
            printf("%d", k);
            json_key(&first, "neighbours");
            printf("[");
            for (int i = 0; i < n_nb; i++) {
                printf("%s{\"line\": %d, \"word\": ", i ? ", " : "", nb[i].line);
                json_string(stdout, nb[i].word);
                printf(", \"holds\": %s, \"top\": [", nb[i].holds ? "true" : "false");
                for (int j = 0; j < nb[i].n_top; j++) {
                    const char *w = tok_token(m.tok, nb[i].top[j]);
                    printf("%s", j ? ", " : "");
                    json_string(stdout, w ? w : "?");
                }
                printf("], \"cos\": [");
                for (int j = 0; j < nb[i].n_top; j++) printf("%s%.6f", j ? ", " : "", nb[i].cos[j]);
                printf("]}");
            }
            printf("]");
        }
        printf("}\n");
    } else {
        if (data) {
            printf("held-out: %ld sequences, %ld [MASK] positions, %ld chosen positions\n", r.n_seq, r.n_mask, r.n_chosen);
            printf("                         top-1    top-5\n");
            printf("[MASK] positions       %6.1f%%  %6.1f%%\n", 100 * r.mask_top1, 100 * r.mask_top5);
            printf("frequency baseline     %6.1f%%  %6.1f%%   (always: %s %s %s %s %s)\n", 100 * r.base_top1,
                   100 * r.base_top5, safe_str(tok_token(m.tok, r.top_freq[0])), safe_str(tok_token(m.tok, r.top_freq[1])),
                   safe_str(tok_token(m.tok, r.top_freq[2])), safe_str(tok_token(m.tok, r.top_freq[3])),
                   safe_str(tok_token(m.tok, r.top_freq[4])));
            printf("all chosen positions   %6.1f%%  %6.1f%%   (incl. the 10%% left unchanged)\n", 100 * r.chosen_top1,
                   100 * r.chosen_top5);
            printf("MLM loss               %.3f\n", r.mlm_loss);
            if (r.nsp_acc >= 0) printf("NSP accuracy           %6.1f%%\n", 100 * r.nsp_acc);
            else printf("NSP accuracy           (no NSP head)\n");
        }
        if (cloze) print_cloze(&m, cloze, items, n_items);
        if (senses) print_senses(senses, &sr);
        if (neigh) print_neighbours(&m, neigh, nb, n_nb);
    }
    cloze_free(items, n_items);
    senses_free(&sr);
    neighbours_free(nb, n_nb);
    model_free(&m);
    return 0;
}

int cli_vocab(int argc, char **argv) {
    const char *usage = "bertology vocab --size N --out VOCAB.txt [--min-freq F] FILE...";
    int size = 0, min_freq = 2;
    const char *out = NULL;
    Opt opts[] = {
        {"size", OPT_INT, &size, "vocabulary size, special tokens included"},
        {"out", OPT_STR, &out, "where to write vocab.txt"},
        {"min-freq", OPT_INT, &min_freq, "characters seen fewer times become [UNK]"},
    };
    /* options and input files in any order: the files are what is not an
     * option or an option's value */
    char **flags = malloc(sizeof(char *) * (size_t)(argc + 1)), **files = malloc(sizeof(char *) * (size_t)(argc + 1));
    if (!flags || !files) {
        free(flags);
        free(files);
        fprintf(stderr, "bertology: out of memory\n");
        return 1;
    }
    int nf = 0, nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 && strcmp(argv[i], "-h") != 0) { files[nfiles++] = argv[i]; continue; }
        flags[nf++] = argv[i];
        if (strcmp(argv[i], "--help") && strcmp(argv[i], "-h") && i + 1 < argc) flags[nf++] = argv[++i];
    }
    int pr = parse_opts(nf, flags, opts, sizeof opts / sizeof opts[0], usage);
    int rc = pr < 0 ? 2 : 0;
    if (!pr && (size < 10 || !out || !nfiles)) {
        fprintf(stderr, "bertology: vocab needs %s; usage: %s\n",
                size < 10 ? "--size N (at least 10)" : !out ? "--out FILE" : "input files", usage);
        rc = 2;
    }
    VocabStats st;
    BtError err;
    if (!pr && !rc && vocab_build((const char *const *)files, nfiles, size, min_freq, out, &st, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        rc = 1;
    }
    free(flags);
    free(files);
    if (pr || rc) return rc;
    printf("%s: %d tokens from %lld words (%ld distinct) in %ld lines; alphabet %d, %d rare characters dropped, %lld words become [UNK]\n",
           out, st.vocab_size, st.words, st.distinct_words, st.lines, st.alphabet, st.dropped_chars, st.unk_words);
    return 0;
}

int cli_pack(int argc, char **argv) {
    const char *usage = "bertology pack --model DIR --out DIR [--f16]";
    const char *model = NULL, *out = NULL;
    int f16 = 0;
    Opt opts[] = {
        {"model", OPT_STR, &model, "checkpoint to copy"},
        {"out", OPT_STR, &out, "directory to write (config.json, vocab.txt, model.safetensors)"},
        {"f16", OPT_FLAG, &f16, "store the weights as float16 (half the size)"},
    };
    int pr = parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (pr) return pr < 0 ? 2 : 0;
    if (!model || !out) {
        fprintf(stderr, "bertology: pack needs --model and --out; usage: %s\n", usage);
        return 2;
    }
    BertModel m;
    if (cli_load_model(model, &m)) return 1;
    char vocab[4200];
    snprintf(vocab, sizeof vocab, "%s/vocab.txt", model);
    BtError err;
    int rc = model_save(&m, out, f16, vocab, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    model_free(&m);
    return rc ? 1 : 0;
}
