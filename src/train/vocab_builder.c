/* WordPiece vocabulary learning (HF tokenizers' WordPieceTrainer, which is
 * BPE with a "##" continuation prefix).  The corpus is reduced to a table
 * of distinct words with counts first; merging then works on that table,
 * keeping for every adjacent pair its count and the words it occurs in,
 * and updating both locally around each merge, so a merge costs time in
 * proportion to the words it touches, not to the corpus. */
#include "bertology/vocab_builder.h"
#include "bertology/grow.h"
#include "bertology/tokenizer.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char *const SPECIALS[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
enum { N_SPECIALS = 5, N_CODEPOINTS = 0x110000 };

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 0x100000001b3ULL; }
    return h;
}

static uint64_t mix64(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* ---------------------------------------------------------------- interned strings */

typedef struct {
    char *bytes;
    size_t n_bytes, cap_bytes;
    size_t *off;
    uint32_t *len;
    uint64_t *hash;
    size_t n, cap;
    uint32_t *slots;   /* index + 1, 0 = empty */
    size_t mask;
} StrTab;

static void strtab_free(StrTab *t) {
    free(t->bytes);
    free(t->off);
    free(t->len);
    free(t->hash);
    free(t->slots);
}

static const char *str_at(const StrTab *t, long i) { return t->bytes + t->off[i]; }

static int strtab_rehash(StrTab *t, size_t nslots) {
    uint32_t *s = calloc(nslots, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = (size_t)t->hash[i] & (nslots - 1);
        while (s[j]) j = (j + 1) & (nslots - 1);
        s[j] = (uint32_t)i + 1;
    }
    free(t->slots);
    t->slots = s;
    t->mask = nslots - 1;
    return 0;
}

/* Index of s, added if absent; -1 when out of memory. */
static long strtab_add(StrTab *t, const char *s, size_t n) {
    uint64_t h = hash_bytes(s, n);
    if (t->slots) {
        for (size_t j = (size_t)h & t->mask;; j = (j + 1) & t->mask) {
            uint32_t k = t->slots[j];
            if (!k) break;
            k--;
            if (t->hash[k] == h && t->len[k] == n && memcmp(str_at(t, k), s, n) == 0) return (long)k;
        }
    }
    if (t->n >= UINT32_MAX - 1 || n > UINT32_MAX) return -1;
    if ((t->n + 1) * 2 > (t->slots ? t->mask + 1 : 0)) {
        size_t ns = t->slots ? (t->mask + 1) * 2 : 1024;
        if (strtab_rehash(t, ns)) return -1;
    }
    size_t cap = t->cap;
    if (bt_grow((void **)&t->off, &cap, t->n + 1, sizeof *t->off)) return -1;
    cap = t->cap;
    if (bt_grow((void **)&t->len, &cap, t->n + 1, sizeof *t->len)) return -1;
    if (bt_grow((void **)&t->hash, &t->cap, t->n + 1, sizeof *t->hash)) return -1;
    if (bt_grow((void **)&t->bytes, &t->cap_bytes, t->n_bytes + n + 1, 1)) return -1;
    memcpy(t->bytes + t->n_bytes, s, n);
    t->bytes[t->n_bytes + n] = 0;
    t->off[t->n] = t->n_bytes;
    t->len[t->n] = (uint32_t)n;
    t->hash[t->n] = h;
    t->n_bytes += n + 1;
    size_t j = (size_t)h & t->mask;
    while (t->slots[j]) j = (j + 1) & t->mask;
    t->slots[j] = (uint32_t)t->n + 1;
    return (long)t->n++;
}

/* ---------------------------------------------------------------- word counting */

typedef struct {
    StrTab words;
    int64_t *count;
    size_t count_cap;
    long long occurrences;
} WordCounts;

static int count_word(const char *w, size_t len, int special, void *ctx) {
    WordCounts *wc = ctx;
    if (special) return 0;   /* [MASK] and friends are in the vocabulary already */
    size_t known = wc->words.n;
    long i = strtab_add(&wc->words, w, len);
    if (i < 0 || bt_grow((void **)&wc->count, &wc->count_cap, (size_t)i + 1, sizeof *wc->count)) return -2;
    if ((size_t)i == known) wc->count[i] = 0;
    wc->count[i]++;
    wc->occurrences++;
    return 0;
}

static int count_file(const char *path, WordCounts *wc, VocabStats *st, BtError *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return bt_fail(err, "%s: cannot open: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        BtError e;
        int r = tok_basic_words(line, (size_t)n, 1, count_word, wc, &e);
        if (r == -2) { rc = bt_fail(err, "out of memory counting the words of %s", path); break; }
        if (r) { rc = bt_fail(err, "%s:%ld: %s", path, lineno, e.msg); break; }
        st->bytes += n;
    }
    if (!rc && ferror(f)) rc = bt_fail(err, "%s: read error: %s", path, strerror(errno));
    st->lines += lineno;
    free(line);
    fclose(f);
    return rc;
}

/* ---------------------------------------------------------------- pairs */

typedef struct {
    int32_t a, b;
    int64_t count;
    int32_t *occ;          /* words holding the pair; may repeat or be stale */
    uint32_t n_occ, cap_occ;
    int32_t touched;       /* merge number of the last increase */
} Pair;

typedef struct {
    Pair *p;
    size_t n, cap;
    uint32_t *slots;
    size_t mask;
} Pairs;

static uint64_t pair_hash(int32_t a, int32_t b) {
    return mix64(((uint64_t)(uint32_t)a << 32) | (uint32_t)b);
}

static int pairs_rehash(Pairs *ps, size_t nslots) {
    uint32_t *s = calloc(nslots, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < ps->n; i++) {
        size_t j = (size_t)pair_hash(ps->p[i].a, ps->p[i].b) & (nslots - 1);
        while (s[j]) j = (j + 1) & (nslots - 1);
        s[j] = (uint32_t)i + 1;
    }
    free(ps->slots);
    ps->slots = s;
    ps->mask = nslots - 1;
    return 0;
}

/* Index of pair (a, b); created (count 0) when create is set, else -1 if
 * absent.  -2 when out of memory. */
static long pair_get(Pairs *ps, int32_t a, int32_t b, int create) {
    uint64_t h = pair_hash(a, b);
    if (ps->slots) {
        for (size_t j = (size_t)h & ps->mask;; j = (j + 1) & ps->mask) {
            uint32_t k = ps->slots[j];
            if (!k) break;
            if (ps->p[k - 1].a == a && ps->p[k - 1].b == b) return (long)k - 1;
        }
    }
    if (!create) return -1;
    if (ps->n >= UINT32_MAX - 1) return -2;
    if ((ps->n + 1) * 2 > (ps->slots ? ps->mask + 1 : 0)) {
        if (pairs_rehash(ps, ps->slots ? (ps->mask + 1) * 2 : 4096)) return -2;
        h = pair_hash(a, b);
    }
    if (bt_grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof *ps->p)) return -2;
    ps->p[ps->n] = (Pair){.a = a, .b = b, .touched = -1};
    size_t j = (size_t)h & ps->mask;
    while (ps->slots[j]) j = (j + 1) & ps->mask;
    ps->slots[j] = (uint32_t)ps->n + 1;
    return (long)ps->n++;
}

static int pair_add_word(Pair *p, int32_t w) {
    if (p->n_occ && p->occ[p->n_occ - 1] == w) return 0;
    if (p->n_occ == UINT32_MAX) return -1;
    size_t cap = p->cap_occ;
    if (bt_grow((void **)&p->occ, &cap, (size_t)p->n_occ + 1, sizeof *p->occ)) return -1;
    p->cap_occ = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
    p->occ[p->n_occ++] = w;
    return 0;
}

static void pairs_free(Pairs *ps) {
    for (size_t i = 0; i < ps->n; i++) free(ps->p[i].occ);
    free(ps->p);
    free(ps->slots);
}

/* ---------------------------------------------------------------- the merge queue */

typedef struct { int64_t count; int32_t pair; } Entry;

typedef struct {
    Entry *e;
    size_t n, cap;
    const Pairs *pairs;
    const StrTab *sym;
} Heap;

static int str_cmp(const StrTab *t, int32_t x, int32_t y) {
    size_t lx = t->len[x], ly = t->len[y];
    int c = memcmp(str_at(t, x), str_at(t, y), lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

/* Higher count first; equal counts: the lexicographically smaller pair. */
static int before(const Heap *h, Entry x, Entry y) {
    if (x.count != y.count) return x.count > y.count;
    const Pair *p = &h->pairs->p[x.pair], *q = &h->pairs->p[y.pair];
    int c = str_cmp(h->sym, p->a, q->a);
    if (!c) c = str_cmp(h->sym, p->b, q->b);
    return c < 0;
}

static void sift_down(Heap *h, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && before(h, h->e[l], h->e[m])) m = l;
        if (r < h->n && before(h, h->e[r], h->e[m])) m = r;
        if (m == i) return;
        Entry t = h->e[i]; h->e[i] = h->e[m]; h->e[m] = t;
        i = m;
    }
}

static int heap_push(Heap *h, Entry x) {
    if (bt_grow((void **)&h->e, &h->cap, h->n + 1, sizeof *h->e)) return -1;
    size_t i = h->n++;
    h->e[i] = x;
    while (i && before(h, h->e[i], h->e[(i - 1) / 2])) {
        Entry t = h->e[i]; h->e[i] = h->e[(i - 1) / 2]; h->e[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
    return 0;
}

static Entry heap_pop(Heap *h) {
    Entry top = h->e[0];
    h->e[0] = h->e[--h->n];
    sift_down(h, 0);
    return top;
}

/* ---------------------------------------------------------------- the learner */

typedef struct {
    StrTab sym;            /* the vocabulary being built, id = index */
    int32_t *s;            /* every word's symbols, back to back */
    size_t *off;           /* word -> first symbol */
    uint32_t *len;         /* word -> symbol count (shrinks as pairs merge) */
    int64_t *cnt;          /* word -> occurrences */
    int32_t *stamp;        /* word -> last merge that visited it */
    size_t n_words;
    Pairs pairs;
    Heap heap;
    int32_t *touched;      /* pairs increased by the current merge */
    size_t n_touched, cap_touched;
} Learner;

static void learner_free(Learner *L) {
    strtab_free(&L->sym);
    free(L->s);
    free(L->off);
    free(L->len);
    free(L->cnt);
    free(L->stamp);
    pairs_free(&L->pairs);
    free(L->heap.e);
    free(L->touched);
}

static int change(Learner *L, int32_t a, int32_t b, int64_t d, int32_t w, int32_t merge) {
    long i = pair_get(&L->pairs, a, b, d > 0);
    if (i < 0) return i == -1 ? 0 : -1;
    Pair *p = &L->pairs.p[i];
    p->count += d;
    if (d <= 0) return 0;
    if (pair_add_word(p, w)) return -1;
    if (p->touched != merge) {
        p->touched = merge;
        if (bt_grow((void **)&L->touched, &L->cap_touched, L->n_touched + 1, sizeof *L->touched)) return -1;
        L->touched[L->n_touched++] = (int32_t)i;
    }
    return 0;
}

/* Replaces every (a, b) in word w by t, keeping the pair counts exact. */
static int merge_word(Learner *L, int32_t w, int32_t a, int32_t b, int32_t t, int32_t merge) {
    int32_t *s = L->s + L->off[w];
    size_t n = L->len[w];
    int64_t c = L->cnt[w];
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != a || s[i + 1] != b) continue;
        if (i > 0 && (change(L, s[i - 1], a, -c, w, merge) || change(L, s[i - 1], t, c, w, merge)))
            return -1;
        if (i + 2 < n && (change(L, b, s[i + 2], -c, w, merge) || change(L, t, s[i + 2], c, w, merge)))
            return -1;
        s[i] = t;
        memmove(s + i + 1, s + i + 2, (n - i - 2) * sizeof *s);
        n--;
    }
    L->len[w] = (uint32_t)n;
    return 0;
}

static size_t put_utf8(char *out, int32_t cp) {
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

/* Symbols of every distinct word made of kept characters; the counts of
 * characters decide which are kept. */
static int build_alphabet(Learner *L, const WordCounts *wc, int min_freq, VocabStats *st, BtError *err) {
    int64_t *freq = calloc(N_CODEPOINTS, sizeof *freq);
    uint8_t *inner = calloc(N_CODEPOINTS, 1);
    int32_t *first_id = malloc(N_CODEPOINTS * sizeof *first_id);
    int32_t *cont_id = malloc(N_CODEPOINTS * sizeof *cont_id);
    int rc = -1;
    if (!freq || !inner || !first_id || !cont_id) { bt_fail(err, "out of memory"); goto done; }

    const StrTab *W = &wc->words;
    for (size_t w = 0; w < W->n; w++) {
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)str_at(W, (long)w);
        utf8proc_ssize_t left = W->len[w];
        for (int pos = 0; left > 0; pos++) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
            if (k <= 0) { bt_fail(err, "internal: tokenizer produced invalid UTF-8"); goto done; }
            freq[cp] += wc->count[w];
            if (pos) inner[cp] = 1;
            p += k;
            left -= k;
        }
    }

    for (int i = 0; i < N_SPECIALS; i++)
        if (strtab_add(&L->sym, SPECIALS[i], strlen(SPECIALS[i])) < 0) { bt_fail(err, "out of memory"); goto done; }
    char buf[8] = "##";
    for (int32_t cp = 0; cp < N_CODEPOINTS; cp++) {
        first_id[cp] = cont_id[cp] = -1;
        if (!freq[cp]) continue;
        if (freq[cp] < min_freq) { st->dropped_chars++; continue; }
        st->alphabet++;
        if ((first_id[cp] = (int32_t)strtab_add(&L->sym, buf + 2, put_utf8(buf + 2, cp))) < 0) {
            bt_fail(err, "out of memory");
            goto done;
        }
    }
    for (int32_t cp = 0; cp < N_CODEPOINTS; cp++) {
        if (first_id[cp] < 0 || !inner[cp]) continue;
        if ((cont_id[cp] = (int32_t)strtab_add(&L->sym, buf, 2 + put_utf8(buf + 2, cp))) < 0) {
            bt_fail(err, "out of memory");
            goto done;
        }
    }

    size_t n_sym = 0, cap_sym = 0, cap_w = 0, cap_w2 = 0, cap_w3 = 0;
    for (size_t w = 0; w < W->n; w++) {
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)str_at(W, (long)w);
        utf8proc_ssize_t left = W->len[w];
        size_t start = n_sym;
        int ok = 1;
        for (int pos = 0; left > 0 && ok; pos++) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
            int32_t id = pos ? cont_id[cp] : first_id[cp];
            if (id < 0) { ok = 0; break; }
            if (bt_grow((void **)&L->s, &cap_sym, n_sym + 1, sizeof *L->s)) { bt_fail(err, "out of memory"); goto done; }
            L->s[n_sym++] = id;
            p += k;
            left -= k;
        }
        if (!ok) {           /* a dropped character: this word will be [UNK] */
            st->unk_words += wc->count[w];
            n_sym = start;
            continue;
        }
        if (n_sym - start < 2) { n_sym = start; continue; }   /* nothing to merge */
        if (bt_grow((void **)&L->off, &cap_w, L->n_words + 1, sizeof *L->off)
            || bt_grow((void **)&L->len, &cap_w2, L->n_words + 1, sizeof *L->len)
            || bt_grow((void **)&L->cnt, &cap_w3, L->n_words + 1, sizeof *L->cnt)) {
            bt_fail(err, "out of memory");
            goto done;
        }
        L->off[L->n_words] = start;
        L->len[L->n_words] = (uint32_t)(n_sym - start);
        L->cnt[L->n_words] = wc->count[w];
        L->n_words++;
    }
    if (L->n_words > INT32_MAX) { bt_fail(err, "too many distinct words"); goto done; }
    rc = 0;
done:
    free(freq);
    free(inner);
    free(first_id);
    free(cont_id);
    return rc;
}

static int count_pairs(Learner *L, BtError *err) {
    for (size_t w = 0; w < L->n_words; w++) {
        const int32_t *s = L->s + L->off[w];
        for (uint32_t i = 0; i + 1 < L->len[w]; i++)
            if (change(L, s[i], s[i + 1], L->cnt[w], (int32_t)w, -2)) return bt_fail(err, "out of memory");
    }
    L->n_touched = 0;
    L->heap.pairs = &L->pairs;
    L->heap.sym = &L->sym;
    for (size_t i = 0; i < L->pairs.n; i++)
        if (heap_push(&L->heap, (Entry){L->pairs.p[i].count, (int32_t)i})) return bt_fail(err, "out of memory");
    L->stamp = malloc((L->n_words ? L->n_words : 1) * sizeof *L->stamp);
    if (!L->stamp) return bt_fail(err, "out of memory");
    memset(L->stamp, 0xff, L->n_words * sizeof *L->stamp);
    return 0;
}

static int learn(Learner *L, int size, int64_t min_freq, VocabStats *st, BtError *err) {
    char *buf = NULL;
    size_t buf_cap = 0;
    int rc = 0;
    for (int32_t merge = 0; L->sym.n < (size_t)size && L->heap.n; ) {
        Entry top = heap_pop(&L->heap);
        Pair *p = &L->pairs.p[top.pair];
        if (top.count != p->count) {   /* stale: the pair lost occurrences since */
            if (p->count > 0 && heap_push(&L->heap, (Entry){p->count, top.pair})) { rc = -1; break; }
            continue;
        }
        if (p->count < 1 || p->count < min_freq) break;

        int32_t a = p->a, b = p->b;
        size_t la = L->sym.len[a], lb = L->sym.len[b];
        const char *sb = str_at(&L->sym, b);
        if (lb >= 2 && sb[0] == '#' && sb[1] == '#') { sb += 2; lb -= 2; }
        if (bt_grow((void **)&buf, &buf_cap, la + lb + 1, 1)) { rc = -1; break; }
        memcpy(buf, str_at(&L->sym, a), la);
        memcpy(buf + la, sb, lb);
        long t = strtab_add(&L->sym, buf, la + lb);
        if (t < 0) { rc = -1; break; }

        st->merges++;
        st->last_merge_count = p->count;
        int32_t *occ = p->occ;
        uint32_t n_occ = p->n_occ;
        p->occ = NULL;
        p->n_occ = p->cap_occ = 0;
        for (uint32_t k = 0; k < n_occ && !rc; k++) {
            int32_t w = occ[k];
            if (L->stamp[w] == merge) continue;
            L->stamp[w] = merge;
            rc = merge_word(L, w, a, b, (int32_t)t, merge);
        }
        free(occ);
        L->pairs.p[top.pair].count = 0;
        for (size_t k = 0; k < L->n_touched && !rc; k++) {
            const Pair *q = &L->pairs.p[L->touched[k]];
            if (q->count > 0) rc = heap_push(&L->heap, (Entry){q->count, L->touched[k]});
        }
        L->n_touched = 0;
        merge++;
    }
    free(buf);
    return rc ? bt_fail(err, "out of memory while merging") : 0;
}

static int write_vocab(const StrTab *sym, const char *path, BtError *err) {
    FILE *f = fopen(path, "wb");
    if (!f) return bt_fail(err, "%s: cannot create: %s", path, strerror(errno));
    for (size_t i = 0; i < sym->n; i++) {
        fwrite(str_at(sym, (long)i), 1, sym->len[i], f);
        fputc('\n', f);
    }
    int bad = ferror(f);
    if (fclose(f) || bad) return bt_fail(err, "%s: write error: %s", path, strerror(errno));
    return 0;
}

int vocab_build(const char *const *files, int n_files, int size, int min_freq,
                const char *out_path, VocabStats *stats, BtError *err) {
    VocabStats st = {0};
    if (stats) *stats = st;
    if (n_files < 1) return bt_fail(err, "no corpus files given");
    if (min_freq < 1) min_freq = 1;

    WordCounts wc = {0};
    Learner L = {0};
    int rc = 0;
    for (int i = 0; i < n_files && !rc; i++) rc = count_file(files[i], &wc, &st, err);
    if (!rc) {
        st.words = wc.occurrences;
        st.distinct_words = (long)wc.words.n;
        rc = build_alphabet(&L, &wc, min_freq, &st, err);
    }
    strtab_free(&wc.words);
    free(wc.count);
    if (!rc && L.sym.n > (size_t)size)
        rc = bt_fail(err, "a vocabulary of %d tokens cannot hold the %d special tokens and the %zu "
                     "characters and \"##\" characters of the corpus (raise the size or the minimum "
                     "frequency)", size, N_SPECIALS, L.sym.n - N_SPECIALS);
    if (!rc) rc = count_pairs(&L, err);
    if (!rc) rc = learn(&L, size, min_freq, &st, err);
    if (!rc) rc = write_vocab(&L.sym, out_path, err);
    st.vocab_size = (int)L.sym.n;
    learner_free(&L);
    if (stats) *stats = st;
    return rc;
}
