/* --model DIR where DIR holds only pytorch_model.bin (many older hub
 * repositories): converted once, on first open, into the user cache,
 *   $XDG_CACHE_HOME/bertology/converted/KEY/
 * KEY being a hash of DIR's real path. The cache rather than DIR itself:
 * opening a model should not write hundreds of megabytes into a directory
 * that may be read-only, shared or a git checkout. The other files are
 * symlinks to DIR's, so an edited config.json or vocab.txt is seen; a
 * .source file records the checkpoint's size and mtime, and a changed
 * checkpoint is converted again. */
#include "bertology/hub.h"
#include "bertology/paths.h"
#include "bertology/pickle.h"
#include "display.h"
#include "sha256.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const LINKED[] = {"config.json", "vocab.txt", "tokenizer_config.json"};

static int has(const char *dir, const char *name, struct stat *sb) {
    char p[PATH_MAX + 4500];
    struct stat tmp;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, sb ? sb : &tmp) == 0;
}

/* What the converted copy was made from: path, size, mtime. */
static void source_line(char *out, size_t n, const char *real, const struct stat *sb) {
    snprintf(out, n, "%s\n%lld %lld.%09ld\n", real, (long long)sb->st_size, (long long)sb->st_mtim.tv_sec,
             sb->st_mtim.tv_nsec);
}

static int up_to_date(const char *cdir, const char *want) {
    char p[PATH_MAX + 4500], got[PATH_MAX + 128] = "";
    snprintf(p, sizeof p, "%s/.source", cdir);
    FILE *f = fopen(p, "r");
    if (!f) return 0;
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = 0;
    return !strcmp(got, want) && has(cdir, "model.safetensors", NULL);
}

static int link_files(const char *real, const char *cdir, BtError *err) {
    for (size_t i = 0; i < sizeof LINKED / sizeof LINKED[0]; i++) {
        char from[PATH_MAX + 64], to[PATH_MAX + 4500];
        snprintf(from, sizeof from, "%s/%s", real, LINKED[i]);
        snprintf(to, sizeof to, "%s/%s", cdir, LINKED[i]);
        unlink(to);
        if (has(real, LINKED[i], NULL) && symlink(from, to) != 0)
            return bt_fail(err, "cannot link %.300s: %s", to, strerror(errno));
    }
    return 0;
}

void hub_note_stderr(const char *line, void *user) {
    (void)user;
    fprintf(stderr, "bertology: %s\n", line);
}

int hub_open_model(const char *name_or_dir, char *out, size_t n, HubNoteFn note, void *user, BtError *err) {
    hub_resolve_model(name_or_dir, out, n);
    char real[PATH_MAX];
    struct stat sb;
    if (has(out, "model.safetensors", NULL) || !has(out, "pytorch_model.bin", &sb) || !realpath(out, real)) return 0;
    char base[4096], cdir[4400], want[PATH_MAX + 128];
    if (!paths_cache_dir(base, sizeof base)) return bt_fail(err, "no cache directory: set XDG_CACHE_HOME or HOME");
    Sha256 h;
    char key[65];
    sha256_init(&h);
    sha256_update(&h, real, strlen(real));
    sha256_hex(&h, key);
    snprintf(cdir, sizeof cdir, "%s/converted", base);
    if (mkdir(cdir, 0755) && errno != EEXIST) return bt_fail(err, "cannot create %.300s: %s", cdir, strerror(errno));
    snprintf(cdir, sizeof cdir, "%s/converted/%.16s", base, key);
    if (mkdir(cdir, 0755) && errno != EEXIST) return bt_fail(err, "cannot create %.300s: %s", cdir, strerror(errno));
    source_line(want, sizeof want, real, &sb);
    if (!up_to_date(cdir, want)) {
        char shown[HUB_NAME_BUF], bin[PATH_MAX + 64], cfg[PATH_MAX + 64], st[4500], src[4500];
        hub_display(shown, out);
        if (note) {
            char line[600];
            snprintf(line, sizeof line, "%s has only pytorch_model.bin: converting it once into %.300s", shown, cdir);
            note(line, user);
        }
        snprintf(bin, sizeof bin, "%s/pytorch_model.bin", real);
        snprintf(cfg, sizeof cfg, "%s/config.json", real);
        snprintf(st, sizeof st, "%s/model.safetensors", cdir);
        snprintf(src, sizeof src, "%s/.source", cdir);
        unlink(src);
        BtError e2;
        if (pt_convert(bin, has(real, "config.json", NULL) ? cfg : NULL, st, NULL, &e2))
            return bt_fail(err, "cannot convert %s/pytorch_model.bin: %s", shown, e2.msg);
        FILE *f = fopen(src, "w");
        int ok = f && fputs(want, f) >= 0;
        if (f && fclose(f) != 0) ok = 0;
        if (!ok) return bt_fail(err, "cannot write %.300s: %s", src, strerror(errno));
    }
    if (link_files(real, cdir, err)) return -1;
    if ((size_t)snprintf(out, n, "%s", cdir) >= n) return bt_fail(err, "cache path too long");
    return 0;
}
