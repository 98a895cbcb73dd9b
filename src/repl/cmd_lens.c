/* `lens [POS] [WORD] [K]`: the logit lens (core/lens.c) at the masked
 * positions, or at one position, as a depth × top-K table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/lens.h"
#include "commands.h"
#include "stageview.h"
#include "term.h"
#include "textw.h"

typedef struct {
    int pos;            /* -1: every masked position (as `predict`) */
    int word;           /* followed token id, -1: none */
    int k;
} LensArgs;

/* POS and K are numbers, WORD is not: `lens 4`, `lens cat`, `lens 4 cat 10`,
 * `lens 4 10` (K after a POS needs no WORD). */
static int lens_args(Session *s, const Call *c, LensArgs *a, BtError *err) {
    *a = (LensArgs){-1, -1, 5};
    long v;
    int i = 1;
    if (c->argc > 4) return CMD_USAGE;
    if (i < c->argc && parse_int(c->argv[i], &v) == 0) {
        if (arg_position(s, c->argv[i], &a->pos, err) != 0) return CMD_ERR;
        i++;
    }
    if (i < c->argc && parse_int(c->argv[i], &v) != 0) {
        if (lens_word(s->model.tok, c->argv[i], &a->word, err) != 0) return CMD_ERR;
        i++;
    }
    if (i < c->argc) {
        if (arg_top_k(c->argv[i], &a->k, err) != 0) return CMD_ERR;
        i++;
    }
    return i == c->argc ? CMD_OK : CMD_USAGE;
}

/* The widest guess, in display columns (4 to 16). */
static int widest_token(const Session *s, const LensResult *r) {
    int tw = 4;
    for (int i = 0; i < r->depths * r->k; i++) {
        const char *g = tok_token(s->model.tok, r->top[i].id);
        int w = textw_width(g ? g : "?");
        if (w > tw) tw = w;
    }
    return tw > 16 ? 16 : tw;
}

/* Columns left for each guess's token when K cells (the token, a blank
 * and pw + 1 for the percentage) and word_col more share the width. */
static int token_room(const Session *s, const LensResult *r, int pw, int word_col) {
    return (term_width(&s->set) - 10 - word_col) / r->k - pw - 3;
}

/* The followed word's rank and probability at depth d: one cell, beside
 * the table or below it. */
static void print_follow_cell(FILE *f, const LensResult *r, int d, int pw, int pd) {
    double v = 100 * r->prob[d];
    if (v > 0 && v < 0.5 * pow(10, -pd)) {
        /* the table's digits would print 0.00%, which reads as "never":
         * two significant digits instead, as everywhere else (bt_pct_format) */
        char cell[32];
        snprintf(cell, sizeof cell, bt_pct_format(r->prob[d]), v);
        fprintf(f, "#%-6d %*s", r->rank[d], pw + 1, cell);
    } else
        fprintf(f, "#%-6d %*.*f%%", r->rank[d], pw, pd, v);
}

/* The followed word at every depth, below the table when beside it the
 * guesses would have been cut short ("chil…"). */
static void print_followed(Session *s, const LensResult *r, int pw, int pd) {
    FILE *f = s->out;
    const char *w = tok_token(s->model.tok, r->word);
    fputs("  ", f);
    textw_print(f, P_("column", "depth"), 8, 0);
    fprintf(f, " %s\n", w ? w : "?");
    for (int d = 0; d < r->depths; d++) {
        char name[32];
        lens_depth_name(d, name, sizeof name);
        fputs("  ", f);
        textw_print(f, name, 8, 0);
        fputc(' ', f);
        print_follow_cell(f, r, d, pw, pd);
        fputc('\n', f);
    }
}

static void print_lens(Session *s, const LensResult *r) {
    FILE *f = s->out;
    const Tokenizer *tok = s->model.tok;
    int pd = s->set.precision > 1 ? s->set.precision - 1 : 1;   /* digits of a percentage, as `predict` */
    int pw = 4 + pd;                                             /* "100.00" */
    int follow = r->word >= 0 && !r->answer;   /* the model's answer is followed for the window only */
    /* Tokens are cut with "…" rather than wrapping the table, but not
     * below 6 columns (a line too long for the terminal is the lesser
     * harm); the followed word's column goes below the table when
     * beside it the tokens would be cut. */
    int need = widest_token(s, r), short_need = need < 8 ? need : 8;
    int beside = follow && token_room(s, r, pw, pw + 11) >= short_need;
    int room = token_room(s, r, pw, beside ? pw + 11 : 0);
    int tw = need <= room ? need : room > 6 ? room : need < 6 ? need : 6;
    const char *at = s->pass.tokens[r->pos];
    fprintf(f, _("position %d (%s): the MLM head read after the embeddings and after each layer, top %d\n"), r->pos,
            at ? at : "?", r->k);
    /* TRANSLATORS: the head of the lens table's first column (8 characters at most) */
    fputs("  ", f);   /* display columns, not bytes: the labels may be Cyrillic */
    textw_print(f, P_("column", "depth"), 8, 0);
    for (int j = 0; j < r->k; j++) {
        fprintf(f, " %d", j + 1);
        if (j + 1 < r->k || beside) fprintf(f, "%*s", tw + pw + 2 - (j + 1 >= 10 ? 2 : 1), "");
    }
    if (beside) {
        const char *w = tok_token(tok, r->word);
        fprintf(f, "  %s", w ? w : "?");
    }
    fputc('\n', f);
    for (int d = 0; d < r->depths; d++) {
        char name[32];
        lens_depth_name(d, name, sizeof name);
        fputs("  ", f);
        textw_print(f, name, 8, 0);
        for (int j = 0; j < r->k; j++) {
            const Guess *g = &r->top[(size_t)d * r->k + j];
            const char *t = tok_token(tok, g->id);
            fputc(' ', f);
            textw_print(f, t ? t : "?", tw, 0);
            fprintf(f, " %*.*f%%", pw, pd, 100 * g->p);
        }
        if (beside) {
            fputs("  ", f);
            print_follow_cell(f, r, d, pw, pd);
        }
        fputc('\n', f);
    }
    if (follow && !beside) print_followed(s, r, pw, pd);
}

int cmd_lens(Session *s, const Call *c, BtError *err) {
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    if (lens_check_model(&s->model, err) != 0) return CMD_ERR;
    LensArgs a;
    int rc = lens_args(s, c, &a, err);
    if (rc != CMD_OK) return rc;
    if (a.k > s->model.cfg.vocab_size) a.k = s->model.cfg.vocab_size;
    int T = session_T(s);
    int *pos = malloc((size_t)T * sizeof *pos);
    if (!pos) { bt_fail(err, "out of memory"); return CMD_ERR; }
    int n = 1;
    if (a.pos >= 0) pos[0] = a.pos;
    else if ((n = stage_targets(s, pos)) == 0) {
        free(pos);
        bt_fail(err, "no [MASK] to read: give a position (`lens 3`, see `tokens`), type [MASK] in the sentence, "
                       "or `mask 3`");
        return CMD_ERR;
    }
    LensResult *kept = NULL;
    for (int i = 0; i < n && rc == CMD_OK; i++) {
        LensResult *r = calloc(1, sizeof *r);
        if (!r) { bt_fail(err, "out of memory"); rc = CMD_ERR; break; }
        /* Without a word, the model's answer is followed: the window draws its rank. */
        if (lens_run(&s->model, &s->pass.tr, pos[i], a.k, a.word >= 0 ? a.word : LENS_ANSWER, r, err) != 0) {
            free(r);
            rc = CMD_ERR;
            break;
        }
        if (i) fputc('\n', s->out);
        print_lens(s, r);
        if (i == 0) kept = r;
        else {
            lens_free(r);
            free(r);
        }
    }
    if (rc == CMD_OK) {
        fputs(_("The last row is the model's prediction (`predict`); earlier rows read each depth through the same head, "
                "which was trained on the last layer only (`help lens`).\n"), s->out);
        if (s->viz) fputs(_("The window's lens view (key L) draws the table, with the word's rank at each depth.\n"), s->out);
        /* The window follows the first position's lens (view_lens.c), as it follows a scan. */
        lens_forget(s);
        kept->text = strdup(s->pass.text);
        s->lens = kept;
        s->vs.instrument = VIZ_LENS;
        s->vs.instrument_gen++;
    } else if (kept) {
        lens_free(kept);
        free(kept);
    }
    free(pos);
    return rc;
}

void lens_forget(Session *s) {
    if (!s->lens) return;
    lens_free(s->lens);
    free(s->lens);
    s->lens = NULL;
    s->vs.lens = NULL;
    /* Gone with its model: the window stops following it. */
    if (s->vs.instrument == VIZ_LENS) s->vs.instrument = VIZ_FOLLOW;
}
