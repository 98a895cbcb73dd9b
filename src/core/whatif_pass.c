/* Run B of a what-if (bertology/whatif.h): the word put in, the
 * trainer's corruption, the second Pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/masking.h"
#include "bertology/whatif.h"

int whatif_word(const Tokenizer *t, const char *word, int *id, BtError *err) {
    if (!t) return bt_fail(err, "this model has no vocabulary");
    if ((*id = tok_id(t, word)) >= 0) return 0;
    int ids[8];
    int n = tok_wordpieces(t, word, ids, NULL, 8, err);
    if (n < 0) return -1;
    if (n == 1 && ids[0] != tok_unk_id(t)) {
        *id = ids[0];
        return 0;
    }
    if (n == 0) return bt_fail(err, "'%s' has no word pieces: give a word to put in", word);
    if (n == 1) return bt_fail(err, "'%s' is not in the vocabulary (the model would read [UNK])", word);
    char list[256] = "";
    for (int i = 0; i < n && i < 8; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? " " : "", tok_token(t, ids[i]));
    }
    return bt_fail(err,
                   "'%s' is %d word pieces (%s%s): a what-if puts one token in place of one; give one piece, or "
                     "another sentence for a longer change",
                   word, n, list, n > 8 ? " …" : "");
}

int whatif_corrupt(const Tokenizer *t, int *ids, int T, uint64_t *rng, unsigned char *kind, BtError *err) {
    MaskSpec spec;   /* the trainer's: rate 0.15, exact = 0 (instance_spec_init) */
    if (mask_spec_init(&spec, t, 0.15f, err) != 0) return -1;
    int *labels = malloc(sizeof(int) * (size_t)T);
    unsigned char *special = malloc((size_t)T);
    if (!labels || !special) {
        free(labels);
        free(special);
        return bt_fail(err, "out of memory");
    }
    /* the trainer's specials (corpus.c): [CLS], [SEP] and padding */
    for (int i = 0; i < T; i++)
        special[i] = (unsigned char)(ids[i] == tok_cls_id(t) || ids[i] == tok_sep_id(t) || ids[i] == tok_pad_id(t));
    int n = mask_apply(ids, T, special, &spec, rng, labels, kind);
    free(labels);
    free(special);
    if (n == 0) return bt_fail(err, "nothing to corrupt: the sentence has no word pieces");
    return n;
}

int whatif_pass_ids(Pass *b, const Pass *a, const int *ids, BtError *err) {
    /* Encoded as a was (pass_copy's way), then run once on the new ids. */
    if (pass_encode(b, a->model, a->text, &a->opt, err) != 0) return -1;
    if (pass_T(b) != pass_T(a)) {
        pass_free(b);
        return bt_fail(err, "internal: the sentence encodes to %d tokens, not %d", pass_T(b), pass_T(a));
    }
    memcpy(b->ids, ids, sizeof(int) * (size_t)pass_T(b));
    if (pass_rerun(b, NULL, err) != 0) {
        pass_free(b);
        return -1;
    }
    return 0;
}

char *whatif_ids_text(const Tokenizer *t, const int *ids, int n) {
    int from = n > 0 && ids[0] == tok_cls_id(t) ? 1 : 0, to = n > from && ids[n - 1] == tok_sep_id(t) ? n - 1 : n;
    size_t len = 1;
    for (int i = from; i < to; i++) len += strlen(tok_token(t, ids[i]) ? tok_token(t, ids[i]) : "?") + 1;
    char *out = malloc(len), *p = out;
    if (!out) return NULL;
    *p = '\0';
    for (int i = from; i < to; i++) {
        const char *w = tok_token(t, ids[i]);
        p += sprintf(p, "%s%s", i > from ? " " : "", w ? w : "?");
    }
    return out;
}
