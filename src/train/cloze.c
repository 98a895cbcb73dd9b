#include "bertology/cloze.h"
#include "bertology/evalfile.h"
#include "bertology/guesses.h"
#include "bertology/pass.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bertology/i18n.h"

void cloze_free(ClozeItem *items, int n) {
    for (int i = 0; i < n; i++) {
        free(items[i].sentence);
        free(items[i].accepted);
    }
    free(items);
}

/* Whether the guess is a whole word of the sentence (the tokenizer's basic
 * words, special tokens such as [MASK] left out), case-insensitively. */
typedef struct {
    const char *guess;
    int found;
} CopyCheck;

static int is_guess(const char *word, size_t len, int special, void *ctx) {
    CopyCheck *c = ctx;
    if (!special && strlen(c->guess) == len && !strncasecmp(word, c->guess, len)) c->found = 1;
    return 0;
}

static int first_is_copy(const BertModel *m, const char *sentence, int id) {
    const char *w = tok_token(m->tok, id);
    size_t n = w ? strlen(w) : 0;
    if (!n || !strncmp(w, "##", 2) || (n >= 2 && w[0] == '[' && w[n - 1] == ']')) return 0;
    CopyCheck c = {w, 0};
    BtError ignore;
    if (tok_basic_words(sentence, strlen(sentence), tok_do_lower_case(m->tok), is_guess, &c, &ignore)) return 0;
    return c.found;
}

/* The model on one sentence: the rank of the best accepted word at the
 * [MASK] (ranks by logit, the order of the probabilities) and the top
 * guesses with their probabilities. */
static int score(const BertModel *m, const char *path, ClozeItem *it, BtError *err) {
    Pass p;
    BtError e;
    PassOptions opt = {.mlm = 1, .truncate = 1};   /* cut only to say how long it is */
    if (pass_encode(&p, m, it->sentence, &opt, &e))
        return bt_fail(err, "%s: line %d: %s", path, it->line, e.msg);
    int rc = -1;
    if (p.in.n_full > p.in.n) {
        bt_fail(err, "%s: line %d: the sentence has %d tokens, the model's limit is %d; shorten it", path, it->line,
                p.in.n_full, m->cfg.max_position);
        goto done;
    }
    int pos = -1, masks = 0;
    for (int t = 0; t < p.in.n; t++)
        if (p.ids[t] == tok_mask_id(m->tok)) { pos = t; masks++; }
    if (masks != 1) {
        bt_fail(err, "%s: line %d: the sentence needs exactly one [MASK], not %d", path, it->line, masks);
        goto done;
    }
    /* the accepted words that are one word piece; the others cannot be
     * predicted at one position, so they do not count */
    int V = m->cfg.vocab_size, n_ok = 0, ids[64];
    char *words = strdup(it->accepted), *save = NULL;
    if (!words) {
        bt_fail(err, "out of memory");
        goto done;
    }
    for (char *w = strtok_r(words, " \t", &save); w && n_ok < 64; w = strtok_r(NULL, " \t", &save)) {
        int piece[2];
        BtError e2;
        if (tok_wordpieces(m->tok, w, piece, NULL, 2, &e2) == 1 && piece[0] != tok_unk_id(m->tok)) ids[n_ok++] = piece[0];
    }
    free(words);
    if (!n_ok) {
        bt_fail(err, "%s: line %d: none of the accepted words (%s) is a single word piece of this vocabulary", path,
                it->line, it->accepted);
        goto done;
    }
    if (pass_rerun(&p, NULL, err)) goto done;
    const float *lg = p.tr.mlm_logits + (size_t)pos * V;
    it->best_rank = V + 1;
    for (int a = 0; a < n_ok; a++) {
        int rank = guesses_rank(lg, V, ids[a]);
        if (rank < it->best_rank) it->best_rank = rank;
    }
    guesses_top(lg, V, CLOZE_TOP, it->top);
    it->first_is_copy = first_is_copy(m, it->sentence, it->top[0].id);
    rc = 0;
done:
    pass_free(&p);
    return rc;
}

typedef struct {
    const BertModel *m;
    const char *path;
    ClozeItem **items;
    int *n, cap;
} ClozeRead;

static int cloze_line(char *line, int lineno, void *ctx, BtError *err) {
    ClozeRead *c = ctx;
    char *tab = strchr(line, '\t');
    if (!tab || !tab[1 + strspn(tab + 1, " ")])
        return bt_fail(err, "%s: line %d: write the sentence, a tab, then the accepted words", c->path, lineno);
    *tab = '\0';
    if (evalfile_grow((void **)c->items, sizeof **c->items, *c->n, &c->cap)) return bt_fail(err, "out of memory");
    ClozeItem *it = &(*c->items)[(*c->n)++];
    memset(it, 0, sizeof *it);
    it->line = lineno;
    it->sentence = strdup(line);
    it->accepted = strdup(tab + 1);
    if (!it->sentence || !it->accepted) return bt_fail(err, "out of memory");
    return score(c->m, c->path, it, err);
}

int cloze_run(const BertModel *m, const char *path, ClozeItem **items, int *n, BtError *err) {
    *items = NULL;
    *n = 0;
    if (!m->has_mlm) return bt_fail(err, "the model has no MLM head, so it cannot fill in a [MASK]");
    ClozeRead c = {m, path, items, n, 0};
    int got = evalfile_each(path, N_("cloze file"), cloze_line, &c, err);
    if (got == 0) got = bt_fail(err, "%s: no cloze items (sentence, a tab, accepted words)", path);
    if (got < 0) {
        cloze_free(*items, *n);
        *items = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
