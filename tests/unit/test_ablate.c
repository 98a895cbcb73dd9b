/* Knock-outs (core/ablate.c, forward.c) and the scan (core/scan.c) on a
 * small random model, for what the numpy reference (tests/ref/
 * test_ablate.py) does not see: the set's bookkeeping; a knock-out of
 * one sequence of a batch (Knockout.only_seq) leaves the others intact
 * and gives that one exactly the single-sequence run; forward_from from
 * any layer equals a whole forward; each cell of a batched scan is the
 * one-head re-run (scan_knockout); heads out already are NaN; a scan
 * knows the run it was made of. */
#include "bertology/ablate.h"
#include "bertology/forward.h"
#include "bertology/guesses.h"
#include "bertology/scan.h"
#include "testmodel.h"
#include "testutil.h"
#include <math.h>
#include <string.h>

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s"};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 12, NH = 3, L = 3, T = 6 };
static const int IDS[T] = {2, 5, 4, 7, 9, 3};

static void bookkeeping(void) {
    Ablation a = {0};
    BtError err = {{0}};
    char buf[256];
    CHECK(ablation_add(&a, (Knockout){.layer = 1, .head = 2}, &err) == 0);
    CHECK(ablation_add(&a, (Knockout){.layer = 0, .head = 5, .kind = KO_FFN}, &err) == 0);   /* head ignored */
    CHECK(ablation_add(&a, (Knockout){.layer = 1, .head = 2, .kind = KO_HEAD_MEAN}, &err) == 0);   /* replaces */
    CHECK(a.n == 2 && a.ko[0].kind == KO_HEAD_MEAN && a.ko[1].head == -1);
    ablation_describe(&a, buf, sizeof buf);
    CHECKF(strcmp(buf, "1.2 (mean) ffn 0") == 0, "%s", buf);
    Ablation b = {0};
    CHECK(ablation_add(&b, (Knockout){.layer = 0, .head = -1, .kind = KO_FFN}, &err) == 0);
    CHECK(!ablation_same(&a, &b));
    CHECK(ablation_add(&b, (Knockout){.layer = 1, .head = 2, .kind = KO_HEAD_MEAN}, &err) == 0);
    CHECK(ablation_same(&a, &b));   /* order aside */
    b.ko[1].kind = KO_HEAD_ZERO;
    CHECK(!ablation_same(&a, &b));
    CHECK(ablation_remove(&a, 1, 2) == 0 && ablation_remove(&a, 1, 2) == -1 && a.n == 1);
    CHECK(ablation_find(&a, 0, -1) == 0 && ablation_find(&a, 0, 0) == -1);
    /* full: one line saying how to clear them */
    Ablation full = {0};
    for (int i = 0; i < ABLATE_MAX; i++) CHECK(ablation_add(&full, (Knockout){.layer = i, .head = 0}, &err) == 0);
    CHECK(ablation_add(&full, (Knockout){.layer = 99, .head = 0}, &err) != 0 && strstr(err.msg, "ablate off"));
    ablation_describe(&full, buf, 12);   /* cut, terminated */
    CHECK(strlen(buf) < 12);
}

static void run(const BertModel *m, Trace *tr, int B, const Ablation *a) {
    BtError err = {{0}};
    CHECKF(trace_alloc(tr, m, B, T, B * T, 0, &err) == 0, "%s", err.msg);
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            tr->input_ids[b * T + t] = IDS[t];
            tr->type_ids[b * T + t] = 0;
            tr->valid[b * T + t] = 1;
        }
    tr->n_mlm = B * T;
    for (int i = 0; i < B * T; i++) tr->mlm_rows[i] = i;
    if (a) tr->ablate = *a;
    forward(m, tr, NULL);
}

/* One sequence of a batch of two knocked out: the other is the intact
 * run, this one the run of one sequence with the same knock-outs. */
static void only_seq(const BertModel *m) {
    Ablation one = {0}, batch = {0};
    BtError err = {{0}};
    Knockout ks[] = {{.layer = 1, .head = 1}, {.layer = 0, .head = 2, .kind = KO_HEAD_MEAN},
                     {.layer = 2, .head = -1, .kind = KO_FFN}};
    for (int i = 0; i < 3; i++) {
        CHECK(ablation_add(&one, ks[i], &err) == 0);
        ks[i].only_seq = 2;
        batch.ko[batch.n++] = ks[i];
    }
    Trace intact, single, both;
    run(m, &intact, 1, NULL);
    run(m, &single, 1, &one);
    run(m, &both, 2, &batch);
    size_t TH = (size_t)T * H, TV = (size_t)T * V;
    for (int l = 0; l < L; l++) {
        CHECKF(test_max_abs_diff(both.layers[l].out, intact.layers[l].out, (long)TH) < 1e-5f, "layer %d, seq 0", l);
        CHECKF(test_max_abs_diff(both.layers[l].out + TH, single.layers[l].out, (long)TH) < 1e-5f, "layer %d, seq 1",
               l);
    }
    CHECK(test_max_abs_diff(both.mlm_logits + TV, single.mlm_logits, (long)TV) < 1e-4f);
    CHECK(test_max_abs_diff(single.mlm_logits, intact.mlm_logits, (long)TV) > 1e-3f);   /* it did something */
    /* head 1 of layer 1 is 0 in sequence 1 only; head 2 of layer 0 is one row repeated */
    const float *c1 = both.layers[1].ctx + TH + (size_t)1 * (H / NH);
    float mx = 0;
    for (int t = 0; t < T; t++)
        for (int d = 0; d < H / NH; d++) mx = fmaxf(mx, fabsf(c1[(size_t)t * H + d]));
    CHECK(mx == 0);
    CHECK(fabsf(both.layers[1].ctx[1 * (H / NH)]) > 0);
    const float *c0 = single.layers[0].ctx + 2 * (H / NH);
    for (int t = 1; t < T; t++) CHECK(memcmp(c0, c0 + (size_t)t * H, sizeof(float) * (H / NH)) == 0);
    CHECK(test_max_abs_diff(single.layers[2].ffn_out, (float[T * H]){0}, (long)TH) == 0);
    /* forward_from a layer, after that layer's input is put back, is the whole run */
    for (int first = 0; first <= L; first++) {
        Trace tr;
        run(m, &tr, 1, &one);
        for (int l = first; l < L; l++) memset(tr.layers[l].out, 0, sizeof(float) * TH);
        memset(tr.mlm_logits, 0, sizeof(float) * TV);
        forward_from(m, &tr, first, NULL);
        CHECKF(test_max_abs_diff(tr.mlm_logits, single.mlm_logits, (long)TV) == 0, "from layer %d", first);
        trace_free(&tr);
    }
    trace_free(&intact);
    trace_free(&single);
    trace_free(&both);
}

/* Each cell of the batched scan against the one-head re-run. */
static void scan_cells(const BertModel *m, KnockoutKind kind) {
    Trace base;
    Ablation in_force = {0};
    BtError err = {{0}};
    CHECK(ablation_add(&in_force, (Knockout){.layer = 2, .head = 0}, &err) == 0);
    run(m, &base, 1, &in_force);
    ScanResult r;
    TestProgress pr;
    test_progress_record(&pr);
    int rc = scan_run(m, &base, 2, -1, kind, &r, &err);
    test_progress_record(NULL);
    CHECKF(rc == 0, "%s", err.msg);
    if (rc) return;
    /* progress starts at 0 and counts every head, the one already out (2.0)
     * too, up to L·nh: at least a report a layer */
    CHECKF(pr.n >= L + 1 && pr.first_done == 0 && pr.last_done == L * NH && pr.last_total == L * NH && !pr.went_back,
           "%d reports, last %ld of %ld", pr.n, pr.last_done, pr.last_total);
    CHECK(r.L == L && r.nh == NH && r.pos == 2 && r.pos_id == 4 && r.has_nsp == m->has_nsp && r.kind == kind);
    Guess top;
    guesses_top(base.mlm_logits + 2 * V, V, 1, &top);
    CHECK(r.word == top.id);
    CHECK(fabs(r.base_word - guesses_logprob(base.mlm_logits + 2 * V, V, r.word)) < 1e-4);
    int moved = 0;
    for (int l = 0; l < L; l++)
        for (int h = 0; h < NH; h++) {
            double dw = r.d_word[l * NH + h], dn = r.d_nsp[l * NH + h];
            if (l == 2 && h == 0) {
                CHECK(isnan(dw) && isnan(dn));
                continue;
            }
            double want_w, want_n;
            CHECK(scan_knockout(m, &base, 2, r.word, (Knockout){.layer = l, .head = h, .kind = kind}, &want_w, &want_n,
                                &err) == 0);
            CHECKF(fabs(dw - want_w) < 1e-4 && fabs(dn - want_n) < 1e-4, "cell %d.%d: %g %g, alone %g %g", l, h, dw,
                   dn, want_w, want_n);
            moved += fabs(dw) > 1e-3;
        }
    CHECK(moved > 0);
    int wl, wh;
    double worst = scan_worst(&r, 0, &wl, &wh);
    for (int i = 0; i < L * NH; i++) CHECK(!(r.d_word[i] < worst));
    CHECK(worst == r.d_word[wl * NH + wh]);
    /* the scan knows its run: another knock-out or another token is not it */
    CHECK(scan_is_of(&r, &base));
    base.ablate.n = 0;
    CHECK(!scan_is_of(&r, &base));
    base.ablate = in_force;
    base.input_ids[1] = 6;
    CHECK(!scan_is_of(&r, &base));
    scan_free(&r);
    /* bad arguments: one line each, nothing allocated */
    base.input_ids[1] = 5;
    CHECK(scan_run(m, &base, T, -1, kind, &r, &err) != 0 && strstr(err.msg, "out of range"));
    CHECK(scan_run(m, &base, 1, V, kind, &r, &err) != 0 && strstr(err.msg, "out of range"));
    CHECK(scan_knockout(m, &base, 1, 5, (Knockout){.layer = L, .head = 0}, NULL, NULL, &err) != 0 &&
          strstr(err.msg, "layer 3 is out of range"));
    trace_free(&base);
}

int main(void) {
    bookkeeping();
    BertModel m;
    BertConfig cfg = {V, H, L, NH, 16, 16, 2, 1e-12f, POS_ABSOLUTE};
    if (test_random_model(&m, &cfg, VOCAB, V) != 0) return 1;
    only_seq(&m);
    scan_cells(&m, KO_HEAD_ZERO);
    scan_cells(&m, KO_HEAD_MEAN);
    model_free(&m);
    return test_done("ablate");
}
