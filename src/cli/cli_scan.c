/* bertology scan: which heads matter (core/scan.c), for scripts, as text
 * or JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/cli.h"
#include "bertology/lens.h"
#include "bertology/pass.h"
#include "bertology/scan.h"

typedef struct {
    const char *model, *word;
    int json, pos, mean, truncate;
    char *text;          /* the positional words, joined */
} ScanOpts;

/* A number, or null for NaN (a head not measured). */
static void json_num(double x) {
    if (isfinite(x)) printf("%.9g", x);
    else printf("null");
}

static void json_grid(const ScanResult *r, const double *g) {
    printf("[");
    for (int l = 0; l < r->L; l++) {
        printf("%s[", l ? ", " : "");
        for (int h = 0; h < r->nh; h++) {
            if (h) printf(", ");
            json_num(g[(size_t)l * r->nh + h]);
        }
        printf("]");
    }
    printf("]");
}

static void print_json(const Pass *p, const ScanResult *r) {
    const Tokenizer *t = p->model->tok;
    printf("{\"text\": ");
    json_string(stdout, p->text);
    printf(", \"tokens\": [");
    for (int i = 0; i < p->in.n; i++) {
        printf("%s", i ? ", " : "");
        json_string(stdout, p->tokens[i]);
    }
    printf("], \"knockout\": \"%s\", \"layers\": %d, \"heads\": %d, \"position\": ",
           r->kind == KO_HEAD_MEAN ? "mean" : "zero", r->L, r->nh);
    if (r->d_word) {
        printf("%d, \"token\": ", r->pos);
        json_string(stdout, tok_token(t, r->pos_id));
        printf(", \"word\": {\"token\": ");
        json_string(stdout, tok_token(t, r->word));
        printf(", \"id\": %d}, \"word_logprob\": ", r->word);
        json_num(r->base_word);
        printf(", \"d_word_logprob\": ");
        json_grid(r, r->d_word);
    } else {
        printf("null, \"token\": null, \"word\": null, \"word_logprob\": null, \"d_word_logprob\": null");
    }
    printf(", \"nsp_logprob\": ");
    if (r->d_nsp) {
        json_num(r->base_nsp);
        printf(", \"d_nsp_logprob\": ");
        json_grid(r, r->d_nsp);
    } else {
        printf("null, \"d_nsp_logprob\": null");
    }
    printf(", \"ms\": %.3f}\n", r->ms);
}

static void print_grid(const ScanResult *r, const double *g, const char *what, double base) {
    printf(_("Δ log %s (as run: %.4f, p = %.2f%%)\n"), what, base, 100 * exp(base));
    printf("        ");
    for (int h = 0; h < r->nh; h++) printf(" %8s%d", "h", h);
    printf("\n");
    for (int l = 0; l < r->L; l++) {
        char lab[32];
        snprintf(lab, sizeof lab, _("layer %d"), l);
        printf("%-8s", lab);
        for (int h = 0; h < r->nh; h++) printf(" %+9.4f", g[(size_t)l * r->nh + h]);
        printf("\n");
    }
}

static void print_text(const Pass *p, const ScanResult *r) {
    const Tokenizer *t = p->model->tok;
    int n = r->L * r->nh;
    printf(ngettext("each of the %d head knocked out in turn (context vector → %s)\n",
                    "each of the %d heads knocked out in turn (context vector → %s)\n", n),
           n, r->kind == KO_HEAD_MEAN ? _("its mean over the sentence") : "0");
    if (r->d_word) {
        char what[300];
        snprintf(what, sizeof what, _("p('%s') at position %d (%s)"), safe_str(tok_token(t, r->word)), r->pos,
                 safe_str(tok_token(t, r->pos_id)));
        print_grid(r, r->d_word, what, r->base_word);
    }
    if (r->d_nsp) print_grid(r, r->d_nsp, "P(IsNext)", r->base_nsp);
}

/* The position to read: P, else the first [MASK]; -1 (NSP only) when
 * there is none and the model has an NSP head to read instead. */
static int scan_position(const ScanOpts *o, const Pass *p, BtError *err) {
    if (o->pos >= 0 && o->pos < p->in.n) return o->pos;
    if (o->pos >= 0) {
        bt_fail(err, "position %d is out of range: the text has %d tokens, 0–%d", o->pos, p->in.n, p->in.n - 1);
        return -2;
    }
    int mask = tok_mask_id(p->model->tok);
    for (int i = 0; i < p->in.n; i++)
        if (p->ids[i] == mask) return i;
    if (p->model->has_nsp && !o->word) return -1;
    bt_fail(err, "no [MASK] in the text; write [MASK] where a word should be, or give --pos P");
    return -2;
}

int cli_scan(int argc, char **argv) {
    ScanOpts o = {.pos = -1};
    const Opt opts[] = {
        {"model", OPT_STR, &o.model, CLI_MODEL_HELP, .arg = "DIR"},
        {"json", OPT_FLAG, &o.json, N_("print JSON")},
        {"word", OPT_STR, &o.word, N_("follow W (one word piece) instead of the intact run's top guess"), .arg = "W"},
        {"pos", OPT_INT, &o.pos, N_("read position P instead of the first [MASK]"), .arg = "P", .lo = 0, .hi = 1 << 20},
        {"mean", OPT_FLAG, &o.mean, N_("set each head's context vector to its mean over the sentence, not to 0")},
        {"truncate", OPT_FLAG, &o.truncate, N_("cut TEXT to the model's max_position tokens instead of refusing it")},
    };
    const CliSpec spec = {
        "scan", opts, CLI_N(opts), .args = "TEXT", .min_args = 1, .max_args = -1, .missing = N_("no text given"),
        .about = N_("Knock out each attention head in turn (its context vector set to 0, or with --mean to its\n"
                 "mean over the sentence) and report, as layers × heads grids, the change in the\n"
                 "log-probability of W (default: the intact top guess) at the first [MASK] of TEXT (or at\n"
                 "position P), and in NSP's log P(IsNext).")};
    int words = cli_parse(&spec, argc, argv);
    if (words < 0) return cli_status(words);
    BertModel m;
    if (!(o.text = cli_text_and_model(words, argv, o.model, &m))) return 1;
    BtError err = {{0}};
    Pass p = {0};
    ScanResult r = {0};
    int word = -1, pos = -1, rc = 0;
    if (o.word && !m.has_mlm) rc = bt_fail(&err, "--word: this model has no MLM head to read a word with");
    else if (o.word) rc = lens_word(m.tok, o.word, &word, &err);
    PassOptions po = {.truncate = o.truncate};
    if (!rc) rc = pass_run(&p, &m, o.text, &po, &err);
    if (!rc && (pos = scan_position(&o, &p, &err)) == -2) rc = -1;
    if (!rc) rc = scan_run(&m, &p.tr, pos, word, o.mean ? KO_HEAD_MEAN : KO_HEAD_ZERO, &r, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    else if (o.json) print_json(&p, &r);
    else print_text(&p, &r);
    scan_free(&r);
    pass_free(&p);
    model_free(&m);
    free(o.text);
    return rc ? 1 : 0;
}
