/* bertology census: the head census (core/census.c) of a sentence or of
 * a file of sentences, for scripts, as text or JSON. */
#include "bertology/census.h"
#include "bertology/cli.h"
#include "bertology/cli_instruments.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "bertology census [--model DIR] [--json] [--truncate] (TEXT | --file FILE)\n"
    "  for every attention head, the entropy of its attention (bits) and its share\n"
    "  on [CLS], [SEP], the token itself, the previous and the next token and\n"
    "  punctuation, averaged over the query rows of TEXT or of every sentence of\n"
    "  FILE (one per line), and its role: the target with at least half of its\n"
    "  attention, else mixed (after Clark et al. 2019).";

typedef struct {
    const char *model, *file;
    int json, truncate;
    char *text;          /* the words that are not options, joined */
} CensusOpts;

/* Options may come before or after the text. 0, 1 after --help, -1. */
static int parse_census(int argc, char **argv, CensusOpts *o) {
    memset(o, 0, sizeof *o);
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
        else if (!strcmp(a, "--file") && more) o->file = argv[++i];
        else if (!strcmp(a, "--json")) o->json = 1;
        else if (!strcmp(a, "--truncate")) o->truncate = 1;
        else if (!strcmp(a, "--help")) { printf("usage: %s\n", USAGE); return 1; }
        else {
            fprintf(stderr, "bertology: unknown or incomplete option '%s'; see bertology census --help\n", a);
            return -1;
        }
    }
    if (!words == !o->file) {
        fprintf(stderr, "bertology: give a sentence or --file FILE, not %s; usage: bertology census [options] "
                        "(TEXT | --file FILE)\n", words ? "both" : "neither");
        return -1;
    }
    return 0;
}

static void print_json(const Census *c, const char *file) {
    printf("{\"source\": ");
    if (file) json_string(stdout, file);
    else printf("null");
    printf(", \"sentences\": %d, \"rows\": %ld, \"uniform_entropy\": %.9g, \"dominant\": %g, \"targets\": [",
           c->sentences, c->rows, c->uniform, CENSUS_DOMINANT);
    for (int t = 0; t < CENSUS_TARGETS; t++) printf("%s\"%s\"", t ? ", " : "", census_role_info(t)->name);
    printf("], \"heads\": [");
    for (int l = 0; l < c->L; l++)
        for (int h = 0; h < c->nh; h++) {
            size_t i = (size_t)l * c->nh + h;
            printf("%s{\"layer\": %d, \"head\": %d, \"entropy\": %.9g", i ? ", " : "", l, h, c->entropy[i]);
            for (int t = 0; t < CENSUS_TARGETS; t++)
                printf(", \"%s\": %.9g", census_role_info(t)->name, c->share[i * CENSUS_TARGETS + t]);
            printf(", \"role\": \"%s\"}", census_role_info(c->role[i])->name);
        }
    printf("]}\n");
}

static void print_text(const Census *c) {
    printf("%d sentence%s, %ld query rows; entropy in bits (spread evenly: %.2f)\n", c->sentences,
           c->sentences == 1 ? "" : "s", c->rows, c->uniform);
    printf("  head     entropy");
    for (int t = 0; t < CENSUS_TARGETS; t++) printf(" %7s", census_role_info(t)->label);
    printf("  role\n");
    for (int l = 0; l < c->L; l++)
        for (int h = 0; h < c->nh; h++) {
            size_t i = (size_t)l * c->nh + h;
            printf("  L%-2d H%-3d %7.3f", l, h, c->entropy[i]);
            for (int t = 0; t < CENSUS_TARGETS; t++) printf(" %6.2f%%", 100 * c->share[i * CENSUS_TARGETS + t]);
            printf("  %s\n", census_role_info(c->role[i])->label);
        }
}

int cli_census(int argc, char **argv) {
    CensusOpts o;
    int pr = parse_census(argc, argv, &o);
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
    Census c;
    PassOptions po = {.truncate = o.truncate};
    int rc;
    if (o.file) rc = census_file(&c, &m, o.file, &po, &err);
    else {
        Pass p;
        rc = pass_run(&p, &m, o.text, &po, &err);
        if (rc == 0) rc = census_of_trace(&c, &p.tr, m.tok, &err);
        pass_free(&p);
    }
    if (rc) fprintf(stderr, "bertology: %s\n", err.msg);
    else {
        if (o.json) print_json(&c, o.file);
        else print_text(&c);
        census_free(&c);
    }
    model_free(&m);
    free(o.text);
    return rc ? 1 : 0;
}
