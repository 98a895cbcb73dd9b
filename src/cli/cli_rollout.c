/* bertology rollout: attention rollout and flow (core/rollout.c) for
 * scripts, as text or JSON. */
#include "bertology/cli.h"
#include "bertology/cli_instruments.h"
#include "bertology/pass.h"
#include "bertology/rollout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "bertology rollout [--model DIR] [--json] [--pos P] [--truncate] TEXT\n"
    "  for the token at position P of TEXT (default: the first [MASK], else [CLS]),\n"
    "  what it draws from each input token: the last layer's attention (heads\n"
    "  averaged), attention rollout and attention flow (exact max-flow), each\n"
    "  summing to 1 (Abnar & Zuidema 2020).";

typedef struct {
    const char *model;
    int json, pos, truncate;
    char *text;          /* the words that are not options, joined */
} RolloutOpts;

/* Options may come before or after the text. 0, 1 after --help, -1. */
static int parse_rollout(int argc, char **argv, RolloutOpts *o) {
    memset(o, 0, sizeof *o);
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
        else if (!strcmp(a, "--pos") && more) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (!*argv[i] || *end || v < 0 || v > (1 << 20)) {
                fprintf(stderr, "bertology: --pos takes a position from 0, not '%s'\n", argv[i]);
                return -1;
            }
            o->pos = (int)v;
        } else if (!strcmp(a, "--json")) o->json = 1;
        else if (!strcmp(a, "--truncate")) o->truncate = 1;
        else if (!strcmp(a, "--help")) { printf("usage: %s\n", USAGE); return 1; }
        else {
            fprintf(stderr, "bertology: unknown or incomplete option '%s'; see bertology rollout --help\n", a);
            return -1;
        }
    }
    if (!words) {
        fprintf(stderr, "bertology: no text given; usage: bertology rollout [options] TEXT\n");
        return -1;
    }
    return 0;
}

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
    printf("query %d (%s); per input token: layer %d attention, rollout, flow\n", r->query,
           safe_str(p->tokens[r->query]), r->L - 1);
    for (int t = 0; t < r->T; t++)
        printf("  %3d %-16s %7.2f%% %7.2f%% %7.2f%%\n", t, safe_str(p->tokens[t]), 100 * r->raw[t],
               100 * r->rollout[t], 100 * r->flow[t]);
}

int cli_rollout(int argc, char **argv) {
    RolloutOpts o;
    int pr = parse_rollout(argc, argv, &o);
    if (pr) {
        free(o.text);
        return pr < 0 ? 2 : 0;
    }
    BertModel m;
    if (cli_load_model(o.model, &m)) {
        free(o.text);
        return 1;
    }
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
