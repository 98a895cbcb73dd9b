#ifndef BERTOLOGY_BIGMEM_H
#define BERTOLOGY_BIGMEM_H
/* Large blocks (a trace's arena, the backward scratch, the weights, AdamW's
 * moments): kept for reuse when freed, and backed by transparent huge
 * pages where the kernel offers them.
 *
 * Why: glibc serves every block over 32 MiB with a fresh mmap and returns
 * it to the kernel on free, so each use touches new 4 KiB pages, one page
 * fault each. On a VM a fault can cost ~9 µs (measured on this project's
 * machines: 178 ms to touch 75 MiB in 4 KiB pages, 8.6 ms in 2 MiB ones),
 * which made integrated gradients' batch of 22 rows cost 240 ms a call
 * against 48 ms now (bench/README.md); the REPL paid it on each new
 * sentence of a large model too. So:
 *   - blocks of at least BIGMEM_MIN bytes are fresh anonymous mappings,
 *     2 MiB-aligned and advised MADV_HUGEPAGE (advice: with THP "never"
 *     they are ordinary pages); a page is resident once touched;
 *   - big_free keeps up to BIGMEM_SPARES freed blocks, BIGMEM_SPARE_BYTES
 *     at most in all (a larger block, a big model's weights, is returned
 *     at once), and the next big_malloc/big_calloc of at most a kept
 *     block's size and at least half of it takes it back: the REPL and
 *     the instruments re-run the same shapes. A mapping that fails gives
 *     the kept blocks back and is tried once more.
 * Smaller blocks, and all of them under AddressSanitizer (so that a use
 * after big_free or a leak is reported), are plain malloc/calloc.
 * big_free takes any pointer from malloc, calloc or these (NULL too), and
 * is the only way to release a big block. Thread-safe. */
#include <stddef.h>

enum { BIGMEM_MIN = 4 << 20, BIGMEM_SPARES = 4 };
#define BIGMEM_SPARE_BYTES ((size_t)256 << 20)

/* n × size bytes, zeroed; NULL on overflow or when memory runs out. */
void *big_calloc(size_t n, size_t size);
/* bytes, not zeroed; NULL when memory runs out. */
void *big_malloc(size_t bytes);
/* Releases p, keeping it for reuse when it is a big block. */
void big_free(void *p);
/* Returns the kept blocks to the system. */
void big_release_spares(void);
/* Bytes held in kept blocks (for the tests). */
size_t big_spare_bytes(void);
/* 0 when blocks are never kept (an AddressSanitizer build). */
int big_keeps_blocks(void);

#endif
