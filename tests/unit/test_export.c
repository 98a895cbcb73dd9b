/* `export FILE.csv|.svg` (src/figure): the writers' quoting, escaping and
 * number format, and for every window view its CSV read back and checked
 * against what the core computed (the trace's attention rows, the lens's
 * guesses, ...), its SVG checked by xmllint (or, without it, for balanced
 * tags). On a small random model, no window: the figures are the ones the
 * window draws.
 *   test_export          everything
 *   test_export locale   the writers under a locale whose decimal point is ','
 *                        (built with localedef into the test's directory) */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bertology/census.h"
#include "bertology/export.h"
#include "bertology/figure.h"
#include "bertology/guesses.h"
#include "bertology/lens.h"
#include "bertology/pass.h"
#include "bertology/posenc.h"
#include "bertology/rollout.h"
#include "bertology/saliency.h"
#include "bertology/scan.h"
#include "bertology/vec_compare.h"
#include "bertology/vecstats.h"
#include "bertology/vectors.h"
#include "bertology/whatif.h"
#include "testmodel.h"
#include "testutil.h"

/* ---- A small RFC 4180 reader, to read back what the writer wrote -------- */

typedef struct {
    int rows, cols;     /* rows: the records after the header */
    char **cell;        /* (rows + 1) × cols, header first */
    int ok;             /* every record ends in CRLF and has cols fields */
} Csv;

static const char *at(const Csv *c, int row, int col) { return c->cell[(size_t)(row + 1) * c->cols + col]; }

static int col_of(const Csv *c, const char *name) {
    for (int j = 0; j < c->cols; j++)
        if (strcmp(c->cell[j], name) == 0) return j;
    return -1;
}

static void csv_free(Csv *c) {
    for (long i = 0; c->cell && i < (long)(c->rows + 1) * c->cols; i++) free(c->cell[i]);
    free(c->cell);
    memset(c, 0, sizeof *c);
}

static int csv_read(const char *path, Csv *c) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(s);
        return -1;
    }
    fclose(f);
    s[n] = '\0';
    c->ok = 1;
    int cap = 0, count = 0, in_rec = 0;
    long i = 0;
    while (i < n) {
        /* one field */
        char *buf = malloc((size_t)(n - i) + 1);
        long k = 0;
        if (s[i] == '"') {
            for (i++; i < n; i++) {
                if (s[i] == '"' && s[i + 1] == '"') buf[k++] = s[i++];
                else if (s[i] == '"') break;
                else buf[k++] = s[i];
            }
            i++;
        } else {
            while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
                if (s[i] == '"') c->ok = 0;   /* a quote inside an unquoted field */
                buf[k++] = s[i++];
            }
        }
        buf[k] = '\0';
        if (count == cap) {
            cap = cap ? 2 * cap : 256;
            c->cell = realloc(c->cell, sizeof *c->cell * (size_t)cap);
        }
        c->cell[count++] = buf;
        in_rec++;
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        if (!(s[i] == '\r' && s[i + 1] == '\n')) c->ok = 0;
        i += 2;
        if (c->cols == 0) c->cols = in_rec;
        else if (in_rec != c->cols) c->ok = 0;
        in_rec = 0;
    }
    free(s);
    c->rows = c->cols ? count / c->cols - 1 : 0;
    return 0;
}

/* A cell as a float or double, exactly as written; NaN for an empty one. */
static double num(const Csv *c, int row, int col) {
    const char *s = at(c, row, col);
    return *s ? strtod(s, NULL) : NAN;
}

static int same_float(double read, float want) { return (float)read == want || (isnan(read) && isnan(want)); }
static int same_double(double read, double want) { return read == want || (isnan(read) && isnan(want)); }

/* ---- Model, sentence and state -------------------------------------------- */

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat",
                              "dog", "##s", "bank", "of", "river", "raised", "its", "rates", ",", "."};
enum { NV = sizeof VOCAB / sizeof VOCAB[0] };

typedef struct {
    BertModel m;
    Pass pass;
    VizState st;
    FigCache cache;
} Setup;

static int setup(Setup *s) {
    memset(s, 0, sizeof *s);
    BertConfig cfg = {NV, 16, 2, 2, 32, 32, 2, 1e-12f, POS_ABSOLUTE};
    if (test_random_model(&s->m, &cfg, VOCAB, NV) != 0) return -1;
    PassOptions o = {.mlm = 1};
    BtError err;
    if (pass_run(&s->pass, &s->m, "the cat sat on the [MASK] , the dog .", &o, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    s->st.model = &s->m;
    s->st.trace = &s->pass.tr;
    s->st.tokens = (const char *const *)s->pass.tokens;
    s->st.pos = (StagePos){STAGE_ATTN, 1, 1};
    s->st.top_k = 3;
    return 0;
}

static void params(const Setup *s, FigParams *p) {
    fig_params_follow(p, &s->st);
    p->gen = 1;
}

/* The figure of view, written as CSV and read back; 0 when all went well. */
static int export_csv(Setup *s, VizView view, const FigParams *p, Csv *c, Figure *f) {
    BtError err;
    const char *path = test_tmp_path("view.csv");
    if (fig_build(view, &s->st, p, &s->cache, f, &err) != 0 || f->empty) {
        fprintf(stderr, "%s: %s\n", viz_view_name(view), f->empty ? f->empty : err.msg);
        return -1;
    }
    if (fig_write_csv(f, path, &err) != 0) {
        fprintf(stderr, "%s: %s\n", viz_view_name(view), err.msg);
        return -1;
    }
    csv_read(path, c);
    CHECKF(c->ok && c->rows == f->nrows && c->cols == f->ncols, "%s: a %d×%d table read back as %d×%d (well-formed %d)",
           viz_view_name(view), f->nrows, f->ncols, c->rows, c->cols, c->ok);
    return c->ok ? 0 : -1;
}

/* xmllint, when it is there; else balanced tags and the SVG root. */
static void check_svg(const char *path, const char *what) {
    if (system("command -v xmllint >/dev/null 2>&1") == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
        CHECKF(system(cmd) == 0, "%s: xmllint rejects %s", what, path);
    }
    FILE *f = fopen(path, "r");
    CHECKF(f != NULL, "%s: no %s", what, path);
    if (!f) return;
    char line[8192];
    int depth = 0, root = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "<svg ") && strstr(line, "xmlns=\"http://www.w3.org/2000/svg\"")) root = 1;
        for (char *p = line; (p = strchr(p, '<')); p++) {
            if (p[1] == '?' || p[1] == '!') continue;
            char *end = strchr(p, '>');
            if (!end) {
                bad = 1;
                break;
            }
            if (p[1] == '/') depth--;
            else if (end[-1] != '/') depth++;
        }
    }
    fclose(f);
    CHECKF(root && depth == 0 && !bad, "%s: not well-formed (root %d, depth %d)", what, root, depth);
}

static void export_svg(Setup *s, VizView view, const FigParams *p) {
    Figure f;
    BtError err;
    const char *path = test_tmp_path("view.svg");
    CHECK(fig_build(view, &s->st, p, &s->cache, &f, &err) == 0 && !f.empty);
    int rc = fig_write_svg(&f, path, &err);
    if (fig_view_has_svg(view)) {
        CHECKF(rc == 0, "%s: %s", viz_view_name(view), err.msg);
        if (rc == 0) check_svg(path, viz_view_name(view));
    } else {
        CHECKF(rc != 0 && strstr(err.msg, "no SVG") && strstr(err.msg, ".csv"), "%s: %s", viz_view_name(view),
               rc ? err.msg : "wrote an SVG");
    }
    fig_free(&f);
}

/* ---- A view's table read back, for each check below ------------------------ */

/* What a view's check gets: the setup, the CSV read back, the figure
 * written and the test's own numbers to compare with (NULL: none). */
typedef struct {
    Setup *s;
    const Csv *c;
    const Figure *f;
    const void *want;
} Table;

/* The figure of view (with p; NULL: params()) written as CSV, read back
 * and handed to check with want; then, when svg, written as SVG
 * (export_svg). */
static void check_table(Setup *s, VizView view, const FigParams *p, void (*check)(const Table *), const void *want,
                        int svg) {
    FigParams own;
    if (!p) {
        params(s, &own);
        p = &own;
    }
    Figure f;
    Csv c = {0};
    if (export_csv(s, view, p, &c, &f) == 0) check(&(Table){s, &c, &f, want});
    if (svg) export_svg(s, view, p);
    csv_free(&c);
    fig_free(&f);
}

/* ---- The writers ------------------------------------------------------------ */

static char *captured(void (*fn)(FILE *, const char *), const char *in) {
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    fn(m, in);
    fclose(m);
    return buf;
}

static void writers(void) {
    static const struct {
        const char *in, *want;
    } CSV[] = {
        {"cat", "cat"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {",\"", "\",\"\"\""},
        {"##s", "##s"},
        {"", ""},
        {"\x1b[31m", "\\x1b[31m"},              /* a control byte never reaches the file */
        {"two\nlines", "two\\x0alines"},
        {"caf\xc3\xa9, \xe6\x9d\xb1", "\"caf\xc3\xa9, \xe6\x9d\xb1\""},
    };
    for (size_t i = 0; i < sizeof CSV / sizeof *CSV; i++) {
        char *got = captured(csv_field, CSV[i].in);
        CHECKF(strcmp(got, CSV[i].want) == 0, "csv_field(%s) = [%s], want [%s]", CSV[i].in, got, CSV[i].want);
        free(got);
    }
    static const struct {
        const char *in, *want;
    } XML[] = {
        {"<a & 'b' \"c\">", "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;"},
        {"[MASK]", "[MASK]"},
        {"\x1b]0;x\x07", "\\x1b]0;x\\x07"},
        {"bad \xff byte", "bad \xef\xbf\xbd byte"},
        {"not \xef\xbf\xbe a char", "not \xef\xbf\xbd a char"},
        {"\xe2\x80\xae", "\\u202e"},
    };
    for (size_t i = 0; i < sizeof XML / sizeof *XML; i++) {
        char *got = captured(xml_text, XML[i].in);
        CHECKF(strcmp(got, XML[i].want) == 0, "xml_text(%s) = [%s], want [%s]", XML[i].in, got, XML[i].want);
        free(got);
    }
    char b[64];
    fig_number(b, sizeof b, 0.1f, 1);
    CHECKF(strcmp(b, "0.1") == 0, "0.1f as %s", b);
    fig_number(b, sizeof b, 1.0 / 3, 0);
    CHECKF(strtod(b, NULL) == 1.0 / 3, "1/3 as %s", b);
    fig_number(b, sizeof b, (float)(1.0 / 3), 1);
    CHECKF((float)strtod(b, NULL) == (float)(1.0 / 3) && strlen(b) <= 11, "1/3f as %s", b);
    fig_number(b, sizeof b, -1e-30, 0);
    CHECKF(strtod(b, NULL) == -1e-30, "-1e-30 as %s", b);
    fig_number(b, sizeof b, NAN, 0);
    CHECKF(b[0] == '\0', "NaN as [%s]", b);
    fig_number(b, sizeof b, -INFINITY, 0);
    CHECKF(strcmp(b, "-inf") == 0, "-inf as %s", b);

    /* A figure made by hand: text that needs quoting, a number, an empty
     * cell and one block over another read back as written. */
    Figure f;
    memset(&f, 0, sizeof f);
    static const char *tok[] = {"a,\"b\"", "c"};
    static const double v[] = {0.5, NAN};
    static const int32_t id[] = {7, -2};
    fig_column(&f, "token");
    fig_column(&f, "value, in \"units\"");
    fig_column(&f, "id");
    fig_block(&f, 0, 0, 2, 1, FIG_STR, tok, sizeof *tok, 0);
    fig_block(&f, 0, 1, 2, 1, FIG_F64, v, sizeof *v, 0);
    fig_block(&f, 1, 2, 1, 1, FIG_I32, &id[1], sizeof *id, 0);
    BtError err;
    CHECK(fig_done(&f, &err) == 0);
    CHECK(fig_write_csv(&f, test_tmp_path("hand.csv"), &err) == 0);
    Csv c;
    csv_read(test_tmp_path("hand.csv"), &c);
    CHECK(c.ok && c.rows == 2 && c.cols == 3);
    if (c.ok && c.rows == 2) {
        CHECK(strcmp(c.cell[1], "value, in \"units\"") == 0);
        CHECK(strcmp(at(&c, 0, 0), "a,\"b\"") == 0 && strcmp(at(&c, 0, 1), "0.5") == 0 && at(&c, 0, 2)[0] == '\0');
        CHECK(strcmp(at(&c, 1, 0), "c") == 0 && at(&c, 1, 1)[0] == '\0' && strcmp(at(&c, 1, 2), "-2") == 0);
    }
    csv_free(&c);
    fig_free(&f);
    CHECK(test_temp_files() == 0);

    /* the format table: by extension, case aside; anything else one line naming the three */
    CHECK(export_format_for("x.npz", &err) && !export_format_for("x.npz", &err)->of_view);
    CHECK(export_format_for("dir/X.CSV", &err) && export_format_for("dir/X.CSV", &err)->of_view);
    CHECK(export_format_for("x.svg", &err) != NULL);
    CHECK(export_format_for("x.png", &err) == NULL && strstr(err.msg, ".npz") && strstr(err.msg, ".csv") &&
          strstr(err.msg, ".svg") && !strchr(err.msg, '\n'));
    CHECK(export_format_for(".csv", &err) == NULL);
}

/* ---- Every view's numbers against the core's ------------------------------- */

static void heatmap_table(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    int scores = *(const int *)tab->want;
    const Trace *t = &s->pass.tr;
    int T = t->T, bad = 0;
    const float *a = (scores ? t->layers[1].scores : t->layers[1].attn) + (size_t)1 * T * T;
    CHECK(c->rows == T && c->cols == T + 1 && strcmp(c->cell[0], "query") == 0);
    for (int i = 0; i < T; i++) {
        bad += strcmp(at(c, i, 0), s->pass.tokens[i]) != 0 || strcmp(c->cell[i + 1], s->pass.tokens[i]) != 0;
        for (int j = 0; j < T; j++) bad += !same_float(num(c, i, j + 1), a[i * T + j]);
    }
    CHECKF(bad == 0, "heatmap (scores %d): %d cells differ from layer 1 head 1", scores, bad);
}

static void heatmap(Setup *s) {
    for (int scores = 0; scores < 2; scores++) {
        FigParams p;
        params(s, &p);
        p.scores = scores;
        check_table(s, VIZ_HEATMAP, &p, heatmap_table, &scores, 0);
    }
}

static void heads_table(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    const Trace *t = &s->pass.tr;
    int T = t->T, bad = 0;
    CHECK(c->rows == t->L * t->nh * T && c->cols == T + 3);
    for (int r = 0; r < c->rows; r++) {
        int l = (int)num(c, r, 0), h = (int)num(c, r, 1), i = r % T;
        bad += l != r / T / t->nh || h != r / T % t->nh || strcmp(at(c, r, 2), s->pass.tokens[i]) != 0;
        for (int j = 0; j < T; j++) bad += !same_float(num(c, r, 3 + j), t->layers[l].attn[((size_t)h * T + i) * T + j]);
    }
    CHECKF(bad == 0, "heads: %d cells differ from the trace", bad);
}

static void head_view_table(const Table *tab) {
    const Trace *t = &tab->s->pass.tr;
    const Csv *c = tab->c;
    int T = t->T, bad = 0, all = *(const int *)tab->want;
    CHECK(c->rows == (all ? t->nh : 1) * T);
    for (int r = 0; r < c->rows; r++) {
        int l = (int)num(c, r, 0), h = (int)num(c, r, 1), i = r % T;
        bad += l != 1 || h != (all ? r / T : 1);
        for (int j = 0; j < T; j++) bad += !same_float(num(c, r, 3 + j), t->layers[1].attn[((size_t)h * T + i) * T + j]);
    }
    CHECKF(bad == 0, "head view (all %d): %d cells differ", all, bad);
}

static void heads(Setup *s) {
    check_table(s, VIZ_ALL_HEADS, NULL, heads_table, NULL, 0);
    /* the head view: the current head, then every head of the layer */
    for (int all = 0; all < 2; all++) {
        FigParams p;
        params(s, &p);
        p.all_heads = all;
        check_table(s, VIZ_HEAD_VIEW, &p, head_view_table, &all, 0);
    }
}

static void positions_table(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    int H = s->m.cfg.hidden_size, P = c->rows, bad = 0;
    float *sin = malloc(sizeof *sin * (size_t)P * H);
    posenc_sinusoidal(sin, P, H);
    int s0 = col_of(c, "sin_d0"), l0 = col_of(c, "learned_d0"), d0 = col_of(c, "sin_dot_p0");
    CHECK(P == s->m.cfg.max_position && s0 > 0 && l0 > 0 && d0 > 0);
    for (int q = 0; q < P && s0 > 0 && l0 > 0 && d0 > 0; q++) {
        bad += (int)num(c, q, 0) != q;
        for (int k = 0; k < H; k++)
            bad += !same_float(num(c, q, s0 + k), sin[q * H + k]) ||
                   !same_float(num(c, q, l0 + k), s->m.pos_emb[q * H + k]);
        for (int r = 0; r < P; r++) {
            double dot = 0;
            for (int k = 0; k < H; k++) dot += (double)sin[q * H + k] * sin[r * H + k];
            bad += !same_float(num(c, q, d0 + r), (float)dot);
        }
    }
    CHECKF(bad == 0, "positions: %d cells differ from the sinusoid and the model's table", bad);
    free(sin);
}

static void positions(Setup *s) { check_table(s, VIZ_POSITIONS, NULL, positions_table, NULL, 0); }

static void vectors_table(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    const Trace *t = &s->pass.tr;
    int T = t->T, H = t->H, hd = t->hd, bad = 0;
    int q0 = col_of(c, "q_d0"), x0 = col_of(c, "x_d0"), xm = col_of(c, "x_mean"), xv = col_of(c, "x_var");
    int o0 = col_of(c, "attn_out_d0");
    CHECK(q0 > 0 && x0 > 0 && xm > 0 && xv > 0 && o0 > 0 && c->rows == T);
    for (int i = 0; i < T && q0 > 0 && x0 > 0 && xm > 0 && o0 > 0; i++) {
        const float *x = t->layers[0].out + (size_t)i * H;   /* the input of layer 1 */
        float norm, mean, std;
        row_stats(x, H, &norm, &mean, &std);
        bad += !same_float(num(c, i, xm), mean) || !same_float(num(c, i, xv), std * std);
        for (int j = 0; j < H; j++)
            bad += !same_float(num(c, i, x0 + j), x[j]) ||
                   !same_float(num(c, i, q0 + j), t->layers[1].q[((size_t)(j / hd) * T + i) * hd + j % hd]) ||
                   !same_float(num(c, i, o0 + j), t->layers[1].attn_out[(size_t)i * H + j]);
    }
    CHECKF(bad == 0, "vectors: %d cells differ from layer 1's x, Q and O", bad);
}

static void vectors(Setup *s) {
    FigParams p;
    params(s, &p);
    s->st.pos.stage = STAGE_QKV;
    check_table(s, VIZ_VECTORS, &p, vectors_table, NULL, 0);
    s->st.pos.stage = STAGE_ATTN;
}

static void embeddings_table(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    const FigPca *pca = &s->cache.pca;   /* what the view draws */
    int bad = c->rows != s->pass.tr.T || pca->n != c->rows;
    for (int i = 0; i < c->rows && !bad; i++) {
        bad += (int)num(c, i, 0) != 1 || (int)num(c, i, 1) != i || strcmp(at(c, i, 2), s->pass.tokens[i]) != 0;
        for (int k = 0; k < 3; k++) bad += !same_float(num(c, i, 3 + k), pca->xyz[i * 3 + k]);
    }
    CHECKF(bad == 0, "embeddings: %d cells differ from the PCA drawn", bad);
}

static void embeddings(Setup *s) { check_table(s, VIZ_EMBEDDINGS, NULL, embeddings_table, NULL, 0); }

static void predictions_table(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    const Trace *t = &s->pass.tr;
    Guess g[3];
    int n = guesses_top(trace_mlm_logits_at(t, 6), t->V, 3, g), bad = c->rows != 3;
    for (int r = 0; r < n && !bad; r++)
        bad += (int)num(c, r, 0) != 6 || (int)num(c, r, 1) != r + 1 || strcmp(at(c, r, 2), VOCAB[g[r].id]) != 0 ||
               (int)num(c, r, 3) != g[r].id || !same_double(num(c, r, 4), g[r].p) ||
               !same_float(num(c, r, 5), g[r].logit);
    CHECKF(bad == 0, "predictions: %d differ from guesses_top", bad);
}

static void predictions(Setup *s) { check_table(s, VIZ_PREDICTIONS, NULL, predictions_table, NULL, 0); }

static void training_table(const Table *tab) {
    const Csv *c = tab->c;
    const RunLog *run = tab->want;
    const TrainRow *tr = run->log.train;
    const EvalRow *ev = run->log.eval;
    int bad = c->rows != 7, lc = col_of(c, "loss"), nc = col_of(c, "nsp_loss"), t1 = col_of(c, "mask_top1");
    int ml = col_of(c, "mlm_loss"), on = col_of(c, "on_show"), tk = col_of(c, "tokens");
    bad += lc < 0 || nc < 0 || t1 < 0 || ml < 0 || on < 0 || tk < 0;
    for (int r = 0; r < 3 && !bad; r++)
        bad += strcmp(at(c, r, 0), "train") != 0 || (long)num(c, r, 1) != tr[r].step ||
               !same_double(num(c, r, lc), tr[r].loss) || !same_double(num(c, r, nc), tr[r].nsp_loss) ||
               !same_double(num(c, r, ml), tr[r].mlm_loss) || at(c, r, t1)[0] != '\0';
    for (int r = 0; r < 2 && !bad; r++)
        bad += strcmp(at(c, 3 + r, 0), "eval") != 0 || !same_double(num(c, 3 + r, t1), ev[r].mask_top1) ||
               !same_double(num(c, 3 + r, ml), ev[r].mlm_loss) || at(c, 3 + r, lc)[0] != '\0';
    /* checkpoints at the tokens seen by their step, the one on show marked */
    bad += !bad && (strcmp(at(c, 5, 0), "checkpoint") != 0 || num(c, 5, tk) != 0 || num(c, 6, tk) != 2560 ||
                    num(c, 5, on) != 0 || num(c, 6, on) != 1);
    CHECKF(bad == 0, "training: the table differs from the logs");
}

static void training(Setup *s) {
    TrainRow tr[3] = {{10, 1280, 1, 6, 5.5, 0.5, 0.1, 0.5, 1e-4, 2, 100},
                      {20, 2560, 2, 5, 4.5, 0.5, 0.2, 0.6, 2e-4, 1.5, 100},
                      {30, 3840, 3, 4, 3.5, NAN, 0.3, 0.7, 1e-4, 1, 100}};
    EvalRow ev[2] = {{10, 1280, 5.6, 0.1, 0.2, 0.1, 0.2, 0.05, 0.15, 0.5}, {30, 3840, 3.6, 0.3, 0.4, 0.3, 0.4, 0.05, 0.15, 0.7}};
    long ck[2] = {0, 20};
    RunLog run;
    memset(&run, 0, sizeof run);
    run.model_step = 20;
    run.log = (TrainLog){NULL, tr, 3, ev, 2, ck, 2};
    s->st.run = &run;
    check_table(s, VIZ_TRAINING, NULL, training_table, &run, 1);
    s->st.run = NULL;
}

static void compare_table(const Table *tab) {
    const Csv *c = tab->c;
    const VecCompare *k = tab->want;
    int bad = c->rows != k->n_points;
    for (int i = 0; i < c->rows && !bad; i++)
        bad += strcmp(at(c, i, 1), i ? (char[]){'L', (char)('0' + i - 1), 0} : "emb") != 0 ||
               !same_double(num(c, i, 2), k->word_cos[i]) || !same_double(num(c, i, 3), k->mean_cos[i]) ||
               !same_double(num(c, i, 4), k->cls_cos[i]) || !same_double(num(c, i, 5), k->static_word_cos);
    CHECKF(bad == 0, "compare: the table differs from the comparison");
}

static void compare(Setup *s) {
    VecSet *vs = NULL;
    VecCompare k;
    BtError err;
    memset(&k, 0, sizeof k);
    CHECK(vecset_from_model(&vs, &s->m, &err) == 0);
    if (vec_compare(&k, &s->m, vs, "bank", "the bank of the river", "the bank raised its rates", NULL, &err) != 0) {
        CHECKF(0, "compare: %s", err.msg);
    } else {
        s->st.compare = &k;
        check_table(s, VIZ_COMPARE, NULL, compare_table, &k, 1);
        s->st.compare = NULL;
    }
    vec_compare_free(&k);
    vecset_free(vs);
}

static void rollout_table(const Table *tab) {
    const Csv *c = tab->c;
    const Rollout *r = tab->want;
    int bad = c->rows != r->T;
    for (int j = 0; j < c->rows && !bad; j++)
        bad += (int)num(c, j, 0) != j || !same_double(num(c, j, 2), r->raw[j]) ||
               !same_double(num(c, j, 3), r->rollout[j]) || !same_double(num(c, j, 4), r->flow[j]) ||
               !same_double(num(c, j, 5), r->flow_value[j]);
    CHECKF(bad == 0, "rollout: the table differs from rollout_run's row 3");
}

static void rollout(Setup *s) {
    FigParams p;
    params(s, &p);
    p.rollout_query = 3;
    Rollout r;
    BtError err;
    CHECK(rollout_run(&s->pass.tr, 3, &r, &err) == 0);
    check_table(s, VIZ_ROLLOUT, &p, rollout_table, &r, 1);
    rollout_free(&r);
}

static void census_table(const Table *tab) {
    const Csv *c = tab->c;
    const Census *want = tab->want;
    int n = want->L * want->nh, bad = c->rows != n || c->cols != 4 + CENSUS_TARGETS;
    for (int i = 0; i < n && !bad; i++) {
        bad += (int)num(c, i, 0) != i / want->nh || (int)num(c, i, 1) != i % want->nh ||
               strcmp(at(c, i, 2), census_role_info(want->role[i])->name) != 0 ||
               !same_double(num(c, i, 3), want->entropy[i]);
        for (int k = 0; k < CENSUS_TARGETS; k++) bad += !same_double(num(c, i, 4 + k), want->share[i * CENSUS_TARGETS + k]);
    }
    CHECKF(bad == 0, "census: the table differs from census_of_trace");
}

static void census(Setup *s) {
    Census want;
    BtError err;
    CHECK(census_of_trace(&want, &s->pass.tr, s->m.tok, &err) == 0);
    check_table(s, VIZ_CENSUS, NULL, census_table, &want, 0);
    census_free(&want);
}

static void scan_table(const Table *tab) {
    const Csv *c = tab->c;
    const ScanResult *r = tab->want;
    int w0 = col_of(c, "dlogp_word_h0"), bad = c->rows != r->L || w0 != 1;
    for (int l = 0; l < r->L && !bad; l++)
        for (int h = 0; h < r->nh; h++)
            bad += !same_double(num(c, l, w0 + h), r->d_word[l * r->nh + h]);
    CHECKF(bad == 0, "scan: the table differs from scan_run");
}

static void scan(Setup *s) {
    ScanResult r;
    BtError err;
    CHECK(scan_run(&s->m, &s->pass.tr, 6, -1, KO_HEAD_ZERO, &r, &err) == 0);
    s->st.scan = &r;
    check_table(s, VIZ_SCAN, NULL, scan_table, &r, 1);
    s->st.scan = NULL;
    scan_free(&r);
}

static void saliency_table(const Table *tab) {
    const Csv *c = tab->c;
    const Figure *f = tab->f;
    const Saliency *r = tab->want;
    int bad = c->rows != r->T || c->cols != 5;
    for (int t = 0; t < r->T && !bad; t++)
        bad += strcmp(at(c, t, 1), VOCAB[r->ids[t]]) != 0 || !same_double(num(c, t, 2), r->grad_dot[t]) ||
               !same_double(num(c, t, 3), r->grad_norm[t]) || !same_double(num(c, t, 4), r->ig[t]);
    CHECKF(bad == 0, "saliency: the table differs from saliency_run");
    /* r->text is NULL here: the caption starts with the legend, not with
     * an empty pair of quotes */
    CHECKF(f->caption && strncmp(f->caption, "“", strlen("“")) != 0 && strstr(f->caption, "completeness"),
           "saliency without a sentence: caption %s", f->caption ? f->caption : "(none)");
}

static void saliency(Setup *s) {
    Saliency r;
    BtError err;
    CHECK(saliency_run(&s->m, &s->pass.tr, 6, -1, 4, &r, &err) == 0);
    s->st.saliency = &r;
    check_table(s, VIZ_SALIENCY, NULL, saliency_table, &r, 1);
    s->st.saliency = NULL;
    saliency_free(&r);
}

static void lens_table(const Table *tab) {
    const Csv *c = tab->c;
    const LensResult *r = tab->want;
    int k = r->k, bad = c->rows != r->depths || c->cols != 1 + 2 * k + 2;
    for (int d = 0; d < r->depths && !bad; d++) {
        char name[32];
        lens_depth_key(d, name, sizeof name);   /* the CSV's depth: English in every language */
        bad += strcmp(at(c, d, 0), name) != 0 || (int)num(c, d, 1 + 2 * k) != r->rank[d] ||
               !same_double(num(c, d, 2 + 2 * k), r->prob[d]);
        for (int j = 0; j < k; j++)
            bad += strcmp(at(c, d, 1 + j), VOCAB[r->top[d * k + j].id]) != 0 ||
                   !same_double(num(c, d, 1 + k + j), r->top[d * k + j].p);
    }
    CHECKF(bad == 0, "lens: the table differs from lens_run");
}

static void lens(Setup *s) {
    LensResult r;
    BtError err;
    CHECK(lens_run(&s->m, &s->pass.tr, 6, 3, LENS_ANSWER, &r, &err) == 0);
    s->st.lens = &r;
    check_table(s, VIZ_LENS, NULL, lens_table, &r, 1);
    s->st.lens = NULL;
    lens_free(&r);
}

static void whatif_table(const Table *tab) {
    const Csv *c = tab->c;
    const WhatIf *w = tab->want;
    int D = w->L + 1, c0 = 1 + w->nh, bad = c->rows != D || c->cols != 1 + w->nh + w->npairs || col_of(c, "tv_h0") != 1;
    for (int d = 0; d < D && !bad; d++) {
        for (int h = 0; h < w->nh; h++)
            bad += d == 0 ? at(c, d, 1 + h)[0] != '\0' : !same_double(num(c, d, 1 + h), w->tv_mean[(d - 1) * w->nh + h]);
        for (int q = 0; q < w->npairs; q++) bad += !same_float(num(c, d, c0 + q), (float)(1 - w->cos[q * D + d]));
    }
    CHECKF(bad == 0, "whatif: the table differs from whatif_run");
    CHECK(strstr(c->cell[c0 + 2], "cat") && strstr(c->cell[c0 + 2], "dog"));
}

static void whatif(Setup *s) {
    Pass b;
    WhatIf w;
    BtError err;
    int ids[64];
    memcpy(ids, s->pass.ids, sizeof(int) * s->pass.tr.T);
    ids[2] = 10;   /* cat -> dog */
    CHECK(whatif_pass_ids(&b, &s->pass, ids, &err) == 0);
    CHECK(whatif_run(&s->m, &s->pass.tr, &b.tr, 1, 3, &w, &err) == 0);
    s->st.whatif = &w;
    check_table(s, VIZ_WHATIF, NULL, whatif_table, &w, 1);
    s->st.whatif = NULL;
    whatif_free(&w);
    pass_free(&b);
}

/* The locale test's table: every number with a decimal point, none with a comma. */
static void decimal_points(const Table *tab) {
    Setup *s = tab->s;
    const Csv *c = tab->c;
    int commas = 0;
    for (int i = 0; i < c->rows; i++)
        for (int j = 1; j < c->cols; j++) commas += strchr(at(c, i, j), ',') != NULL || !strchr(at(c, i, j), '.');
    CHECKF(commas == 0 && c->cols == s->pass.tr.T + 1, "%d numbers without a decimal point", commas);
}

/* Under a locale whose decimal point is ',' (LC_NUMERIC of a program that
 * embeds the writers, say): still '.'. The locale is compiled into the
 * test's directory, as none may be installed. */
static int locale_test(void) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", test_tmpdir());
    if (system(cmd) != 0) {
        fprintf(stderr, "locale: localedef cannot build de_DE here; skipped\n");
        return TEST_SKIP;
    }
    setenv("LOCPATH", test_tmpdir(), 1);
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
        fprintf(stderr, "locale: de_DE.UTF-8 does not load; skipped\n");
        return TEST_SKIP;
    }
    char probe[32];
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    CHECKF(strcmp(probe, "0,5") == 0, "the locale's own printf gives %s", probe);
    char b[64];
    fig_number(b, sizeof b, 0.25, 0);
    CHECKF(strcmp(b, "0.25") == 0, "0.25 as %s under de_DE", b);
    Setup s;
    if (setup(&s) != 0) return test_done("export locale");
    check_table(&s, VIZ_HEATMAP, NULL, decimal_points, NULL, 1);
    /* the SVG's coordinates too: "12,5" would not parse */
    FILE *in = fopen(test_tmp_path("view.svg"), "r");
    char line[4096];
    int bad = 0;
    while (in && fgets(line, sizeof line, in))
        for (char *q = strstr(line, "x=\""); q; q = strstr(q + 1, "x=\"")) bad += strcspn(q + 3, "\"") > strcspn(q + 3, ",");
    if (in) fclose(in);
    CHECKF(bad == 0, "%d SVG coordinates with a decimal comma", bad);
    fig_cache_free(&s.cache);
    pass_free(&s.pass);
    model_free(&s.m);
    return test_done("export locale");
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "locale") == 0) return locale_test();
    writers();
    Setup s;
    if (setup(&s) != 0) {
        CHECK(0);
        return test_done("export");
    }
    heatmap(&s);
    heads(&s);
    positions(&s);
    vectors(&s);
    embeddings(&s);
    predictions(&s);
    training(&s);
    compare(&s);
    rollout(&s);
    census(&s);
    scan(&s);
    saliency(&s);
    lens(&s);
    whatif(&s);
    /* every view that the state can show, as SVG (or its one line) */
    FigParams p;
    params(&s, &p);
    for (int v = 0; v < VIZ_VIEW_COUNT; v++)
        if (v <= VIZ_PREDICTIONS || v == VIZ_CENSUS) export_svg(&s, v, &p);
    CHECK(test_temp_files() == 0);
    fig_cache_free(&s.cache);
    pass_free(&s.pass);
    model_free(&s.m);
    return test_done("export");
}
