/* Which words copy-free masking takes together: see
 * include/bertology/repeat_table.h. */
#include "bertology/repeat_table.h"
#include <stdlib.h>
#include <string.h>

/* Function words and punctuation recur in every sentence; masking all of
 * them at once would hide the grammar the guess needs, and guessing "the"
 * from "the" is not the copying at issue ("Water freezes into [MASK]." ->
 * water). So the commonest ids of the corpus are left out. */
enum { REPEAT_COMMON = 100 };

static int cmp_count_desc(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

unsigned char *repeat_table(const Tokenizer *tok, const Corpus *c) {
    int V = tok_vocab_size(tok);
    long *count = corpus_id_counts(c, V), *sorted = malloc(sizeof(long) * V);
    unsigned char *t = calloc(V, 1);
    if (!count || !sorted || !t) {
        free(count); free(sorted); free(t);
        return NULL;
    }
    memcpy(sorted, count, sizeof(long) * V);
    qsort(sorted, V, sizeof(long), cmp_count_desc);
    long common = sorted[REPEAT_COMMON < V ? REPEAT_COMMON - 1 : V - 1];
    for (int v = 0; v < V; v++) {
        const char *p = tok_token(tok, v);
        unsigned char c0 = p ? (unsigned char)p[0] : 0;
        int letter = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80;
        t[v] = letter && p[1] && count[v] < common;
    }
    free(count);
    free(sorted);
    return t;
}
