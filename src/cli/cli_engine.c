/* tokenize, dump and predict: the engine for scripts, no REPL involved. */
#include "bertology/cli.h"
#include "bertology/guesses.h"
#include "bertology/hub.h"
#include "bertology/pass.h"
#include "bertology/paths.h"
#include "bertology/stages.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_load_model(const char *dir, BertModel *m) {
    char buf[4096];
    if (!dir && !(dir = paths_default_model(buf, sizeof buf))) {
        fprintf(stderr, _("bertology: no default model found (assets/models/default); pass --model DIR\n"));
        return -1;
    }
    char resolved[4096];
    BtError err;
    /* a pulled model's id -> its cache directory; a .bin-only one converted */
    if (hub_open_model(dir, resolved, sizeof resolved, hub_note_stderr, NULL, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return -1;
    }
    dir = resolved;
    if (model_load(m, dir, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return -1;
    }
    return 0;
}

char *cli_text_and_model(int words, char **argv, const char *dir, BertModel *m) {
    char *text = cli_join_args(words, argv);
    if (!text) {
        fprintf(stderr, "bertology: %s\n", _("out of memory"));
        return NULL;
    }
    if (cli_load_model(dir, m)) {
        free(text);
        return NULL;
    }
    return text;
}

/* TEXT: every positional word, options anywhere (`--` before a word
 * that starts with two dashes). */
#define TEXT_ARGS .args = "TEXT", .min_args = 1, .max_args = -1, .missing = N_("no text given")
#define TRUNCATE_HELP N_("cut TEXT to the model's max_position tokens instead of refusing it")

int cli_tokenize(int argc, char **argv) {
    const char *model = NULL, *vocab = NULL;
    int json = 0, truncate = 0;
    const Opt opts[] = {
        {"model", OPT_STR, &model, CLI_MODEL_HELP, .arg = "DIR"},
        {"vocab", OPT_STR, &vocab, N_("a vocab.txt alone, instead of a model (its directory's tokenizer_config.json "
                                   "says the casing)"), .arg = "FILE"},
        {"json", OPT_FLAG, &json, N_("print JSON: tokens, input_ids, token_type_ids")},
        {"truncate", OPT_FLAG, &truncate, TRUNCATE_HELP},
    };
    const CliSpec spec = {"tokenize", opts, CLI_N(opts), TEXT_ARGS,
                          .about = N_("The WordPiece tokens of TEXT and their ids (\"A ||| B\" is a pair).")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    BtError err;
    BertModel m = {0};
    Tokenizer *tok = NULL;
    int max_len = 1 << 20;
    if (vocab) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", vocab);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0; else strcpy(dir, ".");
        int lower = TOK_LOWER_AUTO;
        if (tok_config_read(dir, &lower, &err) || tok_load(&tok, vocab, lower, &err)) {
            fprintf(stderr, "bertology: %s\n", err.msg);
            return 1;
        }
    } else {
        if (cli_load_model(model, &m)) return 1;
        tok = m.tok;
        max_len = m.cfg.max_position;
    }
    char *text = cli_join_args(n, argv);
    if (!text) {
        fprintf(stderr, "bertology: %s\n", _("out of memory"));
        if (vocab) tok_free(tok);
        else model_free(&m);
        return 1;
    }
    TokInput in;
    int rc = tok_encode(tok, text, max_len, truncate, &in, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    else if (json) {
        printf("{\"tokens\": [");
        for (int i = 0; i < in.n; i++) {
            if (i) printf(", ");
            json_string(stdout, tok_token(tok, in.ids[i]));
        }
        printf("], \"input_ids\": [");
        for (int i = 0; i < in.n; i++) printf("%s%d", i ? ", " : "", in.ids[i]);
        printf("], \"token_type_ids\": [");
        for (int i = 0; i < in.n; i++) printf("%s%d", i ? ", " : "", in.type_ids[i]);
        printf("]}\n");
    } else {
        for (int i = 0; i < in.n; i++) printf("%s%s", i ? " " : "", safe_str(tok_token(tok, in.ids[i])));
        printf("\n");
        for (int i = 0; i < in.n; i++) printf("%s%d", i ? " " : "", in.ids[i]);
        printf("\n");
    }
    if (!rc && in.n_full > in.n) fprintf(stderr, _("bertology: truncated from %d to %d tokens\n"), in.n_full, in.n);
    if (!rc) tok_input_free(&in);
    free(text);
    if (vocab) tok_free(tok);
    else model_free(&m);
    return rc ? 1 : 0;
}

/* Loads the model and runs TEXT through it (the MLM head on every
 * position); prints errors itself. */
static int run(const char *model, int truncate, int argc, char **argv, BertModel *m, Pass *p) {
    if (cli_load_model(model, m)) return -1;
    char *text = cli_join_args(argc, argv);
    if (!text) {
        fprintf(stderr, "bertology: %s\n", _("out of memory"));
        model_free(m);
        return -1;
    }
    BtError err;
    PassOptions opt = {.mlm = 1, .truncate = truncate};
    int rc = pass_run(p, m, text, &opt, &err);
    free(text);
    if (rc) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        model_free(m);
        return -1;
    }
    return 0;
}

int cli_dump(int argc, char **argv) {
    const char *model = NULL, *out = NULL, *view_name = NULL, *stage_name = NULL;
    int truncate = 0, layer = -1, head = -1;
    const Opt opts[] = {
        {"model", OPT_STR, &model, CLI_MODEL_HELP, .arg = "DIR"},
        {"out", OPT_STR, &out,
         N_("the file to write: .npz, every intermediate of the pass; .csv or .svg, the numbers or the picture of a "
            "window view"),
         .arg = "FILE", .required = 1},
        {"view", OPT_STR, &view_name, N_("with .csv or .svg: the view (heatmap, heads, headview, positions, vectors, "
                                         "embeddings, predictions, rollout, census; default heatmap)"), .arg = "NAME"},
        {"layer", OPT_INT, &layer, N_("the view's layer (default 0)"), .arg = "L", .lo = 0, .hi = 100000},
        {"head", OPT_INT, &head, N_("the view's head (default 0)"), .arg = "H", .lo = 0, .hi = 100000},
        {"stage", OPT_STR, &stage_name, N_("the REPL stage the view shows (default attn; scores: raw scores)"), .arg = "NAME"},
        {"truncate", OPT_FLAG, &truncate, TRUNCATE_HELP},
    };
    const CliSpec spec = {"dump", opts, CLI_N(opts), TEXT_ARGS,
                          .about = N_("One forward pass over TEXT, written as numpy arrays (np.load reads them), or one "
                                      "window view of it\nas CSV or SVG (the REPL's `export FILE.csv|.svg`).")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    BtError err;
    const ExportFormat *fmt = export_format_for(out, &err);
    if (!fmt) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 2;
    }
    int view = VIZ_HEATMAP, stage = STAGE_ATTN;
    if (!fmt->of_view && (view_name || stage_name || layer >= 0 || head >= 0)) {
        fprintf(stderr, _("bertology: --view, --layer, --head and --stage go with --out FILE.csv or FILE.svg; %s holds "
                          "the whole pass\n"), out);
        return 2;
    }
    if (view_name && (view = viz_view_by_name(view_name)) < 0) {
        fprintf(stderr, _("bertology: no view '%s'; see `bertology dump --help`\n"), safe_str(view_name));
        return 2;
    }
    if (stage_name && (stage = stage_by_name(stage_name)) < 0) {
        fprintf(stderr, _("bertology: no stage '%s' (tokens embed pos segment emb qkv scores attn context proj ln1 ffn "
                          "ln2 mlm)\n"), safe_str(stage_name));
        return 2;
    }
    BertModel m;
    Pass p;
    if (run(model, truncate, n, argv, &m, &p)) return 1;
    int rc = 0;   /* the exit status */
    if (!fmt->of_view) {
        ExportInput in = {&p.tr, NULL};
        rc = fmt->write(&in, out, &err) != 0;
        if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    } else if (layer >= m.cfg.num_layers || head >= m.cfg.num_heads) {
        if (layer >= m.cfg.num_layers)
            fprintf(stderr, _("bertology: --layer %d is out of range: the model has layers 0–%d\n"), layer,
                    m.cfg.num_layers - 1);
        else fprintf(stderr, _("bertology: --head %d is out of range: the model has heads 0–%d\n"), head, m.cfg.num_heads - 1);
        rc = 2;
    } else {
        /* the state a window would show for this pass, at that stage, layer and head */
        VizState st;
        memset(&st, 0, sizeof st);
        st.model = &m;
        st.trace = &p.tr;
        st.tokens = (const char *const *)p.tokens;
        st.pos = (StagePos){(Stage)stage, layer < 0 ? 0 : layer, head < 0 ? 0 : head};
        st.top_k = 5;
        FigParams fp;
        fig_params_follow(&fp, &st);
        rc = cli_export_view(fmt, out, (VizView)view, &st, &fp, 1);
    }
    pass_free(&p);
    model_free(&m);
    return rc;
}

int cli_predict(int argc, char **argv) {
    const char *model = NULL;
    int top = 5, json = 0, truncate = 0;
    const Opt opts[] = {
        {"model", OPT_STR, &model, CLI_MODEL_HELP, .arg = "DIR"},
        {"top", OPT_INT, &top, N_("guesses per [MASK]"), .arg = "K", .lo = 1, .hi = 1000},
        {"json", OPT_FLAG, &json, N_("print JSON: position, then token, id and prob of each guess")},
        {"truncate", OPT_FLAG, &truncate, TRUNCATE_HELP},
    };
    const CliSpec spec = {"predict", opts, CLI_N(opts), TEXT_ARGS,
                          .about = N_("The MLM head's top K tokens at each [MASK] of TEXT, with their probabilities.")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    BertModel m;
    Pass pass;
    if (run(model, truncate, n, argv, &m, &pass)) return 1;
    const Trace *tr = &pass.tr;
    int rc = 0, mask = tok_mask_id(m.tok), V = m.cfg.vocab_size, K = top < V ? top : V;
    if (!m.has_mlm) {
        fprintf(stderr, _("bertology: this checkpoint has no MLM head (cls.predictions.*), so it cannot predict\n"));
        rc = 1;
    }
    /* No probability is printed from logits that are not numbers. */
    BtError err;
    for (int t = 0; t < tr->T && !rc; t++)
        if (pass.ids[t] == mask && trace_check_finite(tr, tr->mlm_logits + (size_t)t * V, (size_t)V, &err) != 0) {
            fprintf(stderr, "bertology: %s\n", err.msg);
            rc = 1;
        }
    int found = 0;
    Guess *p = malloc(sizeof *p * K);
    if (json && !rc) printf("[");
    for (int t = 0; t < tr->T && !rc; t++) {
        if (pass.ids[t] != mask) continue;
        guesses_top(tr->mlm_logits + (size_t)t * V, V, K, p);
        if (json) {
            printf("%s{\"position\": %d, \"predictions\": [", found ? ", " : "", t);
            for (int k = 0; k < K; k++) {
                printf("%s{\"token\": ", k ? ", " : "");
                json_string(stdout, tok_token(m.tok, p[k].id) ? tok_token(m.tok, p[k].id) : "?");
                printf(", \"id\": %d, \"prob\": %.6f}", p[k].id, p[k].p);
            }
            printf("]}");
        } else {
            printf(_("[MASK] at position %d:\n"), t);
            for (int k = 0; k < K; k++)
                printf("  %2d. %-16s %6.2f%%\n", k + 1, safe_str(tok_token(m.tok, p[k].id)), 100.0 * p[k].p);
        }
        found++;
    }
    if (json && !rc) printf("]\n");
    if (!found && !rc) {
        fprintf(stderr, _("bertology: no [MASK] in the text; write [MASK] where a word should be predicted\n"));
        rc = 1;
    }
    free(p);
    pass_free(&pass);
    model_free(&m);
    return rc;
}
