#ifndef BERTOLOGY_EXPORT_H
#define BERTOLOGY_EXPORT_H
/* What `export FILE` (and `bertology dump --out FILE`) can write, by the
 * file's extension: one table of formats (src/figure/export_formats.c),
 * read by the REPL, the command line and `help export`. */
#include "bertology/error.h"
#include "bertology/figure.h"
#include "bertology/trace.h"

typedef struct {
    const Trace *trace;     /* the pass (.npz) */
    const Figure *fig;      /* the view shown (.csv, .svg) */
} ExportInput;

typedef struct {
    const char *ext;        /* ".npz" */
    const char *what;       /* N_(): what the file holds, for help and errors */
    int of_view;            /* 1: the view on show (a Figure), 0: the whole pass */
    int (*write)(const ExportInput *in, const char *path, BtError *err);
} ExportFormat;

int export_format_count(void);
const ExportFormat *export_format_at(int i);
/* The format for path's extension (case does not matter); NULL when none
 * is, with err set to one line naming the extensions there are. */
const ExportFormat *export_format_for(const char *path, BtError *err);

#endif
