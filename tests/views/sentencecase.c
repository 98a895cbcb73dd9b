/* The model and the sentence's pass of the instrument views' tests (see sentencecase.h). */
#include "sentencecase.h"
#include <stdio.h>
#include <string.h>
#include "../unit/testmodel.h"

int view_sentence_setup(const ViewCase *c, int real) {
    ViewSentence *s = c->data;
    memset(c->data, 0, c->size);
    BertConfig cfg = {c->nvocab, 32, c->layers, 4, 64, 32, 2, 1e-12f, POS_ABSOLUTE};
    if (real ? view_default_model(&s->m) : test_random_model(&s->m, &cfg, c->vocab, c->nvocab)) return real ? 1 : -1;
    const PassOptions mlm = {.mlm = 1};
    BtError err = {{0}};
    if (pass_run(&s->p, &s->m, VIEW_SENTENCE, c->pass_opts ? c->pass_opts : &mlm, &err) != 0 ||
        c->make(c->data, &err) != 0) {
        fprintf(stderr, "%s: %s\n", c->name, err.msg);
        return -1;
    }
    return 0;
}

void view_sentence_teardown(const ViewCase *c) {
    ViewSentence *s = c->data;
    c->drop(c->data);
    pass_free(&s->p);
    model_free(&s->m);
}
