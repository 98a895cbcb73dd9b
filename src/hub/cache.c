/* The model cache: where a pulled model lives, what --model NAME means,
 * and what `bertology models` lists. */
#include "bertology/hub.h"
#include "bertology/paths.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int valid_part(const char *s, size_t n) {
    if (n == 0 || n > 96 || s[0] == '.') return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

int hub_valid_id(const char *id) {
    const char *slash = strchr(id, '/');
    if (!slash) return valid_part(id, strlen(id));
    return valid_part(id, (size_t)(slash - id)) && valid_part(slash + 1, strlen(slash + 1));
}

int hub_models_dir(char *out, size_t n, BtError *err) {
    char base[4096];
    if (!paths_cache_dir(base, sizeof base))
        return bt_fail(err, "no cache directory: set XDG_CACHE_HOME or HOME");
    if ((size_t)snprintf(out, n, "%s/models", base) >= n) return bt_fail(err, "cache path too long");
    if (mkdir(out, 0755) != 0 && errno != EEXIST)
        return bt_fail(err, "cannot create %.300s: %s", out, strerror(errno));
    return 0;
}

static int is_dir(const char *p) {
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int has_file(const char *dir, const char *name) {
    char p[4600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

int hub_resolve_model(const char *name_or_dir, char *out, size_t n) {
    snprintf(out, n, "%s", name_or_dir);
    if (is_dir(name_or_dir) || !hub_valid_id(name_or_dir)) return is_dir(name_or_dir) ? 0 : -1;
    char models[4096];
    if (hub_models_dir(models, sizeof models, NULL)) return -1;
    char dir[4400];
    snprintf(dir, sizeof dir, "%s/%s", models, name_or_dir);
    if (!has_file(dir, "config.json")) return -1;
    if ((size_t)snprintf(out, n, "%s", dir) >= n) {
        snprintf(out, n, "%s", name_or_dir);
        return -1;
    }
    return 0;
}

typedef struct {
    HubCachedModel *v;
    int n, cap;
} List;

/* Sums the regular files of a model directory; returns how many there
 * are, so that a directory of directories reads as a namespace. */
static int scan_model(const char *dir, HubCachedModel *m) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char p[4600];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        files++;
        m->bytes += (uint64_t)sb.st_size;
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".part")) m->partial = 1;
    }
    closedir(d);
    m->complete = has_file(dir, "config.json") && has_file(dir, "vocab.txt") && has_file(dir, "model.safetensors");
    return files;
}

static int add(List *l, const HubCachedModel *m) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        HubCachedModel *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        l->v = v, l->cap = cap;
    }
    l->v[l->n++] = *m;
    return 0;
}

static int cmp_id(const void *a, const void *b) {
    return strcmp(((const HubCachedModel *)a)->id, ((const HubCachedModel *)b)->id);
}

int hub_list_models(HubCachedModel **out, int *n, BtError *err) {
    *out = NULL;
    *n = 0;
    char root[4096];
    if (hub_models_dir(root, sizeof root, err)) return -1;
    List l = {0};
    DIR *d = opendir(root);
    if (!d) return bt_fail(err, "cannot read %.300s: %s", root, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while (!rc && (e = readdir(d))) {
        char p[4400];
        if (e->d_name[0] == '.' || !hub_valid_id(e->d_name)) continue;
        snprintf(p, sizeof p, "%s/%.96s", root, e->d_name);
        if (!is_dir(p)) continue;
        HubCachedModel m = {0};
        snprintf(m.id, sizeof m.id, "%.96s", e->d_name);
        if (scan_model(p, &m) > 0) {
            rc = add(&l, &m);
            continue;
        }
        /* an owner's directory: its models are one level down */
        DIR *o = opendir(p);
        struct dirent *f;
        while (!rc && o && (f = readdir(o))) {
            char q[4600];
            if (f->d_name[0] == '.' || !hub_valid_id(f->d_name)) continue;
            snprintf(q, sizeof q, "%s/%.96s", p, f->d_name);
            HubCachedModel mm = {0};
            snprintf(mm.id, sizeof mm.id, "%.96s/%.96s", e->d_name, f->d_name);
            if (is_dir(q) && scan_model(q, &mm) > 0) rc = add(&l, &mm);
        }
        if (o) closedir(o);
    }
    closedir(d);
    if (rc) {
        free(l.v);
        return bt_fail(err, "out of memory");
    }
    if (l.n) qsort(l.v, (size_t)l.n, sizeof *l.v, cmp_id);
    *out = l.v;
    *n = l.n;
    return 0;
}
