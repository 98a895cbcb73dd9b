/* Hugging Face BertTokenizer, reproduced step by step so that a model
 * trained with it sees exactly the ids it was trained on:
 *
 *   PreTrainedTokenizer.tokenize  lower-case every character outside the
 *                                 special tokens, cut the special tokens out
 *   BasicTokenizer                clean, space out CJK, NFC, split on
 *                                 whitespace, strip accents, split on
 *                                 punctuation
 *   WordpieceTokenizer            greedy longest-match-first with "##"
 *
 * Text is validated as UTF-8 once, then handled as code points; utf8proc
 * supplies case mapping, categories and normalisation. */
#include "bertology/tokenizer.h"
#include "bertology/infile.h"
#include "bertology/json.h"
#include "bertology/grow.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

struct Tokenizer {
    char *blob;        /* every token, NUL-terminated, in id order */
    size_t *off;       /* token id -> offset in blob */
    uint32_t *len;     /* token id -> length in bytes */
    int n;
    uint32_t *slots;   /* open addressing: id + 1, 0 = empty */
    size_t mask;       /* slot count - 1 (a power of two) */
    size_t max_len;    /* longest token in bytes: bounds the WordPiece search */
    int lower;
    int cls, sep, msk, pad, unk;
};

/* HF's all_special_tokens for BERT: typed by the user they stay whole. */
static const char *const SPECIALS[] = {"[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"};
enum { N_SPECIALS = 5 };

/* ---------------------------------------------------------------- growable arrays */

typedef struct { int *v; size_t n, cap; } IntVec;
typedef struct { int32_t *v; size_t n, cap; } CpVec;
typedef struct { char *v; size_t n, cap; } ByteVec;

static int int_push(IntVec *a, int x) {
    if (bt_grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v)) return -1;
    a->v[a->n++] = x;
    return 0;
}

/* The words of the BasicTokenizer stage, back to back in one buffer. */
enum { W_PLAIN = 0, W_SPECIAL = 1, W_NEVER_SPLIT = 2 };
typedef struct {
    ByteVec bytes;
    IntVec start;      /* start[i] = offset of word i; start[n] = end sentinel */
    IntVec kind;       /* W_* */
    CpVec cps;         /* scratch */
    ByteVec stage;     /* scratch */
} Words;

static void words_free(Words *w) {
    free(w->bytes.v);
    free(w->start.v);
    free(w->kind.v);
    free(w->cps.v);
    free(w->stage.v);
    memset(w, 0, sizeof *w);
}

static size_t words_count(const Words *w) { return w->kind.n; }

/* ---------------------------------------------------------------- UTF-8 */

long utf8_invalid_at(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) { i++; continue; }
        size_t more;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) { more = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { more = 2; cp = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { more = 3; cp = c & 0x07; min = 0x10000; }
        else return (long)i;   /* continuation byte, C0/C1 overlong lead, F5..FF */
        for (size_t k = 1; k <= more; k++) {
            if (i + k >= len || (p[i + k] & 0xC0) != 0x80) return (long)i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return (long)i;
        i += more + 1;
    }
    return -1;
}

/* Only called on validated text. */
static int32_t utf8_next(const unsigned char *p, size_t *i) {
    unsigned c = p[*i];
    if (c < 0x80) { (*i)++; return (int32_t)c; }
    size_t more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    int32_t cp = (int32_t)(c & (0x3F >> more));
    for (size_t k = 1; k <= more; k++) cp = (cp << 6) | (p[*i + k] & 0x3F);
    *i += more + 1;
    return cp;
}

static int put_utf8(ByteVec *b, int32_t cp) {
    if (bt_grow((void **)&b->v, &b->cap, b->n + 4, 1)) return -1;
    b->n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)b->v + b->n);
    return 0;
}

/* ---------------------------------------------------------------- character classes (HF's) */

static int is_control(int32_t c) {
    if (c < 128) return (c < 32 && c != '\t' && c != '\n' && c != '\r') || c == 127;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO: case UTF8PROC_CATEGORY_CN:
        return 1;   /* HF tests category.startswith("C"): unassigned goes too */
    default:
        return 0;
    }
}

static int is_whitespace(int32_t c) {
    if (c < 128) return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static int is_punct(int32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
        return 1;
    if (c < 128) return 0;
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_PC && k <= UTF8PROC_CATEGORY_PO;
}

static int is_cjk(int32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

/* What Python's str.split() still splits on after cleaning: the cleaning
 * turned Zs and control characters into ' ' or nothing, but leaves the
 * line and paragraph separators. */
static int splits_word(int32_t c) { return c == ' ' || c == 0x2028 || c == 0x2029; }

/* ---------------------------------------------------------------- BasicTokenizer */

static int words_add(Words *w, const int32_t *cp, size_t n, int kind) {
    if (n == 0) return 0;
    if (w->start.n == 0 && int_push(&w->start, 0)) return -1;
    for (size_t i = 0; i < n; i++)
        if (put_utf8(&w->bytes, cp[i])) return -1;
    if (w->bytes.n > (size_t)INT32_MAX) return -1;
    if (int_push(&w->kind, kind) || int_push(&w->start, (int)w->bytes.n)) return -1;
    return 0;
}

static int matches_special(const int32_t *cp, size_t n) {
    for (int s = 0; s < N_SPECIALS; s++) {
        const char *k = SPECIALS[s];
        size_t kl = strlen(k), i = 0;
        if (kl != n) continue;
        while (i < n && cp[i] == (unsigned char)k[i]) i++;
        if (i == n) return 1;
    }
    return 0;
}

/* One whitespace-separated token: accents off when lower-casing, then the
 * punctuation split. */
static int basic_token(Words *w, int32_t *cp, size_t n, int lower) {
    if (matches_special(cp, n)) return words_add(w, cp, n, W_NEVER_SPLIT);
    if (lower) {   /* the text is already NFD here, so this is HF's strip_accents */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (cp[i] < 0x300 || utf8proc_category(cp[i]) != UTF8PROC_CATEGORY_MN) cp[k++] = cp[i];
        n = k;
    }
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_punct(cp[i])) continue;
        if (words_add(w, cp + run, i - run, W_PLAIN) || words_add(w, cp + i, 1, W_PLAIN)) return -1;
        run = i + 1;
    }
    return words_add(w, cp + run, n - run, W_PLAIN);
}

/* A stretch of text with no special token in it. */
static int basic_segment(Words *w, const char *s, size_t len, int lower) {
    /* Case, cleaning and CJK spacing are per character; do them in one pass. */
    ByteVec *st = &w->stage;
    st->n = 0;
    int ascii = 1;
    size_t i = 0;
    while (i < len) {
        int32_t c = utf8_next((const unsigned char *)s, &i);
        if (lower) {
            /* Python's full lower-case mapping; its one multi-character
             * entry is U+0130, "i" plus a combining dot that stripping drops. */
            if (c == 0x130) {
                if (put_utf8(st, 'i') || put_utf8(st, 0x307)) return -1;
                ascii = 0;
                continue;
            }
            c = c < 128 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : utf8proc_tolower(c);
        }
        if (c == 0 || c == 0xFFFD || is_control(c)) continue;
        if (is_whitespace(c)) c = ' ';
        if (c >= 0x80) ascii = 0;
        if (is_cjk(c)) {
            if (put_utf8(st, ' ') || put_utf8(st, c) || put_utf8(st, ' ')) return -1;
        } else if (put_utf8(st, c)) {
            return -1;
        }
    }

    /* HF normalises to NFC; when lower-casing it then decomposes each
     * token to strip accents.  Decomposing the whole stretch at once gives
     * the same tokens (NFD(NFC(x)) = NFD(x), and no character decomposes
     * into whitespace that was not already whitespace). */
    CpVec *cps = &w->cps;
    if (ascii) {
        if (bt_grow((void **)&cps->v, &cps->cap, st->n + 1, sizeof *cps->v)) return -1;
        for (size_t k = 0; k < st->n; k++) cps->v[k] = (unsigned char)st->v[k];
        cps->n = st->n;
    } else {
        utf8proc_option_t opt = UTF8PROC_STABLE | (lower ? UTF8PROC_DECOMPOSE : UTF8PROC_COMPOSE);
        for (;;) {
            utf8proc_ssize_t r = utf8proc_decompose((const utf8proc_uint8_t *)st->v, (utf8proc_ssize_t)st->n,
                                                    cps->v, (utf8proc_ssize_t)cps->cap, opt);
            if (r < 0) return -1;
            if ((size_t)r <= cps->cap) { cps->n = (size_t)r; break; }
            if (bt_grow((void **)&cps->v, &cps->cap, (size_t)r, sizeof *cps->v)) return -1;
        }
        if (!lower) {
            utf8proc_ssize_t r = utf8proc_normalize_utf32(cps->v, (utf8proc_ssize_t)cps->n, opt);
            if (r < 0) return -1;
            cps->n = (size_t)r;
        }
    }

    size_t a = 0;
    for (size_t k = 0; k <= cps->n; k++) {
        if (k < cps->n && !splits_word(cps->v[k])) continue;
        if (k > a && basic_token(w, cps->v + a, k - a, lower)) return -1;
        a = k + 1;
    }
    return 0;
}

/* Where the next special token starts at or after from, and its length. */
static size_t find_special(const char *s, size_t len, size_t from, size_t *klen) {
    for (size_t i = from; i < len; i++) {
        if (s[i] != '[') continue;
        for (int k = 0; k < N_SPECIALS; k++) {
            size_t kl = strlen(SPECIALS[k]);
            if (kl <= len - i && memcmp(s + i, SPECIALS[k], kl) == 0) { *klen = kl; return i; }
        }
    }
    return len;
}

/* Text must be valid UTF-8.  Special tokens are matched on the raw text,
 * case-sensitively, before anything else (HF's added-token trie): so
 * "[MASK]." keeps [MASK], while "[mask]" is ordinary text. */
static int basic_run(Words *w, const char *text, size_t len, int lower) {
    w->bytes.n = w->start.n = w->kind.n = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t kl = 0, at = find_special(text, len, pos, &kl);
        if (at > pos && basic_segment(w, text + pos, at - pos, lower)) return -1;
        if (at == len) break;
        int32_t cp[8];
        for (size_t i = 0; i < kl; i++) cp[i] = (unsigned char)text[at + i];
        if (words_add(w, cp, kl, W_SPECIAL)) return -1;
        pos = at + kl;
    }
    return 0;
}

static int check_utf8(const char *text, size_t len, BtError *err) {
    long bad = utf8_invalid_at(text, len);
    if (bad >= 0)
        return bt_fail(err, "invalid UTF-8 at byte %ld (0x%02x)", bad, (unsigned char)text[bad]);
    return 0;
}

int tok_basic_words(const char *text, size_t len, int do_lower_case, TokWordFn fn, void *ctx,
                    BtError *err) {
    if (check_utf8(text, len, err)) return -1;
    Words w = {0};
    if (basic_run(&w, text, len, do_lower_case)) {
        words_free(&w);
        return bt_fail(err, "out of memory while tokenizing");
    }
    int rc = 0;
    for (size_t i = 0; i < words_count(&w) && !rc; i++)
        rc = fn(w.bytes.v + w.start.v[i], (size_t)(w.start.v[i + 1] - w.start.v[i]),
                w.kind.v[i] != W_PLAIN, ctx);
    words_free(&w);
    return rc;
}

static int collect_word(const char *word, size_t len, int special, void *ctx) {
    TokWords *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **w = realloc(l->w, (size_t)cap * sizeof *w);
        if (w) l->w = w;
        unsigned char *sp = realloc(l->special, (size_t)cap);
        if (sp) l->special = sp;
        if (!w || !sp) return 1;
        l->cap = cap;
    }
    if (!(l->w[l->n] = strndup(word, len))) return 1;
    l->special[l->n++] = (unsigned char)(special != 0);
    return 0;
}

void tok_words_free(TokWords *l) {
    for (int i = 0; i < l->n; i++) free(l->w[i]);
    free(l->w);
    free(l->special);
    memset(l, 0, sizeof *l);
}

int tok_words(const char *text, int do_lower_case, TokWords *out, BtError *err) {
    memset(out, 0, sizeof *out);
    int rc = tok_basic_words(text, strlen(text), do_lower_case, collect_word, out, err);
    if (rc > 0) rc = bt_fail(err, "out of memory while tokenizing");
    if (rc) tok_words_free(out);
    return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- vocabulary */

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 0x100000001b3ULL; }
    return h;
}
static const uint64_t HASH_SEED = 0xcbf29ce484222325ULL;

/* Id of prefix ("##" or "") + s, or -1. */
static int lookup(const Tokenizer *t, int cont, const char *s, size_t n) {
    size_t pl = cont ? 2 : 0;
    uint64_t h = hash_bytes(cont ? hash_bytes(HASH_SEED, "##", 2) : HASH_SEED, s, n);
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        uint32_t slot = t->slots[i];
        if (!slot) return -1;
        int id = (int)slot - 1;
        const char *tok = t->blob + t->off[id];
        if (t->len[id] == n + pl && (!cont || memcmp(tok, "##", 2) == 0) && memcmp(tok + pl, s, n) == 0)
            return id;
    }
}

/* Later lines win, as in HF's dict built from the file. */
static void insert(Tokenizer *t, int id) {
    const char *tok = t->blob + t->off[id];
    uint64_t h = hash_bytes(HASH_SEED, tok, t->len[id]);
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        uint32_t slot = t->slots[i];
        if (slot && (t->len[slot - 1] != t->len[id] || memcmp(t->blob + t->off[slot - 1], tok, t->len[id])))
            continue;
        t->slots[i] = (uint32_t)id + 1;
        return;
    }
}

/* A cased vocabulary (bert-base-cased, multilingual cased) keeps capitals
 * in thousands of its words; an uncased one has none outside [SPECIAL]
 * tokens. 1% is far from both. */
static int vocab_is_cased(const Tokenizer *t) {
    int upper = 0;
    for (int i = 0; i < t->n; i++) {
        const char *w = t->blob + t->off[i];
        if (w[0] == '[') continue;
        for (; *w; w++)
            if (*w >= 'A' && *w <= 'Z') { upper++; break; }
    }
    return (long)upper * 100 >= t->n;
}

int tok_load(Tokenizer **out, const char *vocab_path, int do_lower_case, BtError *err) {
    *out = NULL;
    size_t len;
    char *text = bt_file_read(vocab_path, BT_FILE_VOCAB, &len, err);
    if (!text) return -1;
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    if (len && text[len - 1] != '\n') lines++;
    if (lines == 0) { free(text); return bt_fail(err, "%s: vocabulary is empty", vocab_path); }
    if (lines >= (size_t)INT32_MAX / 2) { free(text); return bt_fail(err, "%s: too many lines", vocab_path); }

    Tokenizer *t = calloc(1, sizeof *t);
    size_t nslots = 16;
    while (nslots < lines * 2) nslots *= 2;
    if (t) {
        t->off = malloc(lines * sizeof *t->off);
        t->len = malloc(lines * sizeof *t->len);
        t->slots = calloc(nslots, sizeof *t->slots);
    }
    if (!t || !t->off || !t->len || !t->slots) {
        free(text);
        tok_free(t);
        return bt_fail(err, "%s: out of memory", vocab_path);
    }
    /* Lines become NUL-terminated in place: the file buffer is the blob. */
    t->blob = text;
    t->mask = nslots - 1;
    size_t a = 0;
    for (size_t i = 0; i <= len && (size_t)t->n < lines; i++) {
        if (i < len && text[i] != '\n') continue;
        size_t e = i;
        if (e > a && text[e - 1] == '\r') e--;   /* CRLF files */
        text[e] = 0;
        t->off[t->n] = a;
        t->len[t->n] = (uint32_t)(e - a);
        if (e - a > t->max_len) t->max_len = e - a;
        insert(t, t->n);
        t->n++;
        a = i + 1;
    }
    t->lower = do_lower_case < 0 ? !vocab_is_cased(t) : do_lower_case ? 1 : 0;
    t->cls = tok_id(t, "[CLS]");
    t->sep = tok_id(t, "[SEP]");
    t->msk = tok_id(t, "[MASK]");
    t->pad = tok_id(t, "[PAD]");
    t->unk = tok_id(t, "[UNK]");
    /* Every input is [CLS] … [SEP], unknown words are [UNK], the REPL and
     * the trainer mask with [MASK] and pad with [PAD]: a vocabulary without
     * one of them would fail (or index -1) deep inside a feature. */
    for (int i = 0; i < N_SPECIALS; i++)
        if (tok_id(t, SPECIALS[i]) < 0) {
            tok_free(t);
            return bt_fail(err, "%s: the vocabulary has no %s token (BERT's vocabularies hold [UNK], [SEP], "
                           "[PAD], [CLS] and [MASK], each on a line of its own)", vocab_path, SPECIALS[i]);
        }
    *out = t;
    return 0;
}

void tok_free(Tokenizer *t) {
    if (!t) return;
    free(t->blob);
    free(t->off);
    free(t->len);
    free(t->slots);
    free(t);
}

int tok_vocab_size(const Tokenizer *t) { return t->n; }
int tok_first_difference(const Tokenizer *a, const Tokenizer *b, int n) {
    for (int v = 0; v < n; v++) {
        const char *x = tok_token(a, v), *y = tok_token(b, v);
        if (!x || !y || strcmp(x, y)) return v;
    }
    return -1;
}
int tok_is_punct_token(const char *token) {
    utf8proc_int32_t c;
    utf8proc_ssize_t n = token ? utf8proc_iterate((const utf8proc_uint8_t *)token, -1, &c) : -1;
    return n > 0 && token[n] == '\0' && is_punct(c);
}

int tok_id(const Tokenizer *t, const char *token) { return lookup(t, 0, token, strlen(token)); }
const char *tok_token(const Tokenizer *t, int id) {
    return id >= 0 && id < t->n ? t->blob + t->off[id] : NULL;
}
int tok_do_lower_case(const Tokenizer *t) { return t->lower; }
int tok_cls_id(const Tokenizer *t) { return t->cls; }
int tok_sep_id(const Tokenizer *t) { return t->sep; }
int tok_mask_id(const Tokenizer *t) { return t->msk; }
int tok_pad_id(const Tokenizer *t) { return t->pad; }
int tok_unk_id(const Tokenizer *t) { return t->unk; }

/* ---------------------------------------------------------------- WordPiece */

typedef struct {
    IntVec ids, words;
    IntVec cstart;     /* scratch: byte offset of each character of a word */
} Pieces;

static void pieces_free(Pieces *p) {
    free(p->ids.v);
    free(p->words.v);
    free(p->cstart.v);
}

static int emit(Pieces *p, int id, int word) {
    return int_push(&p->ids, id) || int_push(&p->words, word) ? -1 : 0;
}

static int unk_or_fail(const Tokenizer *t, BtError *err) {
    if (t->unk < 0) return bt_fail(err, "the vocabulary has no [UNK] token");
    return t->unk;
}

static int wordpiece(const Tokenizer *t, const char *w, size_t n, int word, Pieces *p, BtError *err) {
    IntVec *cs = &p->cstart;
    cs->n = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80 && int_push(cs, (int)i)) goto oom;
    if (int_push(cs, (int)n)) goto oom;
    size_t nc = cs->n - 1, base = p->ids.n;
    if (nc > TOK_MAX_WORD_CHARS) goto unk;
    for (size_t s = 0; s < nc;) {
        int found = -1;
        size_t e = nc;
        for (; e > s; e--) {
            size_t bytes = (size_t)(cs->v[e] - cs->v[s]);
            if (bytes + (s ? 2 : 0) > t->max_len) continue;
            if ((found = lookup(t, s > 0, w + cs->v[s], bytes)) >= 0) break;
        }
        if (found < 0) goto unk;
        if (emit(p, found, word)) goto oom;
        s = e;
    }
    return 0;
unk:
    p->ids.n = p->words.n = base;
    int u = unk_or_fail(t, err);
    if (u < 0) return -1;
    return emit(p, u, word) ? bt_fail(err, "out of memory while tokenizing") : 0;
oom:
    return bt_fail(err, "out of memory while tokenizing");
}

/* Word pieces of valid UTF-8 text, appended to p; word numbers start at
 * word0.  Returns the number of basic words, or -1. */
static int pieces_of(const Tokenizer *t, const char *text, size_t len, int word0, Words *w,
                     Pieces *p, BtError *err) {
    if (basic_run(w, text, len, t->lower)) return bt_fail(err, "out of memory while tokenizing");
    size_t nw = words_count(w);
    if (nw > (size_t)INT32_MAX / 2) return bt_fail(err, "text too long");
    for (size_t i = 0; i < nw; i++) {
        const char *s = w->bytes.v + w->start.v[i];
        size_t n = (size_t)(w->start.v[i + 1] - w->start.v[i]);
        int word = word0 + (int)i;
        if (w->kind.v[i] == W_SPECIAL) {
            int id = lookup(t, 0, s, n);
            if (id < 0 && (id = unk_or_fail(t, err)) < 0) return -1;
            if (emit(p, id, word)) return bt_fail(err, "out of memory while tokenizing");
        } else if (wordpiece(t, s, n, word, p, err)) {
            return -1;
        }
    }
    return (int)nw;
}

int tok_wordpieces(const Tokenizer *t, const char *text, int *ids, int *word_start, int cap,
                   BtError *err) {
    size_t len = strlen(text);
    if (check_utf8(text, len, err)) return -1;
    Words w = {0};
    Pieces p = {0};
    int rc = pieces_of(t, text, len, 0, &w, &p, err);
    if (rc >= 0) {
        if (p.ids.n > (size_t)INT32_MAX) {
            rc = bt_fail(err, "text too long");
        } else {
            for (size_t i = 0; i < p.ids.n && (long)i < cap; i++) {
                if (ids) ids[i] = p.ids.v[i];
                if (word_start) word_start[i] = p.words.v[i];
            }
            rc = (int)p.ids.n;
        }
    }
    words_free(&w);
    pieces_free(&p);
    return rc;
}

/* ---------------------------------------------------------------- model inputs */

void tok_input_free(TokInput *in) {
    if (!in) return;
    free(in->ids);
    free(in->type_ids);
    free(in->word);
    memset(in, 0, sizeof *in);
}

int tok_encode(const Tokenizer *t, const char *text, int max_len, int truncate, TokInput *out,
               BtError *err) {
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    if (check_utf8(text, len, err)) return -1;
    if (t->cls < 0 || t->sep < 0) return bt_fail(err, "the vocabulary has no [CLS] or [SEP] token");
    const char *bar = strstr(text, "|||");
    size_t len_a = bar ? (size_t)(bar - text) : len;
    /* a second ||| would become three '|' tokens of segment B */
    if (bar && strstr(bar + 3, "|||"))
        return bt_fail(err, "a pair is two segments with one ||| between them (A ||| B); this text has more than one");

    Words w = {0};
    Pieces a = {0}, b = {0};
    int rc = -1;
    int words_a = pieces_of(t, text, len_a, 0, &w, &a, err);
    if (words_a < 0) goto done;
    if (bar && pieces_of(t, bar + 3, len - len_a - 3, words_a, &w, &b, err) < 0) goto done;

    long na = (long)a.ids.n, nb = (long)b.ids.n, specials = bar ? 3 : 2;
    /* nothing to analyse: a text of blanks or control characters alone, or a pair with a side left empty */
    if (!bar && na == 0) { bt_fail(err, "the text has no tokens (only blanks or control characters): type some words"); goto done; }
    if (bar && (na == 0 || nb == 0)) {
        if (na == 0) bt_fail(err, "segment A (before |||) has no tokens: write A ||| B");
        else bt_fail(err, "segment B (after |||) has no tokens: write A ||| B");
        goto done;
    }
    long total = na + nb + specials;
    if (total > INT32_MAX) { bt_fail(err, "text too long"); goto done; }
    out->n_full = (int)total;
    if (max_len > 0 && total > max_len) {
        if (!truncate) {
            if (bar) bt_fail(err, "sentence pair is %ld tokens, the model's limit is %d (use --truncate / `set truncate on`)", total, max_len);
            else bt_fail(err, "sentence is %ld tokens, the model's limit is %d (use --truncate / `set truncate on`)", total, max_len);
            goto done;
        }
        if (max_len < specials) {
            bt_fail(err, "a limit of %d tokens leaves no room for [CLS] and [SEP]", max_len);
            goto done;
        }
        long cut = total - max_len;
        if (!bar) {
            na -= cut;
        } else {
            /* HF "longest_first": take from the longer segment until both
             * are equal, then alternately, the second segment first. */
            long diff = na > nb ? na - nb : nb - na;
            long first = cut < diff ? cut : diff, rest = cut - first;
            if (na > nb) { na -= first + rest / 2; nb -= rest - rest / 2; }
            else { na -= rest / 2; nb -= first + rest - rest / 2; }
        }
    }
    long n = na + nb + specials;
    out->ids = malloc((size_t)n * sizeof *out->ids);
    out->type_ids = malloc((size_t)n * sizeof *out->type_ids);
    out->word = malloc((size_t)n * sizeof *out->word);
    if (!out->ids || !out->type_ids || !out->word) { bt_fail(err, "out of memory"); goto done; }
    long k = 0;
#define PUT(id_, type_, word_) (out->ids[k] = (id_), out->type_ids[k] = (type_), out->word[k] = (word_), k++)
    PUT(t->cls, 0, -1);
    for (long i = 0; i < na; i++) PUT(a.ids.v[i], 0, a.words.v[i]);
    PUT(t->sep, 0, -1);
    if (bar) {
        for (long i = 0; i < nb; i++) PUT(b.ids.v[i], 1, b.words.v[i]);
        PUT(t->sep, 1, -1);
    }
#undef PUT
    out->n = (int)n;
    out->n_a = (int)na;
    rc = 0;
done:
    if (rc) tok_input_free(out);
    words_free(&w);
    pieces_free(&a);
    pieces_free(&b);
    return rc;
}

/* ---------------------------------------------------------------- tokenizer_config.json */

int tok_config_read(const char *dir, int *lower, BtError *err) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/tokenizer_config.json", dir) >= (int)sizeof path)
        return bt_fail(err, "%s: path too long", dir);
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) return 0;   /* most model directories have none */
    char *buf = bt_file_read(path, BT_FILE_TOKENIZER_CONFIG, NULL, err);
    if (!buf) return -1;
    cJSON *root = cJSON_Parse(buf);
    free(buf);
    /* unreadable JSON says nothing about case, as an absent file */
    const cJSON *v = bt_json_get(root, "do_lower_case");
    if (cJSON_IsBool(v)) *lower = cJSON_IsTrue(v);
    cJSON_Delete(root);
    return 0;
}
