/* The saliency view's numbers (the REPL's last `saliency`): per input
 * token, gradient × input, the gradient's norm and integrated gradients
 * of log p of the followed word, as bars; the signed ones about a zero
 * axis (red raises log p, blue lowers it), each panel on its own scale.
 * Rows: input tokens. */
#include <math.h>
#include "bertology/saliency.h"
#include "fig_internal.h"

FIG_FN(saliency) {
    (void)p;
    (void)cache;
    (void)err;
    const Saliency *r = st->saliency;
    if (!r || r->T < 1 || !r->grad_dot)
        return fig_empty(f, _("No saliency yet"),
                         _("In the REPL: the cat sat on the [MASK] .  then  saliency  (which tokens the guess depends on)"));
    const Tokenizer *tok = st->model ? st->model->tok : NULL;
    int T = r->T;
    const char *wd = tok ? tok_token(tok, r->word) : NULL, *at = tok ? tok_token(tok, r->pos_id) : NULL;
    char lp[32];
    f->title = fig_strf(f, _("Which tokens '%s' at position %d (%s) depends on: log p = %s (p = %s)"), wd ? wd : "?",
                        r->pos, at ? at : "?", bt_decimal(lp, sizeof lp, 3, r->logp), fig_pct(f, exp(r->logp)));
    const char *complete =
        r->ig ? fig_strf(f, _("completeness: Σ IG = %+.4f, log p(x) − log p(baseline: every word vector 0) = %+.4f (off by %.2g)"),
                         r->ig_sum, r->logp - r->logp_base, fabs(r->ig_sum - (r->logp - r->logp_base)))
              : _("no integrated gradients (saliency --ig N computes them in N steps)");
    const char *legend = _("x: each token's word vector (position and segment held) · ∇: gradient of log p at x · red raises "
                           "log p, blue lowers it");
    /* the sentence's line only when the result carries its text (a result
     * made outside the REPL may not): never an empty pair of quotes */
    f->caption = r->text && r->text[0] ? fig_strf(f, "“%s”\n%s\n%s", r->text, legend, complete)
                                       : fig_strf(f, "%s\n%s", legend, complete);
    const char **tokens = fig_alloc(f, sizeof *tokens * (size_t)T), **lab = fig_alloc(f, sizeof *lab * (size_t)T);
    if (!tokens || !lab) return 0;
    for (int t = 0; t < T; t++) {
        const char *g = tok ? tok_token(tok, r->ids[t]) : NULL;
        tokens[t] = g ? g : "?";
        lab[t] = fig_strf(f, "%d %s", t, tokens[t]);   /* the tokens, with their positions */
    }
    const char *names[] = {"position", "token", "grad_x_input", "grad_norm", "integrated_gradients"};
    int np = r->ig ? 3 : 2;
    for (int c = 0; c < 2 + np; c++) fig_column(f, names[c]);
    fig_block(f, 0, 0, T, 1, FIG_I32, fig_iota(f, T, 0), sizeof(int32_t), 0);
    fig_block(f, 0, 1, T, 1, FIG_STR, tokens, sizeof *tokens, 0);
    const double *col[3] = {r->grad_dot, r->grad_norm, r->ig};
    const char *titles[3] = {_("gradient × input  ∇·x"), _("|∇|  (no sign)"),
                             fig_strf(f, ngettext("integrated gradients (%d step)", "integrated gradients (%d steps)",
                                                  r->steps), r->steps)};
    for (int c = 0; c < np; c++) {
        int b = fig_block(f, 0, 2 + c, T, 1, FIG_F64, col[c], sizeof(double), 0);
        FigPlot *pl = fig_plot(f, FIG_BARS);
        if (!pl) return 0;
        pl->title = titles[c];
        pl->block = b;
        pl->row_labels = lab;
        pl->at = pl->highlight = r->pos;
        pl->is_signed = c != 1;
        pl->hi = (float)saliency_absmax(col[c], T);   /* the value of a full bar (half a signed panel) */
        pl->lo = pl->is_signed ? -pl->hi : 0;
        pl->bar_rgba = fig_palette(3);
        pl->fmt = FIG_FMT_G;
    }
    f->layout_cols = np;
    f->source = r;
    return 0;
}
