/* Listing the step-N snapshots beside a model (include/bertology/checkpoints.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bertology/checkpoints.h"

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

long checkpoint_in_run(const char *dir, char *run, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') path[--len] = '\0';
    char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    long step = strcmp(base, "latest") == 0 ? CHECKPOINT_LATEST : checkpoint_step_of(base);
    if (step == -1) return -1;
    if (!slash) snprintf(run, n, ".");
    else if (slash == path) snprintf(run, n, "/");
    else snprintf(run, n, "%.*s", (int)(slash - path), path);
    return step;
}

/* The root of the model in dir, and which of its checkpoints dir is. */
static void find_root(const char *dir, CheckpointList *k) {
    snprintf(k->root, sizeof k->root, "%s", dir);
    snprintf(k->current, sizeof k->current, "final");
    size_t len = strlen(k->root);
    while (len > 1 && k->root[len - 1] == '/') k->root[--len] = '\0';
    char parent[4096];
    const char *slash = strrchr(k->root, '/'), *base = slash ? slash + 1 : k->root;
    if (checkpoint_in_run(k->root, parent, sizeof parent) < 0 || strlen(base) >= sizeof k->current) return;
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

int checkpoints_in(const char *dir, int models_only, Checkpoint **out, int *n_out, BtError *err) {
    *out = NULL;
    *n_out = 0;
    DIR *d = opendir(dir);
    if (!d) return bt_fail(err, "cannot read %s: %s", dir, strerror(errno));
    Checkpoint *v = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long step = checkpoint_step_of(e->d_name);
        if (step < 0 || strlen(e->d_name) >= sizeof v[0].name) continue;
        char path[4200];
        struct stat sb;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) continue;
        if (models_only ? !is_model_dir(path) : stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            Checkpoint *p = realloc(v, sizeof *p * (size_t)cap);
            if (!p) {
                closedir(d);
                free(v);
                return bt_fail(err, "out of memory");
            }
            v = p;
        }
        v[n].step = step;
        snprintf(v[n].name, sizeof v[n].name, "%s", e->d_name);
        n++;
    }
    closedir(d);
    if (n > 1) qsort(v, (size_t)n, sizeof *v, by_step);
    *out = v;
    *n_out = n;
    return 0;
}

int checkpoints_scan(const char *dir, CheckpointList *k, BtError *err) {
    memset(k, 0, sizeof *k);
    find_root(dir, k);
    return checkpoints_in(k->root, 1, &k->v, &k->n, err);
}
