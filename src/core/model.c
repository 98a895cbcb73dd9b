#include "bertology/bigmem.h"
#include "bertology/model.h"
#include "bertology/ops.h"
#include "bertology/posenc.h"
#include "bertology/safetensors.h"
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { GROUP_ENCODER = 0, GROUP_MLM = 1, GROUP_NSP = 2 };

typedef struct {
    ParamInfo *tab;
    float ***dst;     /* where each parameter's pointer goes, or NULL */
    int n, cap;
    size_t total;
    int *group;
} Table;

/* Room for n floats in the block, for entries placed there with add_at. */
static size_t reserve(Table *t, size_t n) {
    size_t at = t->total;
    t->total += n;
    return at;
}

static void add_at(Table *t, size_t at, float **dst, int group, int no_decay, int rows, int cols,
                   const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* The next entry of the table, its floats at offset `at` of the block
 * (SIZE_MAX: right after the last ones). */
static void add_at(Table *t, size_t at, float **dst, int group, int no_decay, int rows, int cols,
                   const char *fmt, ...) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->tab = realloc(t->tab, sizeof *t->tab * t->cap);
        t->dst = realloc(t->dst, sizeof *t->dst * t->cap);
        t->group = realloc(t->group, sizeof *t->group * t->cap);
    }
    ParamInfo *p = &t->tab[t->n];
    memset(p, 0, sizeof *p);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->name, sizeof p->name, fmt, ap);
    va_end(ap);
    p->ndim = cols ? 2 : 1;
    p->shape[0] = rows;
    p->shape[1] = cols;
    p->numel = (size_t)rows * (cols ? cols : 1);
    p->offset = at == SIZE_MAX ? reserve(t, p->numel) : at;
    p->optional = group != GROUP_ENCODER;
    p->no_decay = no_decay;
    t->dst[t->n] = dst;
    t->group[t->n] = group;
    t->n++;
}

#define add(t, ...) add_at((t), SIZE_MAX, __VA_ARGS__)

/* The one place that knows the Hugging Face names; loading, saving and
 * the trainer's parameter walk all follow this order. The block follows
 * it too, but for each layer's query, key and value: their weights sit
 * side by side as one (3H,H) matrix, and their biases as one (3H), so
 * that the forward pass computes the three in one product (forward.c). */
static void build_table(const BertConfig *c, BertModel *m, Table *t) {
    int V = c->vocab_size, H = c->hidden_size, I = c->intermediate_size;
    add(t, m ? &m->word_emb : NULL, GROUP_ENCODER, 0, V, H, "bert.embeddings.word_embeddings.weight");
    if (c->pos_type == POS_ABSOLUTE)
        add(t, m ? &m->pos_emb : NULL, GROUP_ENCODER, 0, c->max_position, H,
            "bert.embeddings.position_embeddings.weight");
    add(t, m ? &m->type_emb : NULL, GROUP_ENCODER, 0, c->type_vocab_size, H,
        "bert.embeddings.token_type_embeddings.weight");
    add(t, m ? &m->emb_ln_g : NULL, GROUP_ENCODER, 1, H, 0, "bert.embeddings.LayerNorm.weight");
    add(t, m ? &m->emb_ln_b : NULL, GROUP_ENCODER, 1, H, 0, "bert.embeddings.LayerNorm.bias");
    for (int l = 0; l < c->num_layers; l++) {
        BertLayer *L = m ? &m->layers[l] : NULL;
        const char *p = "bert.encoder.layer";
        size_t HH = (size_t)H * H, w = reserve(t, 3 * HH), b = reserve(t, 3 * (size_t)H);
        add_at(t, w, L ? &L->wq : NULL, 0, 0, H, H, "%s.%d.attention.self.query.weight", p, l);
        add_at(t, b, L ? &L->bq : NULL, 0, 1, H, 0, "%s.%d.attention.self.query.bias", p, l);
        add_at(t, w + HH, L ? &L->wk : NULL, 0, 0, H, H, "%s.%d.attention.self.key.weight", p, l);
        add_at(t, b + H, L ? &L->bk : NULL, 0, 1, H, 0, "%s.%d.attention.self.key.bias", p, l);
        add_at(t, w + 2 * HH, L ? &L->wv : NULL, 0, 0, H, H, "%s.%d.attention.self.value.weight", p, l);
        add_at(t, b + 2 * (size_t)H, L ? &L->bv : NULL, 0, 1, H, 0, "%s.%d.attention.self.value.bias", p, l);
        add(t, L ? &L->wo : NULL, 0, 0, H, H, "%s.%d.attention.output.dense.weight", p, l);
        add(t, L ? &L->bo : NULL, 0, 1, H, 0, "%s.%d.attention.output.dense.bias", p, l);
        add(t, L ? &L->ln1_g : NULL, 0, 1, H, 0, "%s.%d.attention.output.LayerNorm.weight", p, l);
        add(t, L ? &L->ln1_b : NULL, 0, 1, H, 0, "%s.%d.attention.output.LayerNorm.bias", p, l);
        add(t, L ? &L->w1 : NULL, 0, 0, I, H, "%s.%d.intermediate.dense.weight", p, l);
        add(t, L ? &L->b1 : NULL, 0, 1, I, 0, "%s.%d.intermediate.dense.bias", p, l);
        add(t, L ? &L->w2 : NULL, 0, 0, H, I, "%s.%d.output.dense.weight", p, l);
        add(t, L ? &L->b2 : NULL, 0, 1, H, 0, "%s.%d.output.dense.bias", p, l);
        add(t, L ? &L->ln2_g : NULL, 0, 1, H, 0, "%s.%d.output.LayerNorm.weight", p, l);
        add(t, L ? &L->ln2_b : NULL, 0, 1, H, 0, "%s.%d.output.LayerNorm.bias", p, l);
    }
    add(t, m ? &m->mlm_w : NULL, GROUP_MLM, 0, H, H, "cls.predictions.transform.dense.weight");
    add(t, m ? &m->mlm_b : NULL, GROUP_MLM, 1, H, 0, "cls.predictions.transform.dense.bias");
    add(t, m ? &m->mlm_ln_g : NULL, GROUP_MLM, 1, H, 0, "cls.predictions.transform.LayerNorm.weight");
    add(t, m ? &m->mlm_ln_b : NULL, GROUP_MLM, 1, H, 0, "cls.predictions.transform.LayerNorm.bias");
    add(t, m ? &m->mlm_bias : NULL, GROUP_MLM, 1, V, 0, "cls.predictions.bias");
    add(t, m ? &m->pool_w : NULL, GROUP_NSP, 0, H, H, "bert.pooler.dense.weight");
    add(t, m ? &m->pool_b : NULL, GROUP_NSP, 1, H, 0, "bert.pooler.dense.bias");
    add(t, m ? &m->nsp_w : NULL, GROUP_NSP, 0, 2, H, "cls.seq_relationship.weight");
    add(t, m ? &m->nsp_b : NULL, GROUP_NSP, 1, 2, 0, "cls.seq_relationship.bias");
}

static void table_free(Table *t) {
    free(t->tab);
    free(t->dst);
    free(t->group);
}

int model_param_table(const BertConfig *cfg, ParamInfo **out) {
    Table t = {0};
    build_table(cfg, NULL, &t);
    free(t.dst);
    free(t.group);
    *out = t.tab;
    return t.n;
}

int model_alloc(BertModel *m, const BertConfig *cfg, BtError *err) {
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->layers = calloc(cfg->num_layers ? cfg->num_layers : 1, sizeof *m->layers);
    Table t = {0};
    build_table(cfg, m, &t);
    m->n_params = t.total;
    m->params = big_calloc(t.total, sizeof(float));
    if (!m->layers || !m->params) {
        table_free(&t);
        model_free(m);
        return bt_fail(err, "out of memory allocating %zu parameters", t.total);
    }
    for (int i = 0; i < t.n; i++) *t.dst[i] = m->params + t.tab[i].offset;
    table_free(&t);
    if (cfg->pos_type == POS_SINUSOIDAL) {
        /* computed, not read from the file, so the header check cannot
         * bound it: cap it where no real BERT reaches */
        if ((uint64_t)cfg->max_position * (uint64_t)cfg->hidden_size > MODEL_MAX_SINUSOID) {
            model_free(m);
            return bt_fail(err, "sinusoidal positions: max_position_embeddings %d × hidden_size %d is more than the "
                           "%d floats bertology computes; lower max_position_embeddings",
                           cfg->max_position, cfg->hidden_size, MODEL_MAX_SINUSOID);
        }
        m->sinusoid = malloc(sizeof(float) * (size_t)cfg->max_position * cfg->hidden_size);
        if (!m->sinusoid) { model_free(m); return bt_fail(err, "out of memory"); }
        posenc_sinusoidal(m->sinusoid, cfg->max_position, cfg->hidden_size);
        m->pos_emb = m->sinusoid;
    }
    m->mlm_decoder = m->word_emb;
    m->has_mlm = 1;
    m->has_nsp = 1;
    return 0;
}

int model_param_names(const char *name, char out[MODEL_PARAM_NAMES][MODEL_PARAM_NAME_MAX]) {
    int n = 0;
    snprintf(out[n++], MODEL_PARAM_NAME_MAX, "%s", name);
    const char *bare = strncmp(name, "bert.", 5) == 0 ? name + 5 : NULL;
    if (bare) snprintf(out[n++], MODEL_PARAM_NAME_MAX, "%s", bare);
    const char *ln = strstr(name, "LayerNorm.");
    if (!ln) return n;
    const char *legacy = strcmp(ln, "LayerNorm.weight") == 0 ? "gamma" : strcmp(ln, "LayerNorm.bias") == 0 ? "beta" : NULL;
    if (!legacy) return n;
    int stem = (int)(ln - name) + 10;
    snprintf(out[n++], MODEL_PARAM_NAME_MAX, "%.*s%s", stem, name, legacy);
    if (bare) snprintf(out[n++], MODEL_PARAM_NAME_MAX, "%.*s%s", stem - 5, bare, legacy);
    return n;
}

static const StTensor *find_param(const StFile *f, const char *name) {
    char alt[MODEL_PARAM_NAMES][MODEL_PARAM_NAME_MAX];
    int n = model_param_names(name, alt);
    for (int i = 0; i < n; i++) {
        const StTensor *t = st_find(f, alt[i]);
        if (t) return t;
    }
    return NULL;
}

static int shape_checked(const StTensor *t, const char *file, int ndim, const int *shape, BtError *err) {
    int ok = t->ndim == ndim && t->shape[0] == shape[0] && (ndim == 1 || t->shape[1] == shape[1]);
    if (!ok) {
        char got[96] = "", *p = got;
        for (int d = 0; d < t->ndim && p < got + sizeof got - 24; d++)
            p += sprintf(p, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
        if (ndim == 2)
            return bt_fail(err, "%s: tensor '%s' has shape [%s], config.json implies [%d, %d]",
                           file, t->name, got, shape[0], shape[1]);
        return bt_fail(err, "%s: tensor '%s' has shape [%s], config.json implies [%d]", file,
                       t->name, got, shape[0]);
    }
    return 0;
}

static int read_checked(const StFile *f, const StTensor *t, const char *file, int ndim,
                        const int *shape, float *dst, BtError *err) {
    int64_t want = shape[0] * (int64_t)(ndim == 2 ? shape[1] : 1);
    if (shape_checked(t, file, ndim, shape, err)) return -1;
    if (st_read_f32(f, t, dst, err)) return -1;
    for (int64_t i = 0; i < want; i++)
        if (!isfinite(dst[i]))
            return bt_fail(err, "%s: tensor '%s' holds %s at index %lld; the checkpoint is corrupt",
                           file, t->name, isnan(dst[i]) ? "NaN" : "Inf", (long long)i);
    return 0;
}

/* Checks the file's header against the config before anything is
 * allocated: every tensor present has the shape config.json implies, no
 * encoder tensor is missing, and a head is whole or absent. A small
 * config.json naming a huge model is refused here, before model_alloc
 * asks for its gigabytes. Sets *has_mlm / *has_nsp. */
static int check_header(const StFile *f, const BertConfig *cfg, const char *file, int *has_mlm, int *has_nsp,
                        BtError *err) {
    Table t = {0};
    build_table(cfg, NULL, &t);
    int rc = 0;
    int present[3] = {0}, missing[3] = {0};
    const char *first_missing[3] = {0};
    for (int i = 0; i < t.n && !rc; i++) {
        const StTensor *st = find_param(f, t.tab[i].name);
        int g = t.group[i];
        if (!st) {
            if (!missing[g]++) first_missing[g] = t.tab[i].name;
            continue;
        }
        present[g]++;
        rc = shape_checked(st, file, t.tab[i].ndim, t.tab[i].shape, err);
    }
    if (!rc && missing[GROUP_ENCODER])
        rc = bt_fail(err, "%s: missing tensor '%s' (%d encoder tensors missing)", file,
                     first_missing[GROUP_ENCODER], missing[GROUP_ENCODER]);
    for (int g = GROUP_MLM; g <= GROUP_NSP && !rc; g++)
        if (present[g] && missing[g])
            rc = bt_fail(err, "%s: missing tensor '%s' while the rest of its head is present",
                         file, first_missing[g]);
    const StTensor *dec = st_find(f, "cls.predictions.decoder.weight");
    if (!rc && dec && present[GROUP_MLM]) {
        int shape[2] = {cfg->vocab_size, cfg->hidden_size};
        rc = shape_checked(dec, file, 2, shape, err);
    }
    if (!rc && cfg->pos_type == POS_SINUSOIDAL && find_param(f, "bert.embeddings.position_embeddings.weight"))
        rc = bt_fail(err, "%s: holds learned position embeddings but config.json says \"sinusoidal\"", file);
    *has_mlm = present[GROUP_MLM] > 0;
    *has_nsp = present[GROUP_NSP] > 0;
    table_free(&t);
    return rc;
}

/* Whether the file's decoder (shape already checked: [V, H]) holds the
 * same bits as the word embeddings already loaded, compared a block of
 * rows at a time: the tied copy most files store then costs no second
 * vocabulary-sized table, not even for a moment. Equal bits are finite
 * (word_emb was checked), so a NaN in the decoder makes it differ and the
 * full read names it. */
enum { DEC_BLOCK_ROWS = 256 };

static int same_as_word_emb(const BertModel *m, const StFile *f, const StTensor *dec, int *same, BtError *err) {
    size_t H = (size_t)m->cfg.hidden_size, V = (size_t)m->cfg.vocab_size, es = st_dtype_size(dec->dtype);
    float *buf = malloc(sizeof(float) * DEC_BLOCK_ROWS * (H ? H : 1));
    if (!buf) return bt_fail(err, "out of memory");
    *same = 1;
    for (size_t r = 0; r < V && *same; r += DEC_BLOCK_ROWS) {
        size_t k = V - r < DEC_BLOCK_ROWS ? V - r : DEC_BLOCK_ROWS;
        /* rows r..r+k of the decoder, as a tensor of its own; st_read_f32
         * checks it against the file like any other */
        StTensor part = *dec;
        part.shape[0] = (int64_t)k;
        part.begin = dec->begin + r * H * es;
        part.end = part.begin + k * H * es;
        if (st_read_f32(f, &part, buf, err)) {
            free(buf);
            return -1;
        }
        *same = memcmp(buf, m->word_emb + r * H, sizeof(float) * k * H) == 0;
    }
    free(buf);
    return 0;
}

static int load_weights(BertModel *m, const StFile *f, const char *file, BtError *err) {
    Table t = {0};
    build_table(&m->cfg, m, &t);
    int rc = 0;
    for (int i = 0; i < t.n && !rc; i++) {
        const StTensor *st = find_param(f, t.tab[i].name);
        if (st) rc = read_checked(f, st, file, t.tab[i].ndim, t.tab[i].shape, m->params + t.tab[i].offset, err);
    }
    const StTensor *dec = st_find(f, "cls.predictions.decoder.weight");
    if (!rc && dec && m->has_mlm) {
        int shape[2] = {m->cfg.vocab_size, m->cfg.hidden_size};
        size_t n = (size_t)shape[0] * shape[1];
        /* most files store the tied copy; keep one table when it is one,
         * found without a second vocabulary-sized allocation */
        int tied = 0;
        rc = shape_checked(dec, file, 2, shape, err);
        if (!rc) rc = same_as_word_emb(m, f, dec, &tied, err);
        if (!rc && !tied) {
            m->untied_decoder = malloc(sizeof(float) * n);
            if (!m->untied_decoder) rc = bt_fail(err, "out of memory");
            else rc = read_checked(f, dec, file, 2, shape, m->untied_decoder, err);
            if (m->untied_decoder) m->mlm_decoder = m->untied_decoder;
        }
    }
    table_free(&t);
    return rc;
}

static char *join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

int model_load(BertModel *m, const char *dir, BtError *err) {
    memset(m, 0, sizeof *m);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return bt_fail(err, "%s: not a model directory (expected config.json, vocab.txt, model.safetensors)", dir);
    char *cfg_path = join(dir, "config.json"), *w_path = join(dir, "model.safetensors");
    char *v_path = join(dir, "vocab.txt"), *bin_path = join(dir, "pytorch_model.bin");
    BertConfig cfg;
    StFile f = {.fd = -1};
    const char *w_file = "model.safetensors";
    int rc = config_load(cfg_path, &cfg, err), opened = 0, has_mlm = 0, has_nsp = 0;
    if (!rc && !exists(w_path))
        rc = exists(bin_path)
            ? bt_fail(err, "%s: only pytorch_model.bin is here; convert it first with `bertology convert %s`", dir, dir)
            : bt_fail(err, "%s: no model.safetensors in the model directory", dir);
    if (!rc) rc = st_open(&f, w_path, err), opened = !rc;
    if (!rc) rc = check_header(&f, &cfg, w_file, &has_mlm, &has_nsp, err);
    if (!rc) rc = model_alloc(m, &cfg, err);
    if (!rc) {
        m->has_mlm = has_mlm;
        m->has_nsp = has_nsp;
        rc = load_weights(m, &f, w_file, err);
    }
    if (opened) st_close(&f);
    int lower = TOK_LOWER_AUTO;
    if (!rc && exists(v_path)) {
        rc = tok_config_read(dir, &lower, err);
        if (!rc) rc = tok_load(&m->tok, v_path, lower, err);
        if (!rc && tok_vocab_size(m->tok) > cfg.vocab_size)
            rc = bt_fail(err, "%s: %d tokens but config.json's vocab_size is %d", v_path,
                         tok_vocab_size(m->tok), cfg.vocab_size);
        /* Fewer is padding (vocab_size rounded up to a multiple of 8 or 128:
         * rows no token names); under half is a vocabulary of other weights,
         * whose predictions would print as "?" */
        if (!rc && tok_vocab_size(m->tok) < cfg.vocab_size / 2)
            rc = bt_fail(err, "%s: %d tokens but config.json's vocab_size is %d: this vocabulary is not the one these "
                              "weights were trained with", v_path, tok_vocab_size(m->tok), cfg.vocab_size);
    } else if (!rc) {
        rc = bt_fail(err, "%s: no vocab.txt in the model directory", dir);
    }
    if (!rc) m->dir = strdup(dir);
    free(cfg_path);
    free(w_path);
    free(v_path);
    free(bin_path);
    if (rc) model_free(m);
    return rc;
}

static int copy_file(const char *src, const char *dst, BtError *err) {
    FILE *in = fopen(src, "rb");
    if (!in) return bt_fail(err, "%s: cannot open: %s", src, strerror(errno));
    FILE *out = fopen(dst, "wb");
    if (!out) { fclose(in); return bt_fail(err, "%s: cannot write: %s", dst, strerror(errno)); }
    char buf[65536];
    size_t n;
    int ok = 1;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) ok = ok && fwrite(buf, 1, n, out) == n;
    ok = !ferror(in) && ok;
    fclose(in);
    ok = fclose(out) == 0 && ok;
    return ok ? 0 : bt_fail(err, "%s: write failed", dst);
}

int model_save(const BertModel *m, const char *dir, int as_f16, const char *vocab_src, BtError *err) {
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return bt_fail(err, "%s: cannot create directory: %s", dir, strerror(errno));
    Table t = {0};
    build_table(&m->cfg, NULL, &t);
    StWriteTensor *ws = calloc(t.n + 1, sizeof *ws);
    int n = 0;
    for (int i = 0; i < t.n; i++) {
        if ((t.group[i] == GROUP_MLM && !m->has_mlm) || (t.group[i] == GROUP_NSP && !m->has_nsp))
            continue;
        ws[n].name = t.tab[i].name;
        ws[n].data = m->params + t.tab[i].offset;
        ws[n].ndim = t.tab[i].ndim;
        ws[n].shape[0] = t.tab[i].shape[0];
        ws[n].shape[1] = t.tab[i].shape[1];
        n++;
    }
    if (m->untied_decoder) {
        ws[n].name = "cls.predictions.decoder.weight";
        ws[n].data = m->untied_decoder;
        ws[n].ndim = 2;
        ws[n].shape[0] = m->cfg.vocab_size;
        ws[n].shape[1] = m->cfg.hidden_size;
        n++;
    }
    char *w_path = join(dir, "model.safetensors"), *c_path = join(dir, "config.json");
    int rc = st_write(w_path, ws, n, as_f16 ? ST_F16 : ST_F32, NULL, 0, err);
    if (!rc) rc = config_save(c_path, &m->cfg, err);
    if (!rc && vocab_src) {
        char *v_path = join(dir, "vocab.txt");
        if (strcmp(vocab_src, v_path) != 0) rc = copy_file(vocab_src, v_path, err);
        free(v_path);
    }
    free(w_path);
    free(c_path);
    free(ws);
    table_free(&t);
    return rc;
}

void model_free(BertModel *m) {
    big_free(m->params);
    free(m->layers);
    free(m->sinusoid);
    free(m->untied_decoder);
    if (m->tok) tok_free(m->tok);
    free(m->dir);
    memset(m, 0, sizeof *m);
}
