/* Big blocks (core/bigmem.c): small requests are plain malloc/calloc; a
 * freed big block comes back for a request it fits (at most its size, at
 * least half of it) and not for one it does not; big_calloc zeroes a
 * reused block; at most BIGMEM_SPARES are kept (the oldest goes), and a
 * block over BIGMEM_SPARE_BYTES is not kept; big_free takes plain
 * malloc'd pointers and NULL; huge-page alignment. Under AddressSanitizer
 * blocks are never kept (so that it sees a use after big_free): there
 * only the zeroing and the plain cases are checked. */
#include "bertology/bigmem.h"
#include "testutil.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MB = 1 << 20 };

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static void test_small(void) {
    unsigned char *p = big_calloc(1000, 4);
    CHECK(p && all_zero(p, 4000));
    big_free(p);
    CHECK(big_spare_bytes() == 0);   /* small blocks are not kept */
    big_free(malloc(100));           /* any malloc'd pointer */
    big_free(NULL);
    CHECK(big_calloc(SIZE_MAX / 2, 4) == NULL);   /* n × size overflows */
}

static void test_reuse(void) {
    if (!big_keeps_blocks()) {
        unsigned char *a = big_malloc(10 * MB);
        memset(a, 0xab, 10 * MB);
        big_free(a);
        unsigned char *b = big_calloc(9 * MB, 1);
        CHECK(b && all_zero(b, 9 * MB) && big_spare_bytes() == 0);
        big_free(b);
        return;
    }
    big_release_spares();
    unsigned char *a = big_malloc(10 * MB);
    CHECK(a && ((uintptr_t)a & (2 * MB - 1)) == 0);   /* 2 MiB aligned */
    memset(a, 0xab, 10 * MB);
    big_free(a);
    CHECK(big_spare_bytes() == 10 * MB);
    /* a request it fits: the same block, zeroed by big_calloc */
    unsigned char *b = big_calloc(9 * MB, 1);
    CHECK(b == a);
    CHECK(b && all_zero(b, 9 * MB));
    CHECK(big_spare_bytes() == 0);
    big_free(b);
    /* too large, and too small (under half): new blocks */
    unsigned char *c = big_malloc(12 * MB);
    CHECK(c && c != a);
    unsigned char *d = big_malloc(4 * MB);
    CHECK(d && d != a);
    CHECK(big_spare_bytes() == 10 * MB);
    memset(c, 1, 12 * MB);
    memset(d, 2, 4 * MB);
    big_free(c);
    big_free(d);
    CHECK(big_spare_bytes() == 26 * MB);
    big_release_spares();
    CHECK(big_spare_bytes() == 0);
}

static void test_eviction(void) {
    if (!big_keeps_blocks()) return;
    big_release_spares();
    unsigned char *p[BIGMEM_SPARES + 1];
    for (int i = 0; i <= BIGMEM_SPARES; i++) {
        p[i] = big_malloc((size_t)(4 + 2 * i) * MB);   /* distinct sizes: 4, 6, 8, ... MiB */
        CHECK(p[i] != NULL);
    }
    for (int i = 0; i <= BIGMEM_SPARES; i++) big_free(p[i]);
    /* the first freed went back to the system; the others are kept */
    size_t kept = 0;
    for (int i = 1; i <= BIGMEM_SPARES; i++) kept += (size_t)(4 + 2 * i) * MB;
    CHECK(big_spare_bytes() == kept);
    /* the smallest that fits is taken */
    unsigned char *q = big_malloc(6 * MB);
    CHECK(q == p[1]);
    big_free(q);
    big_release_spares();
    /* a block over the cap (a large model's weights) goes back at once;
     * mapped, never touched, it costs no memory */
    unsigned char *w = big_malloc(BIGMEM_SPARE_BYTES + 2 * MB);
    CHECK(w != NULL);
    big_free(w);
    CHECK(big_spare_bytes() == 0);
    /* kept blocks add up to the cap at most: the oldest go */
    unsigned char *x = big_malloc(BIGMEM_SPARE_BYTES / 2), *y = big_malloc(BIGMEM_SPARE_BYTES / 2 + 2 * MB);
    CHECK(x && y);
    big_free(x);
    big_free(y);
    CHECK(big_spare_bytes() == BIGMEM_SPARE_BYTES / 2 + 2 * MB);
    big_release_spares();
}

int main(void) {
    test_small();
    test_reuse();
    test_eviction();
    return test_done("bigmem");
}
