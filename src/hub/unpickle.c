/* The restricted unpickler: a stack machine over the pickle opcodes that
 * torch.save emits (protocols 2-4), whose only callables build tensors and
 * empty OrderedDicts. See include/bertology/pickle.h for why. */
#include "bertology/pickle.h"
#include "display.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"

typedef enum { V_NONE, V_BOOL, V_INT, V_BIGINT, V_FLOAT, V_STR, V_TUPLE, V_LIST, V_DICT, V_GLOBAL, V_STORAGE, V_TENSOR } VKind;
typedef enum { G_REBUILD_TENSOR, G_ORDERED_DICT, G_STORAGE_TYPE } GKind;

typedef struct Val Val;
struct Val {
    VKind kind;
    union {
        int64_t i;                                  /* V_BOOL, V_INT, V_STORAGE (index) */
        struct { const char *s; size_t len; } str;  /* V_STR, V_BIGINT (bytes in the input) */
        struct { Val **items; size_t n, cap; } seq; /* tuple, list; dict as key,value,... */
        struct { GKind g; StDtype dtype; } global;
        PtTensor *tensor;
    } u;
};

typedef struct {
    const uint8_t *buf;
    size_t n, pos;
    Val **stack;
    size_t sp, stack_cap;
    size_t *marks;
    size_t n_marks, marks_cap;
    Val **memo;
    size_t memo_cap, memo_len;  /* len: indices set, for MEMOIZE */
    Val **objs;                 /* every allocation, for freeing */
    size_t n_objs, objs_cap;
    PtStorage *storages;
    int n_storages, storages_cap;
    int *slots;                 /* open-addressing hash of storage keys: index + 1, 0 empty */
    size_t n_slots;             /* a power of two, at least twice n_storages */
    int allow_torch;            /* 0 for the plain header pickles */
    BtError *err;
} Machine;

static int eq(const char *a, size_t an, const char *b) { return an == strlen(b) && !memcmp(a, b, an); }

static Val *new_val(Machine *m, VKind k) {
    if (m->n_objs >= PT_MAX_OBJECTS) {
        bt_fail(m->err, "pickle creates more than %d objects; refusing it", PT_MAX_OBJECTS);
        return NULL;
    }
    if (m->n_objs == m->objs_cap) {
        size_t cap = m->objs_cap ? m->objs_cap * 2 : 256;
        Val **o = realloc(m->objs, cap * sizeof *o);
        if (!o) { bt_fail(m->err, "out of memory"); return NULL; }
        m->objs = o, m->objs_cap = cap;
    }
    Val *v = calloc(1, sizeof *v);
    if (!v) { bt_fail(m->err, "out of memory"); return NULL; }
    v->kind = k;
    m->objs[m->n_objs++] = v;
    return v;
}

static void machine_free(Machine *m) {
    for (size_t i = 0; i < m->n_objs; i++) {
        Val *v = m->objs[i];
        if (v->kind == V_TUPLE || v->kind == V_LIST || v->kind == V_DICT) free(v->u.seq.items);
        if (v->kind == V_TENSOR) free(v->u.tensor);
        free(v);
    }
    free(m->objs);
    free(m->stack);
    free(m->marks);
    free(m->memo);
    for (int i = 0; i < m->n_storages; i++) free(m->storages[i].key);
    free(m->storages);
    free(m->slots);
}

/* Storage keys are looked up once per tensor: hashed, so that a state
 * dict of tens of thousands of storages is not quadratic. */
static size_t key_hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211u;
    return (size_t)h;
}

/* The slot where key is, or the empty one where it would go. */
static size_t key_slot(const Machine *m, const char *s, size_t n) {
    size_t i = key_hash(s, n) & (m->n_slots - 1);
    while (m->slots[i] && !eq(s, n, m->storages[m->slots[i] - 1].key)) i = (i + 1) & (m->n_slots - 1);
    return i;
}

static int key_index_grow(Machine *m) {
    if ((size_t)m->n_storages * 2 < m->n_slots) return 0;
    size_t n = m->n_slots ? m->n_slots * 2 : 64;
    int *old = m->slots;
    size_t old_n = m->n_slots;
    if (!(m->slots = calloc(n, sizeof *m->slots))) {
        m->slots = old;
        return bt_fail(m->err, "out of memory");
    }
    m->n_slots = n;
    for (size_t i = 0; i < old_n; i++)
        if (old[i]) {
            const char *k = m->storages[old[i] - 1].key;
            m->slots[key_slot(m, k, strlen(k))] = old[i];
        }
    free(old);
    return 0;
}

/* what: a literal (xgettext's keyword fail_at:2), translated here */
static int fail_at(Machine *m, const char *what) {
    return bt_fail(m->err, "pickle: %s at byte %zu", _(what), m->pos);
}

static int push(Machine *m, Val *v) {
    if (!v) return -1;
    if (m->sp >= PT_MAX_STACK) return fail_at(m, "stack deeper than the limit");
    if (m->sp == m->stack_cap) {
        size_t cap = m->stack_cap ? m->stack_cap * 2 : 64;
        Val **s = realloc(m->stack, cap * sizeof *s);
        if (!s) return bt_fail(m->err, "out of memory");
        m->stack = s, m->stack_cap = cap;
    }
    m->stack[m->sp++] = v;
    return 0;
}

static Val *pop(Machine *m) {
    size_t floor = m->n_marks ? m->marks[m->n_marks - 1] : 0;
    if (m->sp <= floor) {
        fail_at(m, "stack underflow");
        return NULL;
    }
    return m->stack[--m->sp];
}

static Val *top(Machine *m) {
    size_t floor = m->n_marks ? m->marks[m->n_marks - 1] : 0;
    if (m->sp <= floor) {
        fail_at(m, "stack underflow");
        return NULL;
    }
    return m->stack[m->sp - 1];
}

/* Items above the last mark, which is removed. */
static int pop_mark(Machine *m, size_t *from) {
    if (!m->n_marks) return fail_at(m, "no MARK for this opcode");
    *from = m->marks[--m->n_marks];
    return 0;
}

static int seq_append(Machine *m, Val *seq, Val *item) {
    if (seq->u.seq.n == seq->u.seq.cap) {
        size_t cap = seq->u.seq.cap ? seq->u.seq.cap * 2 : 4;
        if (cap > PT_MAX_OBJECTS) return fail_at(m, "container larger than the limit");
        Val **it = realloc(seq->u.seq.items, cap * sizeof *it);
        if (!it) return bt_fail(m->err, "out of memory");
        seq->u.seq.items = it, seq->u.seq.cap = cap;
    }
    seq->u.seq.items[seq->u.seq.n++] = item;
    return 0;
}

static Val *make_seq(Machine *m, VKind k, Val **items, size_t n) {
    Val *v = new_val(m, k);
    if (!v) return NULL;
    for (size_t i = 0; i < n; i++)
        if (seq_append(m, v, items[i])) return NULL;
    return v;
}

static int need(Machine *m, size_t k) {
    if (m->n - m->pos < k) return fail_at(m, "file ends in the middle of an opcode (truncated)");
    return 0;
}

static uint64_t le(const uint8_t *p, int k) {
    uint64_t v = 0;
    for (int i = k - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static int memo_put(Machine *m, uint64_t idx) {
    if (idx >= PT_MAX_MEMO) return fail_at(m, "memo index beyond the limit");
    Val *v = top(m);
    if (!v) return -1;
    if (idx >= m->memo_cap) {
        size_t cap = m->memo_cap ? m->memo_cap : 64;
        while (cap <= idx) cap *= 2;
        Val **mm = realloc(m->memo, cap * sizeof *mm);
        if (!mm) return bt_fail(m->err, "out of memory");
        memset(mm + m->memo_cap, 0, (cap - m->memo_cap) * sizeof *mm);
        m->memo = mm, m->memo_cap = cap;
    }
    m->memo_len += m->memo[idx] == NULL;
    m->memo[idx] = v;
    return 0;
}

static int memo_get(Machine *m, uint64_t idx) {
    if (idx >= m->memo_cap || !m->memo[idx]) return fail_at(m, "memo lookup of an unset index");
    return push(m, m->memo[idx]);
}

static int push_str(Machine *m, size_t len) {
    if (need(m, len)) return -1;
    Val *v = new_val(m, V_STR);
    if (!v) return -1;
    v->u.str.s = (const char *)m->buf + m->pos;
    v->u.str.len = len;
    m->pos += len;
    return push(m, v);
}

static int str_is(const Val *v, const char *s) {
    return v->kind == V_STR && v->u.str.len == strlen(s) && !memcmp(v->u.str.s, s, v->u.str.len);
}

static const struct { const char *name; StDtype dtype; } STORAGES[] = {
    {"FloatStorage", ST_F32}, {"HalfStorage", ST_F16}, {"BFloat16Storage", ST_BF16},
    {"DoubleStorage", ST_F64}, {"LongStorage", ST_I64}, {"IntStorage", ST_I32},
    {"ShortStorage", ST_I16}, {"CharStorage", ST_I8}, {"ByteStorage", ST_U8},
    {"BoolStorage", ST_BOOL},
};


/* The whitelist: everything a pickle may name. */
static int resolve_global(Machine *m, const char *mod, size_t ml, const char *name, size_t nl) {
    Val *v = new_val(m, V_GLOBAL);
    if (!v) return -1;
    int ok = 0;
    if (m->allow_torch && eq(mod, ml, "torch._utils") && eq(name, nl, "_rebuild_tensor_v2"))
        v->u.global.g = G_REBUILD_TENSOR, ok = 1;
    else if (m->allow_torch && eq(mod, ml, "collections") && eq(name, nl, "OrderedDict"))
        v->u.global.g = G_ORDERED_DICT, ok = 1;
    else if (m->allow_torch && eq(mod, ml, "torch"))
        for (size_t i = 0; i < sizeof STORAGES / sizeof STORAGES[0] && !ok; i++)
            if (eq(name, nl, STORAGES[i].name))
                v->u.global.g = G_STORAGE_TYPE, v->u.global.dtype = STORAGES[i].dtype, ok = 1;
    if (!ok) {
        char a[HUB_NAME_BUF], b[HUB_NAME_BUF];
        hub_display_n(a, mod, ml);
        hub_display_n(b, name, nl);
        return bt_fail(m->err, "pickle names '%s.%s', which is not a tensor type: refusing to run it "
                               "(only torch tensors and OrderedDict are allowed; the file may be malicious)",
                       a, b);
    }
    return push(m, v);
}

/* GLOBAL's argument: "module\nname\n" */
static int op_global(Machine *m) {
    const char *s = (const char *)m->buf + m->pos;
    size_t left = m->n - m->pos;
    const char *nl1 = memchr(s, '\n', left > 256 ? 256 : left);
    if (!nl1) return left > 256 ? fail_at(m, "GLOBAL module name too long") : need(m, left + 1);
    const char *nm = nl1 + 1;
    size_t left2 = left - (size_t)(nm - s);
    const char *nl2 = memchr(nm, '\n', left2 > 256 ? 256 : left2);
    if (!nl2) return left2 > 256 ? fail_at(m, "GLOBAL name too long") : need(m, left + 1);
    m->pos += (size_t)(nl2 + 1 - s);
    return resolve_global(m, s, (size_t)(nl1 - s), nm, (size_t)(nl2 - nm));
}

static int as_int(const Val *v, int64_t *out) {
    if (v->kind != V_INT && v->kind != V_BOOL) return -1;
    *out = v->u.i;
    return 0;
}

/* persistent_load: ('storage', torch.XStorage, key, location, numel) and,
 * in the old format, a sixth item (view metadata), which must be None. */
static int op_persid(Machine *m) {
    Val *pid = pop(m);
    if (!pid) return -1;
    if (!m->allow_torch) return fail_at(m, "persistent id in a plain-data pickle");
    int64_t numel;
    if (pid->kind != V_TUPLE || (pid->u.seq.n != 5 && pid->u.seq.n != 6) || !str_is(pid->u.seq.items[0], "storage") ||
        pid->u.seq.items[1]->kind != V_GLOBAL || pid->u.seq.items[1]->u.global.g != G_STORAGE_TYPE ||
        pid->u.seq.items[2]->kind != V_STR || as_int(pid->u.seq.items[4], &numel) ||
        (pid->u.seq.n == 6 && pid->u.seq.items[5]->kind != V_NONE))
        return fail_at(m, "persistent id is not a torch storage reference");
    StDtype dt = pid->u.seq.items[1]->u.global.dtype;
    const Val *key = pid->u.seq.items[2];
    if (numel < 0 || numel > (int64_t)(INT64_MAX / 8)) return fail_at(m, "storage with an impossible size");
    if (key->u.str.len == 0 || key->u.str.len > 64) return fail_at(m, "storage key empty or too long");
    for (size_t i = 0; i < key->u.str.len; i++) {
        char c = key->u.str.s[i];
        /* the key becomes part of a record path: no separators or dots */
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
            return fail_at(m, "storage key with characters other than letters, digits and _");
    }
    if (key_index_grow(m)) return -1;
    size_t slot = key_slot(m, key->u.str.s, key->u.str.len);
    int idx = m->slots[slot] - 1;
    if (idx >= 0) {
        if (m->storages[idx].dtype != dt || m->storages[idx].numel != numel)
            return fail_at(m, "one storage declared with two types or sizes");
    } else {
        if (m->n_storages >= 1 << 16) return fail_at(m, "too many storages");
        if (m->n_storages == m->storages_cap) {
            int cap = m->storages_cap ? m->storages_cap * 2 : 16;
            PtStorage *s = realloc(m->storages, (size_t)cap * sizeof *s);
            if (!s) return bt_fail(m->err, "out of memory");
            m->storages = s, m->storages_cap = cap;
        }
        PtStorage *s = m->storages;
        idx = m->n_storages;
        memset(&s[idx], 0, sizeof s[idx]);
        s[idx].key = strndup(key->u.str.s, key->u.str.len);
        if (!s[idx].key) return bt_fail(m->err, "out of memory");
        s[idx].dtype = dt;
        s[idx].numel = numel;
        m->n_storages++;
        m->slots[slot] = idx + 1;
    }
    Val *v = new_val(m, V_STORAGE);
    if (!v) return -1;
    v->u.i = idx;
    return push(m, v);
}

static int int_tuple(const Val *v, int64_t *out, int *n) {
    if (v->kind != V_TUPLE || v->u.seq.n > PT_MAX_DIMS) return -1;
    for (size_t i = 0; i < v->u.seq.n; i++)
        if (as_int(v->u.seq.items[i], &out[i])) return -1;
    *n = (int)v->u.seq.n;
    return 0;
}

/* _rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
 * backward_hooks[, metadata]): a view of the storage, checked to fit. */
static Val *rebuild_tensor(Machine *m, const Val *args) {
    int64_t off, stride[PT_MAX_DIMS];
    int ns;
    PtTensor t = {0};
    if (args->u.seq.n < 6 || args->u.seq.n > 7 || args->u.seq.items[0]->kind != V_STORAGE ||
        as_int(args->u.seq.items[1], &off) || int_tuple(args->u.seq.items[2], t.size, &t.ndim) ||
        int_tuple(args->u.seq.items[3], stride, &ns) || ns != t.ndim) {
        fail_at(m, "_rebuild_tensor_v2 called with arguments that do not describe a tensor");
        return NULL;
    }
    memcpy(t.stride, stride, sizeof stride);
    t.storage = (int)args->u.seq.items[0]->u.i;
    t.offset = off;
    const PtStorage *s = &m->storages[t.storage];
    int64_t last = off, numel = 1;
    int bad = off < 0;
    for (int d = 0; d < t.ndim && !bad; d++) {
        int64_t span;
        if (t.size[d] < 0 || t.stride[d] < 0) bad = 1;
        else if (__builtin_mul_overflow(t.size[d], numel, &numel)) bad = 1;
        else if (t.size[d] > 0 && (__builtin_mul_overflow(t.size[d] - 1, t.stride[d], &span) ||
                                   __builtin_add_overflow(last, span, &last)))
            bad = 1;
    }
    if (bad) {
        fail_at(m, "tensor with negative or overflowing sizes, strides or offset");
        return NULL;
    }
    if (numel > 0 && last >= s->numel) {
        char k[HUB_NAME_BUF];
        hub_display(k, s->key);
        bt_fail(m->err, "pickle: a tensor reaches element %lld of storage '%s', which holds %lld",
                (long long)last, k, (long long)s->numel);
        return NULL;
    }
    Val *v = new_val(m, V_TENSOR);
    if (!v) return NULL;
    if (!(v->u.tensor = malloc(sizeof t))) {
        bt_fail(m->err, "out of memory");
        return NULL;
    }
    *v->u.tensor = t;
    return v;
}

static int op_reduce(Machine *m) {
    Val *args = pop(m), *fn = args ? pop(m) : NULL;
    if (!fn) return -1;
    if (fn->kind != V_GLOBAL || args->kind != V_TUPLE) return fail_at(m, "REDUCE of something that is not a callable");
    Val *r = NULL;
    if (fn->u.global.g == G_REBUILD_TENSOR) {
        if (!(r = rebuild_tensor(m, args))) return -1;
    } else if (fn->u.global.g == G_ORDERED_DICT) {
        if (args->u.seq.n != 0) return fail_at(m, "OrderedDict called with arguments");
        r = new_val(m, V_DICT);
    } else {
        return fail_at(m, "REDUCE calls a storage type");
    }
    return push(m, r);
}

static int op_setitems(Machine *m, size_t from) {
    if (from == 0) return fail_at(m, "SETITEMS without a dict");
    Val *d = m->stack[from - 1];
    if (d->kind != V_DICT) return fail_at(m, "SETITEM on something that is not a dict");
    if ((m->sp - from) % 2) return fail_at(m, "SETITEMS with an odd number of items");
    for (size_t i = from; i < m->sp; i++)
        if (seq_append(m, d, m->stack[i])) return -1;
    m->sp = from;
    return 0;
}

static int op_appends(Machine *m, size_t from) {
    if (from == 0) return fail_at(m, "APPENDS without a list");
    Val *l = m->stack[from - 1];
    if (l->kind != V_LIST) return fail_at(m, "APPEND on something that is not a list");
    for (size_t i = from; i < m->sp; i++)
        if (seq_append(m, l, m->stack[i])) return -1;
    m->sp = from;
    return 0;
}

/* Runs until STOP; *result is the value left on the stack. */
static int run(Machine *m, Val **result) {
    m->stack_cap = 64;
    if (!(m->stack = malloc(m->stack_cap * sizeof *m->stack))) return bt_fail(m->err, "out of memory");
    for (;;) {
        if (need(m, 1)) return -1;
        size_t at = m->pos;
        uint8_t op = m->buf[m->pos++];
        int rc = 0;
        size_t from = 0;
        Val *v;
        switch (op) {
        case 0x80: /* PROTO */
            if (need(m, 1)) return -1;
            if (m->buf[m->pos] < 2 || m->buf[m->pos] > 5) return fail_at(m, "unsupported pickle protocol");
            m->pos++;
            break;
        case 0x95: /* FRAME: a length hint only */
            if (need(m, 8)) return -1;
            m->pos += 8;
            break;
        case '.': /* STOP */
            if (m->n_marks || m->sp != 1) return fail_at(m, "STOP with a malformed stack");
            *result = m->stack[0];
            return 0;
        case '(': /* MARK */
            if (m->n_marks >= PT_MAX_STACK) return fail_at(m, "too many MARKs");
            if (m->n_marks == m->marks_cap) {
                size_t cap = m->marks_cap ? m->marks_cap * 2 : 16;
                size_t *mk = realloc(m->marks, cap * sizeof *mk);
                if (!mk) return bt_fail(m->err, "out of memory");
                m->marks = mk, m->marks_cap = cap;
            }
            m->marks[m->n_marks++] = m->sp;
            break;
        case ')': rc = push(m, new_val(m, V_TUPLE)); break;
        case 't': /* TUPLE */
            if (!(rc = pop_mark(m, &from))) {
                v = make_seq(m, V_TUPLE, m->stack + from, m->sp - from);
                m->sp = from;
                rc = push(m, v);
            }
            break;
        case 0x85: case 0x86: case 0x87: { /* TUPLE1..3 */
            size_t k = (size_t)(op - 0x84), floor = m->n_marks ? m->marks[m->n_marks - 1] : 0;
            if (m->sp - floor < k) return fail_at(m, "stack underflow");
            v = make_seq(m, V_TUPLE, m->stack + m->sp - k, k);
            m->sp -= k;
            rc = push(m, v);
            break;
        }
        case ']': rc = push(m, new_val(m, V_LIST)); break;
        case '}': rc = push(m, new_val(m, V_DICT)); break;
        case 'a': /* APPEND */
            if (m->sp - (m->n_marks ? m->marks[m->n_marks - 1] : 0) < 2) return fail_at(m, "stack underflow");
            rc = op_appends(m, m->sp - 1);
            break;
        case 'e': if (!(rc = pop_mark(m, &from))) rc = op_appends(m, from); break;
        case 's': /* SETITEM */
            if (m->sp - (m->n_marks ? m->marks[m->n_marks - 1] : 0) < 3) return fail_at(m, "stack underflow");
            rc = op_setitems(m, m->sp - 2);
            break;
        case 'u': if (!(rc = pop_mark(m, &from))) rc = op_setitems(m, from); break;
        case 'N': rc = push(m, new_val(m, V_NONE)); break;
        case 0x88: case 0x89: /* NEWTRUE, NEWFALSE */
            if ((v = new_val(m, V_BOOL))) v->u.i = op == 0x88;
            rc = push(m, v);
            break;
        case 'K': case 'M': case 'J': { /* BININT1, BININT2, BININT */
            int k = op == 'K' ? 1 : op == 'M' ? 2 : 4;
            if (need(m, (size_t)k)) return -1;
            uint64_t u = le(m->buf + m->pos, k);
            m->pos += (size_t)k;
            if ((v = new_val(m, V_INT))) v->u.i = k == 4 ? (int64_t)(int32_t)(uint32_t)u : (int64_t)u;
            rc = push(m, v);
            break;
        }
        case 0x8a: { /* LONG1: little-endian two's complement of n bytes */
            if (need(m, 1)) return -1;
            size_t k = m->buf[m->pos++];
            if (need(m, k)) return -1;
            if (k <= 8) {
                uint64_t u = k ? le(m->buf + m->pos, (int)k) : 0;
                if (k && k < 8 && (m->buf[m->pos + k - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * k);
                if ((v = new_val(m, V_INT))) v->u.i = (int64_t)u;
            } else if ((v = new_val(m, V_BIGINT))) {
                /* only the old format's magic number is this big */
                v->u.str.s = (const char *)m->buf + m->pos;
                v->u.str.len = k;
            }
            m->pos += k;
            rc = push(m, v);
            break;
        }
        case 'G': /* BINFLOAT: harmless, appears in hand-made state */
            if (need(m, 8)) return -1;
            m->pos += 8;
            rc = push(m, new_val(m, V_FLOAT));
            break;
        case 'X': case 'T': /* BINUNICODE, BINSTRING: 4-byte length */
            if (need(m, 4)) return -1;
            m->pos += 4;
            rc = push_str(m, (size_t)le(m->buf + m->pos - 4, 4));
            break;
        case 0x8c: case 'U': /* SHORT_BINUNICODE, SHORT_BINSTRING */
            if (need(m, 1)) return -1;
            m->pos += 1;
            rc = push_str(m, m->buf[m->pos - 1]);
            break;
        case 0x8d: { /* BINUNICODE8 */
            if (need(m, 8)) return -1;
            uint64_t len = le(m->buf + m->pos, 8);
            m->pos += 8;
            if (len > m->n - m->pos) return fail_at(m, "string longer than the file (truncated or hostile)");
            rc = push_str(m, (size_t)len);
            break;
        }
        case 'c': rc = op_global(m); break;
        case 0x93: { /* STACK_GLOBAL */
            Val *name = pop(m), *mod = name ? pop(m) : NULL;
            if (!mod) return -1;
            if (mod->kind != V_STR || name->kind != V_STR) return fail_at(m, "STACK_GLOBAL of non-strings");
            rc = resolve_global(m, mod->u.str.s, mod->u.str.len, name->u.str.s, name->u.str.len);
            break;
        }
        case 'q': if (!(rc = need(m, 1))) rc = memo_put(m, m->buf[m->pos++]); break;
        case 'r':
            if (need(m, 4)) return -1;
            m->pos += 4;
            rc = memo_put(m, le(m->buf + m->pos - 4, 4));
            break;
        case 0x94: rc = memo_put(m, m->memo_len); break; /* MEMOIZE */
        case 'h': if (!(rc = need(m, 1))) rc = memo_get(m, m->buf[m->pos++]); break;
        case 'j':
            if (need(m, 4)) return -1;
            m->pos += 4;
            rc = memo_get(m, le(m->buf + m->pos - 4, 4));
            break;
        case 'R': rc = op_reduce(m); break;
        case 'Q': rc = op_persid(m); break;
        case 'b': { /* BUILD: the state dict's _metadata attribute; dropped */
            Val *state = pop(m), *obj = state ? top(m) : NULL;
            if (!obj) return -1;
            if (obj->kind != V_DICT) return fail_at(m, "BUILD on something that is not a dict");
            break;
        }
        default:
            /* one message, not a formatted `what` that fail_at would look up again */
            return bt_fail(m->err, "pickle: opcode 0x%02x is not one torch.save uses at byte %zu", op, at);
        }
        if (rc) return -1;
    }
}

static void machine_init(Machine *m, const uint8_t *buf, size_t n, int allow_torch, BtError *err) {
    memset(m, 0, sizeof *m);
    m->buf = buf, m->n = n, m->allow_torch = allow_torch, m->err = err;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(((const PtTensor *)a)->name, ((const PtTensor *)b)->name);
}

int pt_unpickle_state_dict(const uint8_t *buf, size_t n, size_t *used, PtStateDict *sd, BtError *err) {
    memset(sd, 0, sizeof *sd);
    Machine m;
    machine_init(&m, buf, n, 1, err);
    Val *r = NULL;
    int rc = run(&m, &r);
    if (!rc && r->kind != V_DICT) rc = bt_fail(err, "the pickle holds no state dict (a dict of tensors)");
    size_t np = rc ? 0 : r->u.seq.n / 2;
    if (!rc && !(sd->tensors = calloc(np ? np : 1, sizeof *sd->tensors))) rc = bt_fail(err, "out of memory");
    for (size_t i = 0; i < np && !rc; i++) {
        const Val *k = r->u.seq.items[2 * i], *v = r->u.seq.items[2 * i + 1];
        if (k->kind != V_STR || !k->u.str.len || memchr(k->u.str.s, 0, k->u.str.len)) {
            rc = bt_fail(err, "state dict entry %zu has no usable name", i);
        } else if (v->kind != V_TENSOR) {
            char nm[HUB_NAME_BUF];
            hub_display_n(nm, k->u.str.s, k->u.str.len);
            rc = bt_fail(err, "state dict entry '%s' is not a tensor", nm);
        } else {
            PtTensor *t = &sd->tensors[sd->n_tensors];
            *t = *v->u.tensor;
            if (!(t->name = strndup(k->u.str.s, k->u.str.len))) rc = bt_fail(err, "out of memory");
            else sd->n_tensors++;
        }
    }
    if (!rc && sd->n_tensors > 1) {
        /* a torch file never repeats a key; sort a copy to find out */
        PtTensor *c = malloc((size_t)sd->n_tensors * sizeof *c);
        if (!c) rc = bt_fail(err, "out of memory");
        else {
            memcpy(c, sd->tensors, (size_t)sd->n_tensors * sizeof *c);
            qsort(c, (size_t)sd->n_tensors, sizeof *c, cmp_name);
            for (int i = 1; i < sd->n_tensors && !rc; i++)
                if (!strcmp(c[i].name, c[i - 1].name)) {
                    char nm[HUB_NAME_BUF];
                    hub_display(nm, c[i].name);
                    rc = bt_fail(err, "state dict names '%s' twice", nm);
                }
            free(c);
        }
    }
    if (!rc) {
        sd->storages = m.storages, sd->n_storages = m.n_storages;
        m.storages = NULL, m.n_storages = 0;
        if (used) *used = m.pos;
    }
    machine_free(&m);
    if (rc) pt_state_dict_free(sd);
    return rc;
}

int pt_unpickle_plain(const uint8_t *buf, size_t n, size_t *used, char ***strs, int *n_strs, BtError *err) {
    *strs = NULL;
    *n_strs = 0;
    Machine m;
    machine_init(&m, buf, n, 0, err);
    Val *r = NULL;
    int rc = run(&m, &r);
    if (!rc && r->kind == V_LIST) {
        size_t k = r->u.seq.n;
        int all = 1;
        for (size_t i = 0; i < k; i++) all &= r->u.seq.items[i]->kind == V_STR;
        if (all && k) {
            if (!(*strs = calloc(k, sizeof **strs))) rc = bt_fail(err, "out of memory");
            for (size_t i = 0; i < k && !rc; i++, ++*n_strs)
                if (!((*strs)[i] = strndup(r->u.seq.items[i]->u.str.s, r->u.seq.items[i]->u.str.len)))
                    rc = bt_fail(err, "out of memory");
        }
    }
    if (!rc && used) *used = m.pos;
    machine_free(&m);
    if (rc) {
        pt_free_strs(*strs, *n_strs);
        *strs = NULL, *n_strs = 0;
    }
    return rc;
}

void pt_free_strs(char **strs, int n) {
    for (int i = 0; i < n; i++) free(strs[i]);
    free(strs);
}

void pt_state_dict_free(PtStateDict *sd) {
    for (int i = 0; i < sd->n_tensors; i++) free(sd->tensors[i].name);
    for (int i = 0; i < sd->n_storages; i++) free(sd->storages[i].key);
    free(sd->tensors);
    free(sd->storages);
    memset(sd, 0, sizeof *sd);
}
