/* Masked language modelling: hide tokens, then ask the MLM head. */
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "commands.h"
#include "stageview.h"

static int is_special(const Session *s, int id) {
    const Tokenizer *t = s->model.tok;
    return id == tok_cls_id(t) || id == tok_sep_id(t) || id == tok_pad_id(t) || id == tok_mask_id(t);
}

static void print_masking(Session *s) {
    int T = session_T(s);
    /* TRANSLATORS: "3 cat → random dog": position, word, what became of it */
    static const char *const KIND[] = {"", N_("→ [MASK]"), N_("→ random"), N_("→ kept")};
    fputs(_("masked:"), s->out);
    for (int t = 0; t < T; t++) {
        if (!s->mask[t]) continue;
        const char *orig = tok_token(s->model.tok, s->pass.in.ids[t]);
        if (s->mask[t] == MASK_RANDOM)
            fprintf(s->out, "  %d %s %s %s", t, safe_str(orig), _(KIND[s->mask[t]]), safe_str(s->pass.tokens[t]));
        else
            fprintf(s->out, "  %d %s %s", t, safe_str(orig), _(KIND[s->mask[t]]));
    }
    fputs(_("\n`predict` shows the model's guesses; `mask off` restores the sentence\n"), s->out);
}

int cmd_mask(Session *s, const Call *c, BtError *err) {
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    int T = session_T(s);
    int mask_id = tok_mask_id(s->model.tok);
    if (mask_id < 0) { bt_fail(err, "the vocabulary has no [MASK] token"); return CMD_ERR; }
    unsigned char *kind = calloc((size_t)T, 1);
    int *ids = malloc((size_t)T * sizeof *ids);
    int *labels = malloc((size_t)T * sizeof *labels);
    unsigned char *special = malloc((size_t)T);
    if (!kind || !ids || !labels || !special) {
        free(kind); free(ids); free(labels); free(special);
        bt_fail(err, "out of memory");
        return CMD_ERR;
    }
    memcpy(ids, s->pass.in.ids, (size_t)T * sizeof *ids);
    int rc = CMD_OK;

    if (c->argc == 2 && (strcmp(c->argv[1], "off") == 0 || strcmp(c->argv[1], "none") == 0)) {
        /* ids/kind already hold the sentence as typed */
    } else if (c->argc == 1) {
        /* The trainer's masking (core/masking.c) with an exact count, so
         * that one sentence always shows some masking. */
        MaskSpec spec;
        if (mask_spec_init(&spec, s->model.tok, 0.15f, err)) { rc = CMD_ERR; goto done; }
        spec.exact = 1;
        for (int t = 0; t < T; t++) special[t] = (unsigned char)is_special(s, s->pass.in.ids[t]);
        if (mask_apply(ids, T, special, &spec, &s->rng, labels, kind) == 0) {
            bt_fail(err, "nothing to mask: the sentence has no word pieces");
            rc = CMD_ERR;
            goto done;
        }
    } else {
        for (int i = 1; i < c->argc; i++) {
            long p;
            if (parse_int(c->argv[i], &p) != 0) { rc = CMD_USAGE; goto done; }
            if (p < 0 || p >= T) {
                bt_fail(err, ngettext("position %ld is out of range: the sentence has %d token, 0–%d (see `tokens`)",
                                      "position %ld is out of range: the sentence has %d tokens, 0–%d (see `tokens`)", T),
                        p, T, T - 1);
                rc = CMD_ERR;
                goto done;
            }
            if (is_special(s, s->pass.in.ids[p])) {
                bt_fail(err, "position %ld is %s: only word pieces can be masked", p, tok_token(s->model.tok, s->pass.in.ids[p]));
                rc = CMD_ERR;
                goto done;
            }
            kind[p] = MASK_MASKED;
            ids[p] = mask_id;
        }
    }
    /* Commit, re-run, and put the old masking back if the pass fails. */
    int *old_ids = s->pass.ids;
    unsigned char *old_kind = s->mask;
    s->pass.ids = ids;
    s->mask = kind;
    if (session_run(s, err) != 0) {
        s->pass.ids = old_ids;
        s->mask = old_kind;
        session_run(s, err);
        ids = NULL, kind = NULL;
        rc = CMD_ERR;
        goto done;
    }
    free(old_ids);
    free(old_kind);
    ids = NULL;
    kind = NULL;
    int any = 0;
    for (int t = 0; t < T; t++) any |= s->mask[t];
    if (any) print_masking(s);
    else fputs(_("no masking: the sentence is back as typed\n"), s->out);
done:
    free(kind);
    free(ids);
    free(labels);
    free(special);
    return rc;
}

int cmd_predict(Session *s, const Call *c, BtError *err) {
    if (c->argc > 2) return CMD_USAGE;
    int k = 5;
    if (c->argc == 2 && arg_top_k(c->argv[1], &k, err) != 0) return CMD_ERR;
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    if (!s->model.has_mlm) { bt_fail(err, "this model has no MLM head (a bare encoder checkpoint)"); return CMD_ERR; }
    if (k > s->model.cfg.vocab_size) k = s->model.cfg.vocab_size;
    int shown = stage_show_predictions(s, (int)k, err);
    if (shown < 0) return CMD_ERR;
    if (shown == 0) {
        bt_fail(err, "nothing to predict: no masked position. `mask` hides 15%% of the tokens, `mask 3` hides "
                       "position 3, or type [MASK] in the sentence");
        return CMD_ERR;
    }
    return CMD_OK;
}
