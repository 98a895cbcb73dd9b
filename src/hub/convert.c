/* pytorch_model.bin → model.safetensors, the format the engine loads.
 *
 * Everything that could make the output large is decided before a byte
 * of it is allocated or written: which tensors are tied copies, that no
 * tensor repeats numbers of its storage (a stride-0 view of one float as
 * [16384, 16384] would otherwise become a 1 GiB file), and, when a
 * config.json is given, that every parameter it implies has its shape. */
#include "bertology/config.h"
#include "bertology/model.h"
#include "bertology/pickle.h"
#include "display.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Orders views so that two names for the same numbers (HF state dicts
 * hold the MLM decoder as a view of the word embeddings) sit side by side,
 * the file's order among equals: the first is written, the others are
 * tied copies the loader restores. Sorting keeps this n log n; a state
 * dict of 45,000 views would take seconds pairwise. */
static int cmp_view(const void *pa, const void *pb) {
    const PtTensor *a = *(const PtTensor *const *)pa, *b = *(const PtTensor *const *)pb;
    if (a->storage != b->storage) return a->storage < b->storage ? -1 : 1;
    if (a->offset != b->offset) return a->offset < b->offset ? -1 : 1;
    if (a->ndim != b->ndim) return a->ndim < b->ndim ? -1 : 1;
    for (int d = 0; d < a->ndim; d++) {
        if (a->size[d] != b->size[d]) return a->size[d] < b->size[d] ? -1 : 1;
        if (a->stride[d] != b->stride[d]) return a->stride[d] < b->stride[d] ? -1 : 1;
    }
    return a < b ? -1 : a > b; /* one array: address order is the file's order */
}

static int same_view(const PtTensor *a, const PtTensor *b) {
    if (a->storage != b->storage || a->offset != b->offset || a->ndim != b->ndim) return 0;
    for (int d = 0; d < a->ndim; d++)
        if (a->size[d] != b->size[d] || a->stride[d] != b->stride[d]) return 0;
    return 1;
}

/* Marks tied copies in tied[] (indexed like sd->tensors) and checks that
 * the tensors to write take no number of a storage twice: each alone no
 * larger than its storage, all of one storage together no larger either.
 * Weights never repeat numbers; a hostile file does it to blow up. */
static int plan_views(const PtStateDict *sd, char *tied, BtError *err) {
    int n = sd->n_tensors, rc = 0;
    const PtTensor **v = malloc(sizeof *v * (size_t)(n ? n : 1));
    int64_t *used = calloc((size_t)(sd->n_storages ? sd->n_storages : 1), sizeof *used);
    if (!v || !used) rc = bt_fail(err, "out of memory");
    int k = 0;
    for (int i = 0; i < n && !rc; i++)
        if (pt_is_float(sd->storages[sd->tensors[i].storage].dtype)) v[k++] = &sd->tensors[i];
    if (!rc && k) qsort(v, (size_t)k, sizeof *v, cmp_view);
    for (int i = 0; i < k && !rc; i++) {
        const PtTensor *t = v[i];
        const PtStorage *s = &sd->storages[t->storage];
        if (i && same_view(v[i - 1], t)) {
            tied[t - sd->tensors] = 1;
            continue;
        }
        int64_t numel = pt_numel(t);
        char nm[HUB_NAME_BUF], key[HUB_NAME_BUF];
        hub_display(nm, t->name);
        hub_display(key, s->key);
        if (numel > s->numel)
            rc = bt_fail(err, "tensor '%s' shows %lld numbers from storage '%s', which holds %lld (a stride of 0 "
                              "repeats them); weights never do, so the file is refused",
                         nm, (long long)numel, key, (long long)s->numel);
        else if ((used[t->storage] += numel) > s->numel)
            rc = bt_fail(err, "the tensors of storage '%s' read %lld numbers from its %lld (overlapping views, up "
                              "to '%s'); weights never share numbers except as tied copies, so the file is refused",
                         key, (long long)used[t->storage], (long long)s->numel, nm);
    }
    free(v);
    free(used);
    return rc;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp((*(const PtTensor *const *)a)->name, (*(const PtTensor *const *)b)->name);
}

static const PtTensor *find_name(const PtTensor **sorted, int n, const char *name) {
    PtTensor key = {.name = (char *)name};
    const PtTensor *kp = &key, **hit = bsearch(&kp, sorted, (size_t)n, sizeof *sorted, cmp_name);
    return hit ? *hit : NULL;
}

/* Each parameter config.json implies (model_param_table, under any of the
 * names checkpoints use) that the file holds must have its shape. */
static int check_shapes(const PtStateDict *sd, const char *cfg_path, BtError *err) {
    BertConfig cfg;
    BtError e2;
    if (config_load(cfg_path, &cfg, &e2)) return bt_fail(err, "%s", e2.msg);
    ParamInfo *tab = NULL;
    int np = model_param_table(&cfg, &tab), rc = 0;
    const PtTensor **byname = malloc(sizeof *byname * (size_t)(sd->n_tensors ? sd->n_tensors : 1));
    if (!tab || !byname) rc = bt_fail(err, "out of memory");
    for (int i = 0; i < sd->n_tensors && !rc; i++) byname[i] = &sd->tensors[i];
    if (!rc) qsort(byname, (size_t)sd->n_tensors, sizeof *byname, cmp_name);
    /* the untied decoder is not a parameter of the table but is read with
     * the word embeddings' shape */
    ParamInfo dec = {.name = "cls.predictions.decoder.weight", .ndim = 2, .shape = {cfg.vocab_size, cfg.hidden_size}};
    for (int i = 0; i <= np && !rc; i++) {
        const ParamInfo *p = i < np ? &tab[i] : &dec;
        char alt[MODEL_PARAM_NAMES][MODEL_PARAM_NAME_MAX];
        int na = model_param_names(p->name, alt);
        const PtTensor *t = NULL;
        for (int a = 0; a < na && !t; a++) t = find_name(byname, sd->n_tensors, alt[a]);
        if (!t) continue; /* the loader names what is missing */
        int ok = t->ndim == p->ndim;
        for (int d = 0; d < p->ndim && ok; d++) ok = t->size[d] == p->shape[d];
        if (!ok) {
            char got[96] = "", want[48], nm[HUB_NAME_BUF];
            size_t o = 0;
            for (int d = 0; d < t->ndim && o < sizeof got - 24; d++)
                o += (size_t)snprintf(got + o, sizeof got - o, "%s%lld", d ? ", " : "", (long long)t->size[d]);
            if (p->ndim == 2) snprintf(want, sizeof want, "%d, %d", p->shape[0], p->shape[1]);
            else snprintf(want, sizeof want, "%d", p->shape[0]);
            hub_display(nm, t->name);
            rc = bt_fail(err, "tensor '%s' has shape [%s] but config.json implies [%s]; nothing was written", nm, got,
                         want);
        }
    }
    free(tab);
    free(byname);
    return rc;
}

int pt_convert(const char *bin_path, const char *cfg_path, const char *out_path, PtConvertInfo *info, BtError *err) {
    PtConvertInfo dummy;
    if (!info) info = &dummy;
    memset(info, 0, sizeof *info);
    PtCheckpoint c;
    if (pt_open(&c, bin_path, err)) return -1;
    info->legacy = c.legacy;
    int n = c.sd.n_tensors, rc = 0, all_f16 = 1;
    StWriteTensor *ws = calloc((size_t)(n ? n : 1), sizeof *ws);
    char *tied = calloc((size_t)(n ? n : 1), 1);
    if (!ws || !tied) rc = bt_fail(err, "out of memory");
    if (!rc) rc = plan_views(&c.sd, tied, err);
    if (!rc && cfg_path) rc = check_shapes(&c.sd, cfg_path, err);
    for (int i = 0; i < n && !rc; i++) {
        const PtTensor *t = &c.sd.tensors[i];
        StDtype dt = c.sd.storages[t->storage].dtype;
        if (!pt_is_float(dt)) {
            info->n_skipped++;
            continue;
        }
        if (tied[i]) {
            info->n_tied++;
            continue;
        }
        int64_t numel = pt_numel(t);
        float *buf = malloc(sizeof(float) * (size_t)(numel ? numel : 1));
        if (!buf) {
            char nm[HUB_NAME_BUF];
            hub_display(nm, t->name);
            rc = bt_fail(err, "out of memory for tensor '%s'", nm);
            break;
        }
        StWriteTensor *w = &ws[info->n_written++];
        w->name = t->name;
        w->data = buf;
        w->ndim = t->ndim;
        memcpy(w->shape, t->size, sizeof(int64_t) * (size_t)t->ndim);
        all_f16 &= dt == ST_F16;
        rc = pt_tensor_f32(&c, t, buf, err);
    }
    if (!rc && info->n_written == 0) {
        char file[HUB_NAME_BUF];
        hub_display(file, bin_path);
        rc = bt_fail(err, "%s holds no float tensors", file);
    }
    if (!rc) {
        /* F16 in, F16 out keeps the file as small as the original and is
         * exact; anything else (bf16, f64, mixed) is stored as F32. */
        info->dtype = all_f16 ? ST_F16 : ST_F32;
        const char *meta[] = {"format", "pt", "converted_from", "pytorch_model.bin"};
        rc = st_write(out_path, ws, info->n_written, info->dtype, meta, 2, err);
    }
    for (int i = 0; ws && i < info->n_written; i++) free((void *)ws[i].data);
    free(ws);
    free(tied);
    pt_close(&c);
    return rc;
}
