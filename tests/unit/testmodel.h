#ifndef BT_TESTMODEL_H
#define BT_TESTMODEL_H
/* A small model with fixed pseudo-random weights for tests that need one
 * in memory: the given vocabulary is written to the test's temporary
 * directory and loaded, parameters are uniform in [-0.5, 0.5) from a fixed
 * LCG, LayerNorm gains 1 so activations stay in range. */
#include "bertology/model.h"

int test_random_model(BertModel *m, const BertConfig *cfg, const char *const *vocab, int n_vocab);

#endif
