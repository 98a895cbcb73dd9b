/* The view tests on a real checkpoint run through the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/paths.h"
#include "fixture.h"

static int is_model_dir(const char *dir) {
    char p[4200];
    snprintf(p, sizeof p, "%s/config.json", dir);
    return access(p, R_OK) == 0;
}

/* Where the model comes from: the user's choice, the shipped default, or
 * a small random checkpoint from the reference script. */
static int find_model(char *dir, size_t n, const char *tmpdir) {
    const char *root = getenv("BT_SOURCE_ROOT");
    /* $BERTOLOGY_MODEL or an installed one; the library does not know
     * the source tree, the test's environment does. */
    if (paths_default_model(dir, n) && is_model_dir(dir)) return 0;
    if (root) {
        snprintf(dir, n, "%s/assets/models/default", root);
        if (is_model_dir(dir)) return 0;
    }
    if (!root) return 1;
    const char *scripts[] = {"make_checkpoint.py", "checkpoint.py"};
    snprintf(dir, n, "%s/random-model", tmpdir);
    if (is_model_dir(dir)) return 0;
    for (int i = 0; i < 2; i++) {
        char script[4096], cmd[8400];
        snprintf(script, sizeof script, "%s/tests/ref/%s", root, scripts[i]);
        if (access(script, R_OK) != 0) continue;
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' --layers 4 --hidden 64 --heads 4 --inter 128 >/dev/null 2>&1",
                 script, dir);
        if (system(cmd) == 0 && is_model_dir(dir)) return 0;
    }
    return 1;
}

static int run_sentence(Fixture *f, const char *text, Trace *tr, const char ***names, BtError *err) {
    TokInput in = {0};
    if (tok_encode(f->model.tok, text, f->model.cfg.max_position, 1, &in, err)) return -1;
    int rc = trace_alloc(tr, &f->model, 1, in.n, in.n, 0, err);
    if (!rc) rc = forward_prepare(tr, in.ids, in.type_ids, in.n, err);
    if (!rc) {
        forward(&f->model, tr, NULL);
        *names = calloc((size_t)in.n, sizeof **names);
        if (!*names) rc = bt_fail(err, "out of memory");
        else f->owned[f->nowned++] = (void *)*names;
        for (int i = 0; !rc && i < in.n; i++) (*names)[i] = tok_token(f->model.tok, in.ids[i]);
    }
    tok_input_free(&in);
    return rc;
}

int fixture_real(Fixture *f, const char *tmpdir, BtError *err) {
    memset(f, 0, sizeof *f);
    char dir[4096];
    if (find_model(dir, sizeof dir, tmpdir)) return 1;
    if (model_load(&f->model, dir, err)) return -1;
    f->real = 1;
    if (!f->model.tok) return bt_fail(err, "%s has no vocab.txt", dir);
    /* BT_VIEW_TEXT: another first sentence, to try long inputs by hand. */
    const char *text = getenv("BT_VIEW_TEXT");
    if (run_sentence(f, text && *text ? text : FIXTURE_TEXT1, &f->tr, &f->tok1, err)) return -1;
    if (run_sentence(f, FIXTURE_TEXT2, &f->tr2, &f->tok2, err)) return -1;
    f->st = (VizState){.model = &f->model, .trace = &f->tr, .tokens = f->tok1, .pos = {STAGE_ATTN, 0, 0},
                       .trace2 = &f->tr2, .tokens2 = f->tok2, .top_k = 5};
    f->hot_layer = f->hot_head = f->hot_q = f->hot_k = f->mask_pos = f->mask_top = -1;
    return 0;
}

void fixture_free(Fixture *f) {
    trace_free(&f->tr);
    trace_free(&f->tr2);
    if (f->real) {
        model_free(&f->model);
    } else if (f->model.tok) {
        tok_free(f->model.tok);
    }
    for (int i = 0; i < f->nowned; i++) free(f->owned[i]);
    memset(f, 0, sizeof *f);
}
