#ifndef BT_HUB_ZIP_H
#define BT_HUB_ZIP_H
/* A read-only view of a zip archive held in memory (an mmap'd file), just
 * enough for torch.save archives: the central directory, zip64 sizes and
 * offsets, and stored (uncompressed) entries. Private to src/hub. */
#include <stddef.h>
#include <stdint.h>
#include "bertology/error.h"

typedef struct {
    char *name;
    uint16_t method;            /* 0 stored, 8 deflate, ... */
    uint32_t crc32;
    uint64_t csize, usize;      /* compressed and uncompressed sizes */
    uint64_t local_offset;      /* of the local file header */
} ZipEntry;

typedef struct {
    const uint8_t *buf;
    size_t size;
    ZipEntry *entries;
    size_t n_entries;
    const ZipEntry **by_name;   /* entries sorted by name, for zip_find */
} ZipArchive;

/* Parses the central directory; buf must outlive the archive. */
int zip_open(ZipArchive *z, const uint8_t *buf, size_t size, BtError *err);
void zip_close(ZipArchive *z);
/* The first entry of that name (a binary search). */
const ZipEntry *zip_find(const ZipArchive *z, const char *name);
/* The bytes of a stored entry, checked to lie inside the archive; a
 * compressed entry is refused (torch never compresses its records).
 * verify_crc also checks the CRC-32, catching a damaged download. */
int zip_entry_data(const ZipArchive *z, const ZipEntry *e, int verify_crc,
                   const uint8_t **data, size_t *len, BtError *err);
uint32_t zip_crc32(const uint8_t *p, size_t n);

#endif
