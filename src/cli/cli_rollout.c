/* bertology rollout: attention rollout and flow (core/rollout.c) for
 * scripts, as text or JSON. */
#include "bertology/cli.h"
#include "bertology/pass.h"
#include "bertology/rollout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *model;
    int json, pos, truncate;
    char *text;          /* the positional words, joined */
} RolloutOpts;

static void json_array(const char *name, const double *v, int n) {
    printf(", \"%s\": [", name);
    for (int i = 0; i < n; i++) printf("%s%.9g", i ? ", " : "", v[i]);
    printf("]");
}

static void print_json(const Pass *p, const Rollout *r) {
    printf("{\"query\": %d, \"token\": ", r->query);
    json_string(stdout, p->tokens[r->query]);
    printf(", \"layers\": %d, \"tokens\": [", r->L);
    for (int t = 0; t < r->T; t++) {
        if (t) printf(", ");
        json_string(stdout, p->tokens[t]);
    }
    printf("]");
    json_array("last_layer", r->raw, r->T);
    json_array("rollout", r->rollout, r->T);
    json_array("flow", r->flow, r->T);
    json_array("flow_value", r->flow_value, r->T);
    printf("}\n");
}

static void print_text(const Pass *p, const Rollout *r) {
    printf(_("query %d (%s); per input token: layer %d attention, rollout, flow\n"), r->query,
           safe_str(p->tokens[r->query]), r->L - 1);
    for (int t = 0; t < r->T; t++)
        printf("  %3d %-16s %7.2f%% %7.2f%% %7.2f%%\n", t, safe_str(p->tokens[t]), 100 * r->raw[t],
               100 * r->rollout[t], 100 * r->flow[t]);
}

int cli_rollout(int argc, char **argv) {
    RolloutOpts o = {.pos = -1};
    const Opt opts[] = {
        {"model", OPT_STR, &o.model, CLI_MODEL_HELP, .arg = "DIR"},
        {"json", OPT_FLAG, &o.json, N_("print JSON")},
        {"pos", OPT_INT, &o.pos, N_("the query position (default: the first [MASK], else [CLS])"), .arg = "P", .lo = 0,
         .hi = 1 << 20},
        {"truncate", OPT_FLAG, &o.truncate, N_("cut TEXT to the model's max_position tokens instead of refusing it")},
    };
    const CliSpec spec = {"rollout", opts, CLI_N(opts), .args = "TEXT", .min_args = 1, .max_args = -1,
                          .missing = N_("no text given"),
                          .about = N_("For the token at position P of TEXT, what it draws from each input token: the last "
                                   "layer's attention\n(heads averaged), attention rollout and attention flow (exact "
                                   "max-flow), each summing to 1\n(Abnar & Zuidema 2020).")};
    int words = cli_parse(&spec, argc, argv);
    if (words < 0) return cli_status(words);
    BertModel m;
    if (!(o.text = cli_text_and_model(words, argv, o.model, &m))) return 1;
    BtError err;
    Pass p;
    PassOptions po = {.truncate = o.truncate};
    Rollout r = {0};
    int rc = pass_run(&p, &m, o.text, &po, &err);
    if (rc == 0) rc = rollout_run(&p.tr, o.pos >= 0 ? o.pos : rollout_default_query(&p.tr, m.tok), &r, &err);
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    else if (o.json) print_json(&p, &r);
    else print_text(&p, &r);
    rollout_free(&r);
    pass_free(&p);
    model_free(&m);
    free(o.text);
    return rc ? 1 : 0;
}
