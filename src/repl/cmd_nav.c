/* Moving through the pipeline: a new sentence, next/back, stage, layer, head. */
#include <stdlib.h>
#include <string.h>
#include "bertology/edit_distance.h"
#include "bertology/i18n.h"
#include "commands.h"
#include "stageview.h"

int cmd_sentence(Session *s, const Call *c, BtError *err) {
    if (!c->rest || !*c->rest) return CMD_USAGE;
    if (session_set_sentence(s, c->rest, err) != 0) return CMD_ERR;
    s->pos.stage = STAGE_TOKENS;
    return stage_show(s, 0, err) == 0 ? CMD_OK : CMD_ERR;
}

static int count_arg(const Call *c, long *n, BtError *err) {
    *n = 1;
    if (c->argc > 2) return CMD_USAGE;
    if (c->argc == 2 && (parse_int(c->argv[1], n) != 0 || *n < 1)) {
        bt_fail(err, "'%s' is not a number of stages (1 or more)", c->argv[1]);
        return CMD_ERR;
    }
    return CMD_OK;
}

static int step(Session *s, const Call *c, int forward, BtError *err) {
    long n;
    int r = count_arg(c, &n, err);
    if (r != CMD_OK) return r;
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    int L = s->model.cfg.num_layers, moved = 0;
    for (long i = 0; i < n; i++) {
        if (!(forward ? stage_next(&s->pos, L) : stage_prev(&s->pos, L))) break;
        moved++;
    }
    if (moved == 0) {
        bt_fail(err, "%s", forward ? _("already at the last stage (mlm); `back` goes back, `stage tokens` to the start")
                                   : _("already at the first stage (tokens); `next` goes on"));
        return CMD_ERR;
    }
    return stage_show(s, c->full, err) == 0 ? CMD_OK : CMD_ERR;
}

int cmd_next(Session *s, const Call *c, BtError *err) { return step(s, c, 1, err); }
int cmd_back(Session *s, const Call *c, BtError *err) { return step(s, c, 0, err); }

int cmd_stage(Session *s, const Call *c, BtError *err) {
    if (c->argc != 2) return CMD_USAGE;
    int st = stage_by_name(c->argv[1]);
    if (st < 0) {
        char names[256] = "";
        int best = -1, bd = 99;
        for (int i = 0; i < STAGE_COUNT; i++) {
            const char *nm = stage_info((Stage)i)->name;
            strncat(names, " ", sizeof names - strlen(names) - 1);
            strncat(names, nm, sizeof names - strlen(names) - 1);
            int d = edit_distance(c->argv[1], nm);
            if (d < bd) { bd = d; best = i; }
        }
        if (bd <= (strlen(c->argv[1]) <= 3 ? 1 : 2))
            bt_fail(err, "no stage '%s'; did you mean '%s'? Stages:%s", c->argv[1], stage_info((Stage)best)->name, names);
        else
            bt_fail(err, "no stage '%s'. Stages:%s", c->argv[1], names);
        return CMD_ERR;
    }
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    s->pos.stage = (Stage)st;
    return stage_show(s, c->full, err) == 0 ? CMD_OK : CMD_ERR;
}

int cmd_layer(Session *s, const Call *c, BtError *err) {
    if (c->argc != 2) return CMD_USAGE;
    int l;
    if (arg_layer(s, c->argv[1], &l, err) != 0) return CMD_ERR;
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    s->pos.layer = l;
    if (!stage_info(s->pos.stage)->per_layer) s->pos.stage = STAGE_QKV;
    return stage_show(s, c->full, err) == 0 ? CMD_OK : CMD_ERR;
}

int cmd_head(Session *s, const Call *c, BtError *err) {
    if (c->argc != 2) return CMD_USAGE;
    int h;
    if (arg_head(s, c->argv[1], &h, err) != 0) return CMD_ERR;
    if (session_need_sentence(s, err) != 0) return CMD_ERR;
    s->pos.head = h;
    /* A head only shows in the attention stages; elsewhere go to its weights. */
    if (!stage_has_head(s->pos.stage)) {
        if (!stage_info(s->pos.stage)->per_layer) s->pos.layer = 0;
        s->pos.stage = STAGE_ATTN;
    }
    return stage_show(s, c->full, err) == 0 ? CMD_OK : CMD_ERR;
}

int cmd_show(Session *s, const Call *c, BtError *err) {
    if (c->argc != 1) return CMD_USAGE;
    return stage_show(s, c->full, err) == 0 ? CMD_OK : CMD_ERR;
}
