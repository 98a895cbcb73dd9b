#ifndef BT_VIZ_PNG_WRITE_H
#define BT_VIZ_PNG_WRITE_H
#include "bertology/error.h"

/* Writes w×h RGB pixels (3 bytes each, rows `stride` bytes apart) as an
 * 8-bit RGB PNG, atomically (a temporary file renamed over path; through
 * a symbolic link, the file it names). Only a regular file is replaced;
 * on failure path is as it was and no temporary file is left. */
int png_write_rgb(const char *path, const unsigned char *rgb, int w, int h, int stride,
                  BtError *err);

#endif
