/* The census of a file of sentences (bertology/census.h): each line
 * through the model, its attention counted, the pass dropped. The file is
 * read whole under its kind's cap (core/infile.c), so a FIFO or
 * /dev/zero is refused rather than read forever. */
#include <stdlib.h>
#include <string.h>
#include "bertology/census.h"
#include "bertology/i18n.h"
#include "bertology/infile.h"
#include "bertology/progress.h"

static const char CENSUS_PROGRESS[] = N_("census: %ld of %ld lines");

/* A line holding only blanks is no sentence. */
static int blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\f' && *s != '\v') return 0;
    return 1;
}

int census_file(Census *c, const BertModel *m, const char *path, const PassOptions *opt, BtError *err) {
    memset(c, 0, sizeof *c);
    size_t len;
    char *text = bt_file_read(path, BT_FILE_SENTENCES, &len, err);
    if (!text) return -1;
    if (strlen(text) != len) {
        free(text);
        return bt_fail(err, "%s holds a NUL byte: it is not a text file of sentences", path);
    }
    if (census_begin(c, m->cfg.num_layers, m->cfg.num_heads, err) != 0) {
        free(text);
        return -1;
    }
    long lines = 1;
    for (const char *q = text; (q = strchr(q, '\n')) != NULL; q++) lines++;
    int rc = 0, line = 0;
    bt_progress(CENSUS_PROGRESS, 0, lines);   /* the clock of a progress line starts here */
    for (char *p = text, *nl; p && *p && rc == 0; p = nl ? nl + 1 : NULL) {
        if (line) bt_progress(CENSUS_PROGRESS, line, lines);
        line++;
        nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        size_t n = strlen(p);
        if (n && p[n - 1] == '\r') p[--n] = '\0';   /* CRLF files */
        if (blank(p)) continue;
        long bad = utf8_invalid_at(p, n);
        if (bad >= 0) {
            rc = bt_fail(err, "%s line %d is not valid UTF-8 (byte 0x%02X at offset %ld)", path, line,
                         (unsigned char)p[bad], bad);
            break;
        }
        Pass pass;
        BtError e;
        if (pass_run(&pass, m, p, opt, &e) != 0) {
            rc = bt_fail(err, "%s line %d: %s", path, line, e.msg);
            break;
        }
        rc = census_add(c, &pass.tr, m->tok, err);
        pass_free(&pass);
    }
    free(text);
    bt_progress(CENSUS_PROGRESS, lines, lines);
    if (rc == 0 && c->rows == 0) rc = bt_fail(err, "%s has no sentences: write one per line", path);
    if (rc == 0) rc = census_end(c, err);
    if (rc) census_free(c);
    return rc;
}
