#include "bertology/corpus.h"
#include "bertology/infile.h"
#include "bertology/grow.h"
#include "bertology/ops.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long *corpus_id_counts(const Corpus *c, int V) {
    long *count = calloc((size_t)V, sizeof *count);
    if (!count) return NULL;
    for (long i = 0; i < c->n_ids; i++)
        if (c->ids[i] >= 0 && c->ids[i] < V) count[c->ids[i]]++;
    return count;
}

int corpus_load(Corpus *c, const char *path, const Tokenizer *tok, BtError *err) {
    memset(c, 0, sizeof *c);
    FILE *f = bt_file_fopen(path, BT_FILE_CORPUS, err);
    if (!f) return -1;
    size_t cap_ids = 0, cap_s = 0, cap_d = 0;
    long lineno = 0;
    int piece_cap = 4096;
    int *pieces = malloc(sizeof(int) * piece_cap);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    int rc = 0, in_doc = 0;
    int unk = tok_unk_id(tok);
    while (!rc && (len = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0) { in_doc = 0; continue; }
        if (!in_doc) {
            if (bt_grow((void **)&c->doc_start, &cap_d, (size_t)c->n_docs + 2, sizeof(long))) { rc = bt_fail(err, "out of memory"); break; }
            c->doc_start[c->n_docs++] = c->n_sents;
            in_doc = 1;
        }
        BtError e;
        int n = tok_wordpieces(tok, line, pieces, NULL, piece_cap, &e);
        if (n > piece_cap) {
            piece_cap = n;
            pieces = realloc(pieces, sizeof(int) * piece_cap);
            n = tok_wordpieces(tok, line, pieces, NULL, piece_cap, &e);
        }
        if (n < 0) { rc = bt_fail(err, "%s:%ld: %s", path, lineno, e.msg); break; }
        if (n == 0) continue;
        if (bt_grow((void **)&c->ids, &cap_ids, (size_t)(c->n_ids + n), sizeof(int)) ||
            bt_grow((void **)&c->sent_start, &cap_s, (size_t)c->n_sents + 2, sizeof(long))) {
            rc = bt_fail(err, "out of memory");
            break;
        }
        c->sent_start[c->n_sents++] = c->n_ids;
        memcpy(c->ids + c->n_ids, pieces, sizeof(int) * n);
        c->n_ids += n;
        for (int i = 0; i < n; i++) c->n_unk += pieces[i] == unk;
        for (char *p = line; *p;) {
            while (*p == ' ') p++;
            if (*p) c->n_words++;
            while (*p && *p != ' ') p++;
        }
    }
    free(line);
    free(pieces);
    fclose(f);
    if (!rc && c->n_docs < 2) rc = bt_fail(err, "%s: needs at least 2 documents (separated by blank lines) for next-sentence pairs", path);
    if (rc) { corpus_free(c); return rc; }
    if (!c->sent_start) {
        c->sent_start = malloc(sizeof(long) * 2);
    }
    c->sent_start[c->n_sents] = c->n_ids;
    c->doc_start[c->n_docs] = c->n_sents;
    /* documents left empty by lines of pure whitespace would break sampling */
    long w = 0;
    for (long d = 0; d < c->n_docs; d++)
        if (c->doc_start[d + 1] > c->doc_start[d]) c->doc_start[w++] = c->doc_start[d];
    c->doc_start[w] = c->n_sents;
    c->n_docs = w;
    c->multi = malloc(sizeof(long) * (w ? w : 1));
    for (long d = 0; d < w && c->multi; d++)
        if (c->doc_start[d + 1] - c->doc_start[d] >= 2) c->multi[c->n_multi++] = d;
    if (!c->multi || !c->n_multi) {
        corpus_free(c);
        return bt_fail(err, "%s: no document has two sentences, so there are no next-sentence pairs", path);
    }
    return 0;
}

void corpus_free(Corpus *c) {
    free(c->ids);
    free(c->sent_start);
    free(c->doc_start);
    free(c->multi);
    memset(c, 0, sizeof *c);
}

int instance_spec_init(InstanceSpec *spec, const Tokenizer *tok, int max_len, float mask_rate, BtError *err) {
    /* tok_load refused a vocabulary without [PAD] [UNK] [CLS] [SEP] [MASK] */
    MaskSpec mask;
    if (mask_spec_init(&mask, tok, mask_rate, err)) return -1;
    *spec = (InstanceSpec){.max_len = max_len, .short_seq_prob = 0.1f, .mask = mask,
                           .cls_id = tok_cls_id(tok), .sep_id = tok_sep_id(tok), .pad_id = tok_pad_id(tok)};
    return 0;
}

int instance_alloc(Instance *in, int T) {
    memset(in, 0, sizeof *in);
    in->T = T;
    in->ids = malloc(sizeof(int) * T);
    in->type_ids = malloc(sizeof(int) * T);
    in->valid = malloc(sizeof(int) * T);
    in->labels = malloc(sizeof(int) * T);
    in->kind = malloc((size_t)T);
    in->scratch = malloc(sizeof(int) * T * 2);
    in->special = malloc((size_t)T);
    return in->ids && in->type_ids && in->valid && in->labels && in->kind && in->scratch && in->special ? 0 : -1;
}

void instance_free(Instance *in) {
    free(in->ids);
    free(in->type_ids);
    free(in->valid);
    free(in->labels);
    free(in->kind);
    free(in->scratch);
    free(in->special);
    memset(in, 0, sizeof *in);
}

static long rand_below(uint64_t *rng, long n) { return n > 0 ? (long)(rng_next(rng) % (uint64_t)n) : 0; }

/* Appends sentences [s, e) of the corpus to buf (up to cap pieces). */
static int take_sents(const Corpus *c, long s, long e, int *buf, int cap) {
    int n = 0;
    for (long i = s; i < e && n < cap; i++)
        for (long k = c->sent_start[i]; k < c->sent_start[i + 1] && n < cap; k++) buf[n++] = c->ids[k];
    return n;
}

void instance_sample(const Corpus *c, const InstanceSpec *spec, uint64_t *rng, Instance *out) {
    int T = spec->max_len, budget = T - 3;
    int target = budget;
    if (rng_uniform(rng) < spec->short_seq_prob) target = 2 + (int)rand_below(rng, budget - 1);
    if (target < 2) target = 2;
    /* A and B: a run of at least two sentences from a random point of a
     * random multi-sentence document, split at a random boundary. B is the
     * rest of the run (IsNext) or, half of the time, a run from another
     * document (NotNext). */
    int is_next = rng_uniform(rng) < 0.5f;
    long d = c->multi[rand_below(rng, c->n_multi)];
    long ds = c->doc_start[d], de = c->doc_start[d + 1];
    long s0 = ds + rand_below(rng, de - ds - 1);
    long s1 = s0 + 1;
    long acc = c->sent_start[s0 + 1] - c->sent_start[s0];
    do { acc += c->sent_start[s1 + 1] - c->sent_start[s1]; s1++; } while (s1 < de && acc < target);
    long a_end = s0 + 1 + rand_below(rng, s1 - s0 - 1);
    int *a = out->scratch, *b = a + T;
    int na = take_sents(c, s0, a_end, a, T);
    int nb;
    if (is_next) {
        nb = take_sents(c, a_end, s1, b, T);
    } else {
        long d2 = rand_below(rng, c->n_docs);
        for (int tries = 0; d2 == d && tries < 10; tries++) d2 = rand_below(rng, c->n_docs);
        long s2 = c->doc_start[d2] + rand_below(rng, c->doc_start[d2 + 1] - c->doc_start[d2]);
        int room = target - na > 1 ? target - na : 1;
        nb = take_sents(c, s2, c->doc_start[d2 + 1], b, room < T ? room : T);
    }
    /* truncate the longer side, from a random end, until the pair fits
     * (a cut instance: its drawn length, [CLS] and the two [SEP] included) */
    int limit = budget;
    if (spec->cut_prob > 0 && rng_uniform(rng) < spec->cut_prob) {
        int lo = spec->cut_min > 5 ? spec->cut_min : 5;
        if (lo > T) lo = T;
        int len = (int)floor(lo * pow((double)T / lo, rng_uniform(rng)));
        limit = len - 3 < 2 ? 2 : len - 3;
        if (limit > budget) limit = budget;
    }
    int *as = a, *bs = b;
    while (na + nb > limit) {
        int **p = na > nb ? &as : &bs;
        int *n = na > nb ? &na : &nb;
        if (rng_uniform(rng) < 0.5f) (*p)++;
        (*n)--;
    }
    int t = 0;
    out->ids[t] = spec->cls_id; out->type_ids[t++] = 0;
    for (int i = 0; i < na; i++) { out->ids[t] = as[i]; out->type_ids[t++] = 0; }
    out->ids[t] = spec->sep_id; out->type_ids[t++] = 0;
    for (int i = 0; i < nb; i++) { out->ids[t] = bs[i]; out->type_ids[t++] = 1; }
    out->ids[t] = spec->sep_id; out->type_ids[t++] = 1;
    int n = t;
    unsigned char *special = out->special;
    for (int i = 0; i < T; i++) {
        out->valid[i] = i < n;
        if (i >= n) { out->ids[i] = spec->pad_id; out->type_ids[i] = 0; }
        special[i] = i >= n || out->ids[i] == spec->cls_id || out->ids[i] == spec->sep_id;
    }
    mask_apply(out->ids, T, special, &spec->mask, rng, out->labels, out->kind);
    out->is_next = is_next;
}
