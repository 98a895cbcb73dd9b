#include "bertology/config.h"
#include "bertology/infile.h"
#include "bertology/json.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get_int(const cJSON *root, const char *key, int *out, int required,
                   const char *path, BtError *err) {
    const cJSON *it = bt_json_get(root, key);
    if (!it) return required ? bt_fail(err, "%s: missing key \"%s\"", path, key) : 0;
    /* the range first: converting 1e20 to an integer is undefined */
    if (!cJSON_IsNumber(it) || !(fabs(it->valuedouble) <= 1e9) || it->valuedouble != floor(it->valuedouble))
        return bt_fail(err, "%s: key \"%s\" must be an integer between -10^9 and 10^9", path, key);
    *out = (int)it->valuedouble;
    return 0;
}

int config_same_shape(const BertConfig *a, const BertConfig *b) {
    return a->hidden_size == b->hidden_size && a->num_layers == b->num_layers && a->num_heads == b->num_heads &&
           a->intermediate_size == b->intermediate_size && a->vocab_size == b->vocab_size &&
           a->max_position == b->max_position && a->pos_type == b->pos_type;
}

int config_validate(const BertConfig *c, const char *path, BtError *err) {
    struct { const char *key; int v; int lo; int hi; } lim[] = {
        {"vocab_size", c->vocab_size, 5, 1 << 21},
        {"hidden_size", c->hidden_size, 1, 1 << 14},
        {"num_hidden_layers", c->num_layers, 0, 256},
        {"num_attention_heads", c->num_heads, 1, 1024},
        {"intermediate_size", c->intermediate_size, 1, 1 << 16},
        {"max_position_embeddings", c->max_position, 2, 1 << 16},
        {"type_vocab_size", c->type_vocab_size, 1, 1024},
    };
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++)
        if (lim[i].v < lim[i].lo || lim[i].v > lim[i].hi)
            return bt_fail(err, "%s: %s = %d is outside [%d, %d]", path, lim[i].key, lim[i].v,
                           lim[i].lo, lim[i].hi);
    if (c->hidden_size % c->num_heads)
        return bt_fail(err, "%s: hidden_size %d is not divisible by num_attention_heads %d",
                       path, c->hidden_size, c->num_heads);
    if (c->pos_type == POS_SINUSOIDAL && c->hidden_size % 2)
        return bt_fail(err, "%s: sinusoidal positions need an even hidden_size (got %d)",
                       path, c->hidden_size);
    if (!(c->layer_norm_eps > 0 && c->layer_norm_eps < 1))
        return bt_fail(err, "%s: layer_norm_eps must be in (0, 1)", path);
    return 0;
}

int config_load(const char *path, BertConfig *cfg, BtError *err) {
    char *text = bt_file_read(path, BT_FILE_CONFIG, NULL, err);
    if (!text) return -1;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return bt_fail(err, "%s: not a JSON object (is this a config.json?)", path);
    }
    BertConfig c = {.type_vocab_size = 2, .layer_norm_eps = 1e-12f, .pos_type = POS_ABSOLUTE,
                    .max_position = 512};
    int rc = 0;
    rc = rc ? rc : get_int(root, "vocab_size", &c.vocab_size, 1, path, err);
    rc = rc ? rc : get_int(root, "hidden_size", &c.hidden_size, 1, path, err);
    rc = rc ? rc : get_int(root, "num_hidden_layers", &c.num_layers, 1, path, err);
    rc = rc ? rc : get_int(root, "num_attention_heads", &c.num_heads, 1, path, err);
    rc = rc ? rc : get_int(root, "intermediate_size", &c.intermediate_size, 1, path, err);
    rc = rc ? rc : get_int(root, "max_position_embeddings", &c.max_position, 0, path, err);
    rc = rc ? rc : get_int(root, "type_vocab_size", &c.type_vocab_size, 0, path, err);
    if (!rc) {
        const cJSON *eps = bt_json_get(root, "layer_norm_eps");
        if (eps && !cJSON_IsNumber(eps)) rc = bt_fail(err, "%s: layer_norm_eps must be a number", path);
        else if (eps) c.layer_norm_eps = (float)eps->valuedouble;
    }
    if (!rc) {
        const cJSON *act = bt_json_get(root, "hidden_act");
        /* BERT's "gelu" is the exact erf form; tanh approximations differ in
         * the 4th digit, so refusing them beats being silently off. */
        if (act && (!cJSON_IsString(act) || strcmp(act->valuestring, "gelu") != 0))
            rc = bt_fail(err, "%s: hidden_act \"%s\" is not supported (only \"gelu\", the exact erf GELU)",
                         path, cJSON_IsString(act) ? act->valuestring : "?");
    }
    if (!rc) {
        const cJSON *pt = bt_json_get(root, "position_embedding_type");
        if (pt) {
            if (cJSON_IsString(pt) && strcmp(pt->valuestring, "absolute") == 0) c.pos_type = POS_ABSOLUTE;
            else if (cJSON_IsString(pt) && strcmp(pt->valuestring, "sinusoidal") == 0) c.pos_type = POS_SINUSOIDAL;
            else rc = bt_fail(err, "%s: position_embedding_type \"%s\" is not supported (use \"absolute\" or \"sinusoidal\")",
                              path, cJSON_IsString(pt) ? pt->valuestring : "?");
        }
    }
    if (!rc) {
        const cJSON *mt = bt_json_get(root, "model_type");
        if (mt && cJSON_IsString(mt) && strcmp(mt->valuestring, "bert") != 0)
            rc = bt_fail(err, "%s: model_type \"%s\" is not BERT", path, mt->valuestring);
    }
    cJSON_Delete(root);
    if (!rc) rc = config_validate(&c, path, err);
    if (!rc) *cfg = c;
    return rc;
}

int config_save(const char *path, const BertConfig *c, BtError *err) {
    cJSON *root = cJSON_CreateObject();
    cJSON *arch = cJSON_AddArrayToObject(root, "architectures");
    cJSON_AddItemToArray(arch, cJSON_CreateString("BertForPreTraining"));
    cJSON_AddStringToObject(root, "model_type", "bert");
    cJSON_AddNumberToObject(root, "vocab_size", c->vocab_size);
    cJSON_AddNumberToObject(root, "hidden_size", c->hidden_size);
    cJSON_AddNumberToObject(root, "num_hidden_layers", c->num_layers);
    cJSON_AddNumberToObject(root, "num_attention_heads", c->num_heads);
    cJSON_AddNumberToObject(root, "intermediate_size", c->intermediate_size);
    cJSON_AddStringToObject(root, "hidden_act", "gelu");
    cJSON_AddNumberToObject(root, "hidden_dropout_prob", 0.1);
    cJSON_AddNumberToObject(root, "attention_probs_dropout_prob", 0.1);
    cJSON_AddNumberToObject(root, "max_position_embeddings", c->max_position);
    cJSON_AddNumberToObject(root, "type_vocab_size", c->type_vocab_size);
    cJSON_AddNumberToObject(root, "initializer_range", 0.02);
    cJSON_AddNumberToObject(root, "layer_norm_eps", c->layer_norm_eps);
    cJSON_AddNumberToObject(root, "pad_token_id", 0);
    cJSON_AddStringToObject(root, "position_embedding_type",
                            c->pos_type == POS_SINUSOIDAL ? "sinusoidal" : "absolute");
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) return bt_fail(err, "%s: out of memory", path);
    FILE *f = fopen(path, "wb");
    if (!f) { free(text); return bt_fail(err, "%s: cannot write: %s", path, strerror(errno)); }
    int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    ok = (fclose(f) == 0) && ok;
    free(text);
    return ok ? 0 : bt_fail(err, "%s: write failed", path);
}
