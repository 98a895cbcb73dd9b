/* libFuzzer target: config.json and tokenizer_config.json. The input is
 * written to a file and read the way a model directory is: config_load
 * must fail with a message or give a config that config_validate accepts
 * (issue 17: 1e20 layers was an undefined conversion; duplicate keys mean
 * the last, as in Python). The same bytes as a tokenizer_config.json must
 * give do_lower_case 0, 1 or leave the fallback alone. */
#include "bertology/config.h"
#include "bertology/tokenizer.h"
#include "fuzz_util.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], cfg_path[128], tok_path[128];

static void die(const char *what, const char *msg) {
    fprintf(stderr, "fuzz_config: %s: %s\n", what, msg);
    abort();
}

static void put(const char *p, const uint8_t *d, size_t n) {
    FILE *f = fopen(p, "wb");
    if (!f) die("fopen", p);
    if (n && fwrite(d, 1, n, f) != n) die("fwrite", p);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s", fuzz_tmpdir("fuzz-config"));
        snprintf(cfg_path, sizeof cfg_path, "%s/config.json", dir);
        snprintf(tok_path, sizeof tok_path, "%s/tokenizer_config.json", dir);
    }
    put(cfg_path, data, size);
    BertConfig c;
    BtError err = {{0}};
    err.msg[0] = 0;
    if (config_load(cfg_path, &c, &err) == 0) {
        if (config_validate(&c, cfg_path, &err) != 0) die("config_load accepted what config_validate refuses", err.msg);
    } else if (!err.msg[0]) {   /* quoted strings may hold anything: the printers clean them */
        die("config_load", "failed without a message");
    }
    put(tok_path, data, size);
    int lower = 7;
    if (tok_config_read(dir, &lower, &err) != 0) die("tok_config_read refused a regular small file", err.msg);
    if (lower != 0 && lower != 1 && lower != 7) die("tok_config_read", "do_lower_case neither 0, 1 nor left alone");
    return 0;
}
