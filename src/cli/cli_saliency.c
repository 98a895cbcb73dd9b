/* bertology saliency: which input tokens a [MASK] word's log-probability
 * depends on (core/saliency.c), for scripts, as text or JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bertology/cli.h"
#include "bertology/lens.h"
#include "bertology/pass.h"
#include "bertology/saliency.h"

typedef struct {
    const char *model, *word;
    int json, pos, ig, truncate;
} SalOpts;

static void json_num(double x) {
    if (isfinite(x)) printf("%.9g", x);
    else printf("null");
}

static void json_list(const double *v, int n) {
    printf("[");
    for (int i = 0; i < n; i++) {
        if (i) printf(", ");
        json_num(v[i]);
    }
    printf("]");
}

static void print_json(const Pass *p, const Saliency *r) {
    const Tokenizer *t = p->model->tok;
    printf("{\"text\": ");
    json_string(stdout, p->text);
    printf(", \"tokens\": [");
    for (int i = 0; i < r->T; i++) {
        printf("%s", i ? ", " : "");
        json_string(stdout, p->tokens[i]);
    }
    printf("], \"ids\": [");
    for (int i = 0; i < r->T; i++) printf("%s%d", i ? ", " : "", r->ids[i]);
    printf("], \"position\": %d, \"token\": ", r->pos);
    json_string(stdout, tok_token(t, r->pos_id));
    printf(", \"word\": {\"token\": ");
    json_string(stdout, tok_token(t, r->word));
    printf(", \"id\": %d}, \"input\": \"word_embedding\", \"logprob\": ", r->word);
    json_num(r->logp);
    printf(", \"grad_dot_input\": ");
    json_list(r->grad_dot, r->T);
    printf(", \"grad_norm\": ");
    json_list(r->grad_norm, r->T);
    printf(", \"ig_steps\": %d, \"ig_baseline\": \"zero word vectors\", \"ig\": ", r->steps);
    if (r->ig) {
        json_list(r->ig, r->T);
        printf(", \"ig_sum\": ");
        json_num(r->ig_sum);
        printf(", \"baseline_logprob\": ");
        json_num(r->logp_base);
    } else {
        printf("null, \"ig_sum\": null, \"baseline_logprob\": null");
    }
    printf(", \"ms\": %.3f}\n", r->ms);
}

static void print_text(const Pass *p, const Saliency *r) {
    const Tokenizer *t = p->model->tok;
    char lp[40], n1[40], n2[40];
    printf(_("saliency of '%s' at position %d (%s): log p = %s\n"), safe_str(tok_token(t, r->word)), r->pos,
           safe_str(tok_token(t, r->pos_id)), bt_decimal(lp, sizeof lp, 6, r->logp));
    /* the column heads stay as --json names them */
    printf("%4s %-16s %12s %12s", "pos", "token", "grad·x", "|grad|");
    if (r->ig) printf(" %12s", "IG");
    printf("\n");
    for (int i = 0; i < r->T; i++) {
        printf("%4d %-16s %+12.6f %12.6f", i, safe_str(p->tokens[i]), r->grad_dot[i], r->grad_norm[i]);
        if (r->ig) printf(" %+12.6f", r->ig[i]);
        printf("\n");
    }
    if (r->ig)
        printf(_("IG in %d steps from zero word vectors: sum %s, log p(x) - log p(baseline) %s\n"), r->steps,
               bt_number(n1, sizeof n1, "%+.6f", r->ig_sum), bt_number(n2, sizeof n2, "%+.6f", r->logp - r->logp_base));
}

/* P, else the first [MASK]. */
static int sal_position(const SalOpts *o, const Pass *p, BtError *err) {
    if (o->pos >= 0 && o->pos < p->in.n) return o->pos;
    if (o->pos >= 0)
        return bt_fail(err, "position %d is out of range: the text has %d tokens, 0–%d", o->pos, p->in.n,
                       p->in.n - 1), -1;
    int mask = tok_mask_id(p->model->tok);
    for (int i = 0; i < p->in.n; i++)
        if (p->ids[i] == mask) return i;
    return bt_fail(err, "no [MASK] in the text; write [MASK] where a word should be, or give --pos P"), -1;
}

int cli_saliency(int argc, char **argv) {
    SalOpts o = {.pos = -1, .ig = SALIENCY_STEPS_DEFAULT};
    const Opt opts[] = {
        {"model", OPT_STR, &o.model, CLI_MODEL_HELP, .arg = "DIR"},
        {"json", OPT_FLAG, &o.json, N_("print JSON")},
        {"word", OPT_STR, &o.word, N_("explain W (one word piece) instead of the top guess"), .arg = "W"},
        {"pos", OPT_INT, &o.pos, N_("explain position P instead of the first [MASK]"), .arg = "P", .lo = 0, .hi = 1 << 20},
        {"ig", OPT_INT, &o.ig, N_("integrated gradients in N steps (0: none)"), .arg = "N", .lo = 0,
         .hi = SALIENCY_STEPS_MAX},
        {"truncate", OPT_FLAG, &o.truncate, N_("cut TEXT to the model's max_position tokens instead of refusing it")},
    };
    const CliSpec spec = {
        "saliency", opts, CLI_N(opts), .args = "TEXT", .min_args = 1, .max_args = -1, .missing = N_("no text given"),
        .about = N_("Per input token of TEXT: the gradient of log p(W) (default: the top guess) at the first [MASK]\n"
                 "(or position P) with respect to the token's word vector x (position and segment vectors held),\n"
                 "as gradient × input (grad·x) and the gradient's L2 norm, and integrated gradients from zero\n"
                 "word vectors in N midpoint steps, whose sum is log p(x) - log p(baseline).")};
    int words = cli_parse(&spec, argc, argv);
    if (words < 0) return cli_status(words);
    BertModel m;
    char *text = cli_text_and_model(words, argv, o.model, &m);
    if (!text) return 1;
    BtError err = {{0}};
    Pass p = {0};
    Saliency r = {0};
    int word = -1, pos = -1;
    int rc = saliency_check_model(&m, &err);
    if (!rc && o.word) rc = lens_word(m.tok, o.word, &word, &err);
    PassOptions po = {.truncate = o.truncate};
    if (!rc) rc = pass_run(&p, &m, text, &po, &err);
    if (!rc && (pos = sal_position(&o, &p, &err)) < 0) rc = -1;
    if (!rc) rc = saliency_run(&m, &p.tr, pos, word, o.ig, &r, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    else if (o.json) print_json(&p, &r);
    else print_text(&p, &r);
    saliency_free(&r);
    pass_free(&p);
    model_free(&m);
    free(text);
    return rc ? 1 : 0;
}
