/* `checkpoint`: the snapshots a training run kept beside the model's
 * weights (step-N/ directories, each a model directory of its own), and
 * swapping the session's model for one of them, so that an early and a
 * late model can be compared on the same sentence (lesson 13). The model
 * the snapshots belong to is their root: the model itself when it was
 * loaded from its own directory, the parent when a step-N was. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bertology/trainlog.h"
#include "commands.h"

typedef struct {
    long step;
    char name[64];          /* "step-400", as the directory is spelled */
} Ckpt;

typedef struct {
    char root[4096];        /* the model directory the snapshots live in */
    char current[64];       /* the one loaded: "final" or a step-N name */
    Ckpt *v;                /* the step-N model directories, by step */
    int n;
    long final_step;        /* root/train.log's last step; -1 when unknown */
} Ckpts;

static int is_file(const char *dir, const char *name) {
    char p[4200];
    struct stat sb;
    if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p) return 0;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int is_model_dir(const char *dir) {
    return is_file(dir, "config.json") && is_file(dir, "vocab.txt") && is_file(dir, "model.safetensors");
}

/* "step-400" -> 400; any other name -> -1. */
static long step_of(const char *name) {
    if (strncmp(name, "step-", 5) != 0 || !isdigit((unsigned char)name[5])) return -1;
    char *end;
    errno = 0;
    long v = strtol(name + 5, &end, 10);
    return *end || errno ? -1 : v;
}

/* The root of the model in dir, and which of its checkpoints dir is. */
static void find_root(const char *dir, Ckpts *k) {
    snprintf(k->root, sizeof k->root, "%s", dir);
    snprintf(k->current, sizeof k->current, "final");
    size_t len = strlen(k->root);
    while (len > 1 && k->root[len - 1] == '/') k->root[--len] = '\0';
    char *slash = strrchr(k->root, '/');
    const char *base = slash ? slash + 1 : k->root;
    if (step_of(base) < 0 || strlen(base) >= sizeof k->current) return;
    char parent[4096];
    if (!slash) snprintf(parent, sizeof parent, ".");
    else if (slash == k->root) snprintf(parent, sizeof parent, "/");
    else snprintf(parent, sizeof parent, "%.*s", (int)(slash - k->root), k->root);
    if (!is_model_dir(parent)) return;   /* a lone snapshot is a model of its own */
    snprintf(k->current, sizeof k->current, "%s", base);
    snprintf(k->root, sizeof k->root, "%s", parent);
}

static int by_step(const void *a, const void *b) {
    const Ckpt *x = a, *y = b;
    return x->step != y->step ? (x->step > y->step) - (x->step < y->step) : strcmp(x->name, y->name);
}

static void ckpts_free(Ckpts *k) {
    free(k->v);
    k->v = NULL;
    k->n = 0;
}

static int ckpts_scan(const char *dir, Ckpts *k, BtError *err) {
    memset(k, 0, sizeof *k);
    k->final_step = -1;
    find_root(dir, k);
    DIR *d = opendir(k->root);
    if (!d) return bt_fail(err, "checkpoint: cannot read %s: %s", k->root, strerror(errno));
    int cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long step = step_of(e->d_name);
        if (step < 0 || strlen(e->d_name) >= sizeof k->v[0].name) continue;
        char path[4200];
        if (snprintf(path, sizeof path, "%s/%s", k->root, e->d_name) >= (int)sizeof path || !is_model_dir(path))
            continue;
        if (k->n == cap) {
            cap = cap ? 2 * cap : 8;
            Ckpt *p = realloc(k->v, sizeof *p * (size_t)cap);
            if (!p) {
                closedir(d);
                ckpts_free(k);
                return bt_fail(err, "checkpoint: out of memory");
            }
            k->v = p;
        }
        k->v[k->n].step = step;
        snprintf(k->v[k->n].name, sizeof k->v[k->n].name, "%s", e->d_name);
        k->n++;
    }
    closedir(d);
    if (k->n > 1) qsort(k->v, (size_t)k->n, sizeof *k->v, by_step);
    /* The final model's step: the last line of its training log. */
    TrainLog log;
    BtError lerr = {{0}};
    if (trainlog_load(&log, k->root, &lerr) == 0) {
        if (log.n_train > 0) k->final_step = log.train[log.n_train - 1].step;
        trainlog_free(&log);
    }
    return 0;
}

/* "step 400 of 4160, 10% of the training run" */
static void describe(const Ckpts *k, const Ckpt *c, char *buf, size_t n) {
    if (!c) {
        if (k->final_step >= 0) snprintf(buf, n, "step %ld, the end of the training run", k->final_step);
        else snprintf(buf, n, "the model itself; no train.log beside it gives its step");
    } else if (k->final_step > 0) {
        snprintf(buf, n, "step %ld of %ld, %.0f%% of the training run", c->step, k->final_step,
                 100.0 * (double)c->step / (double)k->final_step);
    } else {
        snprintf(buf, n, "step %ld", c->step);
    }
}

static void list(Session *s, const Ckpts *k) {
    FILE *f = s->out;
    char d[160];
    fprintf(f, "checkpoints of %s, in training order (* = loaded):\n", k->root);
    for (int i = 0; i < k->n; i++) {
        describe(k, &k->v[i], d, sizeof d);
        fprintf(f, "  %s %-10s %s\n", strcmp(k->current, k->v[i].name) == 0 ? "*" : " ", k->v[i].name, d);
    }
    describe(k, NULL, d, sizeof d);
    fprintf(f, "  %s %-10s %s\n", strcmp(k->current, "final") == 0 ? "*" : " ", "final", d);
    if (k->n == 0)
        fputs("no earlier checkpoints ship with this model (no step-N model directory beside its weights)\n", f);
    else
        fprintf(f, "`checkpoint early` loads %s, `checkpoint final` the model itself, `checkpoint step-N` any of them\n",
                k->v[0].name);
}

/* The names there are, for an error message: "step-400 final". */
static void names(const Ckpts *k, char *buf, size_t n) {
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
    Ckpts k;
    if (ckpts_scan(s->model.dir, &k, err) != 0) return CMD_ERR;
    if (c->argc == 1) {
        list(s, &k);
        ckpts_free(&k);
        return CMD_OK;
    }
    const char *want = c->argv[1];
    const Ckpt *pick = NULL;
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
    describe(&k, pick, desc, sizeof desc);
    if (strcmp(k.current, name) == 0) {
        fprintf(s->out, "%s is loaded already: %s\n", name, desc);
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
    fprintf(s->out, "loaded checkpoint %s: %s, from %s\n", name, desc, dir);
    if (sw.vocab_changed) {
        int V = s->model.cfg.vocab_size;
        if (V != V0)
            fprintf(s->out, "note: %s reads another vocabulary than %s (V = %d, against %d)", name, k.current, V, V0);
        else
            fprintf(s->out, "note: %s reads another vocabulary than %s (of the same size, V = %d)", name, k.current, V);
        if (s->text) fputs(", so the sentence was tokenized again", s->out);
        if (sw.mask_dropped)
            fprintf(s->out, " into other word pieces (%d tokens; before: %d): the masking was dropped (`mask` again)",
                    sw.new_T, sw.old_T);
        fputc('\n', s->out);
    } else if (sw.mask_dropped) {
        fprintf(s->out, "note: the sentence is %d tokens for this model (before: %d): the masking was dropped\n",
                sw.new_T, sw.old_T);
    }
    if (s->have_trace) {
        int masked = 0, mask_id = tok_mask_id(s->model.tok);
        for (int t = 0; t < session_T(s); t++) masked |= s->ids[t] == mask_id;
        fprintf(s->out, "forward pass re-run on the same sentence (`show` to see the current stage%s)\n",
                masked ? ", `predict` the new guesses" : "");
    }
    rc = CMD_OK;
done:
    ckpts_free(&k);
    return rc;
}
