/* `saliency [POS] [WORD] [--ig N]`: which input tokens a masked word's
 * log-probability depends on (core/saliency.c), per token as signed bars:
 * gradient × input, the gradient's norm and integrated gradients, with
 * IG's completeness check. The window's saliency view draws the last one. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/lens.h"
#include "bertology/safetext.h"
#include "bertology/saliency.h"
#include "commands.h"
#include "stageview.h"
#include "term.h"
#include "textw.h"

void saliency_forget(Session *s) {
    if (!s->saliency) return;
    saliency_free(s->saliency);
    free(s->saliency);
    s->saliency = NULL;
    s->vs.saliency = NULL;
    /* Gone with its model: the window stops following it. */
    if (s->vs.instrument == VIZ_SALIENCY) s->vs.instrument = VIZ_FOLLOW;
}

typedef struct {
    int pos;        /* -1: the first position `predict` reads */
    int word;       /* -1: the top guess there */
    int steps;      /* IG steps, 0: none */
} SalArgs;

/* POS is a number, WORD is not, `--ig N` may come anywhere. */
static int sal_args(Session *s, const Call *c, SalArgs *a, BtError *err) {
    *a = (SalArgs){-1, -1, SALIENCY_STEPS_DEFAULT};
    const char *words[2];
    int n = 0;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--ig") == 0) {
            long v;
            if (i + 1 >= c->argc || parse_int(c->argv[i + 1], &v) != 0 || v < 0 || v > SALIENCY_STEPS_MAX) {
                bt_fail(err, "--ig takes a number of steps from 0 (no integrated gradients) to %d",
                        SALIENCY_STEPS_MAX);
                return CMD_ERR;
            }
            a->steps = (int)v;
            i++;
        } else if (n < 2) {
            words[n++] = c->argv[i];
        } else {
            return CMD_USAGE;
        }
    }
    long v;
    int i = 0;
    if (i < n && parse_int(words[i], &v) == 0) {
        if (arg_position(s, words[i], &a->pos, err) != 0) return CMD_ERR;
        i++;
    }
    if (i < n) {
        if (lens_word(s->model.tok, words[i], &a->word, err) != 0) return CMD_ERR;
        i++;
    }
    return i == n ? CMD_OK : CMD_USAGE;
}

/* A signed bar of 2·half + 1 cells: x/scale to the left of the axis when
 * negative, to the right when positive. */
static void print_bar(FILE *f, double x, double scale, int half, int plain) {
    int k = (int)lround(fabs(x) / scale * half);
    if (k > half) k = half;
    const char *cell = plain ? "#" : "█";
    for (int i = half; i > 0; i--) fputs(x < 0 && i <= k ? cell : " ", f);
    fputs(plain ? "|" : "│", f);
    for (int i = 1; i <= half; i++) fputs(x > 0 && i <= k ? cell : " ", f);
}

static void print_saliency(Session *s, const Saliency *r) {
    FILE *f = s->out;
    const Tokenizer *tok = s->model.tok;
    const char *w = tok_token(tok, r->word), *at = tok_token(tok, r->pos_id);
    char lp[32], pp[32];
    fprintf(f, _("saliency of '%s' at position %d (%s): log p = %s (p = %s)\n"), safe_str(w ? w : "?"), r->pos,
            safe_str(at ? at : "?"), bt_decimal(lp, sizeof lp, 3, r->logp),
            bt_pct(pp, sizeof pp, exp(r->logp)));
    fputs(_("x: each token's word vector (its position and segment vectors held); ∇: the gradient of log p at x\n"), f);
    int tw = 5;
    for (int t = 0; t < r->T; t++) {
        const char *g = tok_token(tok, r->ids[t]);
        int gw = textw_width(g ? g : "?");
        if (gw > tw) tw = gw;
    }
    if (tw > 14) tw = 14;
    int width = term_width(&s->set), nb = r->ig ? 2 : 1;
    /* room for the bars: what the numbers leave, shared */
    int half = (width - (5 + tw + 3 * 10 + 4)) / (2 * nb) - 1;
    if (half > 10) half = 10;
    if (half < 2) half = 2;
    double sd = saliency_absmax(r->grad_dot, r->T), si = r->ig ? saliency_absmax(r->ig, r->T) : 1;
    fprintf(f, "%4s ", "");
    textw_print(f, P_("column", "token"), tw, 0);
    /* display columns, not bytes: ∇ and · are several bytes each */
    fputc(' ', f);
    textw_print(f, "∇·x", 9, 1);
    fprintf(f, " %*s ", 2 * half + 1, "");
    textw_print(f, "|∇|", 9, 1);
    if (r->ig) {
        fputc(' ', f);
        textw_print(f, "IG", 9, 1);
    }
    fputc('\n', f);
    for (int t = 0; t < r->T; t++) {
        const char *g = tok_token(tok, r->ids[t]);
        fprintf(f, "%4d ", t);
        textw_print(f, g ? g : "?", tw, 0);
        fprintf(f, " %+9.4f ", r->grad_dot[t]);
        print_bar(f, r->grad_dot[t], sd, half, s->set.plain);
        fprintf(f, " %9.4f", r->grad_norm[t]);
        if (r->ig) {
            fprintf(f, " %+9.4f ", r->ig[t]);
            print_bar(f, r->ig[t], si, half, s->set.plain);
        }
        fputc('\n', f);
    }
    if (r->ig) {
        double gap = r->logp - r->logp_base;
        char n[5][32];
        fprintf(f,
                _("integrated gradients, %d steps from the baseline (every word vector 0): Σ IG = %s, "
                  "log p(x) − log p(baseline) = %s − (%s) = %s (completeness: off by %s)\n"),
                r->steps, bt_number(n[0], sizeof n[0], "%+.4f", r->ig_sum), bt_decimal(n[1], sizeof n[1], 4, r->logp),
                bt_decimal(n[2], sizeof n[2], 4, r->logp_base), bt_number(n[3], sizeof n[3], "%+.4f", gap),
                bt_number(n[4], sizeof n[4], "%.2g", fabs(r->ig_sum - gap)));
    }
    fputs(_("(bars: right of the axis raise log p, left of it lower it; the window shows them as view 'saliency'; "
            "`help saliency`)\n"),
          f);
}

int cmd_saliency(Session *s, const Call *c, BtError *err) {
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    if (saliency_check_model(&s->model, err) != 0) return CMD_ERR;
    SalArgs a;
    int rc = sal_args(s, c, &a, err);
    if (rc != CMD_OK) return rc;
    if (a.pos < 0) {
        int T = session_T(s);
        int *pos = malloc((size_t)T * sizeof *pos);
        if (!pos) { bt_fail(err, "out of memory"); return CMD_ERR; }
        int n = stage_targets(s, pos);
        a.pos = n ? pos[0] : -1;
        free(pos);
        if (n == 0) {
            bt_fail(err, "no [MASK] to explain: give a position (`saliency 3`, see `tokens`), type [MASK] in the "
                           "sentence, or `mask 3`");
            return CMD_ERR;
        }
    }
    Saliency *r = calloc(1, sizeof *r);
    if (!r) { bt_fail(err, "out of memory"); return CMD_ERR; }
    if (saliency_run(&s->model, &s->pass.tr, a.pos, a.word, a.steps, r, err) != 0) {
        free(r);
        return CMD_ERR;
    }
    r->text = strdup(s->pass.text);
    print_saliency(s, r);
    saliency_forget(s);
    s->saliency = r;
    /* The window follows it (view_saliency.c), as it follows scan and rollout. */
    s->vs.instrument = VIZ_SALIENCY;
    s->vs.instrument_gen++;
    return CMD_OK;
}
