/* Large blocks, kept for reuse and in transparent huge pages (bertology/bigmem.h). */
#define _DEFAULT_SOURCE
#include "bertology/bigmem.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Under AddressSanitizer every block is a plain malloc/calloc: a kept
 * block would hide a use after big_free, and the table of live blocks
 * would hide a leak from LeakSanitizer. */
#if defined(__SANITIZE_ADDRESS__)
#define KEEP_BLOCKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KEEP_BLOCKS 0
#endif
#endif
#ifndef KEEP_BLOCKS
#define KEEP_BLOCKS 1
#endif

enum { HUGE_PAGE = 2 << 20, LIVE_MAX = 256 };

typedef struct {
    void *p;
    size_t bytes;   /* as mapped: whole huge pages */
} Block;

/* The big blocks handed out (big_free needs their size; when the table is
 * full a block is a plain calloc, which free() releases) and the spares,
 * oldest first, BIGMEM_SPARE_BYTES at most in all. */
static Block live[LIVE_MAX];
static int n_live;
static Block spare[BIGMEM_SPARES];
static int n_spare;
static size_t spare_bytes;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int big_keeps_blocks(void) { return KEEP_BLOCKS; }

/* A fresh mapping of `bytes` (whole huge pages), 2 MiB-aligned: zeroed by
 * the kernel, and a page becomes resident only when touched. */
static void *map_block(size_t bytes) {
    size_t over = bytes + HUGE_PAGE;
    if (over < bytes) return NULL;
    char *m = mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    char *p = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > m) munmap(m, (size_t)(p - m));
    size_t tail = (size_t)(m + over - (p + bytes));
    if (tail) munmap(p + bytes, tail);
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE);   /* advice only: refused or ignored is fine */
#endif
    return p;
}

/* Pops the spares; the caller unmaps what it gets. */
static int take_all_spares(Block *out) {
    pthread_mutex_lock(&lock);
    int n = n_spare;
    memcpy(out, spare, sizeof *spare * (size_t)n);
    n_spare = 0;
    spare_bytes = 0;
    pthread_mutex_unlock(&lock);
    return n;
}

void big_release_spares(void) {
    Block b[BIGMEM_SPARES];
    int n = take_all_spares(b);
    for (int i = 0; i < n; i++) munmap(b[i].p, b[i].bytes);
}

/* A block of at least `bytes`, tracked as live: a spare that fits (the
 * smallest at most twice the request: *reused = 1, its old data still in
 * it) or a new mapping. NULL when the table is full or memory ran out. */
static void *take(size_t bytes, int *reused) {
    size_t rounded = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (rounded < bytes) return NULL;
    Block b = {0};
    pthread_mutex_lock(&lock);
    if (n_live == LIVE_MAX) {
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    int best = -1;
    for (int i = 0; i < n_spare; i++)
        if (spare[i].bytes >= rounded && spare[i].bytes / 2 <= rounded &&
            (best < 0 || spare[i].bytes < spare[best].bytes))
            best = i;
    if (best >= 0) {
        b = spare[best];
        spare_bytes -= b.bytes;
        memmove(spare + best, spare + best + 1, sizeof *spare * (size_t)(n_spare - best - 1));
        n_spare--;
    }
    pthread_mutex_unlock(&lock);
    *reused = b.p != NULL;
    if (!b.p) {
        b = (Block){map_block(rounded), rounded};
        if (!b.p) {   /* the spares may be what fills memory: give them back and try once more */
            big_release_spares();
            b.p = map_block(rounded);
        }
        if (!b.p) return NULL;
    }
    pthread_mutex_lock(&lock);
    live[n_live++] = b;   /* a slot was free above, and only take() adds */
    pthread_mutex_unlock(&lock);
    return b.p;
}

void *big_malloc(size_t bytes) {
    if (!KEEP_BLOCKS || bytes < BIGMEM_MIN) return malloc(bytes ? bytes : 1);
    int reused;
    void *p = take(bytes, &reused);
    return p ? p : malloc(bytes);
}

void *big_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    if (!KEEP_BLOCKS || bytes < BIGMEM_MIN) return calloc(n ? n : 1, size ? size : 1);
    int reused = 0;
    void *p = take(bytes, &reused);
    if (!p) return calloc(n, size);
    if (reused) memset(p, 0, bytes);   /* a new mapping is zero already, and untouched pages stay out of RSS */
    return p;
}

void big_free(void *p) {
    if (!p) return;
    Block drop[BIGMEM_SPARES + 1];
    int n_drop = 0, found = 0;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_live; i++) {
        if (live[i].p != p) continue;
        Block b = live[i];
        live[i] = live[--n_live];
        found = 1;
        if (b.bytes > BIGMEM_SPARE_BYTES) {   /* the weights of a large model: not kept */
            drop[n_drop++] = b;
            break;
        }
        /* the oldest spares go until this one fits */
        while (n_spare && (n_spare == BIGMEM_SPARES || spare_bytes + b.bytes > BIGMEM_SPARE_BYTES)) {
            drop[n_drop++] = spare[0];
            spare_bytes -= spare[0].bytes;
            memmove(spare, spare + 1, sizeof *spare * (size_t)(n_spare - 1));
            n_spare--;
        }
        spare[n_spare++] = b;
        spare_bytes += b.bytes;
        break;
    }
    pthread_mutex_unlock(&lock);
    if (!found) free(p);   /* small, or a plain calloc when the table was full */
    for (int i = 0; i < n_drop; i++) munmap(drop[i].p, drop[i].bytes);
}

size_t big_spare_bytes(void) {
    pthread_mutex_lock(&lock);
    size_t s = spare_bytes;
    pthread_mutex_unlock(&lock);
    return s;
}
