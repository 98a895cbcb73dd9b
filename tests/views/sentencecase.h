#ifndef BT_TESTS_SENTENCECASE_H
#define BT_TESTS_SENTENCECASE_H
/* The instrument views' tests on one sentence (lens, scan, saliency,
 * what-if): the model and the sentence's pass their results are made
 * from, built and freed in one place; each test says only what differs
 * (ViewCase's layers, pass_opts, make and drop). */
#include "bertology/pass.h"
#include "viewcheck.h"

/* The sentence they run: a [MASK] for the model to answer. */
#define VIEW_SENTENCE "the cat sat on the [MASK] ."

/* What a test's data starts with. */
typedef struct {
    BertModel m;
    Pass p;
} ViewSentence;

/* ViewCase.setup: zeroes c->data (c->size bytes), loads the default model
 * when real (1 when there is none), else a random one of c->layers layers
 * of 4 heads over c->vocab, runs VIEW_SENTENCE's pass with c->pass_opts
 * (NULL: the MLM head on), then c->make. -1 on failure, said as
 * "NAME: why". */
int view_sentence_setup(const ViewCase *c, int real);
/* ViewCase.teardown: c->drop, then the pass and the model. */
void view_sentence_teardown(const ViewCase *c);

#endif
