/* pull, convert and models: the hub and the cache for the user. */
#include "bertology/cli.h"
#include "bertology/hub.h"
#include "bertology/pickle.h"
#include "bertology/safetext.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void human(char *out, size_t n, uint64_t b) {
    if (b >= 1000000000) snprintf(out, n, "%.2f GB", (double)b / 1e9);
    else if (b >= 1000000) snprintf(out, n, "%.1f MB", (double)b / 1e6);
    else if (b >= 1000) snprintf(out, n, "%.1f kB", (double)b / 1e3);
    else snprintf(out, n, "%llu B", (unsigned long long)b);
}

static void clock_str(char *out, size_t n, double s) {
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

typedef struct {
    int tty;
    double last;                /* when the bar was last drawn */
    const char *last_file;
} Bar;

static void on_progress(const HubProgress *p, void *user) {
    Bar *b = user;
    if (b->last_file != p->file) b->last = -1, b->last_file = p->file;
    double fresh = p->seconds > 0 ? (double)(p->done - p->resumed_from) / p->seconds : 0;
    char done[32], total[32], speed[32], t[32];
    human(done, sizeof done, p->done);
    human(total, sizeof total, p->total);
    human(speed, sizeof speed, (uint64_t)fresh);
    if (p->finished) {
        clock_str(t, sizeof t, p->seconds);
        if (b->tty) fprintf(stderr, "\r\033[K");
        printf(p->resumed_from ? _("  %-22s %10s  in %s (resumed)\n") : _("  %-22s %10s  in %s\n"), safe_str(p->file), done, t);
        fflush(stdout);
        return;
    }
    /* ten redraws a second are plenty and keep a slow terminal cheap */
    if (!b->tty || (b->last >= 0 && p->seconds - b->last < 0.1)) return;
    b->last = p->seconds;
    char bar[21] = "....................";
    if (p->total) {
        int k = (int)(20.0 * (double)p->done / (double)p->total);
        for (int i = 0; i < k && i < 20; i++) bar[i] = '#';
        char left[32] = "?";
        if (fresh > 0) clock_str(left, sizeof left, (double)(p->total - p->done) / fresh);
        fputs("\r\033[K", stderr);
        fprintf(stderr, _("  %-22s [%s] %s / %s  %s/s  %s left"), safe_str(p->file), bar, done, total, speed, left);
    } else {
        fprintf(stderr, "\r\033[K  %-22s %s  %s/s", safe_str(p->file), done, speed);
    }
    fflush(stderr);
}

static void on_note(const char *line, void *user) {
    (void)user;
    printf("  %s\n", safe_str(line));   /* notes may quote what the server sent */
    fflush(stdout);
}

int cli_pull(int argc, char **argv) {
    const char *rev = NULL;
    int force = 0;
    const Opt opts[] = {
        {"revision", OPT_STR, &rev, N_("a branch, tag or commit (default main)"), .arg = "R"},
        {"force", OPT_FLAG, &force, N_("fetch again files already in the cache")},
    };
    const CliSpec spec = {"pull", opts, CLI_N(opts), .args = "MODEL_ID", .min_args = 1, .max_args = 1,
                          .missing = N_("which model? give its hub id (bert-base-uncased, an-org/a-bert)"),
                          .about = N_("Downloads a BERT from the Hugging Face hub into the cache, where --model ID "
                                      "finds it.\nHF_ENDPOINT names another hub (a mirror); HF_TOKEN is sent for gated "
                                      "or private models.")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    const char *id = argv[0];
    const char *token = getenv("HF_TOKEN");
    if (!token || !*token) token = getenv("HUGGING_FACE_HUB_TOKEN");
    Bar bar = {isatty(2), -1, NULL};
    HubPullOptions o = {getenv("HF_ENDPOINT"), rev, token, force, on_progress, on_note, &bar};
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, _("bertology: cannot initialise libcurl\n"));
        return 1;
    }
    printf(_("pulling %s from %s\n"), safe_str(id), safe_str(o.endpoint && *o.endpoint ? o.endpoint : HUB_DEFAULT_ENDPOINT));
    fflush(stdout);
    char dir[4096];
    BtError err;
    int rc = hub_pull(id, &o, dir, sizeof dir, &err);
    if (bar.tty) fprintf(stderr, "\r\033[K");
    curl_global_cleanup();
    if (rc) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    printf(_("%s is in %s\nopen it with: bertology --model %s\n"), safe_str(id), safe_str(dir), safe_str(id));
    return 0;
}

int cli_convert(int argc, char **argv) {
    int force = 0;
    const Opt opts[] = {
        {"force", OPT_FLAG, &force, N_("replace an existing model.safetensors")},
    };
    const CliSpec spec = {"convert", opts, CLI_N(opts), .args = "DIR", .min_args = 1, .max_args = 1,
                          .missing = N_("which directory? give the one holding pytorch_model.bin"),
                          .about = N_("Reads DIR/pytorch_model.bin (without Python; only tensor data is accepted)\n"
                                   "and writes DIR/model.safetensors beside it, after checking the tensors against\n"
                                   "DIR/config.json when there is one.")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    const char *dir = argv[0];
    char bin[4200], out[4200], cfg[4200];
    snprintf(bin, sizeof bin, "%s/pytorch_model.bin", dir);
    snprintf(out, sizeof out, "%s/model.safetensors", dir);
    snprintf(cfg, sizeof cfg, "%s/config.json", dir);
    if (access(bin, R_OK) != 0) {
        fprintf(stderr, _("bertology: %s: no pytorch_model.bin to convert\n"), dir);
        return 1;
    }
    if (!force && access(out, F_OK) == 0) {
        fprintf(stderr, _("bertology: %s already exists (--force replaces it)\n"), out);
        return 1;
    }
    PtConvertInfo info;
    BtError err;
    /* shapes are checked against config.json when there is one */
    if (pt_convert(bin, access(cfg, F_OK) == 0 ? cfg : NULL, out, &info, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    /* what was written, then each count with its own plural (Russian has three forms) */
    printf(ngettext("wrote %s: %d tensor (%s)", "wrote %s: %d tensors (%s)", info.n_written), out, info.n_written,
           st_dtype_name(info.dtype));
    if (info.n_tied) printf(ngettext(", %d tied copy left out", ", %d tied copies left out", info.n_tied), info.n_tied);
    if (info.n_skipped)
        printf(ngettext(", %d non-float buffer left out", ", %d non-float buffers left out", info.n_skipped),
               info.n_skipped);
    printf("%s\n", info.legacy ? _(" (from the pre-1.6 torch format)") : "");
    return 0;
}

int cli_models(int argc, char **argv) {
    const CliSpec spec = {"models", NULL, 0, .about = N_("Lists the models pulled into the cache, with their sizes.")};
    int parsed = cli_parse(&spec, argc, argv);
    if (parsed < 0) return cli_status(parsed);
    char root[4096];
    HubCachedModel *v;
    int n;
    BtError err;
    if (hub_models_dir(root, sizeof root, &err) || hub_list_models(&v, &n, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    if (n == 0) {
        printf(_("no models in %s yet; fetch one with: bertology pull bert-base-uncased\n"), safe_str(root));
        free(v);
        return 0;
    }
    printf(_("models in %s:\n"), safe_str(root));
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        char size[32];
        human(size, sizeof size, v[i].bytes);
        sum += v[i].bytes;
        printf("  %-48s %10s%s\n", safe_str(v[i].id), size,   /* ids are directory names */
               v[i].partial ? _("  (partial download: pull again to resume)")
               : !v[i].complete ? _("  (incomplete: pull again)") : "");
    }
    char total[32];
    human(total, sizeof total, sum);
    printf(ngettext("%d model, %s\n", "%d models, %s\n", n), n, total);
    free(v);
    return 0;
}
