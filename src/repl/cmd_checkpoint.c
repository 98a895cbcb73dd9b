/* `checkpoint`: the snapshots a training run kept beside the model's
 * weights (step-N/ directories, each a model directory of its own), and
 * swapping the session's model for one of them, so that an early and a
 * late model can be compared on the same sentence (lesson 13). The model
 * the snapshots belong to is their root: the model itself when it was
 * loaded from its own directory, the parent when a step-N was. */
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/checkpoints.h"
#include "bertology/safetext.h"
#include "bertology/trainlog.h"
#include "commands.h"

/* The final model's step: the last line of the training log in root; -1
 * when there is none. */
static long final_step_of(const char *root) {
    TrainLog log;
    BtError lerr = {{0}};
    long step = -1;
    if (trainlog_load(&log, root, &lerr) == 0) {
        if (log.n_train > 0) step = log.train[log.n_train - 1].step;
        trainlog_free(&log);
    }
    return step;
}

/* "step 400 of 4160, 10% of the training run"; final is the run's last step. */
static void describe(long final, const Checkpoint *c, char *buf, size_t n) {
    if (!c) {
        if (final >= 0) snprintf(buf, n, _("step %ld, the end of the training run"), final);
        else snprintf(buf, n, "%s", _("the model itself; no train.log beside it gives its step"));
    } else if (final > 0) {
        snprintf(buf, n, _("step %ld of %ld, %.0f%% of the training run"), c->step, final,
                 100.0 * (double)c->step / (double)final);
    } else {
        snprintf(buf, n, _("step %ld"), c->step);
    }
}

static void list(Session *s, const CheckpointList *k, long final) {
    FILE *f = s->out;
    char d[160];
    fprintf(f, _("checkpoints of %s, in training order (* = loaded):\n"), safe_str(k->root));
    for (int i = 0; i < k->n; i++) {
        describe(final, &k->v[i], d, sizeof d);
        fprintf(f, "  %s %-10s %s\n", strcmp(k->current, k->v[i].name) == 0 ? "*" : " ", k->v[i].name, d);
    }
    describe(final, NULL, d, sizeof d);
    fprintf(f, "  %s %-10s %s\n", strcmp(k->current, "final") == 0 ? "*" : " ", "final", d);
    if (k->n == 0)
        fputs(_("no earlier checkpoints ship with this model (no step-N model directory beside its weights)\n"), f);
    else
        fprintf(f, _("`checkpoint early` loads %s, `checkpoint final` the model itself, `checkpoint step-N` any of them\n"),
                k->v[0].name);
}

/* The names there are, for an error message: "step-400 final". */
static void names(const CheckpointList *k, char *buf, size_t n) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < k->n && used + 1 < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s ", k->v[i].name);
    if (used < n) snprintf(buf + used, n - used, "final");
}

static int load(Session *s, const char *dir, ModelSwap *sw, BtError *err) {
    BertModel m;
    memset(&m, 0, sizeof m);
    if (model_load(&m, dir, err) != 0) return -1;
    if (session_swap_model(s, &m, sw, err) != 0) {
        model_free(&m);
        return -1;
    }
    session_sync_viz(s);
    return 0;
}

int checkpoint_load_dir(Session *s, const char *dir, BtError *err) {
    ModelSwap sw;
    return load(s, dir, &sw, err);
}

int cmd_checkpoint(Session *s, const Call *c, BtError *err) {
    if (c->argc > 2) return CMD_USAGE;
    if (!s->model.dir) {
        bt_fail(err, "checkpoint: this model was not loaded from a directory, so it has no checkpoints");
        return CMD_ERR;
    }
    CheckpointList k;
    BtError serr = {{0}};
    if (checkpoints_scan(s->model.dir, &k, &serr) != 0) {
        bt_fail(err, "checkpoint: %s", serr.msg);
        return CMD_ERR;
    }
    if (c->argc == 1) {
        list(s, &k, final_step_of(k.root));
        checkpoints_free(&k);
        return CMD_OK;
    }
    const char *want = c->argv[1];
    const Checkpoint *pick = NULL;
    int rc = CMD_ERR;
    if (strcmp(want, "final") == 0) {
        pick = NULL;
    } else if (k.n == 0) {
        bt_fail(err,
                "checkpoint: no checkpoints ship with this model: %s has no step-N directory holding config.json, "
                  "vocab.txt and model.safetensors (`bertology train --snapshots` keeps some for a model you train)",
                k.root);
        goto done;
    } else if (strcmp(want, "early") == 0) {
        pick = &k.v[0];
    } else {
        for (int i = 0; i < k.n && !pick; i++)
            if (strcmp(k.v[i].name, want) == 0) pick = &k.v[i];
        if (!pick) {
            char have[512];
            names(&k, have, sizeof have);
            bt_fail(err, "checkpoint: no checkpoint '%s'; this model has %s (`early` is %s; `checkpoint` lists them)",
                    want, have, k.v[0].name);
            goto done;
        }
    }
    const char *name = pick ? pick->name : "final";
    char desc[160];
    describe(final_step_of(k.root), pick, desc, sizeof desc);
    if (strcmp(k.current, name) == 0) {
        fprintf(s->out, _("%s is loaded already: %s\n"), name, desc);
        rc = CMD_OK;
        goto done;
    }
    char dir[4200];
    if (pick) snprintf(dir, sizeof dir, "%s/%s", k.root, pick->name);
    else snprintf(dir, sizeof dir, "%s", k.root);
    int V0 = s->model.cfg.vocab_size;
    ModelSwap sw;
    BtError lerr = {{0}};
    if (load(s, dir, &sw, &lerr) != 0) {
        bt_fail(err, "checkpoint: %s; still on %s", lerr.msg, k.current);
        goto done;
    }
    fprintf(s->out, _("loaded checkpoint %s: %s, from %s\n"), name, desc, safe_str(dir));
    if (sw.vocab_changed) {
        int V = s->model.cfg.vocab_size;
        if (V != V0)
            fprintf(s->out, _("note: %s reads another vocabulary than %s (V = %d, against %d)"), name, k.current, V, V0);
        else
            fprintf(s->out, _("note: %s reads another vocabulary than %s (of the same size, V = %d)"), name, k.current, V);
        /* TRANSLATORS: the two clauses that may follow the note above, on the same line */
        if (s->pass.text) fputs(_(", so the sentence was tokenized again"), s->out);
        if (sw.mask_dropped)
            fprintf(s->out, _(" into other word pieces (%d tokens; before: %d): the masking was dropped (`mask` again)"),
                    sw.new_T, sw.old_T);
        fputc('\n', s->out);
    } else if (sw.mask_dropped) {
        fprintf(s->out, _("note: the sentence is %d tokens for this model (before: %d): the masking was dropped\n"),
                sw.new_T, sw.old_T);
    }
    if (sw.ablate_dropped)
        fprintf(s->out, "note: %d knock-out%s of heads or layers this model lacks dropped (`ablate` lists the rest)\n",
                sw.ablate_dropped, sw.ablate_dropped == 1 ? "" : "s");
    if (pass_has_trace(&s->pass)) {
        int masked = 0, mask_id = tok_mask_id(s->model.tok);
        for (int t = 0; t < session_T(s); t++) masked |= s->pass.ids[t] == mask_id;
        fprintf(s->out, _("forward pass re-run on the same sentence (`show` to see the current stage%s)\n"),
                masked ? _(", `predict` the new guesses") : "");
    }
    rc = CMD_OK;
done:
    checkpoints_free(&k);
    return rc;
}
