/* `rollout [POS]`: for one query row, the last layer's attention (heads
 * averaged), attention rollout and attention flow (core/rollout.c) side
 * by side, one line per input token. */
#include <stdlib.h>
#include "bertology/i18n.h"
#include "bertology/rollout.h"
#include "bertology/safetext.h"
#include "colour.h"
#include "commands.h"
#include "term.h"
#include "textw.h"

enum { NCOL = 3 };

static void print_rollout(Session *s, const Rollout *r) {
    FILE *f = s->out;
    int pd = s->set.precision > 1 ? s->set.precision - 1 : 1;   /* digits of a percentage, as `predict` */
    int pw = 5 + pd, colour = term_colour_level(&s->set);
    int tw = 6;
    for (int t = 0; t < r->T; t++) {
        int w = textw_width(s->pass.tokens[t] ? s->pass.tokens[t] : "?");
        if (w > tw) tw = w;
    }
    if (tw > 16) tw = 16;
    const double *col[NCOL] = {r->raw, r->rollout, r->flow};
    char last[32];
    snprintf(last, sizeof last, _("layer %d"), r->L - 1);
    /* TRANSLATORS: the rollout table's column heads (the view's names:
     * attention rollout and attention flow) */
    const char *name[NCOL] = {last, P_("column", "rollout"), P_("column", "flow")};
    int cw[NCOL];   /* a translated head is never cut: its column widens */
    for (int c = 0; c < NCOL; c++) cw[c] = textw_width(name[c]) > pw ? textw_width(name[c]) : pw;
    double hi = 0;   /* one shading scale for the three: they are all distributions */
    for (int c = 0; c < NCOL; c++)
        for (int t = 0; t < r->T; t++)
            if (col[c][t] > hi) hi = col[c][t];
    fprintf(f, _("query %d (%s): where it draws from, per input token\n"), r->query,
            safe_str(s->pass.tokens[r->query]));
    fprintf(f, "     #  ");
    textw_print(f, P_("column", "token"), tw, 0);
    for (int c = 0; c < NCOL; c++) {
        fputs("  ", f);
        textw_pad(f, name[c], cw[c], 1);
    }
    fputc('\n', f);
    for (int t = 0; t < r->T; t++) {
        fprintf(f, "  %4d  ", t);
        textw_print(f, s->pass.tokens[t] ? s->pass.tokens[t] : "?", tw, 0);
        for (int c = 0; c < NCOL; c++) {
            char sgr[64] = "";
            if (colour && hi > 0) colour_cell(sgr, sizeof sgr, colour, RAMP_SEQ, (float)(col[c][t] / hi));
            fprintf(f, "  %s%*.*f%%%s", sgr, cw[c] - 1, pd, 100 * col[c][t], sgr[0] ? COLOUR_RESET : "");
        }
        if (t == r->query) fprintf(f, "  ← %s", _("query"));
        fputc('\n', f);
    }
    fprintf(f,
            _("layer %d: that layer's attention of row %d, mean over its %d heads; rollout: (A + I)/2, heads averaged, "
              "multiplied through the %d layers; flow: the maximum flow from each token to position %d through the "
              "same layers as a graph, computed exactly and scaled to sum to 100%% (`help rollout`).\n"),
            r->L - 1, r->query, s->pass.tr.nh, r->L, r->query);
}

int cmd_rollout(Session *s, const Call *c, BtError *err) {
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    if (c->argc > 2) return CMD_USAGE;
    const Trace *tr = &s->pass.tr;
    int query = rollout_default_query(tr, s->model.tok);
    if (c->argc == 2 && arg_position(s, c->argv[1], &query, err) != 0) return CMD_ERR;
    Rollout r;
    if (rollout_run(tr, query, &r, err) != 0) return CMD_ERR;
    print_rollout(s, &r);
    rollout_free(&r);
    /* The window shows the same row (view_rollout.c). */
    s->vs.instrument = VIZ_ROLLOUT;
    s->vs.instrument_gen++;
    s->vs.rollout_query = query;
    return CMD_OK;
}
