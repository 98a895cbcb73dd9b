/* The restricted unpickler on hand-assembled pickles: what torch.save
 * writes is read, and every hostile or broken form is refused with a
 * message saying why (never a crash: the fuzz loop runs under ASan in the
 * sanitizer build). Whole files (zip, torch-written) are tested from
 * Python in tests/hub/test_convert.py. */
#include "bertology/pickle.h"
#include "unit/testutil.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t b[1 << 20];
    size_t n;
} Buf;

static void put(Buf *p, const void *d, size_t k) {
    if (p->n + k > sizeof p->b) abort();
    memcpy(p->b + p->n, d, k);
    p->n += k;
}
static void op(Buf *p, uint8_t o) { put(p, &o, 1); }
static void u32(Buf *p, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(p, b, 4);
}
static void str(Buf *p, const char *s) { op(p, 'X'), u32(p, (uint32_t)strlen(s)), put(p, s, strlen(s)); }
static void global(Buf *p, const char *mod, const char *name) {
    op(p, 'c');
    put(p, mod, strlen(mod)), op(p, '\n');
    put(p, name, strlen(name)), op(p, '\n');
}
static void int1(Buf *p, uint8_t v) { op(p, 'K'), op(p, v); }
static void bint(Buf *p, int32_t v) { op(p, 'J'), u32(p, (uint32_t)v); }
static void long8(Buf *p, int64_t v) {
    op(p, 0x8a), op(p, 8);
    for (int i = 0; i < 8; i++) op(p, (uint8_t)((uint64_t)v >> (8 * i)));
}

/* One tensor entry as torch writes it: name, then
 * _rebuild_tensor_v2(persid(('storage', torch.<stype>, key, 'cpu', numel)),
 *                    offset, size, stride, False, OrderedDict()) */
typedef struct {
    const char *name, *stype, *key;
    int64_t numel, offset;
    int ndim;
    int64_t size[4], stride[4];
} Entry;

static void tuple_of(Buf *p, const int64_t *v, int n) {
    op(p, '(');
    for (int i = 0; i < n; i++) v[i] >= 0 && v[i] < (1 << 30) ? bint(p, (int32_t)v[i]) : long8(p, v[i]);
    op(p, 't');
}

static void entry(Buf *p, const Entry *e) {
    str(p, e->name);
    global(p, "torch._utils", "_rebuild_tensor_v2");
    op(p, '(');
    op(p, '('), str(p, "storage"), global(p, "torch", e->stype), str(p, e->key), str(p, "cpu");
    e->numel < (1 << 30) ? bint(p, (int32_t)e->numel) : long8(p, e->numel);
    op(p, 't'), op(p, 'Q');
    e->offset >= 0 && e->offset < (1 << 30) ? bint(p, (int32_t)e->offset) : long8(p, e->offset);
    tuple_of(p, e->size, e->ndim);
    tuple_of(p, e->stride, e->ndim);
    op(p, 0x89);
    global(p, "collections", "OrderedDict"), op(p, ')'), op(p, 'R');
    op(p, 't'), op(p, 'R');
}

/* {entries...} as an OrderedDict, with the _metadata BUILD at the end */
static void state_dict(Buf *p, const Entry *e, int n) {
    p->n = 0;
    op(p, 0x80), op(p, 2);
    global(p, "collections", "OrderedDict"), op(p, 'q'), op(p, 0), op(p, ')'), op(p, 'R');
    op(p, '(');
    for (int i = 0; i < n; i++) entry(p, &e[i]);
    op(p, 'u');
    op(p, '}'), str(p, "_metadata"), op(p, 'h'), op(p, 0), op(p, ')'), op(p, 'R'), op(p, 's'), op(p, 'b');
    op(p, '.');
}

static Buf B;

static int parse(const Buf *p, PtStateDict *sd, BtError *err) {
    err->msg[0] = 0;
    size_t used = 0;
    int rc = pt_unpickle_state_dict(p->b, p->n, &used, sd, err);
    if (!rc && used != p->n) fprintf(stderr, "used %zu of %zu\n", used, p->n);
    return rc;
}

/* The pickle must be refused with a message containing want. */
static void refused(const char *what, const char *want) {
    PtStateDict sd;
    BtError err;
    int rc = parse(&B, &sd, &err);
    CHECKF(rc == -1, "%s: accepted", what);
    if (rc == 0) pt_state_dict_free(&sd);
    else CHECKF(strstr(err.msg, want) != NULL, "%s: message '%s' lacks '%s'", what, err.msg, want);
}

static const Entry GOOD[] = {
    {"bert.w", "FloatStorage", "0", 6, 0, 2, {2, 3}, {3, 1}},
    {"bert.wt", "FloatStorage", "0", 6, 0, 2, {3, 2}, {1, 3}},
    {"bert.h", "HalfStorage", "1", 10, 3, 1, {4}, {1}},
    {"ids", "LongStorage", "2", 5, 0, 2, {1, 5}, {5, 1}},
};

static void test_good(void) {
    state_dict(&B, GOOD, 4);
    PtStateDict sd;
    BtError err;
    int rc = parse(&B, &sd, &err);
    CHECKF(rc == 0, "torch-like state dict refused: %s", err.msg);
    if (rc) return;
    CHECK(sd.n_tensors == 4 && sd.n_storages == 3);
    CHECK(!strcmp(sd.tensors[0].name, "bert.w") && sd.tensors[0].ndim == 2 && sd.tensors[0].size[1] == 3);
    CHECK(sd.tensors[1].stride[0] == 1 && sd.tensors[1].stride[1] == 3 && sd.tensors[1].storage == 0);
    CHECK(sd.tensors[2].offset == 3 && sd.storages[sd.tensors[2].storage].dtype == ST_F16);
    CHECK(sd.storages[sd.tensors[3].storage].dtype == ST_I64);
    CHECK(!strcmp(sd.storages[0].key, "0") && sd.storages[0].numel == 6);
    pt_state_dict_free(&sd);
}

/* Protocol 4 spells the same with other opcodes. */
static void test_protocol4(void) {
    B.n = 0;
    op(&B, 0x80), op(&B, 4), op(&B, 0x95);
    for (int i = 0; i < 8; i++) op(&B, 0); /* FRAME: a length hint */
    op(&B, 0x8c), op(&B, 11), put(&B, "collections", 11), op(&B, 0x94);
    op(&B, 0x8c), op(&B, 11), put(&B, "OrderedDict", 11), op(&B, 0x94), op(&B, 0x93), op(&B, 0x94);
    op(&B, ')'), op(&B, 'R'), op(&B, 0x94);
    op(&B, 0x8c), op(&B, 1), op(&B, 'x');
    global(&B, "torch._utils", "_rebuild_tensor_v2");
    op(&B, '(');
    op(&B, '('), str(&B, "storage"), global(&B, "torch", "BFloat16Storage"), str(&B, "k0"), str(&B, "cpu");
    int1(&B, 4), op(&B, 't'), op(&B, 'Q');
    int1(&B, 0), int1(&B, 4), op(&B, 0x85), int1(&B, 1), op(&B, 0x85), op(&B, 0x88);
    /* memo 2 is OrderedDict (MEMOIZE numbers 0, 1, 2); a 7th argument */
    op(&B, 'h'), op(&B, 2), op(&B, ')'), op(&B, 'R'), op(&B, 'N');
    op(&B, 't'), op(&B, 'R'), op(&B, 's'), op(&B, '.');
    PtStateDict sd;
    BtError err;
    int rc = parse(&B, &sd, &err);
    CHECKF(rc == 0, "protocol 4 pickle refused: %s", err.msg);
    if (rc) return;
    CHECK(sd.n_tensors == 1 && !strcmp(sd.tensors[0].name, "x") && sd.storages[0].dtype == ST_BF16);
    pt_state_dict_free(&sd);
}

static void test_globals(void) {
    B.n = 0;
    op(&B, 0x80), op(&B, 2), global(&B, "os", "system"), str(&B, "echo pwned"), op(&B, 0x85), op(&B, 'R'), op(&B, '.');
    refused("os.system", "'os.system'");
    refused("os.system", "malicious");

    B.n = 0;
    op(&B, 0x80), op(&B, 4), op(&B, 0x8c), op(&B, 8), put(&B, "builtins", 8);
    op(&B, 0x8c), op(&B, 4), put(&B, "eval", 4), op(&B, 0x93), op(&B, '.');
    refused("builtins.eval via STACK_GLOBAL", "'builtins.eval'");

    /* a torch name that is not on the list is refused too */
    B.n = 0;
    op(&B, 0x80), op(&B, 2), global(&B, "torch", "load"), op(&B, '.');
    refused("torch.load", "'torch.load'");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), global(&B, "torch._utils", "_rebuild_parameter"), op(&B, '.');
    refused("_rebuild_parameter", "not a tensor type");
    /* a GLOBAL line with no end cannot run past the buffer */
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, 'c'), put(&B, "os", 2);
    refused("unterminated GLOBAL", "truncated");
}

static void test_opcodes(void) {
    static const uint8_t bad[] = {'i', 'o', 0x81, 0x92, 'I', 'L', 'V', 'S', 'P', 0x82, 0x96, 0x97};
    for (size_t i = 0; i < sizeof bad; i++) {
        B.n = 0;
        op(&B, 0x80), op(&B, 2), op(&B, bad[i]), op(&B, '.');
        char what[32];
        snprintf(what, sizeof what, "opcode 0x%02x", bad[i]);
        refused(what, "is not one torch.save uses");
    }
    /* REDUCE of a storage type or OrderedDict with arguments */
    B.n = 0;
    op(&B, 0x80), op(&B, 2), global(&B, "torch", "FloatStorage"), op(&B, ')'), op(&B, 'R'), op(&B, '.');
    refused("storage call", "REDUCE");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), global(&B, "collections", "OrderedDict"), str(&B, "a"), op(&B, 0x85), op(&B, 'R'), op(&B, '.');
    refused("OrderedDict(args)", "arguments");
    B.n = 0;
    op(&B, 0x80), op(&B, 7), op(&B, '.');
    refused("protocol 7", "protocol");
}

static void test_truncated(void) {
    state_dict(&B, GOOD, 4);
    Buf *full = malloc(sizeof *full);
    *full = B;
    int crashes_or_accepts = 0;
    for (size_t cut = 0; cut < full->n; cut++) {
        PtStateDict sd;
        BtError err;
        size_t used;
        if (pt_unpickle_state_dict(full->b, cut, &used, &sd, &err) == 0) {
            crashes_or_accepts++;
            pt_state_dict_free(&sd);
        }
    }
    CHECKF(crashes_or_accepts == 0, "%d truncated pickles accepted", crashes_or_accepts);
    B = *full;
    B.n = full->n / 2;
    refused("truncated", "truncated");
    free(full);
}

static void test_sizes(void) {
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, 'X'), u32(&B, 0xFFFFFFFFu), put(&B, "abc", 3);
    refused("4 GB string", "truncated");
    B.n = 0;
    op(&B, 0x80), op(&B, 4), op(&B, 0x8d);
    for (int i = 0; i < 8; i++) op(&B, 0xFF);
    refused("BINUNICODE8 of 2^64-1", "longer than the file");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, 'N'), op(&B, 'r'), u32(&B, 0xFFFFFFFFu), op(&B, '.');
    refused("memo index 2^32-1", "memo index beyond the limit");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, 'j'), u32(&B, 12345), op(&B, '.');
    refused("unset memo", "unset");
    B.n = 0;
    op(&B, 0x80), op(&B, 2);
    for (int i = 0; i < PT_MAX_STACK + 10; i++) op(&B, 'N');
    refused("stack bomb", "stack deeper");
    B.n = 0;
    op(&B, 0x80), op(&B, 2);
    for (int i = 0; i < PT_MAX_STACK + 10; i++) op(&B, '(');
    refused("mark bomb", "MARK");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, 't'), op(&B, '.');
    refused("TUPLE without MARK", "MARK");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, 'R'), op(&B, '.');
    refused("REDUCE on an empty stack", "underflow");

    Entry e = {"w", "FloatStorage", "0", (int64_t)1 << 62, 0, 1, {4}, {1}};
    state_dict(&B, &e, 1);
    refused("storage of 2^62 floats", "impossible size");
    e = (Entry){"w", "FloatStorage", "0", 6, 0, 1, {100}, {1}};
    state_dict(&B, &e, 1);
    refused("tensor larger than its storage", "reaches element 99");
    e = (Entry){"w", "FloatStorage", "0", 6, 4, 2, {2, 3}, {3, 1}};
    state_dict(&B, &e, 1);
    refused("offset pushes it out", "reaches element");
    e = (Entry){"w", "FloatStorage", "0", 6, 0, 2, {2, 3}, {-3, 1}};
    state_dict(&B, &e, 1);
    refused("negative stride", "negative");
    e = (Entry){"w", "FloatStorage", "0", 6, 0, 2, {(int64_t)1 << 40, (int64_t)1 << 40}, {(int64_t)1 << 40, 1}};
    state_dict(&B, &e, 1);
    refused("overflowing size", "overflowing");
    e = (Entry){"w", "FloatStorage", "0", 6, -1, 1, {2}, {1}};
    state_dict(&B, &e, 1);
    refused("negative offset", "offset");
    Entry two[] = {{"a", "FloatStorage", "0", 6, 0, 1, {6}, {1}}, {"b", "HalfStorage", "0", 6, 0, 1, {6}, {1}}};
    state_dict(&B, two, 2);
    refused("one storage, two dtypes", "two types");
    Entry dup[] = {{"a", "FloatStorage", "0", 6, 0, 1, {6}, {1}}, {"a", "FloatStorage", "1", 6, 0, 1, {6}, {1}}};
    state_dict(&B, dup, 2);
    refused("repeated name", "twice");
    e = (Entry){"w", "FloatStorage", "../../etc/passwd", 6, 0, 1, {6}, {1}};
    state_dict(&B, &e, 1);
    refused("storage key with a path", "storage key");
}

static void test_shapes(void) {
    /* a state dict whose value is not a tensor */
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, '}'), str(&B, "w"), int1(&B, 3), op(&B, 's'), op(&B, '.');
    refused("int value", "not a tensor");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, ']'), op(&B, '.');
    refused("a list", "no state dict");
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, '}'), op(&B, 'N'), op(&B, '.');
    refused("two objects at STOP", "STOP");

    /* plain-data pickles (old format headers) accept no torch names */
    B.n = 0;
    op(&B, 0x80), op(&B, 2), global(&B, "collections", "OrderedDict"), op(&B, '.');
    char **s;
    int n;
    BtError err;
    CHECK(pt_unpickle_plain(B.b, B.n, NULL, &s, &n, &err) == -1 && strstr(err.msg, "OrderedDict"));
    B.n = 0;
    op(&B, 0x80), op(&B, 2), op(&B, ']'), op(&B, '('), str(&B, "93"), str(&B, "94"), op(&B, 'e'), op(&B, '.');
    size_t used;
    CHECK(pt_unpickle_plain(B.b, B.n, &used, &s, &n, &err) == 0 && n == 2 && !strcmp(s[1], "94") && used == B.n);
    if (n == 2) pt_free_strs(s, n);
}

/* Random damage to a valid pickle: whatever happens, no crash, and
 * anything accepted still has its tensors inside their storages. */
static void test_fuzz(void) {
    state_dict(&B, GOOD, 4);
    Buf *orig = malloc(sizeof *orig);
    *orig = B;
    uint64_t r = 0x9E3779B97F4A7C15ull;
    int bad_accept = 0;
    for (int it = 0; it < 3000; it++) {
        B = *orig;
        int flips = 1 + it % 4;
        for (int k = 0; k < flips; k++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            B.b[r % B.n] = (uint8_t)(r >> 32);
        }
        PtStateDict sd;
        BtError err;
        size_t used;
        if (pt_unpickle_state_dict(B.b, B.n, &used, &sd, &err) == 0) {
            for (int i = 0; i < sd.n_tensors; i++) {
                const PtTensor *t = &sd.tensors[i];
                int64_t last = t->offset, numel = pt_numel(t);
                for (int d = 0; d < t->ndim; d++) last += (t->size[d] - 1) * t->stride[d];
                if (numel > 0 && last >= sd.storages[t->storage].numel) bad_accept++;
            }
            pt_state_dict_free(&sd);
        }
    }
    CHECKF(bad_accept == 0, "%d damaged pickles gave out-of-bounds tensors", bad_accept);
    free(orig);
}

int main(void) {
    test_good();
    test_protocol4();
    test_globals();
    test_opcodes();
    test_truncated();
    test_sizes();
    test_shapes();
    test_fuzz();
    return test_done("pickle");
}
