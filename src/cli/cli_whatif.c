/* bertology whatif: two runs compared (core/whatif.c), for scripts, as
 * text or JSON. Run A is TEXT; run B is TEXT with --pos P replaced by
 * --word W, TEXT with the training corruption (--corrupt, --seed), or
 * --other TEXT2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/cli.h"
#include "bertology/masking.h"
#include "bertology/pass.h"
#include "bertology/whatif.h"

typedef struct {
    const char *model, *word, *other;
    int json, pos, corrupt, truncate, k;
    long seed;
    char *text;          /* the positional words, joined */
} WhatIfOpts;

static void json_num(double x) {
    if (isfinite(x)) printf("%.9g", x);
    else printf("null");
}

static void json_tokens(const char *name, const Tokenizer *t, const int *ids, int n) {
    printf(", \"%s\": [", name);
    for (int i = 0; i < n; i++) {
        printf("%s", i ? ", " : "");
        json_string(stdout, tok_token(t, ids[i]));
    }
    printf("]");
}

static void json_ints(const char *name, const int *v, int n) {
    printf(", \"%s\": [", name);
    for (int i = 0; i < n; i++) printf("%s%d", i ? ", " : "", v[i]);
    printf("]");
}

static void json_grid(const char *name, const double *g, int rows, int cols) {
    printf(", \"%s\": [", name);
    for (int r = 0; r < rows; r++) {
        printf("%s[", r ? ", " : "");
        for (int c = 0; c < cols; c++) {
            if (c) printf(", ");
            json_num(g[(size_t)r * cols + c]);
        }
        printf("]");
    }
    printf("]");
}

static void json_guesses(const Tokenizer *t, const Guess *g, int k) {
    printf("[");
    for (int i = 0; i < k; i++) {
        printf("%s{\"token\": ", i ? ", " : "");
        json_string(stdout, tok_token(t, g[i].id));
        printf(", \"id\": %d, \"p\": %.9g}", g[i].id, g[i].p);
    }
    printf("]");
}

static void print_json(const Tokenizer *t, const WhatIf *w) {
    printf("{\"how\": ");
    json_string(stdout, w->how);
    printf(", \"text_a\": ");
    json_string(stdout, w->text_a);
    printf(", \"text_b\": ");
    json_string(stdout, w->text_b);
    json_tokens("tokens_a", t, w->ids_a, w->Ta);
    json_tokens("tokens_b", t, w->ids_b, w->Tb);
    json_ints("ids_a", w->ids_a, w->Ta);
    json_ints("ids_b", w->ids_b, w->Tb);
    printf(", \"aligned\": \"%s\"", w->by_position ? "position" : "lcs");
    json_ints("partner_a", w->partner_a, w->Ta);
    json_ints("partner_b", w->partner_b, w->Tb);
    printf(", \"layers\": %d, \"heads\": %d", w->L, w->nh);
    json_grid("attn_tv_mean", w->tv_mean, w->L, w->nh);
    json_grid("attn_tv_max", w->tv_max, w->L, w->nh);
    printf(", \"pairs\": [");
    for (int p = 0; p < w->npairs; p++) {
        printf("%s{\"a\": %d, \"b\": %d, \"same\": %s, \"cos\": [", p ? ", " : "", w->pairs[p].a, w->pairs[p].b,
               w->pairs[p].same ? "true" : "false");
        for (int d = 0; d <= w->L; d++) {
            if (d) printf(", ");
            json_num(w->cos[(size_t)p * (w->L + 1) + d]);
        }
        printf("]}");
    }
    printf("], \"guesses\": [");
    for (int g = 0; g < w->nguess; g++) {
        const WhatIfGuesses *G = &w->guess[g];
        printf("%s{\"a\": %d, \"b\": %d, \"top_a\": ", g ? ", " : "", w->pairs[G->pair].a, w->pairs[G->pair].b);
        json_guesses(t, G->top_a, w->k);
        printf(", \"top_b\": ");
        json_guesses(t, G->top_b, w->k);
        printf(", \"p_b_of_top_a\": [");
        for (int i = 0; i < w->k; i++) printf("%s%.9g", i ? ", " : "", G->p_b[i]);
        printf("]}");
    }
    printf("], \"nsp_isnext\": ");
    if (w->has_nsp) printf("[%.9g, %.9g]", w->nsp_a, w->nsp_b);
    else printf("null");
    printf(", \"ms\": %.3f}\n", w->ms);
}

static void print_text(const Tokenizer *t, const WhatIf *w) {
    /* how stays English: it is also --json's "how" */
    printf(_("run B: %s\n"), safe_str(w->how));
    printf(_("attention change per head (total-variation distance between the rows of paired queries, mean)\n"));
    for (int l = 0; l < w->L; l++) {
        char lab[32];
        snprintf(lab, sizeof lab, _("layer %d"), l);
        printf("%-8s", lab);
        for (int h = 0; h < w->nh; h++) printf(" %7.4f", w->tv_mean[(size_t)l * w->nh + h]);
        printf("\n");
    }
    printf(_("cosine of the hidden vectors of paired tokens, depth 0 (embeddings) to %d\n"), w->L);
    for (int p = 0; p < w->npairs; p++) {
        printf("%3d %-12s %3d %-12s", w->pairs[p].a, safe_str(tok_token(t, w->ids_a[w->pairs[p].a])), w->pairs[p].b,
               safe_str(tok_token(t, w->ids_b[w->pairs[p].b])));
        for (int d = 0; d <= w->L; d++) printf(" %7.4f", w->cos[(size_t)p * (w->L + 1) + d]);
        printf("\n");
    }
    for (int i = 0; i < w->Ta; i++)
        if (w->partner_a[i] < 0) printf(_("no partner: A %d %s\n"), i, safe_str(tok_token(t, w->ids_a[i])));
    for (int i = 0; i < w->Tb; i++)
        if (w->partner_b[i] < 0) printf(_("no partner: B %d %s\n"), i, safe_str(tok_token(t, w->ids_b[i])));
    for (int g = 0; g < w->nguess; g++) {
        const WhatIfGuesses *G = &w->guess[g];
        printf(_("guesses at A %d / B %d:"), w->pairs[G->pair].a, w->pairs[G->pair].b);
        for (int i = 0; i < w->k; i++)
            printf(" %s %.2f%%→%.2f%%", safe_str(tok_token(t, G->top_a[i].id)), 100 * G->top_a[i].p, 100 * G->p_b[i]);
        printf("\n");
    }
    if (w->has_nsp) printf("P(IsNext): %.4f → %.4f\n", w->nsp_a, w->nsp_b);
}

/* Run B as the options say; how describes it. */
static int run_b(const WhatIfOpts *o, const Pass *a, Pass *b, char *how, size_t hn, BtError *err) {
    const Tokenizer *t = a->model->tok;
    PassOptions po = a->opt;
    if (o->other) {
        if (!o->other[strspn(o->other, " \t")]) return bt_fail(err, "--other: the other sentence is empty");
        snprintf(how, hn, "another sentence");
        return pass_run(b, a->model, o->other, &po, err);
    }
    int T = pass_T(a), rc = -1, id = -1;
    int *ids = malloc(sizeof(int) * (size_t)T);
    unsigned char *kind = malloc((size_t)T);
    if (!ids || !kind) {
        bt_fail(err, "out of memory");
        goto done;
    }
    memcpy(ids, a->ids, sizeof(int) * (size_t)T);
    if (o->corrupt) {
        uint64_t rng = (uint64_t)o->seed;
        if (whatif_corrupt(t, ids, T, &rng, kind, err) < 0) goto done;
        int n = snprintf(how, hn, "corrupted as in training (seed %ld):", o->seed);
        static const char *const KIND[] = {"", "[MASK]", "random", "kept"};
        for (int i = 0; i < T && n < (int)hn; i++)
            if (kind[i]) n += snprintf(how + n, hn - n, " %d %s", i, KIND[kind[i]]);
    } else {
        if (o->pos >= T) {
            bt_fail(err, "--pos %d is out of range: the text has %d tokens, 0–%d", o->pos, T, T - 1);
            goto done;
        }
        if (whatif_word(t, o->word, &id, err) != 0) goto done;
        snprintf(how, hn, "position %d: '%s' → '%s'", o->pos, safe_str(a->tokens[o->pos]), safe_str(tok_token(t, id)));
        ids[o->pos] = id;
    }
    rc = whatif_pass_ids(b, a, ids, err);
done:
    free(ids);
    free(kind);
    return rc;
}

int cli_whatif(int argc, char **argv) {
    WhatIfOpts o = {.pos = -1, .k = 5, .seed = 42};
    const Opt opts[] = {
        {"model", OPT_STR, &o.model, CLI_MODEL_HELP, .arg = "DIR"},
        {"json", OPT_FLAG, &o.json, N_("print JSON")},
        {"pos", OPT_INT, &o.pos, N_("run B: replace the token at position P ..."), .arg = "P", .lo = 0, .hi = 1 << 20},
        {"word", OPT_STR, &o.word, N_("... by W (one word piece)"), .arg = "W"},
        {"corrupt", OPT_FLAG, &o.corrupt, N_("run B: TEXT with BERT's training corruption (15%; 80/10/10)")},
        {"seed", OPT_LONG, &o.seed, N_("the corruption's random seed"), .arg = "N", .lo = 0, .hi = 4e18},
        {"other", OPT_STR, &o.other, N_("run B: another sentence (tokens paired by their longest common subsequence)"),
         .arg = "TEXT2"},
        {"k", OPT_INT, &o.k, N_("guesses compared at each [MASK] and changed token"), .arg = "K", .lo = 1, .hi = 1000},
        {"truncate", OPT_FLAG, &o.truncate, N_("cut the texts to the model's max_position tokens instead of refusing")},
    };
    const CliSpec spec = {
        "whatif", opts, CLI_N(opts), .args = "TEXT", .min_args = 1, .max_args = -1, .missing = N_("no text given"),
        .about = N_("Run TEXT (run A) and a changed run B: --pos P --word W, --corrupt, or --other TEXT2. Reports per\n"
                 "layer and head the total-variation distance between the attention rows of paired query tokens\n"
                 "(mean and largest), per paired token and depth the cosine of the hidden vectors, the MLM top K\n"
                 "of both runs at each [MASK] and changed token, and NSP's P(IsNext) for a pair.")};
    int words = cli_parse(&spec, argc, argv);
    if (words < 0) return cli_status(words);
    int kinds = (o.pos >= 0 || o.word) + o.corrupt + (o.other != NULL);
    if (kinds != 1 || (o.pos >= 0) != (o.word != NULL)) {
        fputs(_("bertology: say how run B differs: --pos P --word W, --corrupt, or --other TEXT2 (one of them)\n"),
              stderr);
        return 2;
    }
    BertModel m;
    if (!(o.text = cli_text_and_model(words, argv, o.model, &m))) return 1;
    BtError err = {{0}};
    Pass a = {0}, b = {0};
    WhatIf w = {0};
    char how[1024] = "";
    PassOptions po = {.mlm = 1, .truncate = o.truncate};
    int k = o.k < m.cfg.vocab_size ? o.k : m.cfg.vocab_size;
    int rc = pass_run(&a, &m, o.text, &po, &err);
    if (!rc) rc = run_b(&o, &a, &b, how, sizeof how, &err);
    if (!rc) rc = whatif_run(&m, &a.tr, &b.tr, o.other == NULL, k, &w, &err);
    if (rc) {
        fprintf(stderr, "bertology: %s\n", err.msg);
    } else {
        w.text_a = strdup(a.text);
        w.text_b = o.other ? strdup(b.text) : whatif_ids_text(m.tok, w.ids_b, w.Tb);
        w.how = strdup(how);
        if (o.json) print_json(m.tok, &w);
        else print_text(m.tok, &w);
    }
    whatif_free(&w);
    pass_free(&a);
    pass_free(&b);
    model_free(&m);
    free(o.text);
    return rc ? 1 : 0;
}
