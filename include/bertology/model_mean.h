#ifndef BERTOLOGY_MODEL_MEAN_H
#define BERTOLOGY_MODEL_MEAN_H
#include "bertology/model.h"

/* A checkpoint average (Polyak/"model soup"): replaces every parameter of
 * m with the element-wise mean of m's and those of the n models in dirs.
 * Every model must have m's shape, heads, decoder tying and vocabulary
 * (token by token); err names the first that does not. The sums are kept
 * in double, so the order of the models changes nothing. */
int model_mean_with(BertModel *m, const char *const *dirs, int n, BtError *err);

#endif
