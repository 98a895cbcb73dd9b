/* `whatif`: a second run of the model beside the current one (run A) —
 * the sentence with one token replaced, with the trainer's 80/10/10
 * corruption, or another sentence (run B) — and what changed between
 * them (core/whatif.c); whatif_print.c writes the report. Run A stays
 * what every stage shows: the what-if is a comparison, not a new
 * sentence. */
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/masking.h"
#include "bertology/safetext.h"
#include "bertology/whatif.h"
#include "commands.h"

enum { WHATIF_K = 5 };   /* guesses compared per [MASK], as `predict` shows */

void whatif_forget(Session *s) {
    if (!s->whatif) return;
    whatif_free(s->whatif);
    free(s->whatif);
    s->whatif = NULL;
    s->vs.whatif = NULL;
    /* The window stops following what is gone. */
    if (s->vs.instrument == VIZ_WHATIF) s->vs.instrument = VIZ_FOLLOW;
}

static int replace(Session *s, const Call *c, Pass *b, char *how, size_t hn, BtError *err) {
    int pos, id;
    if (arg_position(s, c->argv[1], &pos, err) != 0 || whatif_word(s->model.tok, c->argv[2], &id, err) != 0) return -1;
    int T = session_T(s), *ids = malloc(sizeof(int) * (size_t)T);
    if (!ids) return bt_fail(err, "out of memory");
    memcpy(ids, s->pass.ids, sizeof(int) * (size_t)T);
    ids[pos] = id;
    int rc = whatif_pass_ids(b, &s->pass, ids, err);
    free(ids);
    snprintf(how, hn, _("position %d: '%s' → '%s'"), pos, safe_str(s->pass.tokens[pos]),
             safe_str(tok_token(s->model.tok, id)));
    return rc;
}

/* The trainer's corruption of the sentence as typed, drawn from the
 * session's seeded stream as `mask` draws. */
static int corrupt(Session *s, Pass *b, char *how, size_t hn, BtError *err) {
    const Tokenizer *t = s->model.tok;
    int T = session_T(s), rc = -1;
    int *ids = malloc(sizeof(int) * (size_t)T);
    unsigned char *kind = malloc((size_t)T);
    if (!ids || !kind) {
        bt_fail(err, "out of memory");
        goto done;
    }
    memcpy(ids, s->pass.in.ids, sizeof(int) * (size_t)T);
    if (whatif_corrupt(t, ids, T, &s->rng, kind, err) < 0 || whatif_pass_ids(b, &s->pass, ids, err) != 0) goto done;
    rc = 0;
    /* "3 cat → [MASK], 5 on → random 'dog', 7 . kept" */
    int n = snprintf(how, hn, "%s", _("corrupted as in training:"));
    for (int i = 0; i < T && n < (int)hn; i++) {
        const char *w = safe_str(tok_token(t, s->pass.in.ids[i]));
        if (kind[i] == MASK_MASKED) n += snprintf(how + n, hn - n, _(" %d %s → [MASK]"), i, w);
        else if (kind[i] == MASK_RANDOM)
            n += snprintf(how + n, hn - n, _(" %d %s → random '%s'"), i, w, safe_str(tok_token(t, ids[i])));
        else if (kind[i] == MASK_KEPT) n += snprintf(how + n, hn - n, _(" %d %s kept"), i, w);
    }
    /* Run A may carry `mask`'s changes while B is corrupted from the
     * sentence as typed: say so, or a position changed between A and B
     * goes unnamed and a "→ [MASK]" may name one that did not change. */
    for (int i = 0; i < T && n < (int)hn; i++)
        if (s->pass.ids[i] != s->pass.in.ids[i])
            n += snprintf(how + n, hn - n, _("; run A has %d %s (from `mask`), B starts from the sentence as typed"), i,
                          safe_str(tok_token(t, s->pass.ids[i])));
done:
    free(ids);
    free(kind);
    return rc;
}

static int other(Session *s, const char *text, Pass *b, char *how, size_t hn, BtError *err) {
    const char *p = text;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return bt_fail(err, "the other sentence is empty: write it in double quotes, e.g. whatif \"the dog sat "
                                   "on the mat\"");
    PassOptions o = session_pass_options(s);
    if (pass_encode(b, &s->model, text, &o, err) != 0) return -1;
    if (b->in.n_full > b->in.n && !s->set.truncate) {
        int n = b->in.n_full;
        pass_free(b);
        return bt_fail(err, "the other sentence is %d tokens and this model takes at most %d; `set truncate on` cuts it",
                       n, s->model.cfg.max_position);
    }
    if (pass_rerun(b, NULL, err) != 0) {
        pass_free(b);
        return -1;
    }
    snprintf(how, hn, "%s", _("another sentence"));
    return 0;
}

/* The text between the double quotes of rest, in place; NULL when rest
 * does not start with one. Sets *closed when a closing quote ends it. */
static char *quoted(const char *rest, int *closed) {
    while (*rest == ' ' || *rest == '\t') rest++;
    if (*rest != '"') return NULL;
    char *t = strdup(rest + 1);
    if (!t) return NULL;
    char *q = strrchr(t, '"');
    *closed = q && q[strspn(q + 1, " \t") + 1] == '\0';
    if (*closed) *q = '\0';
    return t;
}

int cmd_whatif(Session *s, const Call *c, BtError *err) {
    if (c->argc == 2 && strcmp(c->argv[1], "off") == 0 && !(c->rest && strchr(c->rest, '"'))) {
        fputs(s->whatif ? _("what-if off: the window follows the REPL again\n") : _("no what-if was in force\n"),
              s->out);
        whatif_forget(s);
        return CMD_OK;
    }
    if (c->argc == 1) {
        if (!s->whatif) {
            bt_fail(err, "no what-if yet: `whatif 3 dog`, `whatif corrupt` or `whatif \"another sentence\"`");
            return CMD_ERR;
        }
        whatif_print(s, s->whatif);
        return CMD_OK;
    }
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    int closed = 0;
    char *text = quoted(c->rest ? c->rest : "", &closed);
    if (text && !closed) {
        free(text);
        bt_fail(err, "the other sentence goes between two double quotes, and nothing after them: whatif \"the dog sat on "
                       "the mat\"");
        return CMD_ERR;
    }
    Pass b;
    memset(&b, 0, sizeof b);
    char how[1024] = "";
    int rc;
    int by_position = 1;
    if (text) {
        rc = other(s, text, &b, how, sizeof how, err);
        by_position = 0;
    } else if (c->argc == 2 && strcmp(c->argv[1], "corrupt") == 0) {
        rc = corrupt(s, &b, how, sizeof how, err);
    } else if (c->argc == 3) {
        long v;
        if (parse_int(c->argv[1], &v) != 0) {
            bt_fail(err, "'%s' is not a position: `whatif POS WORD` (positions are 0–%d, see `tokens`)", c->argv[1],
                    session_T(s) - 1);
            return CMD_ERR;
        }
        rc = replace(s, c, &b, how, sizeof how, err);
    } else {
        return CMD_USAGE;
    }
    free(text);
    if (rc != 0) return CMD_ERR;
    WhatIf *w = calloc(1, sizeof *w);
    if (!w) {
        pass_free(&b);
        bt_fail(err, "out of memory");
        return CMD_ERR;
    }
    int k = WHATIF_K < s->model.cfg.vocab_size ? WHATIF_K : s->model.cfg.vocab_size;
    if (whatif_run(&s->model, &s->pass.tr, &b.tr, by_position, k, w, err) != 0) {
        free(w);
        pass_free(&b);
        return CMD_ERR;
    }
    w->text_a = strdup(s->pass.text);
    /* a changed run's text is its tokens: the Pass keeps the text as typed */
    w->text_b = by_position ? whatif_ids_text(s->model.tok, w->ids_b, w->Tb) : strdup(b.text);
    w->how = strdup(how);
    pass_free(&b);
    whatif_forget(s);
    s->whatif = w;
    whatif_print(s, w);
    /* The window follows it (view_whatif.c), as it follows scan and rollout. */
    s->vs.instrument = VIZ_WHATIF;
    s->vs.instrument_gen++;
    return CMD_OK;
}
