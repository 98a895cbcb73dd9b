/* Reading a training run's TSV logs back (see trainlog.h). The logs are
 * read while the trainer may still be appending to them, and after runs
 * that were resumed, so the reader is lenient where a live or resumed run
 * differs from a finished one and strict everywhere else. */
#include "bertology/trainlog.h"
#include "bertology/infile.h"
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bertology/checkpoints.h"

typedef struct {
    const char *name;
    size_t off;         /* of a double in the row; the step column is a long at offset 0 */
    int required;
} Col;

static const Col TRAIN_COLS[] = {
    {"step", offsetof(TrainRow, step), 1},
    {"tokens", offsetof(TrainRow, tokens), 1},
    {"elapsed_s", offsetof(TrainRow, elapsed_s), 0},
    {"loss", offsetof(TrainRow, loss), 1},
    {"mlm_loss", offsetof(TrainRow, mlm_loss), 0},
    {"nsp_loss", offsetof(TrainRow, nsp_loss), 0},
    {"mlm_acc", offsetof(TrainRow, mlm_acc), 0},
    {"nsp_acc", offsetof(TrainRow, nsp_acc), 0},
    {"lr", offsetof(TrainRow, lr), 0},
    {"grad_norm", offsetof(TrainRow, grad_norm), 0},
    {"tok_per_s", offsetof(TrainRow, tok_per_s), 0},
};

static const Col EVAL_COLS[] = {
    {"step", offsetof(EvalRow, step), 1},
    {"tokens", offsetof(EvalRow, tokens), 1},
    {"mlm_loss", offsetof(EvalRow, mlm_loss), 0},
    {"mask_top1", offsetof(EvalRow, mask_top1), 0},
    {"mask_top5", offsetof(EvalRow, mask_top5), 0},
    {"chosen_top1", offsetof(EvalRow, chosen_top1), 0},
    {"chosen_top5", offsetof(EvalRow, chosen_top5), 0},
    {"base_top1", offsetof(EvalRow, base_top1), 0},
    {"base_top5", offsetof(EvalRow, base_top5), 0},
    {"nsp_acc", offsetof(EvalRow, nsp_acc), 0},
};

enum { MAX_FIELDS = 64 };

typedef struct {
    const Col *cols;
    int ncols;
    size_t row_size;
    unsigned char *rows;
    int n, cap;
} Table;

/* Splits line at tabs in place; returns the field count (at most max). */
static int split_tabs(char *line, char **fields, int max) {
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static int parse_header(Table *t, char **fields, int nf, int *map, const char *path, BtError *err) {
    for (int i = 0; i < nf; i++) {
        map[i] = -1;
        for (int c = 0; c < t->ncols; c++)
            if (strcmp(fields[i], t->cols[c].name) == 0) map[i] = c;
    }
    for (int c = 0; c < t->ncols; c++) {
        if (!t->cols[c].required) continue;
        int found = 0;
        for (int i = 0; i < nf; i++) found |= map[i] == c;
        if (!found)
            return bt_fail(err, "%s:1: the header has no '%s' column (is this a bertology training log?)", path,
                           t->cols[c].name);
    }
    return 0;
}

static unsigned char *new_row(Table *t) {
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 256;
        unsigned char *p = realloc(t->rows, (size_t)cap * t->row_size);
        if (!p) return NULL;
        t->rows = p;
        t->cap = cap;
    }
    unsigned char *row = t->rows + (size_t)t->n * t->row_size;
    /* Columns the header lacks read as NAN, not as a plausible 0. */
    for (int c = 1; c < t->ncols; c++) {
        double nan = NAN;
        memcpy(row + t->cols[c].off, &nan, sizeof nan);
    }
    return row;
}

/* Returns 0, 1 when the file is absent, -1 on error. */
static int read_table(Table *t, const char *path, BtError *err) {
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) return 1;
    FILE *f = bt_file_fopen(path, BT_FILE_TRAIN_LOG, err);
    if (!f) return -1;
    char *line = NULL, *fields[MAX_FIELDS];
    size_t cap = 0;
    int map[MAX_FIELDS], nhead = 0, lineno = 0, rc = 0;
    ssize_t len;
    while (!rc && (len = getline(&line, &cap, f)) != -1) {
        lineno++;
        /* The trainer may be halfway through writing the last line: an
         * unfinished line that does not read is not (yet) an error. */
        int finished = len > 0 && line[len - 1] == '\n';
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0) continue;
        int nf = split_tabs(line, fields, MAX_FIELDS);
        if (nhead == 0) {
            rc = parse_header(t, fields, nf, map, path, err);
            nhead = nf;
            continue;
        }
        if (strcmp(fields[0], "step") == 0) continue;   /* a header again: logs joined by hand */
        if (nf != nhead) {
            if (!finished) break;
            rc = bt_fail(err, "%s:%d: %d fields, expected %d as in the header", path, lineno, nf, nhead);
            break;
        }
        double v[MAX_FIELDS];
        int bad = -1;
        for (int i = 0; i < nf && bad < 0; i++) {
            char *end;
            v[i] = strtod(fields[i], &end);
            if (end == fields[i] || *end != '\0') bad = i;
        }
        if (bad >= 0) {
            if (!finished) break;
            rc = bt_fail(err, "%s:%d: column '%s' should hold a number, not '%s'", path, lineno,
                         map[bad] >= 0 ? t->cols[map[bad]].name : "?", fields[bad]);
            break;
        }
        long step = -1;
        for (int i = 0; i < nf; i++)
            if (map[i] == 0) {
                if (!(v[i] >= 0 && v[i] < 1e15 && v[i] == floor(v[i]))) {
                    rc = bt_fail(err, "%s:%d: step should be a whole number, not '%s'", path, lineno, fields[i]);
                    break;
                }
                step = (long)v[i];
            }
        if (rc) break;
        /* A resumed run starts again from its last checkpoint, so the steps
         * logged after that checkpoint come twice: the later ones count. */
        while (t->n > 0) {
            long prev;
            memcpy(&prev, t->rows + (size_t)(t->n - 1) * t->row_size, sizeof prev);
            if (prev < step) break;
            t->n--;
        }
        unsigned char *row = new_row(t);
        if (!row) {
            rc = bt_fail(err, "%s: out of memory at line %d", path, lineno);
            break;
        }
        memcpy(row, &step, sizeof step);
        for (int i = 0; i < nf; i++)
            if (map[i] > 0) memcpy(row + t->cols[map[i]].off, &v[i], sizeof v[i]);
        t->n++;
    }
    if (!rc && ferror(f)) rc = bt_fail(err, "%s: read error", path);
    free(line);
    fclose(f);
    return rc;
}

/* The checkpoints the run kept (every step-N directory: a mark on the
 * curves needs no weights to be readable). */
static int find_checkpoints(TrainLog *log, const char *dir, BtError *err) {
    Checkpoint *v;
    int n;
    if (checkpoints_in(dir, 0, &v, &n, err) != 0) return -1;
    if (n > 0 && !(log->ckpt_steps = malloc(sizeof *log->ckpt_steps * (size_t)n))) {
        free(v);
        return bt_fail(err, "out of memory");
    }
    for (int i = 0; i < n; i++) log->ckpt_steps[i] = v[i].step;
    log->n_ckpt = n;
    free(v);
    return 0;
}

int trainlog_load(TrainLog *log, const char *dir, BtError *err) {
    memset(log, 0, sizeof *log);
    char path[4200];
    Table tr = {TRAIN_COLS, (int)(sizeof TRAIN_COLS / sizeof TRAIN_COLS[0]), sizeof(TrainRow), NULL, 0, 0};
    Table ev = {EVAL_COLS, (int)(sizeof EVAL_COLS / sizeof EVAL_COLS[0]), sizeof(EvalRow), NULL, 0, 0};
    snprintf(path, sizeof path, "%s/train.log", dir);
    int rc = read_table(&tr, path, err);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/eval.log", dir);
        rc = read_table(&ev, path, err);
        if (rc == 1) rc = 0;   /* older runs, or runs without a held-out split */
    }
    log->train = (TrainRow *)tr.rows;
    log->n_train = tr.n;
    log->eval = (EvalRow *)ev.rows;
    log->n_eval = ev.n;
    if (rc == 0) rc = find_checkpoints(log, dir, err);
    if (rc == 0 && !(log->dir = strdup(dir))) rc = bt_fail(err, "out of memory");
    if (rc != 0) trainlog_free(log);
    return rc;
}

void trainlog_free(TrainLog *log) {
    free(log->dir);
    free(log->train);
    free(log->eval);
    free(log->ckpt_steps);
    memset(log, 0, sizeof *log);
}

double trainlog_tokens_at(const TrainLog *log, long step) {
    if (step <= 0) return 0;
    if (log->n_train == 0) return NAN;
    const TrainRow *r = log->train;
    int n = log->n_train;
    if (r[n - 1].step <= 0) return r[n - 1].tokens;
    if (step >= r[n - 1].step) return r[n - 1].tokens * ((double)step / (double)r[n - 1].step);
    int lo = 0, hi = n - 1;   /* first row with step >= the one asked for */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r[mid].step < step) lo = mid + 1;
        else hi = mid;
    }
    long s0 = lo > 0 ? r[lo - 1].step : 0;
    double t0 = lo > 0 ? r[lo - 1].tokens : 0;
    if (r[lo].step == s0) return r[lo].tokens;
    return t0 + (r[lo].tokens - t0) * (double)(step - s0) / (double)(r[lo].step - s0);
}
