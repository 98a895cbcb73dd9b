/* bertology lens: the logit lens (core/lens.c) for scripts, as text or JSON. */
#include "bertology/cli.h"
#include "bertology/forward.h"
#include "bertology/lens.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *model, *word;
    int json, k, pos, truncate;
    char *text;          /* the positional words, joined */
} LensOpts;

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
        lens_depth_key(d, name, sizeof name);   /* JSON: English in every language */
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
    printf(_("position %d (%s):\n"), r->pos, tok_token(t, in->ids[r->pos]));
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
    LensOpts o = {.k = 5, .pos = -1};
    const Opt opts[] = {
        {"model", OPT_STR, &o.model, CLI_MODEL_HELP, .arg = "DIR"},
        {"json", OPT_FLAG, &o.json, N_("print JSON")},
        {"word", OPT_STR, &o.word, N_("also the rank and probability of W (one word piece) at each depth"), .arg = "W"},
        {"k", OPT_INT, &o.k, N_("guesses per depth"), .arg = "K", .lo = 1, .hi = 1000},
        {"pos", OPT_INT, &o.pos, N_("read position P instead of every [MASK]"), .arg = "P", .lo = 0, .hi = 1 << 20},
        {"truncate", OPT_FLAG, &o.truncate, N_("cut TEXT to the model's max_position tokens instead of refusing it")},
    };
    const CliSpec spec = {"lens", opts, CLI_N(opts), .args = "TEXT", .min_args = 1, .max_args = -1,
                          .missing = N_("no text given"),
                          .about = N_("The MLM head read after the embeddings and after every layer, at each [MASK] of "
                                   "TEXT (or at\nposition P): the top K per depth. The last depth is `predict`.")};
    int words = cli_parse(&spec, argc, argv);
    if (words < 0) return cli_status(words);
    BertModel m;
    if (!(o.text = cli_text_and_model(words, argv, o.model, &m))) return 1;
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
