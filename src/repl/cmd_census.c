/* `census [FILE]`: every head's attention entropy and where its attention
 * goes (core/census.c), over the sentence or over a file of sentences, as
 * a layers × heads grid of roles and a table of the numbers. */
#include <stdlib.h>
#include <string.h>
#include "bertology/census.h"
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "commands.h"
#include "textw.h"

/* Column heads and role labels are translated and may be Cyrillic:
 * padded by display columns (textw), not bytes. Numbers keep the point,
 * as in every REPL table. */
static void print_census(Session *s, const Census *c, const char *source) {
    FILE *f = s->out;
    int pd = s->set.precision > 1 ? s->set.precision - 1 : 1;
    int pw = 5 + pd;
    if (source)
        fprintf(f, _("head census of %s: %d sentences, %ld query rows\n"), safe_str(source), c->sentences, c->rows);
    else
        fprintf(f, _("head census of this sentence: %ld query rows\n"), c->rows);
    fputs(_("roles (layers down, heads across): the target holding at least half of a head's attention, else mixed\n"),
          f);
    /* the first column fits "layer N" in the message language, and each
     * column its head: a translated head is never cut */
    char probe[32];
    snprintf(probe, sizeof probe, _("layer %d"), c->L - 1);
    int lw = textw_width(probe) > 8 ? textw_width(probe) : 8;
    fprintf(f, "  %*s", lw, "");
    for (int h = 0; h < c->nh; h++) {
        char hd[24];
        snprintf(hd, sizeof hd, "H%d", h);
        fputc(' ', f);
        textw_pad(f, hd, h + 1 < c->nh ? 6 : 0, 0);
    }
    fputc('\n', f);
    for (int l = 0; l < c->L; l++) {
        char ln[32];
        snprintf(ln, sizeof ln, _("layer %d"), l);
        fputs("  ", f);
        textw_pad(f, ln, lw, 0);
        for (int h = 0; h < c->nh; h++) {
            fputc(' ', f);
            textw_pad(f, _(census_role_info(c->role[l * c->nh + h])->label), h + 1 < c->nh ? 6 : 0, 0);
        }
        fputc('\n', f);
    }
    /* TRANSLATORS: the census table's column heads: a head ("L0 H1"), its
     * attention entropy in bits, its role (the targets' labels are
     * census.h's) */
    const char *head = P_("column", "head"), *entropy = P_("column", "entropy");
    int hw = textw_width(head) > 8 ? textw_width(head) : 8;
    int ew = textw_width(entropy) > 7 ? textw_width(entropy) : 7;
    int tw[CENSUS_TARGETS];
    fputs("  ", f);
    textw_pad(f, head, hw, 0);
    fputc(' ', f);
    textw_pad(f, entropy, ew, 1);
    for (int t = 0; t < CENSUS_TARGETS; t++) {
        const char *lab = _(census_role_info(t)->label);
        tw[t] = textw_width(lab) > pw ? textw_width(lab) : pw;
        fputc(' ', f);
        textw_pad(f, lab, tw[t], 1);
    }
    fprintf(f, "  %s\n", P_("column", "role"));
    for (int l = 0; l < c->L; l++)
        for (int h = 0; h < c->nh; h++) {
            char name[24];
            snprintf(name, sizeof name, "L%d H%d", l, h);
            size_t i = (size_t)l * c->nh + h;
            fprintf(f, "  %-*s %*.*f", hw, name, ew, pd, c->entropy[i]);
            for (int t = 0; t < CENSUS_TARGETS; t++)
                fprintf(f, " %*.*f%%", tw[t] - 1, pd, 100 * c->share[i * CENSUS_TARGETS + t]);
            fprintf(f, "  %s\n", _(census_role_info(c->role[i])->label));
        }
    char un[32];
    fprintf(f,
            _("entropy: bits per query row (0: all on one token; %s: spread evenly); shares: of each row's attention, "
              "averaged over the rows; they overlap (the token before the first word is [CLS]), so need not sum to "
              "100%% (`help census`).\n"),
            bt_decimal(un, sizeof un, 2, c->uniform));
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
