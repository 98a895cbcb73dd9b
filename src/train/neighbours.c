/* eval --neighbours: are a word's nearest input embeddings words a person
 * would accept as related? */
#include "bertology/neighbours.h"
#include "bertology/evalfile.h"
#include "bertology/tokenizer.h"
#include "bertology/vectors.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"

void neighbours_free(NeighbourItem *items, int n) {
    for (int i = 0; i < n; i++) {
        free(items[i].word);
        free(items[i].accepted);
    }
    free(items);
}

/* The nearest rows to row w, without w and ## pieces (vec_nearest already
 * leaves out special tokens): asks vec_nearest for more rows until
 * NEIGHBOURS_TOP remain after the ## pieces are dropped. */
static int nearest(const VecSet *vs, long w, NeighbourItem *it, BtError *err) {
    long count = vecset_count(vs);
    int k = 4 * NEIGHBOURS_TOP;
    for (;;) {
        if (k > count) k = (int)count;
        if (k <= 0) return 0;
        VecHit *hits = malloc((size_t)k * sizeof *hits);
        if (!hits) return bt_fail(err, "out of memory");
        int n = vec_nearest(vs, vecset_row(vs, w), &w, 1, k, hits);
        it->n_top = 0;
        for (int i = 0; i < n && it->n_top < NEIGHBOURS_TOP; i++) {
            if (!strncmp(vecset_word(vs, hits[i].row), "##", 2)) continue;
            it->top[it->n_top] = (int)hits[i].row;
            it->cos[it->n_top++] = hits[i].cos;
        }
        free(hits);
        if (it->n_top == NEIGHBOURS_TOP || n < k || k == count) return 0;
        k *= 4;
    }
}

static int score(const VecSet *vs, const char *path, NeighbourItem *it, BtError *err) {
    long w = vecset_find(vs, it->word);
    if (w < 0)
        return bt_fail(err, "%s: line %d: the headword '%s' is not a piece of this model's vocabulary; write a word "
                       "that is", path, it->line, it->word);
    if (!vecset_listable(vs, w))
        return bt_fail(err, "%s: line %d: the headword '%s' is a special token or has a zero vector", path, it->line,
                       it->word);
    if (nearest(vs, w, it, err)) return -1;
    char *words = strdup(it->accepted), *save = NULL;
    if (!words) return bt_fail(err, "out of memory");
    for (char *a = strtok_r(words, " \t", &save); a; a = strtok_r(NULL, " \t", &save))
        for (int i = 0; i < it->n_top; i++)
            if (!strcmp(vecset_word(vs, it->top[i]), a)) it->hit[i] = 1;
    free(words);
    for (int i = 0; i < it->n_top; i++) it->holds |= it->hit[i];
    return 0;
}

typedef struct {
    const VecSet *vs;
    const char *path;
    NeighbourItem **items;
    int *n, cap;
} NeighboursRead;

static int neighbours_line(char *line, int lineno, void *ctx, BtError *err) {
    NeighboursRead *c = ctx;
    char *tab = strchr(line, '\t');
    if (!tab || !tab[1 + strspn(tab + 1, " \t")])
        return bt_fail(err, "%s: line %d: write the headword, a tab, then the acceptable neighbours", c->path, lineno);
    *tab = '\0';
    char *word = line + strspn(line, " ");
    for (size_t l = strlen(word); l > 0 && word[l - 1] == ' '; l--) word[l - 1] = '\0';
    if (evalfile_grow((void **)c->items, sizeof **c->items, *c->n, &c->cap)) return bt_fail(err, "out of memory");
    NeighbourItem *it = &(*c->items)[(*c->n)++];
    memset(it, 0, sizeof *it);
    it->line = lineno;
    it->word = strdup(word);
    it->accepted = strdup(tab + 1);
    if (!it->word || !it->accepted) return bt_fail(err, "out of memory");
    return score(c->vs, c->path, it, err);
}

int neighbours_run(const BertModel *m, const char *path, NeighbourItem **items, int *n, BtError *err) {
    *items = NULL;
    *n = 0;
    VecSet *vs;
    if (vecset_from_model(&vs, m, err)) return -1;
    NeighboursRead c = {vs, path, items, n, 0};
    int got = evalfile_each(path, N_("neighbours file"), neighbours_line, &c, err);
    vecset_free(vs);
    if (got == 0) got = bt_fail(err, "%s: no lines (a headword, a tab, the acceptable neighbours)", path);
    if (got < 0) {
        neighbours_free(*items, *n);
        *items = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
