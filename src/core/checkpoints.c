/* Listing the step-N snapshots beside a model (include/bertology/checkpoints.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bertology/checkpoints.h"
#include "bertology/trainlog.h"

static int is_file(const char *dir, const char *name) {
    char p[4200];
    struct stat sb;
    if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p) return 0;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int is_model_dir(const char *dir) {
    return is_file(dir, "config.json") && is_file(dir, "vocab.txt") && is_file(dir, "model.safetensors");
}

long checkpoint_step_of(const char *name) {
    if (strncmp(name, "step-", 5) != 0 || !isdigit((unsigned char)name[5])) return -1;
    char *end;
    errno = 0;
    long v = strtol(name + 5, &end, 10);
    return *end || errno ? -1 : v;
}

/* The root of the model in dir, and which of its checkpoints dir is. */
static void find_root(const char *dir, CheckpointList *k) {
    snprintf(k->root, sizeof k->root, "%s", dir);
    snprintf(k->current, sizeof k->current, "final");
    size_t len = strlen(k->root);
    while (len > 1 && k->root[len - 1] == '/') k->root[--len] = '\0';
    char *slash = strrchr(k->root, '/');
    const char *base = slash ? slash + 1 : k->root;
    if (checkpoint_step_of(base) < 0 || strlen(base) >= sizeof k->current) return;
    char parent[4096];
    if (!slash) snprintf(parent, sizeof parent, ".");
    else if (slash == k->root) snprintf(parent, sizeof parent, "/");
    else snprintf(parent, sizeof parent, "%.*s", (int)(slash - k->root), k->root);
    if (!is_model_dir(parent)) return;   /* a lone snapshot is a model of its own */
    snprintf(k->current, sizeof k->current, "%s", base);
    snprintf(k->root, sizeof k->root, "%s", parent);
}

static int by_step(const void *a, const void *b) {
    const Checkpoint *x = a, *y = b;
    return x->step != y->step ? (x->step > y->step) - (x->step < y->step) : strcmp(x->name, y->name);
}

void checkpoints_free(CheckpointList *k) {
    free(k->v);
    k->v = NULL;
    k->n = 0;
}

int checkpoints_scan(const char *dir, CheckpointList *k, BtError *err) {
    memset(k, 0, sizeof *k);
    k->final_step = -1;
    find_root(dir, k);
    DIR *d = opendir(k->root);
    if (!d) return bt_fail(err, "cannot read %s: %s", k->root, strerror(errno));
    int cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long step = checkpoint_step_of(e->d_name);
        if (step < 0 || strlen(e->d_name) >= sizeof k->v[0].name) continue;
        char path[4200];
        if (snprintf(path, sizeof path, "%s/%s", k->root, e->d_name) >= (int)sizeof path || !is_model_dir(path))
            continue;
        if (k->n == cap) {
            cap = cap ? 2 * cap : 8;
            Checkpoint *p = realloc(k->v, sizeof *p * (size_t)cap);
            if (!p) {
                closedir(d);
                checkpoints_free(k);
                return bt_fail(err, "out of memory");
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
