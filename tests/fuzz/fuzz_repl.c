/* libFuzzer target: REPL command lines, each input up to 16 lines run by
 * dispatch_line (as --script runs them) in a fresh session on a small
 * random model (2 layers, 2 heads, hidden 16, 16 positions), so every
 * command's argument parsing, the sentence path, `set`, masks, lessons
 * and the lesson answers meet hostile input. Lines naming a command that
 * writes or reads files by name (export, screenshot, checkpoint, vectors)
 * are left out: the fuzzer must not write over files, and the file
 * readers have targets of their own. `lesson` reads the fixture lessons
 * of the e2e tests (a good one in two languages, a broken, a malformed
 * and a future one): listing the 54 shipped files parsed each of them at
 * every `lesson` and took a third of the target's time, and the shipped
 * lessons are fuzz_lesson's seeds already. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "repl/dispatch.h"
#include "repl/session.h"
#include "fuzz_util.h"

static const char *const VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on",
                                    "mat", "dog", "a", ".", ",", "##s", "##ing", "run", "he", "she", "it"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], MAX_LINES = 16 };
static const char *const UNSAFE[] = {"export", "screenshot", "checkpoint", "vectors"};

static BertModel model;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *dir = fuzz_tmpdir("fuzz-repl");
    char path[128];
    snprintf(path, sizeof path, "%s/vocab.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f) fuzz_die("fuzz_repl", "fopen", path);
    for (int i = 0; i < V; i++) fprintf(f, "%s\n", VOCAB[i]);
    fclose(f);
    /* the session's state goes here, never to the user's */
    setenv("XDG_STATE_HOME", dir, 1);
    setenv("XDG_CACHE_HOME", dir, 1);
    unsetenv("BERTOLOGY_VECTORS");
    setenv("BERTOLOGY_LESSONS", BT_SOURCE_ROOT "/tests/e2e/cases/lesson_fixtures", 1);
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    BertConfig cfg = {V, 16, 2, 2, 32, 16, 2, 1e-12f, POS_ABSOLUTE};
    BtError err = {{0}};
    if (model_alloc(&model, &cfg, &err) != 0 || tok_load(&model.tok, path, 1, &err) != 0) fuzz_die("fuzz_repl", "model", err.msg);
    unlink(path);
    uint64_t r = 7;
    for (size_t i = 0; i < model.n_params; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        model.params[i] = (float)((double)(r >> 11) / 9007199254740992.0 - 0.5);
    }
    for (int l = 0; l < cfg.num_layers; l++)
        for (int i = 0; i < cfg.hidden_size; i++) model.layers[l].ln1_g[i] = model.layers[l].ln2_g[i] = 1;
    for (int i = 0; i < cfg.hidden_size; i++) model.emb_ln_g[i] = 1;
    devnull = fopen("/dev/null", "w");
    if (!devnull) fuzz_die("fuzz_repl", "fopen", "/dev/null");
    return 0;
}

static int unsafe(const char *line) {
    for (size_t i = 0; i < sizeof UNSAFE / sizeof UNSAFE[0]; i++)
        if (strcasestr(line, UNSAFE[i])) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_cstr(data, size);
    if (!text) return 0;
    Session *s = malloc(sizeof *s);
    if (!s) fuzz_die("fuzz_repl", "malloc", "session");
    session_init_borrowed(s, &model, devnull);
    /* The REPL's error lines go to stderr; libFuzzer and the sanitizers
     * keep theirs (they write to the file descriptor, not this FILE). */
    FILE *err = stderr;
    stderr = devnull;
    char *line = text;
    for (int n = 0; line && n < MAX_LINES && !s->quit; n++) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (!unsafe(line)) dispatch_line(s, line, "fuzz");
        line = nl ? nl + 1 : NULL;
    }
    stderr = err;
    session_free(s);
    free(s);
    free(text);
    return 0;
}
