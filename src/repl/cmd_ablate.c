/* Knock-outs: `ablate` removes heads and FFNs from the forward pass
 * (core/ablate.h, applied by core/forward.c), `scan` knocks out every
 * head in turn (core/scan.h) and shows the layers × heads grid of what
 * each costs the [MASK] word and NSP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/lens.h"
#include "bertology/safetext.h"
#include "bertology/scan.h"
#include "colour.h"
#include "commands.h"
#include "render.h"
#include "stageview.h"
#include "term.h"
#include "textw.h"

/* "L.H": layer and head, each checked against the model with its own
 * message naming the valid range. */
static int arg_layer_head(const Session *s, const char *arg, int *l, int *h, BtError *err) {
    const char *dot = strchr(arg, '.');
    if (!dot) {
        long v;
        if (parse_int(arg, &v) == 0)
            return bt_fail(err, "'%s' names no head: write LAYER.HEAD, e.g. `ablate %ld.0` (head 0 of layer %ld), "
                                  "or `ablate ffn %ld` for the layer's feed-forward block", arg, v, v, v);
        return bt_fail(err, "'%s' is not LAYER.HEAD: write e.g. `ablate 1.2` (head 2 of layer 1), `ablate ffn 1` "
                              "or `ablate off`", arg);
    }
    char layer[32];
    size_t n = (size_t)(dot - arg);
    if (n == 0 || n >= sizeof layer)
        return bt_fail(err, "'%s' is not LAYER.HEAD: write e.g. `ablate 1.2` (head 2 of layer 1)", arg);
    memcpy(layer, arg, n);
    layer[n] = '\0';
    if (arg_layer(s, layer, l, err) != 0) return -1;
    return arg_head(s, dot + 1, h, err);
}

static void print_ablation(Session *s) {
    FILE *f = s->out;
    const Ablation *a = &s->set.ablate;
    if (a->n == 0) {
        fputs(_("nothing is knocked out: the model is intact (`ablate L.H`, `ablate ffn L`)\n"), f);
        return;
    }
    fprintf(f, _("knocked out (%d):\n"), a->n);
    for (int i = 0; i < a->n; i++) {
        const Knockout *k = &a->ko[i];
        char name[48];
        knockout_name(k, name, sizeof name);
        fputs("  ", f);
        textw_print(f, name, 11, 0);
        if (k->kind == KO_FFN)
            fprintf(f, _("  layer %d's feed-forward block: its output is 0, the residual skips it\n"), k->layer);
        else if (k->kind == KO_HEAD_MEAN)
            fprintf(f, _("  head %d of layer %d: its context vector is its mean over the sentence\n"), k->head,
                    k->layer);
        else
            fprintf(f, _("  head %d of layer %d: its context vector is 0\n"), k->head, k->layer);
    }
}

/* The knock-outs changed: the sentence (if any) is run again with them,
 * and the old ones come back if that fails. */
static int apply(Session *s, const Ablation *next, const char *what, BtError *err) {
    Ablation old = s->set.ablate;
    s->set.ablate = *next;
    if (!pass_has_trace(&s->pass)) {
        fprintf(s->out, _("%s; it applies to the next sentence\n"), what);
        return CMD_OK;
    }
    if (session_run(s, err) != 0) {
        s->set.ablate = old;
        BtError again = {{0}};
        session_run(s, &again);
        return CMD_ERR;
    }
    fprintf(s->out, next->n ? _("%s; forward pass re-run (`predict` compares it with the intact model)\n")
                            : _("%s; forward pass re-run\n"),
            what);
    return CMD_OK;
}

int cmd_ablate(Session *s, const Call *c, BtError *err) {
    if (c->argc == 1) {
        print_ablation(s);
        return CMD_OK;
    }
    Ablation next = s->set.ablate;
    const char *w = c->argv[1];
    char what[256];
    if (strcmp(w, "off") == 0) {
        if (c->argc == 2) {
            if (next.n == 0) {
                fputs(_("nothing was knocked out\n"), s->out);
                return CMD_OK;
            }
            next.n = 0;
            return apply(s, &next, _("every knock-out undone: the model is intact again"), err);
        }
        /* `ablate off 1.2`, `ablate off ffn 1`: one of them */
        int l, h = -1;
        if (c->argc == 4 && strcmp(c->argv[2], "ffn") == 0) {
            if (arg_layer(s, c->argv[3], &l, err) != 0) return CMD_ERR;
        } else if (c->argc == 3) {
            if (arg_layer_head(s, c->argv[2], &l, &h, err) != 0) return CMD_ERR;
        } else {
            return CMD_USAGE;
        }
        if (ablation_remove(&next, l, h) != 0) {
            char name[48], all[512];
            Knockout k = {.layer = l, .head = h, .kind = h < 0 ? KO_FFN : KO_HEAD_ZERO};
            knockout_name(&k, name, sizeof name);
            ablation_describe(&s->set.ablate, all, sizeof all);
            if (all[0]) bt_fail(err, "%s is not knocked out (knocked out: %s)", name, all);
            else bt_fail(err, "%s is not knocked out (nothing is)", name);
            return CMD_ERR;
        }
        snprintf(what, sizeof what, h < 0 ? _("the FFN of layer %s is back") : _("head %s is back"),
                 c->argv[c->argc - 1]);
        return apply(s, &next, what, err);
    }
    Knockout k = {0};   /* only_seq 0: every sequence; left unset, stack garbage confined the knock-out to no sequence */
    if (strcmp(w, "ffn") == 0) {
        if (c->argc != 3) return CMD_USAGE;
        k = (Knockout){.head = -1, .kind = KO_FFN};
        if (arg_layer(s, c->argv[2], &k.layer, err) != 0) return CMD_ERR;
        snprintf(what, sizeof what, _("layer %d's FFN knocked out: its output is 0, so the residual carries ln1 past it"),
                 k.layer);
    } else {
        if (c->argc > 3) return CMD_USAGE;
        k.kind = KO_HEAD_ZERO;
        if (c->argc == 3) {
            if (strcmp(c->argv[2], "mean") == 0) k.kind = KO_HEAD_MEAN;
            else if (strcmp(c->argv[2], "zero") != 0) {
                bt_fail(err, "'%s': a head is knocked out to zero (the default) or to its `mean` over the sentence",
                        c->argv[2]);
                return CMD_ERR;
            }
        }
        if (arg_layer_head(s, w, &k.layer, &k.head, err) != 0) return CMD_ERR;
        if (k.kind == KO_HEAD_MEAN)
            snprintf(what, sizeof what,
                     _("head %d of layer %d knocked out: its context vector is its mean over the sentence"), k.head,
                     k.layer);
        else
            snprintf(what, sizeof what, _("head %d of layer %d knocked out: its context vector is 0"), k.head, k.layer);
    }
    if (ablation_add(&next, k, err) != 0) return CMD_ERR;
    return apply(s, &next, what, err);
}

/* ---- scan -------------------------------------------------------------------- */

void scan_forget(Session *s) {
    if (!s->scan) return;
    scan_free(s->scan);
    free(s->scan);
    s->scan = NULL;
    s->vs.scan = NULL;
    /* Gone with its model or sentence: the window stops following it. */
    if (s->vs.instrument == VIZ_SCAN) s->vs.instrument = VIZ_FOLLOW;
}

typedef struct {
    int pos;            /* -1: the first position `predict` reads */
    int word;           /* -1: the run's top guess */
    KnockoutKind kind;
} ScanArgs;

/* `scan [POS] [WORD] [mean]`: POS is a number, WORD is not; a last word
 * `mean` is the kind of knock-out (`scan mean mean` follows "mean"). */
static int scan_args(Session *s, const Call *c, ScanArgs *a, BtError *err) {
    *a = (ScanArgs){-1, -1, KO_HEAD_ZERO};
    int argc = c->argc;
    if (argc > 4) return CMD_USAGE;
    if (argc > 1 && strcmp(c->argv[argc - 1], "mean") == 0) {
        a->kind = KO_HEAD_MEAN;
        argc--;
    }
    long v;
    int i = 1;
    if (i < argc && parse_int(c->argv[i], &v) == 0) {
        if (arg_position(s, c->argv[i], &a->pos, err) != 0) return CMD_ERR;
        i++;
    }
    if (i < argc && !s->model.has_mlm) {
        bt_fail(err, "this model has no MLM head, so there is no word to follow: `scan` alone measures NSP");
        return CMD_ERR;
    }
    if (i < argc) {
        if (lens_word(s->model.tok, c->argv[i], &a->word, err) != 0) return CMD_ERR;
        i++;
    }
    return i == argc ? CMD_OK : CMD_USAGE;
}

/* One grid of Δ log-probabilities, layers down and heads across, in
 * blocks of heads when the terminal is narrow; shaded blue where the
 * knock-out costs, red where it helps. */
static void print_grid(Session *s, const ScanResult *r, const double *g) {
    FILE *f = s->out;
    Out o = out_for(s);
    int p = s->set.precision > 6 ? 6 : s->set.precision < 1 ? 1 : s->set.precision;
    double scale = 0;
    int cw = 4;
    for (int i = 0; i < r->L * r->nh; i++) {
        char b[32];
        int w = isfinite(g[i]) ? snprintf(b, sizeof b, "%+.*f", p, g[i]) : 3;
        if (w > cw) cw = w;
        if (isfinite(g[i]) && fabs(g[i]) > scale) scale = fabs(g[i]);
    }
    char probe[32];
    snprintf(probe, sizeof probe, _("layer %d"), r->L - 1);
    int lw = textw_width(probe);
    int per = (o.width - lw) / (cw + 1);
    if (per < 1) per = 1;
    for (int h0 = 0; h0 < r->nh; h0 += per) {
        int h1 = h0 + per < r->nh ? h0 + per : r->nh;
        if (h0 > 0 || h1 < r->nh) fprintf(f, _("heads %d–%d:\n"), h0, h1 - 1);
        fprintf(f, "%*s", lw, "");
        for (int h = h0; h < h1; h++) {
            char lab[16];
            snprintf(lab, sizeof lab, "h%d", h);
            fputc(' ', f);
            textw_print(f, lab, cw, 1);
        }
        fputc('\n', f);
        for (int l = 0; l < r->L; l++) {
            char lab[32];
            snprintf(lab, sizeof lab, _("layer %d"), l);
            textw_print(f, lab, lw, 0);
            for (int h = h0; h < h1; h++) {
                double x = g[(size_t)l * r->nh + h];
                char num[32], sgr[64] = "";
                if (isfinite(x)) snprintf(num, sizeof num, "%+.*f", p, fabs(x) < 0.5 * pow(10, -p) ? 0.0 : x);
                /* TRANSLATORS: a scan grid's cell (4 columns at most): the head was already knocked out */
                else snprintf(num, sizeof num, "%s", ablation_find(&r->base, l, h) >= 0 ? P_("scan cell", "out") : "nan");
                if (o.colour && isfinite(x) && scale > 0) colour_cell(sgr, sizeof sgr, o.colour, RAMP_DIV, (float)(x / scale));
                fputs(sgr, f);
                fputc(' ', f);
                textw_print(f, num, cw, 1);
                if (sgr[0]) fputs(COLOUR_RESET, f);
            }
            fputc('\n', f);
        }
    }
    if (o.colour) fputs(_("shading: blue where the knock-out costs, red where it helps\n"), f);
}

/* "most needed: head 1.2 (-1.034: p 23.5% → 8.3%)", or that none was. */
static void print_worst(Session *s, const ScanResult *r, int nsp, double base, const char *p) {
    int l, h;
    double worst = scan_worst(r, nsp, &l, &h);
    if (l < 0 || !(worst < 0)) {
        fputs(_("no head's knock-out lowers it\n"), s->out);
        return;
    }
    char a[32], b[32];
    bt_pct(a, sizeof a, exp(base));
    bt_pct(b, sizeof b, exp(base + worst));
    char d[32];
    fprintf(s->out, _("most needed: head %d.%d (%s: %s %s → %s)\n"), l, h, bt_number(d, sizeof d, "%+.3f", worst), p,
            a, b);
}

static void print_scan(Session *s, const ScanResult *r) {
    FILE *f = s->out;
    const Tokenizer *tok = s->model.tok;
    char base[512] = "";
    ablation_describe(&r->base, base, sizeof base);
    int n = r->L * r->nh;
    fprintf(f, ngettext("each of the %d head knocked out in turn (%s)", "each of the %d heads knocked out in turn (%s)", n),
            n, r->kind == KO_HEAD_MEAN ? _("context vector set to its mean over the sentence")
                                       : _("context vector set to 0"));
    if (base[0]) fprintf(f, _(", besides %s"), base);
    fputs(base[0] ? " (`ablate`)\n" : "\n", f);
    char pc[32], lw[32];
    if (r->d_word) {
        const char *w = tok_token(tok, r->word), *at = tok_token(tok, r->pos_id);
        bt_pct(pc, sizeof pc, exp(r->base_word));
        fputc('\n', f);
        fprintf(f,
                base[0] ? _("Δ log p('%s') at position %d (%s): the word's log-probability with the head out, minus "
                            "this run's %s (p = %s)\n")
                        : _("Δ log p('%s') at position %d (%s): the word's log-probability with the head out, minus "
                            "the intact run's %s (p = %s)\n"),
                safe_str(w ? w : "?"), r->pos, safe_str(at ? at : "?"), bt_decimal(lw, sizeof lw, 3, r->base_word), pc);
        print_grid(s, r, r->d_word);
        print_worst(s, r, 0, r->base_word, "p");
    }
    if (r->d_nsp) {
        bt_pct(pc, sizeof pc, exp(r->base_nsp));
        fputc('\n', f);
        char lp[32];
        fprintf(f, base[0] ? _("Δ log P(IsNext) of the NSP head, minus this run's %s (P = %s)\n")
                           : _("Δ log P(IsNext) of the NSP head, minus the intact run's %s (P = %s)\n"),
                bt_decimal(lp, sizeof lp, 3, r->base_nsp), pc);
        print_grid(s, r, r->d_nsp);
        print_worst(s, r, 1, r->base_nsp, "P");
    }
    if (!r->d_word && s->model.has_mlm)
        fputs(_("\nno [MASK] to follow, so NSP only (`scan 3` follows the word at position 3)\n"), f);
    fprintf(f,
            ngettext("(%d re-run; below 0: the model needed the head; the window shows the grid as view 'scan')\n",
                     "(%d re-runs; below 0: the model needed the head; the window shows the grid as view 'scan')\n", n),
            n);
}

int cmd_scan(Session *s, const Call *c, BtError *err) {
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    ScanArgs a;
    int rc = scan_args(s, c, &a, err);
    if (rc != CMD_OK) return rc;
    if (a.pos < 0 && s->model.has_mlm) {
        int T = session_T(s);
        int *pos = malloc((size_t)T * sizeof *pos);
        if (!pos) { bt_fail(err, "out of memory"); return CMD_ERR; }
        int n = stage_targets(s, pos);
        a.pos = n ? pos[0] : -1;
        free(pos);
        if (n == 0 && !s->model.has_nsp) {
            bt_fail(err, "no [MASK] to follow: give a position (`scan 3`, see `tokens`), type [MASK] in the "
                           "sentence, or `mask 3`");
            return CMD_ERR;
        }
    }
    ScanResult *r = calloc(1, sizeof *r);
    if (!r) { bt_fail(err, "out of memory"); return CMD_ERR; }
    if (scan_run(&s->model, &s->pass.tr, a.pos, a.word, a.kind, r, err) != 0) {
        free(r);
        return CMD_ERR;
    }
    r->text = strdup(s->pass.text);
    print_scan(s, r);
    scan_forget(s);
    s->scan = r;
    /* The window follows it (view_scan.c), as it follows rollout and census. */
    s->vs.instrument = VIZ_SCAN;
    s->vs.instrument_gen++;
    return CMD_OK;
}
