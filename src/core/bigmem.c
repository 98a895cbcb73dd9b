/* Large blocks, kept for reuse and in transparent huge pages (bertology/bigmem.h). */
#define _DEFAULT_SOURCE
#include "bertology/bigmem.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

enum { HUGE_PAGE = 2 << 20, LIVE_MAX = 256 };

typedef struct {
    void *p;
    size_t bytes;   /* as allocated: whole huge pages */
} Block;

/* The big blocks handed out (so that big_free knows their size; past
 * LIVE_MAX a block is not tracked and free() releases it) and the spares,
 * oldest first. */
static Block live[LIVE_MAX];
static int n_live;
static Block spare[BIGMEM_SPARES];
static int n_spare;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *new_block(size_t rounded) {
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, rounded) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, rounded, MADV_HUGEPAGE);   /* advice only: refused or ignored is fine */
#endif
    return p;
}

/* A block of at least bytes: a spare that fits (the smallest at most
 * twice the request), else a new one; tracked as live. */
static void *take(size_t bytes) {
    /* whole huge pages, so that the block's last one is not shared with
     * whatever glibc puts after it */
    size_t rounded = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (rounded < bytes) return NULL;
    pthread_mutex_lock(&lock);
    int best = -1;
    for (int i = 0; i < n_spare; i++)
        if (spare[i].bytes >= rounded && spare[i].bytes / 2 <= rounded &&
            (best < 0 || spare[i].bytes < spare[best].bytes))
            best = i;
    Block b = {0};
    if (best >= 0) {
        b = spare[best];
        memmove(spare + best, spare + best + 1, sizeof *spare * (size_t)(n_spare - best - 1));
        n_spare--;
    }
    pthread_mutex_unlock(&lock);
    if (!b.p) b = (Block){new_block(rounded), rounded};
    if (!b.p) return NULL;
    pthread_mutex_lock(&lock);
    if (n_live < LIVE_MAX) live[n_live++] = b;
    pthread_mutex_unlock(&lock);
    return b.p;
}

void *big_malloc(size_t bytes) {
    if (bytes < BIGMEM_MIN) return malloc(bytes ? bytes : 1);
    return take(bytes);
}

void *big_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    if (bytes < BIGMEM_MIN) return calloc(n ? n : 1, size ? size : 1);
    void *p = take(bytes);
    if (p) memset(p, 0, bytes);   /* a spare, or posix_memalign's memory, holds old data */
    return p;
}

void big_free(void *p) {
    if (!p) return;
    void *drop = p;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_live; i++) {
        if (live[i].p != p) continue;
        Block b = live[i];
        live[i] = live[--n_live];
        drop = NULL;
        if (n_spare == BIGMEM_SPARES) {   /* the oldest spare goes */
            drop = spare[0].p;
            memmove(spare, spare + 1, sizeof *spare * (BIGMEM_SPARES - 1));
            n_spare--;
        }
        spare[n_spare++] = b;
        break;
    }
    pthread_mutex_unlock(&lock);
    free(drop);
}

void big_release_spares(void) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_spare; i++) free(spare[i].p);
    n_spare = 0;
    pthread_mutex_unlock(&lock);
}

size_t big_spare_bytes(void) {
    pthread_mutex_lock(&lock);
    size_t s = 0;
    for (int i = 0; i < n_spare; i++) s += spare[i].bytes;
    pthread_mutex_unlock(&lock);
    return s;
}
