/* `census [FILE]`: every head's attention entropy and where its attention
 * goes (core/census.c), over the sentence or over a file of sentences, as
 * a layers × heads grid of roles and a table of the numbers. */
#include <stdlib.h>
#include <string.h>
#include "bertology/census.h"
#include "bertology/safetext.h"
#include "commands.h"
#include "textw.h"

static void print_census(Session *s, const Census *c, const char *source) {
    FILE *f = s->out;
    int pd = s->set.precision > 1 ? s->set.precision - 1 : 1;
    int pw = 5 + pd;
    if (source)
        fprintf(f, "head census of %s: %d sentences, %ld query rows\n", safe_str(source), c->sentences, c->rows);
    else
        fprintf(f, "head census of this sentence: %ld query rows\n", c->rows);
    fputs("roles (layers down, heads across): the target holding at least half of a head's attention, else mixed\n",
          f);
    fprintf(f, "  %-8s", "");
    for (int h = 0; h < c->nh; h++) {
        char hd[24];
        snprintf(hd, sizeof hd, "H%d", h);
        fprintf(f, h + 1 < c->nh ? " %-6s" : " %s", hd);
    }
    fputc('\n', f);
    for (int l = 0; l < c->L; l++) {
        char ln[24];
        snprintf(ln, sizeof ln, "layer %d", l);
        fprintf(f, "  %-8s", ln);
        for (int h = 0; h < c->nh; h++)
            fprintf(f, h + 1 < c->nh ? " %-6s" : " %s", census_role_info(c->role[l * c->nh + h])->label);
        fputc('\n', f);
    }
    fprintf(f, "  %-8s %7s", "head", "entropy");
    for (int t = 0; t < CENSUS_TARGETS; t++) fprintf(f, " %*s", pw, census_role_info(t)->label);
    fputs("  role\n", f);
    for (int l = 0; l < c->L; l++)
        for (int h = 0; h < c->nh; h++) {
            char name[24];
            snprintf(name, sizeof name, "L%d H%d", l, h);
            size_t i = (size_t)l * c->nh + h;
            fprintf(f, "  %-8s %7.*f", name, pd, c->entropy[i]);
            for (int t = 0; t < CENSUS_TARGETS; t++) fprintf(f, " %*.*f%%", pw - 1, pd, 100 * c->share[i * CENSUS_TARGETS + t]);
            fprintf(f, "  %s\n", census_role_info(c->role[i])->label);
        }
    fprintf(f,
            "entropy: bits per query row (0: all on one token; %.2f: spread evenly); shares: of each row's attention, "
            "averaged over the rows; they overlap (the token before the first word is [CLS]), so need not sum to "
            "100%% (`help census`).\n",
            c->uniform);
}

/* The switches of the sentence's last run (causal, unscaled, and what
 * later instruments add), without the MLM head, which the census does
 * not read; long lines are cut only under `set truncate on`. */
static PassOptions file_options(const Session *s) {
    PassOptions o = {.causal = s->set.causal, .unscaled = s->set.unscaled};
    if (pass_has_trace(&s->pass)) o = s->pass.opt;
    o.mlm = 0;
    o.truncate = s->set.truncate;
    return o;
}

/* The window's census view shows the REPL's census of a file; it counts
 * the sentence itself otherwise. */
static void keep_for_window(Session *s, Census *file, const char *path) {
    if (s->census) census_free(s->census);
    free(s->census);
    free(s->census_source);
    s->census = file;
    s->census_source = file ? strdup(path) : NULL;
    s->census_model_gen = s->vs.model_gen;
    s->vs.instrument = VIZ_CENSUS;
    s->vs.instrument_gen++;
}

int cmd_census(Session *s, const Call *c, BtError *err) {
    if (c->argc > 2) return CMD_USAGE;
    if (c->argc == 1) {
        if (session_need_sentence(s, err) != 0) return CMD_ERR;
        Census cs;
        if (census_of_trace(&cs, &s->pass.tr, s->model.tok, err) != 0) return CMD_ERR;
        print_census(s, &cs, NULL);
        census_free(&cs);
        keep_for_window(s, NULL, NULL);
        return CMD_OK;
    }
    if (!s->model.tok) return bt_fail(err, "this model has no vocab.txt, so it cannot read sentences");
    Census *cs = malloc(sizeof *cs);
    if (!cs) return bt_fail(err, "out of memory");
    PassOptions o = file_options(s);
    if (census_file(cs, &s->model, c->argv[1], &o, err) != 0) {
        free(cs);
        return CMD_ERR;
    }
    print_census(s, cs, c->argv[1]);
    keep_for_window(s, cs, c->argv[1]);
    return CMD_OK;
}

void census_state_free(Session *s) {
    if (s->census) census_free(s->census);
    free(s->census);
    free(s->census_source);
    s->census = NULL;
    s->census_source = NULL;
}
