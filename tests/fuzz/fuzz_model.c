/* libFuzzer target for the whole model loader: the input is split into a
 * config.json and a model.safetensors (first two bytes: the config's
 * length), written beside a fixed small vocab, and loaded; whatever loads
 * must also run one forward pass. */
#include "bertology/forward.h"
#include "bertology/model.h"
#include "fuzz_util.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const uint8_t *d, size_t n) {
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) abort();
    if (n && fwrite(d, 1, n, f) != n) abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s", fuzz_tmpdir("fuzz-model"));
        const char *vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nb\nc\n";
        put("vocab.txt", (const uint8_t *)vocab, strlen(vocab));
    }
    if (size < 2) return 0;
    size_t nc = ((size_t)data[0] << 8 | data[1]) % (size - 1);
    put("config.json", data + 2, nc);
    put("model.safetensors", data + 2 + nc, size - 2 - nc);
    BertModel m;
    BtError err;
    if (model_load(&m, dir, &err) == 0) {
        /* a model that loads is small here (the file bounds it): run it */
        if ((size_t)m.cfg.hidden_size * m.cfg.intermediate_size < (1u << 20) && m.cfg.num_layers < 8) {
            Trace tr;
            int ids[3] = {2, 5, 3};
            if (m.cfg.max_position >= 3 && trace_alloc(&tr, &m, 1, 3, 3, 0, &err) == 0) {
                if (forward_prepare(&tr, ids, NULL, 3, &err) == 0) forward(&m, &tr, NULL);
                trace_free(&tr);
            }
        }
        model_free(&m);
    }
    return 0;
}
