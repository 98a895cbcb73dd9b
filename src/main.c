/* bertology: the subcommand table. With no subcommand, the REPL. */
#include "bertology/cli.h"
#include "bertology/i18n.h"
#include "bertology/progress_line.h"
#include "bertology/repl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BT_VERSION
#define BT_VERSION "0.1.0"
#endif

/* A new subcommand: a row here, its file in src/cli/ (parsing with
 * cli_parse, bertology/cli_opts.h), its function in bertology/cli.h and
 * the file in meson.build's cli_sources. */
static const CliCommand SUBCOMMANDS[] = {
    {"tokenize", cli_tokenize, N_("show the WordPiece tokens and ids of TEXT")},
    {"dump", cli_dump, N_("write every intermediate of one forward pass as .npz")},
    {"predict", cli_predict, N_("top-K tokens for each [MASK] in TEXT")},
    {"lens", cli_lens, N_("the logit lens: top-K for each [MASK] after the embeddings and every layer")},
    {"scan", cli_scan, N_("knock out each attention head in turn: its effect on the [MASK] word and NSP")},
    {"saliency", cli_saliency, N_("which input tokens a [MASK] word depends on: gradient × input, integrated gradients")},
    {"rollout", cli_rollout, N_("attention rollout and flow: what a token draws from each input token")},
    {"whatif", cli_whatif, N_("two runs compared: a token replaced, the training corruption, or another sentence")},
    {"census", cli_census, N_("every head's attention entropy and its share on [CLS], [SEP], self, neighbours")},
    {"train", cli_train, N_("pretrain a BERT (MLM + NSP) on a text corpus")},
    {"vocab", cli_vocab, N_("learn a WordPiece vocabulary (vocab.txt) from text files")},
    {"vectors", cli_vectors, N_("convert GloVe/word2vec vectors for the REPL, and query them")},
    {"lesson", cli_lesson, N_("list the guided lessons, or --check them against the model")},
    {"pull", cli_pull, N_("download a BERT from the Hugging Face hub into the model cache")},
    {"convert", cli_convert, N_("write model.safetensors beside a directory's pytorch_model.bin")},
    {"models", cli_models, N_("list the models in the cache, with their sizes")},
    {"plot", cli_plot, N_("draw a training run's loss and accuracy curves as PNG")},
    {"pack", cli_pack, N_("copy a checkpoint to a model directory, optionally as float16")},
    {"eval", cli_eval, N_("held-out [MASK] accuracy and baseline, NSP, cloze, word senses, static neighbours")},
};
enum { N_SUB = sizeof SUBCOMMANDS / sizeof SUBCOMMANDS[0] };

static void usage(FILE *f) {
    fputs(_("usage: bertology [options]                    open the REPL\n"
            "       bertology SUBCOMMAND [args]            for scripts\n\n"
            "Step through a BERT forward pass: type a sentence, then `next`, or `help`.\n\n"
            "REPL options:\n"), f);
    repl_print_options(f);
    fputs(_("\nsubcommands (bertology SUBCOMMAND --help for each):\n"), f);
    for (int i = 0; i < N_SUB; i++) fprintf(f, "  %-10s %s\n", SUBCOMMANDS[i].name, _(SUBCOMMANDS[i].help));
    fprintf(f, "\n  --version  %s\n  --help     %s\n", _("print the version"), _("this text"));
}

static int is_subcommand(const char *word) { return cli_command_find(SUBCOMMANDS, N_SUB, word) != NULL; }

/* libgomp reads OMP_WAIT_POLICY once, before main. Its default (spin)
 * makes idle OpenMP threads fight OpenBLAS's threads for the cores: half
 * the training time went to spinning. Unless the user chose a policy,
 * start again with the passive one. */
static void prefer_passive_openmp(char **argv) {
    if (getenv("OMP_WAIT_POLICY")) return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv);
    /* exec failing only costs speed */
}

int main(int argc, char **argv) {
    prefer_passive_openmp(argv);
    repl_i18n_start(argc, argv);
    /* long loops (a scan or IG on a large model) show a line on a terminal */
    static ProgressLine progress = {.after_s = 0.5};
    const char *term = getenv("TERM");
    if (isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0)) {   /* "\033[K" needs a real terminal */
        progress.out = stderr;
        progress_line_install(&progress);
    }
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("bertology %s\n", BT_VERSION);
        return 0;
    }
    const CliCommand *sub = argc > 1 ? cli_command_find(SUBCOMMANDS, N_SUB, argv[1]) : NULL;
    if (sub) return sub->run(argc - 2, argv + 2);
    if (argc > 1 && argv[1][0] != '-') {
        const char *near = cli_command_near(SUBCOMMANDS, N_SUB, argv[1]);
        if (near)
            fprintf(stderr, _("bertology: unknown subcommand '%s'; did you mean '%s'? (try bertology --help)\n"),
                    safe_str(argv[1]), near);
        else fprintf(stderr, _("bertology: unknown subcommand '%s' (try bertology --help)\n"), safe_str(argv[1]));
        return 2;
    }
    return repl_main(argc, argv, usage, is_subcommand);
}
