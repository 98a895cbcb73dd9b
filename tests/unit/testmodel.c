#include "testmodel.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "bertology/tokenizer.h"
#include "testutil.h"

int test_random_model(BertModel *m, const BertConfig *cfg, const char *const *vocab, int n_vocab) {
    char path[700];
    snprintf(path, sizeof path, "%s/vocab.txt", test_tmpdir());
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    for (int i = 0; i < n_vocab; i++) fprintf(f, "%s\n", vocab[i]);
    fclose(f);
    BtError err = {{0}};
    if (model_alloc(m, cfg, &err) != 0 || tok_load(&m->tok, path, 1, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    /* the stream in the parameter table's order, not the block's (which
     * keeps Q, K, V side by side): the same model as before that layout */
    uint64_t r = 7;
    ParamInfo *tab = NULL;
    int np = model_param_table(cfg, &tab);
    for (int p = 0; p < np; p++)
        for (size_t i = 0; i < tab[p].numel; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            m->params[tab[p].offset + i] = (float)((double)(r >> 11) / 9007199254740992.0 - 0.5);
        }
    free(tab);
    int H = cfg->hidden_size;
    for (int l = 0; l < cfg->num_layers; l++)
        for (int i = 0; i < H; i++) m->layers[l].ln1_g[i] = m->layers[l].ln2_g[i] = 1;
    for (int i = 0; i < H; i++) m->emb_ln_g[i] = 1;
    return 0;
}
