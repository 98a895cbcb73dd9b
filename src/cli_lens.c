/* bertology lens: the logit lens (core/lens.c) for scripts, as text or JSON. */
#include "bertology/cli.h"
#include "bertology/forward.h"
#include "bertology/lens.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "bertology lens [--model DIR] [--json] [--word W] [--k K] [--pos P] [--truncate] TEXT\n"
    "  the MLM head read after the embeddings and after every layer, at each [MASK]\n"
    "  of TEXT (or at position P): the top K (default 5) per depth, and with --word\n"
    "  the rank and probability of W at each depth. The last depth is `predict`.";

typedef struct {
    const char *model, *word;
    int json, k, pos, truncate;
    char *text;          /* the words that are not options, joined */
} LensOpts;

static int number_opt(const char *name, const char *arg, long lo, long hi, int *out) {
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < lo || v > hi) {
        fprintf(stderr, "bertology: %s takes a number from %ld to %ld, not '%s'\n", name, lo, hi, arg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Options may come before or after the text. 0, 1 after --help, -1. */
static int parse_lens(int argc, char **argv, LensOpts *o) {
    memset(o, 0, sizeof *o);
    o->k = 5;
    o->pos = -1;
    size_t len = 1;
    for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
    o->text = calloc(1, len);
    if (!o->text) return -1;
    int words = 0, rest = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (rest || strncmp(a, "--", 2) != 0) {
            if (words++) strcat(o->text, " ");
            strcat(o->text, a);
        } else if (!strcmp(a, "--")) rest = 1;
        else if (!strcmp(a, "--model") && more) o->model = argv[++i];
        else if (!strcmp(a, "--word") && more) o->word = argv[++i];
        else if (!strcmp(a, "--k") && more) {
            if (number_opt("--k", argv[++i], 1, 1000, &o->k)) return -1;
        } else if (!strcmp(a, "--pos") && more) {
            if (number_opt("--pos", argv[++i], 0, 1 << 20, &o->pos)) return -1;
        } else if (!strcmp(a, "--json")) o->json = 1;
        else if (!strcmp(a, "--truncate")) o->truncate = 1;
        else if (!strcmp(a, "--help")) { printf("usage: %s\n", USAGE); return 1; }
        else {
            fprintf(stderr, "bertology: unknown or incomplete option '%s'; see bertology lens --help\n", a);
            return -1;
        }
    }
    if (!words) {
        fprintf(stderr, "bertology: no text given; usage: bertology lens [options] \"TEXT WITH [MASK]\"\n");
        return -1;
    }
    return 0;
}

static void print_json(const BertModel *m, const TokInput *in, const LensResult *r, int first) {
    const Tokenizer *t = m->tok;
    printf("%s{\"position\": %d, \"token\": ", first ? "" : ", ", r->pos);
    json_string(stdout, tok_token(t, in->ids[r->pos]));
    printf(", \"word\": ");
    if (r->word >= 0) {
        printf("{\"token\": ");
        json_string(stdout, tok_token(t, r->word));
        printf(", \"id\": %d}", r->word);
    } else printf("null");
    printf(", \"depths\": [");
    for (int d = 0; d < r->depths; d++) {
        char name[32];
        lens_depth_name(d, name, sizeof name);
        printf("%s{\"depth\": %d, \"name\": ", d ? ", " : "", d);
        json_string(stdout, name);
        printf(", \"top\": [");
        for (int j = 0; j < r->k; j++) {
            const Guess *g = &r->top[(size_t)d * r->k + j];
            printf("%s{\"token\": ", j ? ", " : "");
            json_string(stdout, tok_token(t, g->id));
            printf(", \"id\": %d, \"prob\": %.9g}", g->id, g->p);
        }
        printf("]");
        if (r->word >= 0) printf(", \"word_rank\": %d, \"word_prob\": %.9g", r->rank[d], r->prob[d]);
        printf("}");
    }
    printf("]}");
}

static void print_text(const BertModel *m, const TokInput *in, const LensResult *r) {
    const Tokenizer *t = m->tok;
    printf("position %d (%s):\n", r->pos, tok_token(t, in->ids[r->pos]));
    for (int d = 0; d < r->depths; d++) {
        char name[32];
        lens_depth_name(d, name, sizeof name);
        printf("  %-9s", name);
        for (int j = 0; j < r->k; j++) {
            const Guess *g = &r->top[(size_t)d * r->k + j];
            printf(" %s %.2f%%%s", tok_token(t, g->id), 100.0 * g->p, j + 1 < r->k ? "," : "");
        }
        if (r->word >= 0) printf("  | %s #%d %.2f%%", tok_token(t, r->word), r->rank[d], 100.0 * r->prob[d]);
        printf("\n");
    }
}

/* The positions to read: P, or every [MASK] of the input. */
static int lens_positions(const LensOpts *o, const BertModel *m, const TokInput *in, int *pos) {
    if (o->pos >= 0) {
        pos[0] = o->pos;
        return 1;
    }
    int n = 0, mask = tok_mask_id(m->tok);
    for (int t = 0; t < in->n; t++)
        if (in->ids[t] == mask) pos[n++] = t;
    return n;
}

/* Loads the model, runs TEXT and reads the lens at every position asked
 * for; prints errors itself. On success *res holds *n results. */
static int lens_all(const LensOpts *o, BertModel *m, TokInput *in, LensResult **res, int *n) {
    BtError err;
    Trace tr = {0};
    int word = -1, rc = lens_check_model(m, &err);
    if (!rc && o->word) rc = lens_word(m->tok, o->word, &word, &err);
    if (!rc) rc = tok_encode(m->tok, o->text, m->cfg.max_position, o->truncate, in, &err);
    /* encode, allocate, prepare, run: pass_run's job once core/pass.c lands */
    if (!rc) rc = trace_alloc(&tr, m, 1, in->n, in->n, 0, &err);
    if (!rc) rc = forward_prepare(&tr, in->ids, in->type_ids, in->n, &err);
    int *pos = rc ? NULL : malloc(sizeof *pos * (size_t)in->n);
    *res = pos ? calloc((size_t)in->n, sizeof **res) : NULL;
    *n = 0;
    if (!rc && !*res) rc = bt_fail(&err, "out of memory");
    int np = 0;
    if (!rc) {
        forward(m, &tr, NULL);
        np = lens_positions(o, m, in, pos);
        if (!np)
            rc = bt_fail(&err, "no [MASK] in the text; write [MASK] where a word should be, or give --pos P");
    }
    int k = o->k < m->cfg.vocab_size ? o->k : m->cfg.vocab_size;
    for (int i = 0; i < np && !rc; i++)
        if ((rc = lens_run(m, &tr, pos[i], k, word, &(*res)[i], &err)) == 0) ++*n;
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    free(pos);
    if (tr.arena) trace_free(&tr);
    return rc ? -1 : 0;
}

int cli_lens(int argc, char **argv) {
    LensOpts o;
    int pr = parse_lens(argc, argv, &o);
    if (pr) {
        free(o.text);
        return pr < 0 ? 2 : 0;
    }
    BertModel m;
    if (cli_load_model(o.model, &m)) {
        free(o.text);
        return 1;
    }
    TokInput in = {0};
    LensResult *res = NULL;
    int n = 0, rc = lens_all(&o, &m, &in, &res, &n);
    if (!rc) {
        if (o.json) printf("[");
        for (int i = 0; i < n; i++) {
            if (o.json) print_json(&m, &in, &res[i], i == 0);
            else print_text(&m, &in, &res[i]);
        }
        if (o.json) printf("]\n");
    }
    for (int i = 0; i < n; i++) lens_free(&res[i]);
    free(res);
    tok_input_free(&in);
    model_free(&m);
    free(o.text);
    return rc ? 1 : 0;
}
