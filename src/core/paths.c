#include "bertology/paths.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BT_SOURCE_ROOT
#define BT_SOURCE_ROOT "."
#endif
#ifndef BT_DATADIR
#define BT_DATADIR "/usr/local/share/bertology"
#endif

static int is_model_dir(const char *dir) {
    char p[4096];
    snprintf(p, sizeof p, "%s/config.json", dir);
    return access(p, R_OK) == 0;
}

const char *paths_find_data(const char *rel, int (*found)(const char *path), char *buf, size_t n) {
    const char *roots[] = {BT_SOURCE_ROOT, BT_DATADIR};
    for (int i = 0; i < 2; i++) {
        snprintf(buf, n, "%s/%s", roots[i], rel);
        if (found(buf)) return buf;
    }
    snprintf(buf, n, "%s/%s and %s/%s", roots[0], rel, roots[1], rel);
    return NULL;
}

const char *paths_default_model(char *buf, size_t n) {
    const char *env = getenv("BERTOLOGY_MODEL");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return buf;
    }
    return paths_find_data("assets/models/default", is_model_dir, buf, n);
}

/* mkdir -p for the few levels under $HOME we create */
static int make_dirs(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST) return -1;
    }
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static const char *xdg_dir(char *buf, size_t n, const char *var, const char *fallback) {
    const char *base = getenv(var), *home = getenv("HOME");
    if (base && base[0] == '/') snprintf(buf, n, "%s/bertology", base);
    else if (home && *home) snprintf(buf, n, "%s/%s/bertology", home, fallback);
    else return NULL;
    return make_dirs(buf) == 0 ? buf : NULL;
}

const char *paths_state_dir(char *buf, size_t n) { return xdg_dir(buf, n, "XDG_STATE_HOME", ".local/state"); }
const char *paths_cache_dir(char *buf, size_t n) { return xdg_dir(buf, n, "XDG_CACHE_HOME", ".cache"); }
