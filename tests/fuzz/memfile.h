#ifndef BT_FUZZ_MEMFILE_H
#define BT_FUZZ_MEMFILE_H
/* For fuzz targets whose reader takes a path: the input as an in-memory
 * file (the disk stays out of the loop), named through /proc/self/fd.
 * Returns the descriptor, to close after use. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int fuzz_memfile(const uint8_t *data, size_t size, char path[64]) {
    int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
    if (fd < 0) abort();
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
