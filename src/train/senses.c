/* eval --senses: one word in three sentences, A and B in one sense and C
 * in another; do the model's vectors put A and B closer together than
 * either is to C? */
#include "bertology/senses.h"
#include "bertology/evalfile.h"
#include "bertology/pass.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"
#include "bertology/vectors.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"

static const char *const SENT_NAME[3] = {"A", "B", "C"};

void senses_free(SenseResult *r) {
    for (int i = 0; i < r->n; i++) {
        SenseItem *it = &r->items[i];
        free(it->word);
        for (int s = 0; s < 3; s++) free(it->sentence[s]);
        free(it->cos);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

int senses_holds(const double *c) {
    double other = c[SENSE_AC] > c[SENSE_BC] ? c[SENSE_AC] : c[SENSE_BC];
    return c[SENSE_AB] > other;
}

int senses_count(const SenseResult *r, int p) {
    int k = 0;
    for (int i = 0; i < r->n; i++) k += senses_holds(r->items[i].cos + 3 * p);
    return k;
}

int senses_static_count(const SenseResult *r) {
    int k = 0;
    for (int i = 0; i < r->n; i++) k += senses_holds(r->items[i].static_cos);
    return k;
}

/* The basic words of a text, lower-cased as the tokenizer does (special
 * tokens keep their slot, so the word indices match tok_encode's, but
 * never match the word). */
static int words_of(const BertModel *m, const char *text, TokWords *l, BtError *err) {
    return tok_words(text, tok_do_lower_case(m->tok), l, err);
}

/* Runs sentence s of item it and writes the word's vector at every point
 * to vec (n_points,H) and its static vector to stat (H). */
static int run_sentence(const BertModel *m, const char *path, SenseItem *it, int s, float *vec, float *stat,
                        BtError *err) {
    const char *text = it->sentence[s];
    int H = m->cfg.hidden_size, P = m->cfg.num_layers + 1;
    if (strstr(text, "|||"))
        return bt_fail(err, "%s: line %d: sentence %s contains |||; write single sentences", path, it->line,
                       SENT_NAME[s]);
    TokWords l;
    BtError e;
    if (words_of(m, text, &l, &e))
        return bt_fail(err, "%s: line %d: sentence %s: %s", path, it->line, SENT_NAME[s], e.msg);
    int at = -1;
    it->occurrences[s] = 0;
    for (int k = 0; k < l.n; k++)
        if (!l.special[k] && !strcmp(l.w[k], it->word) && it->occurrences[s]++ == 0) at = k;
    tok_words_free(&l);
    if (at < 0)
        return bt_fail(err, "%s: line %d: the word '%s' does not occur in sentence %s (\"%.60s%s\"); write it there as a "
                       "word of its own", path, it->line, it->word, SENT_NAME[s], text, strlen(text) > 60 ? "…" : "");
    Pass ps;
    PassOptions opt = {.truncate = 1};   /* cut only to say how long it is */
    if (pass_encode(&ps, m, text, &opt, &e))
        return bt_fail(err, "%s: line %d: sentence %s: %s", path, it->line, SENT_NAME[s], e.msg);
    const TokInput *in = &ps.in;
    int rc = -1;
    if (in->n_full > in->n) {
        bt_fail(err, "%s: line %d: sentence %s has %d tokens, the model's limit is %d; shorten it", path, it->line,
                SENT_NAME[s], in->n_full, m->cfg.max_position);
        goto done;
    }
    int first, n_pieces = pass_word_span(&ps, at, &first);
    if (first < 0) {
        bt_fail(err, "%s: line %d: internal: word %d of sentence %s has no tokens", path, it->line, at, SENT_NAME[s]);
        goto done;
    }
    it->n_pieces = n_pieces;
    if (pass_rerun(&ps, NULL, err)) goto done;
    for (int p = 0; p < P; p++)
        mean_rows(pass_point(&ps, p), H, first, first + n_pieces, vec + (size_t)p * H);
    memset(stat, 0, (size_t)H * sizeof *stat);
    for (int t = first; t < first + n_pieces; t++)
        for (int d = 0; d < H; d++) stat[d] += m->word_emb[(size_t)in->ids[t] * H + d];
    for (int d = 0; d < H; d++) stat[d] /= (float)n_pieces;
    rc = 0;
done:
    pass_free(&ps);
    return rc;
}

/* Splits the line at its tabs into word and sentences, checks the word is
 * one word, and runs the three sentences. */
static int score(const BertModel *m, const char *path, SenseItem *it, char *line, BtError *err) {
    char *f[4];
    int n_fields = 1;
    f[0] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            if (n_fields < 4) f[n_fields] = p + 1;
            n_fields++;
            *p = '\0';
        }
    if (n_fields != 4)
        return bt_fail(err, "%s: line %d: write the word and three sentences A, B, C separated by tabs (4 fields, "
                       "not %d)", path, it->line, n_fields);
    for (int k = 1; k < 4; k++)
        if (!f[k][strspn(f[k], " ")])
            return bt_fail(err, "%s: line %d: sentence %s is empty", path, it->line, SENT_NAME[k - 1]);
    TokWords wl;
    BtError e;
    if (words_of(m, f[0], &wl, &e)) return bt_fail(err, "%s: line %d: the word: %s", path, it->line, e.msg);
    if (wl.n != 1 || wl.special[0]) {
        int n = wl.n;
        tok_words_free(&wl);
        return bt_fail(err, "%s: line %d: '%.60s' is %s for the tokenizer; write one word before the first tab", path,
                       it->line, f[0], n ? _("not one word") : _("no word"));
    }
    it->word = wl.w[0];
    wl.w[0] = NULL;
    tok_words_free(&wl);
    for (int s = 0; s < 3; s++)
        if (!(it->sentence[s] = strdup(f[s + 1]))) return bt_fail(err, "out of memory");

    int H = m->cfg.hidden_size, P = m->cfg.num_layers + 1;
    float *buf = malloc((size_t)H * (P + 1) * 3 * sizeof *buf);
    it->cos = malloc((size_t)P * 3 * sizeof *it->cos);
    if (!buf || !it->cos) {
        free(buf);
        return bt_fail(err, "out of memory");
    }
    float *vec[3], *stat[3];
    for (int s = 0; s < 3; s++) {
        vec[s] = buf + (size_t)s * P * H;
        stat[s] = buf + (size_t)3 * P * H + (size_t)s * H;
    }
    int rc = 0;
    for (int s = 0; s < 3 && !rc; s++) rc = run_sentence(m, path, it, s, vec[s], stat[s], err);
    if (!rc) {
        static const int pair[3][2] = {{0, 1}, {0, 2}, {1, 2}};
        for (int p = 0; p < P; p++)
            for (int k = 0; k < 3; k++)
                it->cos[3 * p + k] = vec_cosine(vec[pair[k][0]] + (size_t)p * H, vec[pair[k][1]] + (size_t)p * H, H);
        for (int k = 0; k < 3; k++) it->static_cos[k] = vec_cosine(stat[pair[k][0]], stat[pair[k][1]], H);
    }
    free(buf);
    return rc;
}

typedef struct {
    const BertModel *m;
    const char *path;
    SenseResult *r;
    int cap;
} SensesRead;

static int senses_line(char *line, int lineno, void *ctx, BtError *err) {
    SensesRead *c = ctx;
    if (evalfile_grow((void **)&c->r->items, sizeof *c->r->items, c->r->n, &c->cap)) return bt_fail(err, "out of memory");
    SenseItem *it = &c->r->items[c->r->n++];
    memset(it, 0, sizeof *it);
    it->line = lineno;
    return score(c->m, c->path, it, line, err);
}

int senses_run(const BertModel *m, const char *path, SenseResult *r, BtError *err) {
    memset(r, 0, sizeof *r);
    if (!m->tok) return bt_fail(err, "this model has no vocabulary, so it cannot read sentences");
    r->n_points = m->cfg.num_layers + 1;
    SensesRead c = {m, path, r, 0};
    int got = evalfile_each(path, N_("senses file"), senses_line, &c, err);
    if (got == 0) got = bt_fail(err, "%s: no lines (a word, then three sentences A, B, C, tab separated)", path);
    if (got < 0) {
        senses_free(r);
        return -1;
    }
    return 0;
}
