#ifndef BERTOLOGY_INFILE_H
#define BERTOLOGY_INFILE_H
/* Files that come from outside (a model directory, vectors, fonts,
 * lessons, evaluation files, a corpus): each kind has one size cap, in one
 * table (src/core/infile.c, documented in docs/limits.md), and only a
 * regular file is read. A FIFO, a device (/dev/zero) or a directory is
 * refused with one line instead of hanging or growing without end; so is
 * a file larger than its kind's cap. The hub applies the same caps while
 * downloading (bt_file_cap, bt_file_kind_of_name). */
#include <stdint.h>
#include <stdio.h>
#include "bertology/error.h"

typedef enum {
    BT_FILE_CONFIG,            /* config.json */
    BT_FILE_TOKENIZER_CONFIG,  /* tokenizer_config.json */
    BT_FILE_VOCAB,             /* vocab.txt */
    BT_FILE_WEIGHTS,           /* model.safetensors */
    BT_FILE_PYTORCH,           /* pytorch_model.bin */
    BT_FILE_VECTORS_SOURCE,    /* GloVe / word2vec / wink input of `vectors convert` */
    BT_FILE_VECTORS,           /* a converted .btv */
    BT_FILE_FONT,              /* --font */
    BT_FILE_LESSON,            /* a .lesson */
    BT_FILE_EVAL,              /* cloze, senses and neighbours files */
    BT_FILE_CORPUS,            /* training text */
    BT_FILE_TRAIN_LOG,         /* train.log / eval.log read by plot and the window */
    BT_FILE_SENTENCES,         /* sentences, one per line, each run through the model (`census FILE`) */
    BT_FILE_KINDS
} BtFileKind;

/* The largest file of this kind bertology reads, in bytes. */
uint64_t bt_file_cap(BtFileKind kind);
/* What the kind is called in messages ("vocabulary", "font"). */
const char *bt_file_kind_desc(BtFileKind kind);
/* The kind of a model-directory file by its base name ("config.json",
 * "vocab.txt", ...), or -1 when the name is not one bertology reads. */
int bt_file_kind_of_name(const char *name);

/* Opens path read-only for kind: refuses (one line into err, -1) what is
 * missing, not a regular file, or larger than the cap; never blocks on a
 * FIFO. Returns the descriptor and the size in *size (may be NULL). */
int bt_file_open(const char *path, BtFileKind kind, uint64_t *size, BtError *err);
/* The checks of bt_file_open on a descriptor already open (name is what
 * messages call the file). */
int bt_file_check(int fd, const char *name, BtFileKind kind, uint64_t *size, BtError *err);
/* The same as a stdio stream ("rb"), or NULL with err set. */
FILE *bt_file_fopen(const char *path, BtFileKind kind, BtError *err);
/* The whole file, NUL-terminated (malloc'd; *len its length without the
 * NUL), or NULL with err set. Stops at the cap even when the size on disk
 * lied (files under /proc say 0). */
char *bt_file_read(const char *path, BtFileKind kind, size_t *len, BtError *err);

#endif
