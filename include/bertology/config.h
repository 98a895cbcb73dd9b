#ifndef BERTOLOGY_CONFIG_H
#define BERTOLOGY_CONFIG_H
#include "bertology/error.h"

typedef enum { POS_ABSOLUTE = 0, POS_SINUSOIDAL = 1 } PosType;

/* The keys of a Hugging Face BERT config.json that change the math. */
typedef struct {
    int vocab_size;
    int hidden_size;
    int num_layers;        /* num_hidden_layers */
    int num_heads;         /* num_attention_heads */
    int intermediate_size;
    int max_position;      /* max_position_embeddings */
    int type_vocab_size;
    float layer_norm_eps;
    PosType pos_type;      /* "absolute" (learned) or our "sinusoidal" */
} BertConfig;

/* Reads and validates config.json; err names the file and the key. */
int config_load(const char *path, BertConfig *cfg, BtError *err);
/* Writes a config.json that Hugging Face's BertConfig also reads. */
int config_save(const char *path, const BertConfig *cfg, BtError *err);
/* Whether weights of a fit b: the same sizes and kind of positions
 * (layer_norm_eps and type_vocab_size are not compared). */
int config_same_shape(const BertConfig *a, const BertConfig *b);
/* Checks sizes for consistency (heads divide hidden, all positive, sane). */
int config_validate(const BertConfig *cfg, const char *path, BtError *err);

#endif
