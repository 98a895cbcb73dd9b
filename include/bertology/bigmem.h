#ifndef BERTOLOGY_BIGMEM_H
#define BERTOLOGY_BIGMEM_H
/* Large blocks (a trace's arena, the backward scratch, the weights, AdamW's
 * moments): kept for reuse when freed, and backed by transparent huge
 * pages where the kernel offers them.
 *
 * Why: glibc serves every block over 32 MiB with a fresh mmap and returns
 * it to the kernel on free, so each use touches new 4 KiB pages, one page
 * fault each. On a VM a fault can cost ~9 µs (measured on our CI machines:
 * 178 ms to touch 75 MiB in 4 KiB pages, 8.6 ms in 2 MiB ones), which made
 * integrated gradients' batch of 22 rows cost 240 ms where two batches of
 * 11 took 50 (bench/README.md); the REPL pays it on each new sentence of a
 * large model too. So:
 *   - blocks of at least BIGMEM_MIN bytes are aligned to 2 MiB and advised
 *     MADV_HUGEPAGE (advice: with THP "never" they are ordinary memory);
 *   - big_free keeps the last BIGMEM_SPARES freed big blocks, and the next
 *     big_malloc/big_calloc of at most their size (and at least half of
 *     it) takes one back: the REPL and the instruments re-run the same
 *     shapes. The kept blocks stay resident until big_release_spares().
 * Smaller blocks are plain malloc/calloc. big_free takes any pointer from
 * malloc, calloc or these (NULL too). Thread-safe. */
#include <stddef.h>

enum { BIGMEM_MIN = 4 << 20, BIGMEM_SPARES = 4 };

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

#endif
