#ifndef BT_HUB_SHA256_H
#define BT_HUB_SHA256_H
/* SHA-256 (FIPS 180-4), to check downloads against the hub's LFS hashes
 * without pulling in a crypto library. Private to src/hub. */
#include <stddef.h>
#include <stdint.h>
#include "bertology/error.h"

typedef struct {
    uint32_t h[8];
    uint64_t len;               /* bytes so far */
    uint8_t block[64];
    size_t fill;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t n);
/* 64 lowercase hex digits and a NUL. */
void sha256_hex(Sha256 *s, char out[65]);
/* Hashes a whole file. */
int sha256_file(const char *path, char out[65], BtError *err);
#endif
