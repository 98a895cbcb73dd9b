/* The head census (bertology/census.h): per head, the entropy of each
 * query row and its attention on [CLS], [SEP], itself, its neighbours and
 * punctuation, summed over rows and then averaged. */
#include "bertology/census.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROW(ID, name, label, what) {name, label, what},
static const CensusRoleInfo ROLES[CENSUS_TARGETS + 1] = {
    BT_CENSUS_TARGETS(ROW){"mixed", N_("mixed"), N_("no target has half the head's attention")},
};
#undef ROW

const CensusRoleInfo *census_role_info(int role) {
    return role >= 0 && role <= CENSUS_MIXED ? &ROLES[role] : NULL;
}

int census_begin(Census *c, int L, int nh, BtError *err) {
    memset(c, 0, sizeof *c);
    size_t n = (size_t)(L > 0 ? L : 1) * (nh > 0 ? nh : 1);
    c->L = L;
    c->nh = nh;
    c->entropy = calloc(n, sizeof *c->entropy);
    c->share = calloc(n * CENSUS_TARGETS, sizeof *c->share);
    c->role = calloc(n, sizeof *c->role);
    if (!c->entropy || !c->share || !c->role) {
        census_free(c);
        return bt_fail(err, "out of memory for the census of %d × %d heads", L, nh);
    }
    return 0;
}

void census_free(Census *c) {
    free(c->entropy);
    free(c->share);
    free(c->role);
    memset(c, 0, sizeof *c);
}

int census_add(Census *c, const Trace *tr, const Tokenizer *tok, BtError *err) {
    int T = tr->T, nh = tr->nh;
    if (tr->L != c->L || nh != c->nh || c->done) return bt_fail(err, "internal: a trace of another model's census");
    if (c->L < 1) return bt_fail(err, "this model has no layers, so it has no attention heads to count");
    /* What each key is: [CLS], [SEP], punctuation. */
    unsigned char *kind = malloc(T);
    if (!kind) return bt_fail(err, "out of memory");
    int cls = tok_cls_id(tok), sep = tok_sep_id(tok);
    for (int k = 0; k < T; k++) {
        int id = tr->input_ids[k];
        kind[k] = (unsigned char)((id == cls) << CENSUS_CLS | (id == sep) << CENSUS_SEP |
                                  tok_is_punct_token(tok_token(tok, id)) << CENSUS_PUNCT);
    }
    int rc = 0;
    for (int l = 0; l < c->L && rc == 0; l++) {
        const float *a = tr->layers[l].attn;
        if ((rc = trace_check_finite(tr, a, (size_t)nh * T * T, err)) != 0) break;
        for (int h = 0; h < nh; h++) {
            double ent = 0, *sh = c->share + ((size_t)l * nh + h) * CENSUS_TARGETS;
            for (int q = 0; q < T; q++) {
                const float *row = a + ((size_t)h * T + q) * T;
                for (int k = 0; k < T; k++) {
                    double p = row[k];
                    if (p > 0) ent -= p * log2(p);
                    if (kind[k] & 1 << CENSUS_CLS) sh[CENSUS_CLS] += p;
                    if (kind[k] & 1 << CENSUS_SEP) sh[CENSUS_SEP] += p;
                    if (kind[k] & 1 << CENSUS_PUNCT) sh[CENSUS_PUNCT] += p;
                }
                sh[CENSUS_SELF] += row[q];
                if (q > 0) sh[CENSUS_PREV] += row[q - 1];
                if (q + 1 < T) sh[CENSUS_NEXT] += row[q + 1];
            }
            c->entropy[(size_t)l * nh + h] += ent;
        }
    }
    free(kind);
    if (rc) return rc;
    c->rows += T;
    c->uniform += T * log2((double)T);
    c->sentences++;
    return 0;
}

int census_end(Census *c, BtError *err) {
    if (c->done) return 0;
    if (c->rows == 0) return bt_fail(err, "no sentence was counted");
    size_t n = (size_t)c->L * c->nh;
    double rows = (double)c->rows;
    c->uniform /= rows;
    for (size_t i = 0; i < n; i++) {
        c->entropy[i] /= rows;
        double *sh = c->share + i * CENSUS_TARGETS;
        int best = 0;
        for (int t = 0; t < CENSUS_TARGETS; t++) {
            sh[t] /= rows;
            if (sh[t] > sh[best]) best = t;
        }
        c->role[i] = sh[best] >= CENSUS_DOMINANT ? best : CENSUS_MIXED;
    }
    c->done = 1;
    return 0;
}

int census_of_trace(Census *c, const Trace *tr, const Tokenizer *tok, BtError *err) {
    if (census_begin(c, tr->L, tr->nh, err) != 0) return -1;
    if (census_add(c, tr, tok, err) != 0 || census_end(c, err) != 0) {
        census_free(c);
        return -1;
    }
    return 0;
}
