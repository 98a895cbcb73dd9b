/* train and eval: the pretraining subcommands. */
#include "bertology/safetext.h"
#include "bertology/cli.h"
#include "bertology/cloze.h"
#include "bertology/eval.h"
#include "bertology/model_mean.h"
#include "bertology/neighbours.h"
#include "bertology/senses.h"
#include "bertology/trainer.h"
#include "bertology/vocab_builder.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_train(int argc, char **argv) {
    TrainOptions t;
    train_defaults(&t);
    const char *pos = "sinusoidal", *snaps = NULL;
    long seed = (long)t.seed;
    int no_unigram = 0;
    const Opt opts[] = {
        {"corpus", OPT_STR, &t.train_path, N_("training text: a sentence per line, blank line between documents"),
         .arg = "TRAIN.txt", .required = 1},
        {"vocab", OPT_STR, &t.vocab_path, N_("vocab.txt (from `bertology vocab`)"), .arg = "VOCAB.txt", .required = 1},
        {"out", OPT_STR, &t.run_dir, N_("run directory: logs, state.bin, checkpoints"), .arg = "RUN_DIR", .required = 1},
        {"heldout", OPT_STR, &t.heldout_path, N_("held-out text for periodic evaluation"), .arg = "FILE"},
        {"layers", OPT_INT, &t.cfg.num_layers, N_("encoder layers")},
        {"hidden", OPT_INT, &t.cfg.hidden_size, N_("hidden size H")},
        {"heads", OPT_INT, &t.cfg.num_heads, N_("attention heads")},
        {"ffn", OPT_INT, &t.cfg.intermediate_size, N_("feed-forward size")},
        {"max-len", OPT_INT, &t.cfg.max_position, N_("the longest input in tokens (max_position_embeddings)")},
        {"positions", OPT_STR, &pos, N_("position embeddings: fixed sinusoids, or learned (absolute) rows"),
         .arg = "sinusoidal|absolute"},
        {"seq-len", OPT_INT, &t.seq_len, N_("tokens per training sequence")},
        {"batch", OPT_INT, &t.batch, N_("sequences per step")},
        {"steps", OPT_LONG, &t.steps, N_("optimizer steps")},
        {"warmup", OPT_LONG, &t.warmup, N_("warm-up steps")},
        {"lr", OPT_FLOAT, &t.lr, N_("peak learning rate")},
        {"wd", OPT_FLOAT, &t.weight_decay, N_("AdamW weight decay")},
        {"beta2", OPT_FLOAT, &t.beta2, N_("AdamW beta2")},
        {"clip", OPT_FLOAT, &t.clip, N_("gradient norm clip (0: off)")},
        {"dropout", OPT_FLOAT, &t.dropout, N_("dropout probability")},
        {"mask-rate", OPT_FLOAT, &t.mask_rate, N_("fraction of tokens chosen for MLM")},
        {"word-init-std", OPT_FLOAT, &t.word_init_std, N_("std of the word embedding init")},
        {"init-std", OPT_FLOAT, &t.init_std, N_("std of the other weight matrices")},
        {"mlm-ln-init", OPT_FLOAT, &t.mlm_ln_init, N_("MLM head LayerNorm gamma at init (default 1/sqrt(H))")},
        {"pos-heads", OPT_INT, &t.pos_heads, N_("layer-0 heads started as previous/next-token heads (0, 1 or 2)")},
        {"word-split", OPT_INT, &t.word_split, N_("words start in dims [K, H) (default H/2 with position heads)")},
        {"pos-head-sharpness", OPT_FLOAT, &t.pos_head_sharpness, N_("position heads' score margin at init, in logits")},
        {"pos-head-pairs", OPT_INT, &t.pos_head_pairs, N_("sinusoid pairs a position head reads")},
        {"init-vectors", OPT_STR, &t.init_vectors_path, N_("start word rows from static vectors (.btv, e.g. GloVe)"),
         .arg = "FILE.btv"},
        {"init-vectors-scan", OPT_LONG, &t.init_vectors_scan, N_("frequent vector words averaged into pieces without a vector")},
        {"mask-repeats", OPT_FLAG, &t.mask_repeats, N_("copy-free masking: a chosen word takes its other occurrences in the sequence with it")},
        {"mask-repeats-shared", OPT_FLAG, &t.mask_repeats_shared, N_("--mask-repeats, the occurrences sharing one 80/10/10 draw (none stays visible beside a [MASK] of it)")},
        {"short-inputs", OPT_FLOAT, &t.short_inputs, N_("share of training pairs cut to a length drawn log-uniformly from --short-inputs-min to --seq-len (0: BERT's recipe)")},
        {"short-inputs-min", OPT_INT, &t.short_inputs_min, N_("shortest cut pair, [CLS] and [SEP]s included")},
        {"unlikely-visible", OPT_FLOAT, &t.unlikely_visible, N_("weight of an unlikelihood term on the words the sequence shows (needs --mask-repeats-shared; 0: off)")},
        {"init-from", OPT_STR, &t.init_from, N_("start from a model's weights (same shape and vocabulary), fresh optimizer"),
         .arg = "DIR"},
        {"no-bias-unigram", OPT_FLAG, &no_unigram, N_("start the decoder bias at 0, not log unigram frequencies")},
        {"seed", OPT_LONG, &seed, N_("random seed")},
        {"threads", OPT_INT, &t.threads, N_("BLAS and OpenMP threads; another count rounds differently")},
        {"log-every", OPT_LONG, &t.log_every, N_("steps between log lines")},
        {"eval-every", OPT_LONG, &t.eval_every, N_("steps between held-out evaluations")},
        {"ckpt-every", OPT_LONG, &t.ckpt_every, N_("steps between checkpoints (latest/ + state.bin)")},
        {"eval-sequences", OPT_LONG, &t.eval_sequences, N_("held-out sequences per evaluation")},
        {"snapshots", OPT_STR, &snaps, N_("comma-separated steps whose checkpoints are kept (step-N/)"), .arg = "N,N,..."},
        {"resume", OPT_FLAG, &t.resume, N_("continue the run in --out from its state.bin")},
        {"stop-after", OPT_LONG, &t.stop_after, N_("stop after this step (0: never), saving everything needed to --resume")},
    };
    const CliSpec spec = {"train", opts, CLI_N(opts),
                          .about = N_("Pretrains a BERT (MLM + NSP) from scratch, or goes on with --resume.")};
    int pr = cli_parse(&spec, argc, argv);
    if (pr < 0) return cli_status(pr);
    if (!strcmp(pos, "sinusoidal")) t.cfg.pos_type = POS_SINUSOIDAL;
    else if (!strcmp(pos, "absolute")) t.cfg.pos_type = POS_ABSOLUTE;
    else {
        fprintf(stderr, _("bertology: --positions must be sinusoidal or absolute, not '%s'\n"), safe_str(pos));
        return 2;
    }
    for (const char *p = snaps; p && *p;) {
        char *end;
        errno = 0;
        long s = strtol(p, &end, 10);
        if (end == p || s <= 0 || errno == ERANGE || (*end && *end != ',') || (*end == ',' && !end[1])) {
            fprintf(stderr, _("bertology: --snapshots takes steps like 100,1000, not '%s'\n"), safe_str(snaps));
            return 2;
        }
        if (t.n_snapshots == TRAIN_MAX_SNAPSHOTS) {
            fprintf(stderr, _("bertology: --snapshots keeps at most %d steps, not '%s'\n"), TRAIN_MAX_SNAPSHOTS,
                    safe_str(snaps));
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
    printf(_("cloze (%s): %d of %d sentences have an accepted word first, %d of %d in the top %d\n"), safe_str(path),
           top1, n, top5, n, CLOZE_TOP);
    printf(_("copies: %d of %d first guesses are a word of the sentence (marked copy)\n"), copies, n);
    for (int i = 0; i < n; i++) {
        printf("  %s %s\n     ", it[i].best_rank <= CLOZE_TOP ? "ok " : "-- ", safe_str(it[i].sentence));
        for (int k = 0; k < CLOZE_TOP; k++) {
            const char *w = tok_token(m->tok, it[i].top[k].id);
            printf(" %s %.1f%%", safe_str(w), 100 * it[i].top[k].p);
        }
        printf(_("   (accepted: %s; best rank %d)"), safe_str(it[i].accepted), it[i].best_rank);
        /* TRANSLATORS: eval's mark of a first guess that is a word of the sentence */
        printf("%s\n", it[i].first_is_copy ? P_("cloze mark", "  copy") : "");
    }
}

static double pct(int k, int n) { return n ? 100.0 * k / n : 0; }

static void print_senses(const char *path, const SenseResult *r) {
    int n = r->n, last = r->n_points - 1;
    printf(_("senses (%s): %d lines; a line holds when cos(A,B) > max(cos(A,C), cos(B,C)) for the word's vectors\n"),
           safe_str(path), n);
    char cell[128];
    printf(_("  %s %d of %d hold (ties by construction)\n"),
           cli_pad(cell, sizeof cell, _("static (input embedding rows)"), 30), senses_static_count(r), n);
    for (int p = 0; p < r->n_points; p++) {
        char name[96];
        if (p == 0) snprintf(name, sizeof name, "%s", _("point 0 (embeddings + LayerNorm)"));
        else snprintf(name, sizeof name, _("point %d (after layer %d)"), p, p);
        int k = senses_count(r, p);
        printf(_("  %s %d of %d hold (%.1f%%)\n"), cli_pad(cell, sizeof cell, name, 32), k, n, pct(k, n));
    }
    printf(_("  at point %d (the last layer):\n"), last);
    for (int i = 0; i < n; i++) {
        const SenseItem *it = &r->items[i];
        const double *c = it->cos + 3 * last;
        /* TRANSLATORS: eval's verdict on one line of the senses file (5 columns) */
        printf("    %s  %-14s cos(A,B) %6.3f  cos(A,C) %6.3f  cos(B,C) %6.3f   ",
               cli_pad(cell, sizeof cell, senses_holds(c) ? P_("senses", "holds") : P_("senses", "fails"), 5),
               safe_str(it->word), c[SENSE_AB],
               c[SENSE_AC], c[SENSE_BC]);
        if (it->n_pieces > 1) printf(_("(line %d; %d pieces averaged)\n"), it->line, it->n_pieces);
        else printf(_("(line %d)\n"), it->line);
    }
}

static void print_neighbours(const BertModel *m, const char *path, const NeighbourItem *it, int n) {
    int k = 0;
    for (int i = 0; i < n; i++) k += it[i].holds;
    printf(_("neighbours (%s): %d of %d words (%.1f%%) have an acceptable word among their %d nearest pieces\n"),
           safe_str(path), k, n, pct(k, n), NEIGHBOURS_TOP);
    printf(_("  (cosine of the model's input word embeddings; the word itself, special tokens and ## pieces left out;"
             " * marks an acceptable word)\n"));
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
    const char *model = NULL, *data = NULL, *cloze = NULL, *senses = NULL, *neigh = NULL;
    long n = 2000, seed = EVAL_SEED;   /* the trainer's held-out draw, so the figures match its log */
    int T = EVAL_MAX_LEN, json = 0;
    const Opt opts[] = {
        {"model", OPT_STR, &model, CLI_MODEL_HELP, .arg = "DIR"},
        {"data", OPT_STR, &data, N_("held-out text: a sentence per line, blank line between documents"), .arg = "HELDOUT.txt"},
        {"cloze", OPT_STR, &cloze, N_("cloze sentences: a sentence with one [MASK], a tab, the accepted words"), .arg = "FILE"},
        {"senses", OPT_STR, &senses, N_("word in context: a word, then sentences A, B (one sense) and C (another), "
                                     "tab separated; counts where cos(A,B) beats cos(A,C) and cos(B,C), per layer"),
         .arg = "FILE"},
        {"neighbours", OPT_STR, &neigh, N_("static neighbours: a word, a tab, acceptable words; counts words with one "
                                        "among their 5 nearest input embeddings"), .arg = "FILE"},
        {"sequences", OPT_LONG, &n, N_("how many sequences to draw"), .lo = 1, .hi = (double)LONG_MAX},
        {"seed", OPT_LONG, &seed, N_("seed of the masking and pairing"), .arg = "S"},
        {"seq-len", OPT_INT, &T, N_("tokens per sequence"), .arg = "T", .lo = 8, .hi = 4096},
        {"json", OPT_FLAG, &json, N_("print JSON")},
    };
    const CliSpec spec = {"eval", opts, CLI_N(opts),
                          .about = N_("Measures a model on held-out text (--data) and on the word lists of --cloze, "
                                   "--senses, --neighbours;\nat least one of them.")};
    int pr = cli_parse(&spec, argc, argv);
    if (pr < 0) return cli_status(pr);
    if (!data && !cloze && !senses && !neigh) {
        char usage[1024];
        cli_usage(&spec, usage, sizeof usage);
        fprintf(stderr, _("bertology: eval needs at least one of --data FILE, held-out text (scripts/corpus.sh writes "
                          "heldout.txt), --cloze FILE, --senses FILE or --neighbours FILE; usage: %s\n"), usage);
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
            /* the table's row names are translated (22 columns): a table for people; --json is for scripts */
            printf(_("held-out: %ld sequences, %ld [MASK] positions, %ld chosen positions\n"), r.n_seq, r.n_mask,
                   r.n_chosen);
            printf("                         top-1    top-5\n");
            char row[128];
#define ROW(name) cli_pad(row, sizeof row, name, 22)
            printf("%s %6.1f%%  %6.1f%%\n", ROW(_("[MASK] positions")), 100 * r.mask_top1, 100 * r.mask_top5);
            printf(_("%s %6.1f%%  %6.1f%%   (always: %s %s %s %s %s)\n"), ROW(_("frequency baseline")), 100 * r.base_top1,
                   100 * r.base_top5, safe_str(tok_token(m.tok, r.top_freq[0])), safe_str(tok_token(m.tok, r.top_freq[1])),
                   safe_str(tok_token(m.tok, r.top_freq[2])), safe_str(tok_token(m.tok, r.top_freq[3])),
                   safe_str(tok_token(m.tok, r.top_freq[4])));
            printf(_("%s %6.1f%%  %6.1f%%   (incl. the 10%% left unchanged)\n"), ROW(_("all chosen positions")),
                   100 * r.chosen_top1, 100 * r.chosen_top5);
            printf("%s %.3f\n", ROW(_("MLM loss")), r.mlm_loss);
            if (r.nsp_acc >= 0) printf("%s %6.1f%%\n", ROW(_("NSP accuracy")), 100 * r.nsp_acc);
            else printf("%s %s\n", ROW(_("NSP accuracy")), _("(no NSP head)"));
#undef ROW
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
    int size = 0, min_freq = 2;
    const char *out = NULL;
    const Opt opts[] = {
        {"size", OPT_INT, &size, N_("vocabulary size, special tokens included"), .lo = 10, .hi = INT_MAX, .required = 1},
        {"out", OPT_STR, &out, N_("where to write vocab.txt"), .arg = "VOCAB.txt", .required = 1},
        {"min-freq", OPT_INT, &min_freq, N_("characters seen fewer times become [UNK]"), .arg = "F"},
    };
    const CliSpec spec = {"vocab", opts, CLI_N(opts), .args = "FILE...", .min_args = 1, .max_args = -1,
                          .missing = N_("vocab needs input files"),
                          .about = N_("Learns a WordPiece vocabulary from text files (options and files in any order).")};
    int nfiles = cli_parse(&spec, argc, argv);
    if (nfiles < 0) return cli_status(nfiles);
    VocabStats st;
    BtError err;
    if (vocab_build((const char *const *)argv, nfiles, size, min_freq, out, &st, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    printf(_("wrote %s: %d tokens from %lld words (%ld distinct) in %ld lines; alphabet %d, %d rare characters "
             "dropped, %lld words become [UNK]\n"),
           out, st.vocab_size, st.words, st.distinct_words, st.lines, st.alphabet, st.dropped_chars, st.unk_words);
    return 0;
}

/* pack --mean-with's list: at most this many more checkpoints. */
enum { PACK_MAX_MEAN = 16 };

int cli_pack(int argc, char **argv) {
    const char *model = NULL, *out = NULL, *mean_with = NULL;
    int f16 = 0;
    const Opt opts[] = {
        {"model", OPT_STR, &model, N_("checkpoint to copy"), .arg = "DIR", .required = 1},
        {"out", OPT_STR, &out, N_("directory to write (config.json, vocab.txt, model.safetensors)"), .arg = "DIR",
         .required = 1},
        {"f16", OPT_FLAG, &f16, N_("store the weights as float16 (half the size)")},
        {"mean-with", OPT_STR, &mean_with,
         N_("write the element-wise mean of --model and these checkpoints of the same model (comma-separated)"),
         .arg = "DIR,..."},
    };
    const CliSpec spec = {"pack", opts, CLI_N(opts),
                          .about = N_("Copies a checkpoint to a model directory, optionally as float16, or the mean "
                                      "of several checkpoints (--mean-with).")};
    int pr = cli_parse(&spec, argc, argv);
    if (pr < 0) return cli_status(pr);
    char *list = NULL;
    const char *dirs[PACK_MAX_MEAN];
    int n_dirs = 0;
    if (mean_with) {
        list = strdup(mean_with);
        if (!list) return 1;
        for (char *save = NULL, *d = strtok_r(list, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
            if (n_dirs == PACK_MAX_MEAN) {
                fprintf(stderr, _("bertology: --mean-with takes at most %d directories; average fewer at a time\n"),
                        PACK_MAX_MEAN);
                free(list);
                return 2;
            }
            dirs[n_dirs++] = d;
        }
        if (!n_dirs) {
            fprintf(stderr, _("bertology: --mean-with needs one or more model directories, comma-separated\n"));
            free(list);
            return 2;
        }
    }
    BertModel m;
    if (cli_load_model(model, &m)) {
        free(list);
        return 1;
    }
    char vocab[4200];
    snprintf(vocab, sizeof vocab, "%s/vocab.txt", model);
    BtError err;
    int rc = n_dirs ? model_mean_with(&m, dirs, n_dirs, &err) : 0;
    if (!rc) rc = model_save(&m, out, f16, vocab, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    if (!rc && n_dirs) printf(_("wrote %s: the mean of %d checkpoints\n"), out, n_dirs + 1);
    else if (!rc) printf(f16 ? _("wrote %s: the checkpoint's weights as float16\n") : _("wrote %s: the checkpoint's weights\n"), out);
    free(list);
    model_free(&m);
    return rc ? 1 : 0;
}
