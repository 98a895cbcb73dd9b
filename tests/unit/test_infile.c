/* Files from outside (issue 17): regular files only, a cap per kind, the
 * model's files checked against each other before anything large is
 * allocated, vocabularies that hold the special tokens, config.json read
 * as Python reads it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bertology/config.h"
#include "bertology/infile.h"
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "testutil.h"

static const char *write_at(const char *path, const char *body) {
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(body, f);
    fclose(f);
    return path;
}

static const char *write_file(const char *name, const char *body) { return write_at(test_tmp_path(name), body); }

/* A file of `size` bytes that takes no disk: a hole. */
static const char *sparse_file(const char *name, off_t size) {
    const char *p = test_tmp_path(name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return NULL;
    int ok = ftruncate(fd, size) == 0;
    close(fd);
    return ok ? p : NULL;
}

static const char *fifo(const char *name) {
    const char *p = test_tmp_path(name);
    unlink(p);
    return mkfifo(p, 0600) == 0 ? p : NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char VOCAB[] = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncat\nsat\n";

/* The table: every kind has a cap and a name; model-directory names map back. */
static void test_table(void) {
    for (int k = 0; k < BT_FILE_KINDS; k++) {
        CHECK(bt_file_cap((BtFileKind)k) > 0);
        CHECK(strlen(bt_file_kind_desc((BtFileKind)k)) > 0);
    }
    CHECK(bt_file_kind_of_name("vocab.txt") == BT_FILE_VOCAB);
    CHECK(bt_file_kind_of_name("config.json") == BT_FILE_CONFIG);
    CHECK(bt_file_kind_of_name("tokenizer_config.json") == BT_FILE_TOKENIZER_CONFIG);
    CHECK(bt_file_kind_of_name("model.safetensors") == BT_FILE_WEIGHTS);
    CHECK(bt_file_kind_of_name("pytorch_model.bin") == BT_FILE_PYTORCH);
    CHECK(bt_file_kind_of_name("README.md") == -1);
    CHECK(bt_file_cap(BT_FILE_CONFIG) < bt_file_cap(BT_FILE_VOCAB));
}

/* A FIFO, /dev/zero, a directory, an oversized file: one line each, at once. */
static void test_not_regular(void) {
    BtError err;
    size_t n;
    const char *p = fifo("fifo");
    double t0 = now();
    if (p) {
        CHECK(bt_file_read(p, BT_FILE_CONFIG, &n, &err) == NULL);
        CHECKF(strstr(err.msg, "FIFO") && strstr(err.msg, "not a regular file"), "%s", err.msg);
    }
    CHECK(bt_file_read("/dev/zero", BT_FILE_VOCAB, &n, &err) == NULL);
    CHECKF(strstr(err.msg, "/dev/zero: a character device, not a regular file"), "%s", err.msg);
    CHECK(bt_file_read(test_tmpdir(), BT_FILE_LESSON, &n, &err) == NULL);
    CHECKF(strstr(err.msg, "a directory"), "%s", err.msg);
    CHECK(bt_file_fopen("/nonexistent/x", BT_FILE_EVAL, &err) == NULL);
    CHECKF(strstr(err.msg, "/nonexistent/x: cannot open the evaluation file"), "%s", err.msg);
    const char *big = sparse_file("big.json", (off_t)bt_file_cap(BT_FILE_CONFIG) + 1);
    if (big) {
        CHECK(bt_file_read(big, BT_FILE_CONFIG, &n, &err) == NULL);
        CHECKF(strstr(err.msg, "more than a config.json may be (at most 1.0 MiB"), "%s", err.msg);
    }
    const char *ok = write_file("ok.txt", "abc");
    char *s = bt_file_read(ok, BT_FILE_CONFIG, &n, &err);
    CHECK(s && n == 3 && strcmp(s, "abc") == 0);
    free(s);
    /* the size on disk may lie (/proc says 0): the read itself stops at the cap */
    s = bt_file_read("/proc/self/status", BT_FILE_CONFIG, &n, &err);
    CHECKF(s && n > 0 && strlen(s) == n, "%s", s ? "" : err.msg);
    free(s);
    CHECKF(now() - t0 < 5, "refusing took %.1f s", now() - t0);
}

/* The readers of a model directory and of vectors go through the same
 * checks: a FIFO named vocab.txt or config.json used to hang forever,
 * /dev/zero as vocab.txt grew to gigabytes. */
static void test_readers(void) {
    BtError err;
    Tokenizer *t = NULL;
    BertConfig cfg;
    const char *p = fifo("vocab-fifo.txt");
    if (p) {
        CHECK(tok_load(&t, p, 1, &err) == -1);
        CHECKF(strstr(err.msg, "a FIFO, not a regular file; a vocabulary must be a regular file"), "%s", err.msg);
        CHECK(config_load(p, &cfg, &err) == -1);
        CHECKF(strstr(err.msg, "FIFO"), "%s", err.msg);
    }
    CHECK(tok_load(&t, "/dev/zero", 1, &err) == -1);
    CHECKF(strstr(err.msg, "character device"), "%s", err.msg);
    const char *big = sparse_file("big-vocab.txt", (off_t)bt_file_cap(BT_FILE_VOCAB) + 1);
    if (big) {
        CHECK(tok_load(&t, big, 1, &err) == -1);
        CHECKF(strstr(err.msg, "more than a vocabulary may be"), "%s", err.msg);
    }
    /* tokenizer_config.json: absent is fine, a FIFO is refused */
    char dir[600];
    snprintf(dir, sizeof dir, "%s/tokcfg", test_tmpdir());
    mkdir(dir, 0700);
    int lower = 7;
    CHECK(tok_config_read(dir, &lower, &err) == 0 && lower == 7);
    char path[700];
    snprintf(path, sizeof path, "%s/tokenizer_config.json", dir);
    if (mkfifo(path, 0600) == 0) {
        CHECK(tok_config_read(dir, &lower, &err) == -1);
        CHECKF(strstr(err.msg, "tokenizer_config.json: a FIFO"), "%s", err.msg);
    }
}

/* A vocabulary without a special token is refused when opened, naming it
 * (with no [UNK], `mask` put id -1 into the sentence). */
static void test_specials(void) {
    static const char *const SP[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    BtError err;
    for (int drop = 0; drop < 5; drop++) {
        char body[200] = "";
        for (int i = 0; i < 5; i++)
            if (i != drop) strcat(body, SP[i]), strcat(body, "\n");
        strcat(body, "the\ncat\n");
        Tokenizer *t = NULL;
        const char *p = write_file("nospecial.txt", body);
        CHECK(tok_load(&t, p, 1, &err) == -1 && t == NULL);
        char want[64];
        snprintf(want, sizeof want, "has no %s token", SP[drop]);
        CHECKF(strstr(err.msg, want), "dropped %s: %s", SP[drop], err.msg);
    }
    Tokenizer *t = NULL;
    CHECKF(tok_load(&t, write_file("full.txt", VOCAB), 1, &err) == 0, "%s", err.msg);
    tok_free(t);
}

static const char *config_with(const char *name, const char *extra) {
    char body[1024];
    snprintf(body, sizeof body,
             "{\"vocab_size\": 8, \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
             " \"intermediate_size\": 16%s}", extra);
    return write_file(name, body);
}

static void test_config(void) {
    BtError err;
    BertConfig c;
    /* 1e20 layers: refused before the (undefined) conversion to int */
    CHECK(config_load(config_with("c1.json", ", \"num_hidden_layers\": 1e20"), &c, &err) == -1);
    CHECKF(strstr(err.msg, "\"num_hidden_layers\" must be an integer between"), "%s", err.msg);
    CHECK(config_load(config_with("c2.json", ", \"max_position_embeddings\": -1e300"), &c, &err) == -1);
    CHECKF(strstr(err.msg, "\"max_position_embeddings\" must be an integer between"), "%s", err.msg);
    CHECK(config_load(config_with("c3.json", ", \"type_vocab_size\": 2.5"), &c, &err) == -1);
    /* a key given twice means its last value, as in Python's json */
    CHECKF(config_load(config_with("c4.json", ", \"hidden_size\": 16"), &c, &err) == 0, "%s", err.msg);
    CHECK(c.hidden_size == 16);
    CHECKF(config_load(config_with("c5.json", ", \"position_embedding_type\": \"bogus\","
                                   " \"position_embedding_type\": \"sinusoidal\""), &c, &err) == 0, "%s", err.msg);
    CHECK(c.pos_type == POS_SINUSOIDAL);
}

/* A small valid model directory: H=8, 1 layer, absolute positions. */
static int make_model(const char *dir) {
    BertConfig cfg = {.vocab_size = 8, .hidden_size = 8, .num_layers = 1, .num_heads = 2, .intermediate_size = 16,
                      .max_position = 16, .type_vocab_size = 2, .layer_norm_eps = 1e-12f, .pos_type = POS_ABSOLUTE};
    BertModel m;
    BtError err;
    if (model_alloc(&m, &cfg, &err)) return -1;
    char vocab[700];
    snprintf(vocab, sizeof vocab, "%s/src-vocab.txt", test_tmpdir());
    write_at(vocab, VOCAB);
    int rc = model_save(&m, dir, 0, vocab, &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    model_free(&m);
    return rc;
}

/* Issue 17 item 8: a 300-byte config.json (sinusoidal, hidden 16384, 65,536
 * positions) beside a small safetensors cost 29 s and 4.2 GB before the
 * weights were refused. The header is checked first: refused at once. A
 * child with a 1 GiB address-space limit shows nothing large was asked
 * for (not under ASan, whose shadow memory needs more). */
static void test_config_vs_weights(void) {
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/model", test_tmpdir());
    if (make_model(dir)) { CHECK(0); return; }
    BertModel m;
    BtError err;
    CHECKF(model_load(&m, dir, &err) == 0, "%s", err.msg);
    model_free(&m);
    snprintf(path, sizeof path, "%s/config.json", dir);
    write_at(path, "{\"vocab_size\": 8, \"hidden_size\": 16384, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
                   " \"intermediate_size\": 16, \"max_position_embeddings\": 65536,"
                   " \"position_embedding_type\": \"sinusoidal\"}");
    fflush(NULL);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
#if !defined(__SANITIZE_ADDRESS__)
        struct rlimit lim = {1ul << 30, 1ul << 30};
        setrlimit(RLIMIT_AS, &lim);
#endif
        int rc = model_load(&m, dir, &err);
        if (rc == 0) _exit(2);
        printf("refused: %s\n", err.msg);
        _exit(strstr(err.msg, "has shape [8, 8], config.json implies [8, 16384]") ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    CHECKF(now() - t0 < 10, "refusing took %.1f s", now() - t0);

    /* weights that match, but a sinusoid no BERT needs: refused before it is computed */
    BertConfig cfg = {.vocab_size = 8, .hidden_size = 1024, .num_layers = 0, .num_heads = 2, .intermediate_size = 16,
                      .max_position = 65536, .type_vocab_size = 2, .layer_norm_eps = 1e-12f,
                      .pos_type = POS_SINUSOIDAL};
    CHECK(model_alloc(&m, &cfg, &err) == -1);
    CHECKF(strstr(err.msg, "max_position_embeddings 65536 × hidden_size 1024"), "%s", err.msg);
}

/* A model directory whose files are FIFOs or devices: one line, no hang. */
static void test_model_dir(void) {
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/model2", test_tmpdir());
    if (make_model(dir)) { CHECK(0); return; }
    BertModel m;
    BtError err;
    const char *names[] = {"vocab.txt", "tokenizer_config.json", "config.json", "model.safetensors"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char keep[720];
        snprintf(keep, sizeof keep, "%s.keep", path);
        int had = rename(path, keep) == 0;
        if (mkfifo(path, 0600) != 0) continue;
        double t0 = now();
        CHECK(model_load(&m, dir, &err) == -1);
        CHECKF(strstr(err.msg, names[i]) && strstr(err.msg, "FIFO"), "%s: %s", names[i], err.msg);
        CHECKF(now() - t0 < 5, "%s took %.1f s", names[i], now() - t0);
        unlink(path);
        if (had) rename(keep, path);
    }
    /* the vocabulary must hold the special tokens */
    snprintf(path, sizeof path, "%s/vocab.txt", dir);
    write_at(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ncat\nsat\non\n");
    CHECK(model_load(&m, dir, &err) == -1);
    CHECKF(strstr(err.msg, "vocab.txt: the vocabulary has no [MASK] token"), "%s", err.msg);
}

int main(void) {
    test_table();
    test_not_regular();
    test_readers();
    test_specials();
    test_config();
    test_config_vs_weights();
    test_model_dir();
    return test_done("infile");
}
