/* tokenize, dump and predict: the engine for scripts, no REPL involved. */
#include "bertology/cli.h"
#include "bertology/guesses.h"
#include "bertology/hub.h"
#include "bertology/pass.h"
#include "bertology/paths.h"
#include "bertology/trace_npz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_load_model(const char *dir, BertModel *m) {
    char buf[4096];
    if (!dir && !(dir = paths_default_model(buf, sizeof buf))) {
        fprintf(stderr, "bertology: no default model found (assets/models/default); pass --model DIR\n");
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

char *cli_join_args(int argc, char **argv, int from) {
    size_t n = 1;
    for (int i = from; i < argc; i++) n += strlen(argv[i]) + 1;
    if (from >= argc) return NULL;
    char *s = calloc(1, n);
    for (int i = from; i < argc; i++) {
        if (i > from) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

typedef struct {
    const char *model, *vocab, *out;
    int json, top, truncate;
    int first_text;      /* argv index where TEXT starts */
} Opts;

/* Options common to the engine subcommands; anything else starting with
 * "--" is an error, the rest is the text. Returns 0, 1 after --help, -1. */
static int parse(int argc, char **argv, Opts *o, const char *usage) {
    memset(o, 0, sizeof *o);
    o->top = 5;
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--model") && more) o->model = argv[++i];
        else if (!strcmp(a, "--vocab") && more) o->vocab = argv[++i];
        else if (!strcmp(a, "--out") && more) o->out = argv[++i];
        else if (!strcmp(a, "--top") && more) {
            char *end;
            long k = strtol(argv[++i], &end, 10);
            if (*end || k < 1 || k > 1000) {
                fprintf(stderr, "bertology: --top takes a number from 1 to 1000, not '%s'\n", argv[i]);
                return -1;
            }
            o->top = (int)k;
        } else if (!strcmp(a, "--json")) o->json = 1;
        else if (!strcmp(a, "--truncate")) o->truncate = 1;
        else if (!strcmp(a, "--")) { i++; break; }
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) { printf("usage: %s\n", usage); return 1; }
        else if (!strncmp(a, "--", 2)) {
            fprintf(stderr, "bertology: unknown or incomplete option '%s'; usage: %s\n", a, usage);
            return -1;
        } else break;
    }
    o->first_text = i;
    if (i >= argc) {
        fprintf(stderr, "bertology: no text given; usage: %s\n", usage);
        return -1;
    }
    return 0;
}

int cli_tokenize(int argc, char **argv) {
    const char *usage = "bertology tokenize [--model DIR | --vocab FILE] [--json] [--truncate] TEXT";
    Opts o;
    int pr = parse(argc, argv, &o, usage);
    if (pr) return pr < 0 ? 2 : 0;
    BtError err;
    BertModel m = {0};
    Tokenizer *tok = NULL;
    int max_len = 1 << 20;
    if (o.vocab) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", o.vocab);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0; else strcpy(dir, ".");
        int lower = TOK_LOWER_AUTO;
        if (tok_config_read(dir, &lower, &err) || tok_load(&tok, o.vocab, lower, &err)) {
            fprintf(stderr, "bertology: %s\n", err.msg);
            return 1;
        }
    } else {
        if (cli_load_model(o.model, &m)) return 1;
        tok = m.tok;
        max_len = m.cfg.max_position;
    }
    char *text = cli_join_args(argc, argv, o.first_text);
    TokInput in;
    int rc = tok_encode(tok, text, max_len, o.truncate, &in, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    else if (o.json) {
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
    if (!rc && in.n_full > in.n) fprintf(stderr, "bertology: truncated from %d to %d tokens\n", in.n_full, in.n);
    if (!rc) tok_input_free(&in);
    free(text);
    if (o.vocab) tok_free(tok);
    else model_free(&m);
    return rc ? 1 : 0;
}

/* Loads the model and runs TEXT through it (the MLM head on every
 * position); prints errors itself. */
static int run(const Opts *o, int argc, char **argv, BertModel *m, Pass *p) {
    if (cli_load_model(o->model, m)) return -1;
    char *text = cli_join_args(argc, argv, o->first_text);
    BtError err;
    PassOptions opt = {.mlm = 1, .truncate = o->truncate};
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
    const char *usage = "bertology dump [--model DIR] --out FILE.npz [--truncate] TEXT";
    Opts o;
    int pr = parse(argc, argv, &o, usage);
    if (pr) return pr < 0 ? 2 : 0;
    if (!o.out) {
        fprintf(stderr, "bertology: dump needs --out FILE.npz; usage: %s\n", usage);
        return 2;
    }
    BertModel m;
    Pass p;
    if (run(&o, argc, argv, &m, &p)) return 1;
    BtError err;
    int rc = trace_export_npz(&p.tr, o.out, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    pass_free(&p);
    model_free(&m);
    return rc ? 1 : 0;
}

int cli_predict(int argc, char **argv) {
    const char *usage = "bertology predict [--model DIR] [--top K] [--json] [--truncate] TEXT";
    Opts o;
    int pr = parse(argc, argv, &o, usage);
    if (pr) return pr < 0 ? 2 : 0;
    BertModel m;
    Pass pass;
    if (run(&o, argc, argv, &m, &pass)) return 1;
    const Trace *tr = &pass.tr;
    int rc = 0, mask = tok_mask_id(m.tok), V = m.cfg.vocab_size, K = o.top < V ? o.top : V;
    if (!m.has_mlm) {
        fprintf(stderr, "bertology: this checkpoint has no MLM head (cls.predictions.*), so it cannot predict\n");
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
    if (o.json && !rc) printf("[");
    for (int t = 0; t < tr->T && !rc; t++) {
        if (pass.ids[t] != mask) continue;
        guesses_top(tr->mlm_logits + (size_t)t * V, V, K, p);
        if (o.json) {
            printf("%s{\"position\": %d, \"predictions\": [", found ? ", " : "", t);
            for (int k = 0; k < K; k++) {
                printf("%s{\"token\": ", k ? ", " : "");
                json_string(stdout, tok_token(m.tok, p[k].id) ? tok_token(m.tok, p[k].id) : "?");
                printf(", \"id\": %d, \"prob\": %.6f}", p[k].id, p[k].p);
            }
            printf("]}");
        } else {
            printf("[MASK] at position %d:\n", t);
            for (int k = 0; k < K; k++)
                printf("  %2d. %-16s %6.2f%%\n", k + 1, safe_str(tok_token(m.tok, p[k].id)), 100.0 * p[k].p);
        }
        found++;
    }
    if (o.json && !rc) printf("]\n");
    if (!found && !rc) {
        fprintf(stderr, "bertology: no [MASK] in the text; write [MASK] where a word should be predicted\n");
        rc = 1;
    }
    free(p);
    pass_free(&pass);
    model_free(&m);
    return rc;
}
