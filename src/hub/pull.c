/* `bertology pull`: which files to fetch, in what order, and what each
 * failure means for the user. The bytes move in http.c. */
#include "bertology/infile.h"
#include "bertology/config.h"
#include "bertology/hub.h"
#include "bertology/pickle.h"
#include "bertology/safetensors.h"
#include "display.h"
#include "http.h"
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/i18n.h"

typedef struct {
    const char *id;
    const HubPullOptions *o;
    int fresh;                  /* the model was not in the cache before */
    char endpoint[512];
    char revision[256];         /* URL-encoded */
    char dir[4096];
} Pull;

/* fmt: a literal (xgettext's keyword note:2), translated here */
static void note(const Pull *p, const char *fmt, const char *a, const char *b) {
    if (!p->o->note) return;
    char line[512];
    snprintf(line, sizeof line, _(fmt), a, b);
    p->o->note(line, p->o->user);
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* The most a downloaded file may be, checked while it arrives: the same
 * per-kind caps as local files (core/infile.c, docs/limits.md), so a
 * pulled model always opens; 0 (no cap) for a file of no known kind. */
static uint64_t file_cap(const char *file) {
    int kind = bt_file_kind_of_name(file);
    return kind < 0 ? 0 : bt_file_cap((BtFileKind)kind);
}

static int path_in(const Pull *p, const char *file, char *out, size_t n) {
    return (size_t)snprintf(out, n, "%s/%s", p->dir, file) < n ? 0 : -1;
}

/* A revision is a branch, tag or commit, possibly refs/pr/N; '/' must be
 * sent as %2F or the hub reads it as part of the file path. */
static int encode_revision(const char *rev, char *out, size_t n) {
    size_t o = 0;
    if (!*rev || strlen(rev) > 128 || strstr(rev, "..")) return -1;
    for (const char *s = rev; *s; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.';
        if (c == '/') {
            if (o + 3 >= n) return -1;
            memcpy(out + o, "%2F", 3), o += 3;
        } else if (ok) {
            if (o + 1 >= n) return -1;
            out[o++] = c;
        } else {
            return -1;
        }
    }
    out[o] = 0;
    return 0;
}

/* The hub's answer for the first file says most about the model itself:
 * whether it exists, is gated, or lacks the revision. */
static int explain(const Pull *p, const char *file, HttpStatus st, const HttpResult *r, BtError *err) {
    const char *code = r->error_code, *id = p->id;
    char rev[256];
    snprintf(rev, sizeof rev, "%s", p->o->revision ? p->o->revision : "main");
    if (!strcmp(code, "GatedRepo"))
        return bt_fail(err, "%s is a gated model: accept its terms on the model's hub page, then set HF_TOKEN "
                            "to an access token and pull again", id);
    if (!strcmp(code, "RepositoryNotFound"))
        return bt_fail(err, "no model '%s' on the hub (check the name; a private model needs HF_TOKEN)", id);
    if (!strcmp(code, "RevisionNotFound"))
        return bt_fail(err, "%s has no revision '%s'", id, rev);
    if (st == HTTP_DENIED)
        return bt_fail(err, "access to %s was refused (HTTP %ld%s%s): it may be gated or private; set HF_TOKEN",
                       id, r->code, r->error_message[0] ? ": " : "", r->error_message);
    if (st == HTTP_NOT_FOUND && !strcmp(file, "config.json"))
        return bt_fail(err, "no model '%s' (revision %s) on the hub, or it has no config.json", id, rev);
    if (st == HTTP_NOT_FOUND)
        return bt_fail(err, "%s has no %s, which bertology needs", id, file);
    return -1; /* err already says it */
}

/* Downloads file into the model directory under the name as. */
static HttpStatus fetch_as(const Pull *p, const char *file, const char *as, HttpResult *r, BtError *err) {
    char dest[4400], url[2048];
    if (path_in(p, as, dest, sizeof dest)) return bt_fail(err, "cache path too long"), HTTP_FAILED;
    if (!p->o->force && exists(dest)) {
        note(p, "%s: already in the cache", file, NULL);
        memset(r, 0, sizeof *r);
        return HTTP_OK;
    }
    if (p->o->force) {
        char part[4410];
        snprintf(part, sizeof part, "%s.part", dest);
        unlink(part);
    }
    if ((size_t)snprintf(url, sizeof url, "%s/%s/resolve/%s/%s", p->endpoint, p->id, p->revision, file) >= sizeof url)
        return bt_fail(err, "URL too long"), HTTP_FAILED;
    HttpGet g = {url, dest, file, p->o->token, p->o->progress, p->o->user, file_cap(file)};
    HttpStatus st = http_download(&g, r, err);
    if (st == HTTP_OK && r->verified) note(p, "%s: sha256 verified", file, NULL);
    return st;
}

static HttpStatus fetch(const Pull *p, const char *file, HttpResult *r, BtError *err) {
    return fetch_as(p, file, file, r, err);
}

/* model_type decides before anything else: a RoBERTa or GPT-2 config
 * would otherwise fail on some missing key with a puzzling message. */
static int check_bert(const Pull *p, const char *path, BtError *err) {
    char *text = bt_file_read(path, BT_FILE_CONFIG, NULL, err);   /* config.json's cap, regular files only */
    if (!text) return -1;
    cJSON *root = cJSON_Parse(text);
    free(text);
    int rc = 0;
    if (!cJSON_IsObject(root)) {
        rc = bt_fail(err, "%s: config.json is not a JSON object", p->id);
    } else {
        const cJSON *mt = cJSON_GetObjectItemCaseSensitive(root, "model_type");
        const cJSON *arch = cJSON_GetObjectItemCaseSensitive(root, "architectures");
        const cJSON *a0 = cJSON_IsArray(arch) ? cJSON_GetArrayItem(arch, 0) : NULL;
        char shown[HUB_NAME_BUF];
        if (cJSON_IsString(mt) && strcmp(mt->valuestring, "bert")) {
            hub_display(shown, mt->valuestring);
            rc = bt_fail(err, "%s is a '%s' model, not BERT: bertology opens BERT models only (model_type \"bert\")",
                         p->id, shown);
        } else if (!mt && cJSON_IsString(a0) && !strstr(a0->valuestring, "Bert")) {
            hub_display(shown, a0->valuestring);
            rc = bt_fail(err, "%s is a %s, not BERT: bertology opens BERT models only", p->id, shown);
        }
    }
    cJSON_Delete(root);
    BertConfig cfg;
    BtError e2;
    if (!rc && config_load(path, &cfg, &e2)) rc = bt_fail(err, "%s: not a BERT bertology can run: %s", p->id, e2.msg);
    return rc;
}

/* mkdir -p below the models directory (the id has at most one '/'). */
static int make_model_dir(Pull *p, BtError *err) {
    char models[4096];
    if (hub_models_dir(models, sizeof models, err)) return -1;
    if ((size_t)snprintf(p->dir, sizeof p->dir, "%s/%s", models, p->id) >= sizeof p->dir - 64)
        return bt_fail(err, "cache path too long");
    char *slash = strchr(p->dir + strlen(models) + 1, '/');
    if (slash) {
        *slash = 0;
        int rc = mkdir(p->dir, 0755);
        *slash = '/';
        if (rc && errno != EEXIST) return bt_fail(err, "cannot create the cache directory: %s", strerror(errno));
    }
    if (mkdir(p->dir, 0755) && errno != EEXIST) return bt_fail(err, "cannot create %.300s: %s", p->dir, strerror(errno));
    return 0;
}

/* After a refusal nothing of a model new to the cache should stay there. */
static void forget(const Pull *p) {
    char path[4400];
    if (!p->fresh) return;
    if (!path_in(p, "config.json", path, sizeof path)) unlink(path);
    if (!path_in(p, ".revision", path, sizeof path)) unlink(path);
    rmdir(p->dir);
    char owner[4096];
    snprintf(owner, sizeof owner, "%s", p->dir);
    char *slash = strrchr(owner, '/');
    if (slash && strchr(p->id, '/')) *slash = 0, rmdir(owner);
}

static int pull_weights(const Pull *p, BtError *err) {
    HttpResult r;
    char st_path[4400], bin_path[4400];
    if (path_in(p, "model.safetensors", st_path, sizeof st_path) ||
        path_in(p, "pytorch_model.bin", bin_path, sizeof bin_path))
        return bt_fail(err, "cache path too long");
    HttpStatus st = HTTP_NOT_FOUND;
    /* a pytorch_model.bin already here means safetensors was tried before */
    if (p->o->force || !exists(bin_path)) st = fetch(p, "model.safetensors", &r, err);
    if (st == HTTP_OK) {
        /* a server that answers 200 with an HTML page would otherwise be
         * found out only when the model is opened */
        StFile f;
        BtError e2;
        if (st_open(&f, st_path, &e2)) {
            unlink(st_path);
            return bt_fail(err, "%s: the downloaded model.safetensors is not valid (%s); it was removed", p->id,
                           e2.msg);
        }
        st_close(&f);
        return 0;
    }
    if (st != HTTP_NOT_FOUND) return explain(p, "model.safetensors", st, &r, err);
    st = fetch(p, "pytorch_model.bin", &r, err);
    if (st == HTTP_NOT_FOUND)
        return bt_fail(err, "%s has neither model.safetensors nor pytorch_model.bin (sharded or non-PyTorch "
                            "weights are not supported)", p->id);
    if (st != HTTP_OK) return explain(p, "pytorch_model.bin", st, &r, err);
    PtConvertInfo info;
    BtError e2;
    char cfg_path[4400];
    path_in(p, "config.json", cfg_path, sizeof cfg_path);
    if (pt_convert(bin_path, cfg_path, st_path, &info, &e2)) {
        /* a refused file is worth nothing: the next pull fetches it again */
        unlink(bin_path);
        return bt_fail(err, "%s: cannot convert pytorch_model.bin (removed from the cache): %s", p->id, e2.msg);
    }
    char line[128];
    snprintf(line, sizeof line, ngettext("%d tensor, %s", "%d tensors, %s", (unsigned long)info.n_written), info.n_written,
             st_dtype_name(info.dtype));
    note(p, "pytorch_model.bin: converted to model.safetensors (%s)", line, NULL);
    /* the safetensors copy holds every weight the engine reads; keeping
     * both would double the cache */
    unlink(bin_path);
    return 0;
}

/* The cache keeps one copy per id; .revision names the revision its
 * files (complete or not) come from, so that files of two revisions are
 * never mixed: asking for another revision empties the directory. */
static void read_revision(const Pull *p, char *out, size_t n) {
    char path[4400];
    out[0] = 0;
    if (path_in(p, ".revision", path, sizeof path)) return;
    FILE *f = fopen(path, "r");
    if (!f) return;
    if (!fgets(out, (int)n, f)) out[0] = 0;
    out[strcspn(out, "\n")] = 0;
    fclose(f);
}

static void empty_dir(const Pull *p, const char *keep) {
    DIR *d = opendir(p->dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[4400];
        struct stat sb;
        if (strcmp(e->d_name, keep) && !path_in(p, e->d_name, path, sizeof path) && lstat(path, &sb) == 0 &&
            S_ISREG(sb.st_mode))
            unlink(path);
    }
    if (d) closedir(d);
}

static int write_revision(const Pull *p, const char *rev, BtError *err) {
    char path[4400], tmp[4410];
    if (path_in(p, ".revision", path, sizeof path)) return bt_fail(err, "cache path too long");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && fprintf(f, "%s\n", rev) > 0;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return bt_fail(err, "cannot write %.300s: %s", path, strerror(errno));
    }
    return 0;
}

int hub_pull(const char *model_id, const HubPullOptions *o, char *dir_out, size_t n, BtError *err) {
    Pull p = {.id = model_id, .o = o};
    char shown[HUB_NAME_BUF];
    hub_display(shown, model_id);
    if (!hub_valid_id(model_id))
        return bt_fail(err, "'%s' is not a hub model id (like bert-base-uncased or google/bert_uncased_L-2_H-128_A-2)",
                       shown);
    const char *ep = o->endpoint && *o->endpoint ? o->endpoint : HUB_DEFAULT_ENDPOINT;
    size_t el = strlen(ep);
    while (el && ep[el - 1] == '/') el--;
    if (el >= sizeof p.endpoint || (strncmp(ep, "http://", 7) && strncmp(ep, "https://", 8)))
        return bt_fail(err, "the hub endpoint must be an http:// or https:// URL");
    memcpy(p.endpoint, ep, el);
    p.endpoint[el] = 0;
    if (encode_revision(o->revision ? o->revision : "main", p.revision, sizeof p.revision))
        return bt_fail(err, "'%.100s' is not a revision (a branch, tag or commit)", o->revision);
    if (make_model_dir(&p, err)) return -1;
    const char *rev = o->revision ? o->revision : "main";
    char cached[256], cfg_path[4400], new_path[4400];
    read_revision(&p, cached, sizeof cached);
    int other_rev = cached[0] && strcmp(cached, rev);
    path_in(&p, "config.json", cfg_path, sizeof cfg_path);
    path_in(&p, "config.json.new", new_path, sizeof new_path);
    p.fresh = !exists(cfg_path);

    /* config.json comes first and lands beside the cached model: what is
     * there stays untouched until the new revision proves to exist and to
     * be a BERT */
    HttpResult r;
    HttpStatus st = HTTP_OK;
    if (p.fresh || other_rev || o->force) {
        unlink(new_path);
        st = fetch_as(&p, "config.json", "config.json.new", &r, err);
        if (st != HTTP_OK) {
            explain(&p, "config.json", st, &r, err);
            unlink(new_path);
            if (st != HTTP_INTERRUPTED) forget(&p);
            return -1;
        }
    } else {
        note(&p, "%s: already in the cache", "config.json", NULL);
    }
    if (check_bert(&p, exists(new_path) ? new_path : cfg_path, err)) {
        unlink(new_path);
        forget(&p);
        return -1;
    }
    if (other_rev) {
        note(&p, "the cache held revision %s; replacing it with %s", cached, rev);
        empty_dir(&p, "config.json.new");
    }
    if (exists(new_path) && rename(new_path, cfg_path) != 0)
        return bt_fail(err, "cannot rename %.300s: %s", new_path, strerror(errno));
    if (write_revision(&p, rev, err)) return -1;
    if ((st = fetch(&p, "vocab.txt", &r, err)) != HTTP_OK) return explain(&p, "vocab.txt", st, &r, err);
    st = fetch(&p, "tokenizer_config.json", &r, err);
    if (st != HTTP_OK && st != HTTP_NOT_FOUND) return explain(&p, "tokenizer_config.json", st, &r, err);
    if (pull_weights(&p, err)) return -1;
    if ((size_t)snprintf(dir_out, n, "%s", p.dir) >= n) return bt_fail(err, "cache path too long");
    return 0;
}
