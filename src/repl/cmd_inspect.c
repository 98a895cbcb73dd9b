/* Inspection commands: each jumps to the stage it names and shows it. */
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "commands.h"
#include "render.h"
#include "stageview.h"

/* Validates the optional L and H before anything moves, so that a bad
 * number leaves the position as it was. */
static int goto_stage(Session *s, const Call *c, Stage st, int max_args, int default_last, BtError *err) {
    if (c->argc - 1 > max_args) return CMD_USAGE;
    int l = s->pos.layer, h = s->pos.head;
    if (c->argc >= 2 && arg_layer(s, c->argv[1], &l, err) != 0) return CMD_ERR;
    if (c->argc >= 3 && arg_head(s, c->argv[2], &h, err) != 0) return CMD_ERR;
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    if (c->argc < 2 && default_last) l = s->model.cfg.num_layers - 1;
    s->pos.stage = st;
    s->pos.layer = l;
    s->pos.head = h;
    return stage_show(s, c->full, err) == 0 ? CMD_OK : CMD_ERR;
}

int cmd_tokens(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_TOKENS, 0, 0, err); }
int cmd_pos(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_POS, 0, 0, err); }
int cmd_qkv(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_QKV, 2, 0, err); }
int cmd_scores(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_SCORES, 2, 0, err); }
int cmd_attn(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_ATTN, 2, 0, err); }
int cmd_ffn(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_FFN, 1, 0, err); }
int cmd_out(Session *s, const Call *c, BtError *err) { return goto_stage(s, c, STAGE_LN2, 1, 1, err); }

int cmd_ln(Session *s, const Call *c, BtError *err) {
    if (c->argc > 2) return CMD_USAGE;
    int l = s->pos.layer;
    if (c->argc == 2 && arg_layer(s, c->argv[1], &l, err) != 0) return CMD_ERR;
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    s->pos.stage = STAGE_LN1;
    s->pos.layer = l;
    stage_show_ln(s, l);
    return CMD_OK;
}

/* `embed TOKEN`: a vocabulary entry, or the word pieces of a word. */
static int embed_token(Session *s, const char *word, int full, BtError *err) {
    const Tokenizer *tok = s->model.tok;
    if (!tok) return bt_fail(err, "this model has no vocabulary");
    int H = s->model.cfg.hidden_size;
    int ids[64], n;
    int id = tok_id(tok, word);
    if (id >= 0) {
        ids[0] = id;
        n = 1;
    } else {
        n = tok_wordpieces(tok, word, ids, NULL, 64, err);
        if (n < 0) return -1;
        if (n == 0) return bt_fail(err, "'%s' has no word pieces", word);
        if (n > 64) return bt_fail(err, "'%s' is %d word pieces; give one word", word, n);
        fprintf(s->out, _("'%s' is not in the vocabulary as a whole; its word pieces:\n"), safe_str(word));
    }
    Out o = out_for(s);
    for (int i = 0; i < n; i++) {
        const char *t = tok_token(tok, ids[i]);
        char label[128];
        snprintf(label, sizeof label, "%s (id %d)", t ? t : "?", ids[i]);
        render_vector(&o, label, s->model.word_emb + (long)ids[i] * H, H, full);
    }
    fprintf(s->out, _("a static vector: row of E_word (V=%d, H=%d), the same in every sentence\n"),
            s->model.cfg.vocab_size, H);
    return 0;
}

int cmd_embed(Session *s, const Call *c, BtError *err) {
    if (c->argc > 2) return CMD_USAGE;
    if (c->argc == 2) return embed_token(s, c->argv[1], c->full, err) == 0 ? CMD_OK : CMD_ERR;
    return goto_stage(s, c, STAGE_EMBED, 0, 0, err);
}

int cmd_model(Session *s, const Call *c, BtError *err) {
    (void)err;
    if (c->argc != 1) return CMD_USAGE;
    const BertConfig *g = &s->model.cfg;
    FILE *f = s->out;
    /* TRANSLATORS: `model`: the values start in column 14 of every line;
     * pad the labels with spaces so that they still line up */
    fprintf(f, _("model:       %s\n"), safe_str(s->model.dir));
    fprintf(f, _("layers:      %d (numbered 0–%d)\n"), g->num_layers, g->num_layers - 1);
    fprintf(f, _("heads:       %d per layer (0–%d), d = %d each\n"), g->num_heads, g->num_heads - 1,
            g->hidden_size / g->num_heads);
    fprintf(f, _("hidden:      H = %d, feed-forward I = %d\n"), g->hidden_size, g->intermediate_size);
    fprintf(f, _("vocabulary:  V = %d word pieces\n"), g->vocab_size);
    fprintf(f, _("positions:   up to %d, %s\n"), g->max_position,
            g->pos_type == POS_SINUSOIDAL ? _("fixed sinusoid") : _("learned"));
    fprintf(f, _("segments:    %d\n"), g->type_vocab_size);
    fprintf(f, _("parameters:  %zu\n"), s->model.n_params);
    fprintf(f, _("heads:       MLM %s, NSP %s\n"), s->model.has_mlm ? _("yes") : _("no"),
            s->model.has_nsp ? _("yes") : _("no"));
    return CMD_OK;
}
