/* bertology census: the head census (core/census.c) of a sentence or of
 * a file of sentences, for scripts, as text or JSON. */
#include "bertology/census.h"
#include "bertology/cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *model, *file;
    int json, truncate;
    char *text;          /* the positional words, joined (NULL: none) */
} CensusOpts;

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
    /* the sentence translated; the column heads and role labels stay as
     * --json names them: they are what a script reads */
    printf(ngettext("%d sentence, %ld query rows; entropy in bits (spread evenly: %.2f)\n",
                    "%d sentences, %ld query rows; entropy in bits (spread evenly: %.2f)\n", c->sentences),
           c->sentences, c->rows, c->uniform);
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
    CensusOpts o = {0};
    const Opt opts[] = {
        {"model", OPT_STR, &o.model, CLI_MODEL_HELP, .arg = "DIR"},
        {"file", OPT_STR, &o.file, N_("every sentence of FILE (one per line) instead of TEXT"), .arg = "FILE"},
        {"json", OPT_FLAG, &o.json, N_("print JSON")},
        {"truncate", OPT_FLAG, &o.truncate, N_("cut TEXT to the model's max_position tokens instead of refusing it")},
    };
    const CliSpec spec = {"census", opts, CLI_N(opts), .args = "[TEXT]", .min_args = 0, .max_args = -1,
                          .about = N_("For every attention head, the entropy of its attention (bits) and its share on "
                                   "[CLS], [SEP], the\ntoken itself, the previous and the next token and punctuation, "
                                   "averaged over the query rows\nof TEXT or of every sentence of FILE, and its role: "
                                   "the target with at least half of its\nattention, else mixed (after Clark et al. "
                                   "2019).")};
    int words = cli_parse(&spec, argc, argv);
    if (words < 0) return cli_status(words);
    if (!words == !o.file) {
        char usage[160], line[512];
        snprintf(usage, sizeof usage, "bertology census [%s] (TEXT | --file FILE)", _("options"));
        snprintf(line, sizeof line, _("%s; usage: %s"),
                 words ? _("give a sentence or --file FILE, not both") : _("give a sentence or --file FILE, not neither"), usage);
        fprintf(stderr, "bertology: %s\n", line);
        return 2;
    }
    if (words && !(o.text = cli_join_args(words, argv))) {
        fprintf(stderr, "bertology: %s\n", _("out of memory"));
        return 1;
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
