/* The report of a `whatif` on the terminal: the two runs' tokens and
 * their pairing, the layers × heads grid of attention change, the cosine
 * of each paired token's hidden vectors depth by depth, the MLM head's
 * guesses at each [MASK] and changed token in both runs, and NSP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/lens.h"
#include "bertology/safetext.h"
#include "bertology/whatif.h"
#include "colour.h"
#include "commands.h"
#include "render.h"
#include "textw.h"

static const char *tok(const Session *s, int id) {
    const char *t = tok_token(s->model.tok, id);
    return safe_str(t ? t : "?");
}

static void print_run(Session *s, char name, const int *ids, int T) {
    fprintf(s->out, "  %c:", name);
    for (int i = 0; i < T; i++) fprintf(s->out, " %s", tok(s, ids[i]));
    fputc('\n', s->out);
}

/* Which tokens were paired how, and which have no partner. */
static void print_pairing(Session *s, const WhatIf *w) {
    FILE *f = s->out;
    int replaced = 0;
    for (int p = 0; p < w->npairs; p++) replaced += !w->pairs[p].same;
    if (w->by_position)
        fprintf(f, ngettext("tokens paired position by position: %d pairs, %d changed\n",
                            "tokens paired position by position: %d pairs, %d changed\n", replaced),
                w->npairs, replaced);
    else
        fprintf(f, ngettext("tokens paired by their longest common subsequence of ids: %d pairs, %d of them replaced "
                            "(between two matches, stretches of equal length are paired in order)\n",
                            "tokens paired by their longest common subsequence of ids: %d pairs, %d of them replaced "
                            "(between two matches, stretches of equal length are paired in order)\n", replaced),
                w->npairs, replaced);
    for (int r = 0; r < 2; r++) {
        const int *partner = r ? w->partner_b : w->partner_a, *ids = r ? w->ids_b : w->ids_a;
        int T = r ? w->Tb : w->Ta, any = 0;
        for (int i = 0; i < T; i++) {
            if (partner[i] >= 0) continue;
            if (!any) fprintf(f, _("  no partner in %c:"), r ? 'A' : 'B');
            fprintf(f, " %c%d %s", r ? 'B' : 'A', i, tok(s, ids[i]));
            any = 1;
        }
        if (any) fputc('\n', f);
    }
}

/* The layers × heads grid of mean TV, shaded from white (unchanged) up. */
static void print_attention(Session *s, const WhatIf *w) {
    FILE *f = s->out;
    Out o = out_for(s);
    int p = s->set.precision > 4 ? 4 : s->set.precision < 1 ? 1 : s->set.precision, cw = p + 2;
    fprintf(f, _("attention: per head, the total-variation distance between A's and B's row of each paired "
                 "query token (0: the same, 1: nothing in common), mean over the %d pairs\n"),
            w->npairs);
    double hi = 0;
    for (int i = 0; i < w->L * w->nh; i++)
        if (isfinite(w->tv_mean[i]) && w->tv_mean[i] > hi) hi = w->tv_mean[i];
    char probe[32];
    snprintf(probe, sizeof probe, _("layer %d"), w->L - 1);
    int lw = textw_width(probe), per = (o.width - lw) / (cw + 1);
    if (per < 1) per = 1;
    for (int h0 = 0; h0 < w->nh; h0 += per) {
        int h1 = h0 + per < w->nh ? h0 + per : w->nh;
        fprintf(f, "%*s", lw, "");
        for (int h = h0; h < h1; h++) {
            char lab[16];
            snprintf(lab, sizeof lab, "h%d", h);
            fputc(' ', f);
            textw_print(f, lab, cw, 1);
        }
        fputc('\n', f);
        for (int l = 0; l < w->L; l++) {
            char lab[32];
            snprintf(lab, sizeof lab, _("layer %d"), l);
            textw_print(f, lab, lw, 0);
            for (int h = h0; h < h1; h++) {
                double x = w->tv_mean[(size_t)l * w->nh + h];
                char num[32], sgr[64] = "";
                snprintf(num, sizeof num, "%.*f", p, x);
                if (o.colour && hi > 0 && isfinite(x)) colour_cell(sgr, sizeof sgr, o.colour, RAMP_SEQ, (float)(x / hi));
                fputs(sgr, f);
                fputc(' ', f);
                textw_print(f, num, cw, 1);
                if (sgr[0]) fputs(COLOUR_RESET, f);
            }
            fputc('\n', f);
        }
    }
    int l, h;
    double best = whatif_most_changed(w, &l, &h);
    if (l >= 0) {
        size_t c = (size_t)l * w->nh + h;
        int row = w->tv_row[c];
        char mb[32], mx[32];
        fprintf(f, _("most changed: head %d.%d (mean %s; largest %s, at query %d %s)\n"), l, h,
                bt_decimal(mb, sizeof mb, 3, best), bt_decimal(mx, sizeof mx, 3, w->tv_max[c]), row,
                row >= 0 ? tok(s, w->ids_a[row]) : "");
    }
}

/* Paired tokens down, depths across, in blocks when the terminal is narrow. */
static void print_cosines(Session *s, const WhatIf *w) {
    FILE *f = s->out;
    Out o = out_for(s);
    int D = w->L + 1, p = s->set.precision > 4 ? 4 : s->set.precision < 1 ? 1 : s->set.precision, cw = p + 3;
    fputs(_("hidden vectors: cosine of A's and B's vector of each paired token, depth by depth (1: unchanged)\n"), f);
    int tw = 5;
    for (int q = 0; q < w->npairs; q++) {
        int a = textw_width(tok(s, w->ids_a[w->pairs[q].a])), b = textw_width(tok(s, w->ids_b[w->pairs[q].b]));
        if (a > tw) tw = a;
        if (b > tw) tw = b;
    }
    if (tw > 12) tw = 12;
    int lead = 2 * (4 + 1 + tw) + 3, per = (o.width - lead) / (cw + 1);
    if (per < 1) per = 1;
    for (int d0 = 0; d0 < D; d0 += per) {
        int d1 = d0 + per < D ? d0 + per : D;
        fprintf(f, "%4s %-*s %4s %-*s  ", "A", tw, "", "B", tw, "");
        for (int d = d0; d < d1; d++) {
            char lab[32];
            if (d == 0) snprintf(lab, sizeof lab, "emb");
            else snprintf(lab, sizeof lab, "L%d", d - 1);
            fputc(' ', f);
            textw_print(f, lab, cw, 1);
        }
        fputc('\n', f);
        for (int q = 0; q < w->npairs; q++) {
            const WhatIfPair *pr = &w->pairs[q];
            fprintf(f, "%4d ", pr->a);
            textw_print(f, tok(s, w->ids_a[pr->a]), tw, 0);
            fprintf(f, " %4d ", pr->b);
            textw_print(f, tok(s, w->ids_b[pr->b]), tw, 0);
            fputs(pr->same ? "  " : " ≠", f);
            for (int d = d0; d < d1; d++) {
                char num[32];
                snprintf(num, sizeof num, "%.*f", p, w->cos[(size_t)q * D + d]);
                fputc(' ', f);
                textw_print(f, num, cw, 1);
            }
            fputc('\n', f);
        }
    }
}

/* a table: the point, whatever the language */
static void pct(char *buf, size_t n, double x) { snprintf(buf, n, bt_pct_format(x), 100 * x); }

static void print_guesses(Session *s, const WhatIf *w) {
    FILE *f = s->out;
    for (int g = 0; g < w->nguess; g++) {
        const WhatIfGuesses *G = &w->guess[g];
        const WhatIfPair *pr = &w->pairs[G->pair];
        fprintf(f, _("MLM guesses at A%d %s / B%d %s: top %d in A, in B, and A's guess in B\n"), pr->a,
                tok(s, w->ids_a[pr->a]), pr->b, tok(s, w->ids_b[pr->b]), w->k);
        for (int i = 0; i < w->k; i++) {
            char pa[32], pb[32], pab[32];
            pct(pa, sizeof pa, G->top_a[i].p);
            pct(pb, sizeof pb, G->top_b[i].p);
            pct(pab, sizeof pab, G->p_b[i]);
            fprintf(f, "  %2d. ", i + 1);
            textw_print(f, tok(s, G->top_a[i].id), 12, 0);
            fprintf(f, " %8s   ", pa);
            textw_print(f, tok(s, G->top_b[i].id), 12, 0);
            fprintf(f, " %8s   %s %s → %s\n", pb, tok(s, G->top_a[i].id), pa, pab);
        }
    }
}

void whatif_print(Session *s, const WhatIf *w) {
    FILE *f = s->out;
    fprintf(f, _("what-if, run B: %s\n"), w->how ? w->how : "");
    print_run(s, 'A', w->ids_a, w->Ta);
    print_run(s, 'B', w->ids_b, w->Tb);
    print_pairing(s, w);
    if (w->npairs == 0) {
        fputs(_("no token of A has a partner in B: there is nothing to compare token by token\n"), f);
    } else {
        print_attention(s, w);
        print_cosines(s, w);
    }
    print_guesses(s, w);
    if (!s->model.has_mlm) fputs(_("this model has no MLM head: there are no guesses to compare\n"), f);
    if (w->has_nsp) {
        char a[32], b[32];
        pct(a, sizeof a, w->nsp_a);
        pct(b, sizeof b, w->nsp_b);
        fprintf(f, _("NSP: P(IsNext) %s in A → %s in B\n"), a, b);
    }
    fputs(_("(run A is what every stage shows; the window's what-if view (key W) draws the difference; "
            "`whatif off` ends it)\n"),
          f);
}
