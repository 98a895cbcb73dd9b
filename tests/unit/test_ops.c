/* Each layer function against an independent double-precision reference
 * written here from the formulas, on small random tensors. */
#include "bertology/masking.h"
#include "bertology/i18n.h"
#include "bertology/ops.h"
#include "bertology/posenc.h"
#include "../../src/core/fastmath.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 7;

static float *randn(size_t n, float std) {
    float *a = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) a[i] = std * rng_normal(&rng);
    return a;
}

static void test_matmul(void) {
    int N = 37, C = 53, OC = 29;
    float *x = randn((size_t)N * C, 1), *w = randn((size_t)OC * C, 1), *b = randn(OC, 1);
    float *y = malloc(sizeof(float) * N * OC);
    matmul_forward(y, x, w, b, N, C, OC);
    double worst = 0;
    for (int n = 0; n < N; n++)
        for (int o = 0; o < OC; o++) {
            double acc = b[o];
            for (int c = 0; c < C; c++) acc += (double)x[n * C + c] * w[o * C + c];
            worst = fmax(worst, fabs(acc - y[n * OC + o]));
        }
    CHECKF(worst < 1e-4, "matmul_forward max error %g", worst);
    /* backward: dinp = dout·W, dW = doutᵀ·x, db = Σ dout, accumulating */
    float *dy = randn((size_t)N * OC, 1), *dx = calloc((size_t)N * C, sizeof(float));
    float *dw = calloc((size_t)OC * C, sizeof(float)), *db = calloc(OC, sizeof(float));
    dx[0] = 1.0f;   /* must be added to, not overwritten */
    matmul_backward(dx, dw, db, dy, x, w, N, C, OC);
    worst = 0;
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++) {
            double acc = (n == 0 && c == 0) ? 1.0 : 0.0;
            for (int o = 0; o < OC; o++) acc += (double)dy[n * OC + o] * w[o * C + c];
            worst = fmax(worst, fabs(acc - dx[n * C + c]));
        }
    for (int o = 0; o < OC; o++) {
        double sb = 0;
        for (int n = 0; n < N; n++) sb += dy[n * OC + o];
        worst = fmax(worst, fabs(sb - db[o]));
        for (int c = 0; c < C; c++) {
            double acc = 0;
            for (int n = 0; n < N; n++) acc += (double)dy[n * OC + o] * x[n * C + c];
            worst = fmax(worst, fabs(acc - dw[o * C + c]));
        }
    }
    CHECKF(worst < 1e-4, "matmul_backward max error %g", worst);
    free(x); free(w); free(b); free(y); free(dy); free(dx); free(dw); free(db);
}

/* The few-row products (src/core/matmul_small.c, up to 16 rows) against
 * the same reference: every row count, input widths around its 256-column
 * chunks and the 2 KiB rows it takes 8 at a time, output widths off its
 * 16-column blocks, with and without a bias, one large enough to be
 * split between threads, and weights of over 4 MiB (4,099 x 300 and
 * 1,031 x 1,024), which it fetches ahead a block at a time. */
static void test_matmul_small(void) {
    static const int Cs[] = {5, 64, 300, 512, 300, 1024}, OCs[] = {1, 29, 48, 300, 4099, 1031};
    double worst = 0;
    int cases = 0;
    for (int N = 2; N <= 16; N++)
        for (int ci = 0; ci < 6; ci++)
            for (int oi = 0; oi < 6; oi++) {
                int C = Cs[ci], OC = OCs[oi], with_bias = (N + ci + oi) % 2;
                if ((ci >= 4) != (oi >= 4) || (ci >= 4 && ci != oi)) continue;   /* the big ones as pairs */
                if (N % 7 != 2 && N != 16 && oi >= 3) continue;   /* the large ones for a few N only */
                float *x = randn((size_t)N * C, 1), *w = randn((size_t)OC * C, 1), *b = randn(OC, 1);
                float *y = malloc(sizeof(float) * N * OC);
                matmul_forward(y, x, w, with_bias ? b : NULL, N, C, OC);
                for (int n = 0; n < N; n++)
                    for (int o = 0; o < OC; o++) {
                        double acc = with_bias ? b[o] : 0;
                        for (int c = 0; c < C; c++) acc += (double)x[n * C + c] * w[o * C + c];
                        worst = fmax(worst, fabs(acc - y[n * OC + o]) / sqrt((double)C));
                    }
                cases++;
                free(x); free(w); free(b); free(y);
            }
    CHECKF(worst < 1e-5, "matmul_forward, few rows: max error %g (over sqrt(C))", worst);
    printf("ok   matmul_forward with 2-16 rows: %d shapes, max error %.2g·sqrt(C)\n", cases, worst);
}

static void test_layernorm_gelu_softmax(void) {
    int N = 9, C = 33;
    float *x = randn((size_t)N * C, 3), *g = randn(C, 1), *b = randn(C, 1);
    float *y = malloc(sizeof(float) * N * C), mean[9], rstd[9];
    for (int c = 0; c < C; c++) x[c] = 5.0f;   /* a constant row: variance 0, eps matters */
    layernorm_forward(y, mean, rstd, x, g, b, N, C, 1e-5f);
    double worst = 0;
    for (int n = 0; n < N; n++) {
        double m = 0, v = 0;
        for (int c = 0; c < C; c++) m += x[n * C + c];
        m /= C;
        for (int c = 0; c < C; c++) v += (x[n * C + c] - m) * (x[n * C + c] - m);
        v /= C;
        for (int c = 0; c < C; c++)
            worst = fmax(worst, fabs((x[n * C + c] - m) / sqrt(v + 1e-5) * g[c] + b[c] - y[n * C + c]));
    }
    CHECKF(worst < 1e-4, "layernorm max error %g", worst);
    CHECK(fabsf(y[0] - b[0]) < 1e-5f);   /* constant row -> beta */

    size_t n = 20001;
    float *u = malloc(sizeof(float) * n), *gu = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) u[i] = -10.0f + 20.0f * i / (n - 1);
    gelu_forward(gu, u, n);
    float *du = calloc(n, sizeof(float)), *ones = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) ones[i] = 1.0f;
    gelu_backward(du, u, ones, n);
    double wf = 0, wb = 0;
    for (size_t i = 0; i < n; i++) {
        double xx = u[i], ref = 0.5 * xx * (1 + erf(xx / sqrt(2.0)));
        double dref = 0.5 * (1 + erf(xx / sqrt(2.0))) + xx * exp(-0.5 * xx * xx) / sqrt(2 * M_PI);
        wf = fmax(wf, fabs(ref - gu[i]));
        wb = fmax(wb, fabs(dref - du[i]));
    }
    CHECKF(wf < 2e-6, "gelu max error %g", wf);
    CHECKF(wb < 2e-6, "gelu' max error %g", wb);
    double we = 0, wr = 0;
    for (float t = -87.0f; t < 88.0f; t += 0.01f) we = fmax(we, fabs(bt_expf(t) / exp(t) - 1));
    for (float t = -6.0f; t < 6.0f; t += 0.001f) wr = fmax(wr, fabs(bt_erff(t) - erf(t)));
    CHECKF(we < 5e-7, "fast exp relative error %g", we);
    CHECKF(wr < 5e-7, "fast erf error %g", wr);

    float s[8] = {1, 2, 3, -INFINITY, 1000, 1000, -1000, 0};
    softmax_forward(s, 2, 4);
    double e = exp(1) + exp(2) + exp(3);
    CHECK(fabs(s[0] - exp(1) / e) < 1e-6 && fabs(s[2] - exp(3) / e) < 1e-6 && s[3] == 0.0f);
    CHECK(fabsf(s[4] - 0.5f) < 1e-6f && s[6] == 0.0f);   /* large scores do not overflow */
    free(x); free(g); free(b); free(y); free(u); free(gu); free(du); free(ones);
}

static void test_attention(void) {
    int B = 2, T = 5, nh = 3, hd = 4, H = nh * hd;
    size_t n = (size_t)B * nh * T * hd;
    float *q = randn(n, 1), *k = randn(n, 1), *v = randn(n, 1);
    float *ctx = malloc(sizeof(float) * B * T * H), *sc = malloc(sizeof(float) * B * nh * T * T);
    float *at = malloc(sizeof(float) * B * nh * T * T);
    int valid[10] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    for (int causal = 0; causal < 2; causal++) {
        attention_forward(ctx, sc, at, q, k, v, valid, NULL, B, T, nh, hd, 0.5f, causal);
        double worst = 0;
        for (int b = 0; b < B; b++)
            for (int h = 0; h < nh; h++)
                for (int i = 0; i < T; i++) {
                    double w[5], mx = -1e300, sum = 0;
                    for (int j = 0; j < T; j++) {
                        int ok = valid[b * T + j] && (!causal || j <= i);
                        double d = 0;
                        for (int c = 0; c < hd; c++)
                            d += (double)q[((b * nh + h) * T + i) * hd + c] * k[((b * nh + h) * T + j) * hd + c];
                        w[j] = ok ? d * 0.5 : -INFINITY;
                        mx = fmax(mx, w[j]);
                    }
                    for (int j = 0; j < T; j++) { w[j] = exp(w[j] - mx); sum += w[j]; }
                    for (int j = 0; j < T; j++) {
                        w[j] /= sum;
                        worst = fmax(worst, fabs(w[j] - at[((b * nh + h) * T + i) * T + j]));
                    }
                    for (int c = 0; c < hd; c++) {
                        double acc = 0;
                        for (int j = 0; j < T; j++) acc += w[j] * v[((b * nh + h) * T + j) * hd + c];
                        worst = fmax(worst, fabs(acc - ctx[(b * T + i) * H + h * hd + c]));
                    }
                }
        CHECKF(worst < 1e-5, "attention (causal=%d) max error %g", causal, worst);
    }
    /* split then merge is the identity */
    float *x = randn((size_t)B * T * H, 1), *sp = malloc(sizeof(float) * B * T * H), *back = malloc(sizeof(float) * B * T * H);
    heads_split(sp, x, H, B, T, nh, hd);
    heads_merge(back, H, sp, B, T, nh, hd);
    CHECK(memcmp(x, back, sizeof(float) * B * T * H) == 0);
    CHECK(sp[(1 * T + 2) * hd + 3] == x[2 * H + 1 * hd + 3]);   /* b0 h1 t2 c3 */
    /* the middle third of (B,T,3H) rows, as forward.c splits K from Q|K|V */
    float *wide = randn((size_t)B * T * 3 * H, 1);
    for (int bt = 0; bt < B * T; bt++) memcpy(wide + (size_t)bt * 3 * H + H, x + (size_t)bt * H, sizeof(float) * H);
    float *sp2 = malloc(sizeof(float) * B * T * H);
    heads_split(sp2, wide + H, 3 * H, B, T, nh, hd);
    CHECK(memcmp(sp, sp2, sizeof(float) * B * T * H) == 0);
    memset(wide, 0, sizeof(float) * B * T * 3 * H);
    heads_merge(wide + H, 3 * H, sp, B, T, nh, hd);
    for (int bt = 0; bt < B * T; bt++) {
        const float *row = wide + (size_t)bt * 3 * H;
        CHECK(memcmp(row + H, x + (size_t)bt * H, sizeof(float) * H) == 0 && row[0] == 0.0f && row[2 * H] == 0.0f);
    }
    free(q); free(k); free(v); free(ctx); free(sc); free(at); free(x); free(sp); free(back); free(wide); free(sp2);
}

static void test_posenc_masking_dropout(void) {
    float pe[16 * 8];
    posenc_sinusoidal(pe, 16, 8);
    CHECK(pe[0] == 0.0f && pe[1] == 1.0f);
    CHECK(fabsf(pe[5 * 8 + 2] - (float)sin(5 / pow(10000, 2.0 / 8))) < 1e-6f);
    CHECK(fabsf(pe[5 * 8 + 7] - (float)cos(5 / pow(10000, 6.0 / 8))) < 1e-6f);

    int n = 200000, *ids = malloc(sizeof(int) * n), *labels = malloc(sizeof(int) * n);
    unsigned char *kind = malloc(n), *special = calloc(n, 1);
    for (int i = 0; i < n; i++) { ids[i] = 10 + i % 50; special[i] = i % 10 == 0; }
    MaskSpec spec = {.rate = 0.15f, .p_mask = 0.8f, .p_random = 0.1f, .mask_id = 4, .first_normal_id = 5, .vocab_size = 60};
    uint64_t r = 3;
    int chosen = mask_apply(ids, n, special, &spec, &r, labels, kind);
    int counts[4] = {0}, special_hit = 0;
    for (int i = 0; i < n; i++) {
        counts[kind[i]]++;
        special_hit += special[i] && kind[i] != MASK_NONE;
        if (kind[i] == MASK_MASKED) CHECK(ids[i] == 4);
        if (kind[i] == MASK_KEPT) CHECK(ids[i] == labels[i]);
    }
    double eligible = n * 0.9;
    CHECKF(fabs(chosen / eligible - 0.15) < 0.005, "chosen %.4f", chosen / eligible);
    CHECKF(fabs((double)counts[MASK_MASKED] / chosen - 0.8) < 0.01, "masked %.3f", (double)counts[1] / chosen);
    CHECKF(fabs((double)counts[MASK_RANDOM] / chosen - 0.1) < 0.01, "random %.3f", (double)counts[2] / chosen);
    CHECK(special_hit == 0);
    /* a short sentence still gets one position */
    int few[3] = {20, 21, 22}, fl[3];
    unsigned char fk[3], fs[3] = {1, 0, 1};
    uint64_t r2 = 11;
    CHECK(mask_apply(few, 3, fs, &spec, &r2, fl, fk) == 1 && fl[1] == 21);
    /* The exact mode (the REPL's): round(15%) of the 12 word pieces of a
     * 14-token sentence, each of them equally often over many draws. */
    MaskSpec ex = spec;
    ex.exact = 1;
    int sent[14], sl[14], hits[14] = {0}, wrong = 0;
    unsigned char sk[14], ss[14] = {0};
    ss[0] = ss[13] = 1;
    uint64_t r4 = 17;
    for (int rep = 0; rep < 12000; rep++) {
        for (int i = 0; i < 14; i++) sent[i] = 20 + i;
        int got = mask_apply(sent, 14, ss, &ex, &r4, sl, sk), marked = 0;
        for (int i = 0; i < 14; i++) { marked += sl[i] >= 0; hits[i] += sl[i] >= 0; }
        wrong += got != 2 || marked != 2;
    }
    CHECKF(wrong == 0, "%d draws without exactly 2 positions", wrong);
    CHECK(hits[0] == 0 && hits[13] == 0);
    for (int i = 1; i < 13; i++) CHECKF(abs(hits[i] - 2000) < 200, "position %d chosen %d times", i, hits[i]);
    few[1] = 21;   /* the first call corrupted it */
    CHECK(mask_apply(few, 3, fs, &ex, &r4, fl, fk) == 1 && fl[1] == 21);
    unsigned char none[3] = {1, 1, 1};
    CHECK(mask_apply(few, 3, none, &ex, &r4, fl, fk) == 0 && fk[0] == MASK_NONE && fl[2] == -1);
    /* Copy-free masking: a chosen marked id takes all its other occurrences
     * (never a special position), an unmarked one does not, and the random
     * stream is the one without it (it draws nothing more for the choice;
     * the 80/10/10 step draws per chosen position as always). */
    {
        unsigned char rep[60] = {0};
        rep[30] = 1;   /* 30 is marked, 31 is not */
        int base[10] = {2, 30, 31, 30, 31, 30, 7, 30, 31, 3}, a[10], la[10], lb[10], b[10], repeats_ok = 1, plain_ok = 1;
        unsigned char sp[10] = {1, 0, 0, 0, 0, 0, 0, 1, 0, 1}, ka[10], kb[10];
        MaskSpec cf = ex, pl = ex;
        cf.repeats = rep;
        for (int rep_i = 0; rep_i < 2000; rep_i++) {
            uint64_t ra = 100 + rep_i, rb = ra;
            memcpy(a, base, sizeof a);
            memcpy(b, base, sizeof b);
            mask_apply(b, 10, sp, &pl, &rb, lb, kb);
            mask_apply(a, 10, sp, &cf, &ra, la, ka);
            int any30 = 0, all30 = 1;
            for (int i = 0; i < 10; i++)
                if (base[i] == 30 && !sp[i]) { any30 |= la[i] >= 0; all30 &= la[i] >= 0; }
            repeats_ok &= !any30 || all30;
            repeats_ok &= la[7] < 0;   /* the special 30 is never taken */
            /* the plain draw's choices are a subset of the copy-free one's, and 31 adds nothing */
            for (int i = 0; i < 10; i++) {
                plain_ok &= lb[i] < 0 || la[i] >= 0;
                if (base[i] == 31) plain_ok &= (la[i] >= 0) == (lb[i] >= 0);
            }
        }
        CHECK(repeats_ok);
        CHECK(plain_ok);
        /* Shared draws: the chosen occurrences of a marked id end alike (all
         * [MASK], all random, all kept); with separate draws some mix,
         * e.g. one kept beside a [MASK], which rewards copying it. */
        MaskSpec sh = cf;
        sh.repeats_shared = 1;
        int shared_alike = 1, separate_mixed = 0, shared_kinds[4] = {0};
        for (int rep_i = 0; rep_i < 2000; rep_i++) {
            for (int s = 0; s < 2; s++) {
                uint64_t r = 100 + rep_i;
                memcpy(a, base, sizeof a);
                mask_apply(a, 10, sp, s ? &sh : &cf, &r, la, ka);
                int first = -1, alike = 1;
                for (int i = 0; i < 10; i++) {
                    if (base[i] != 30 || la[i] < 0) continue;
                    if (first < 0) first = ka[i];
                    alike &= ka[i] == first;
                    if (s && ka[i] == MASK_MASKED) shared_kinds[0] += a[i] != ex.mask_id;
                }
                if (s) { shared_alike &= alike; if (first >= 0) shared_kinds[first]++; }
                else separate_mixed += !alike;
            }
        }
        CHECK(shared_alike);
        CHECKF(separate_mixed > 0, "separate draws never mixed in 2000 samples");
        CHECKF(shared_kinds[0] == 0 && shared_kinds[MASK_MASKED] > shared_kinds[MASK_RANDOM] &&
                   shared_kinds[MASK_RANDOM] > 0 && shared_kinds[MASK_KEPT] > 0,
               "shared draws: masked %d random %d kept %d, wrong ids %d", shared_kinds[MASK_MASKED],
               shared_kinds[MASK_RANDOM], shared_kinds[MASK_KEPT], shared_kinds[0]);
    }

    float *m = malloc(sizeof(float) * n);
    uint64_t r3 = 5;
    dropout_mask(m, n, 0.1f, &r3);
    int zeros = 0;
    for (int i = 0; i < n; i++) zeros += m[i] == 0.0f;
    CHECKF(fabs(zeros / (double)n - 0.1) < 0.005, "dropout rate %.4f", zeros / (double)n);
    CHECK(m[0] == 0.0f || fabsf(m[0] - 1.0f / 0.9f) < 1e-6f);
    free(ids); free(labels); free(kind); free(special); free(m);
}

/* Numbers inside sentences (i18n.h): any one-number format, the sign of
 * -0 dropped; in English the separator stays the point (the pt and ru
 * commas are checked by the e2e transcripts i18n_instruments_pt/ru). */
static void test_sentence_numbers(void) {
    char b[32];
    CHECKF(strcmp(bt_number(b, sizeof b, "%+.3f", 1.5), "+1.500") == 0, "%s", b);
    CHECKF(strcmp(bt_number(b, sizeof b, "%+.3f", -0.0001), "0.000") == 0, "-0 printed as %s", b);
    CHECKF(strcmp(bt_number(b, sizeof b, "%.2g", 0.0051), "0.0051") == 0, "%s", b);
    CHECKF(strcmp(bt_number(b, sizeof b, "%.1f%%", 20.84), "20.8%") == 0, "%s", b);
    CHECKF(strcmp(bt_decimal(b, sizeof b, 3, -1.0734), "-1.073") == 0, "%s", b);
    CHECKF(strcmp(bt_decimal(b, sizeof b, 2, -0.001), "0.00") == 0, "-0 printed as %s", b);
    CHECKF(strcmp(bt_number(b, 4, "%.3f", 12.5), "12.") == 0, "truncated: %s", b);
    /* one way to write a probability: one decimal, two significant digits below 0.1% */
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.2084), "20.8%") == 0, "%s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.0327), "3.3%") == 0, "%s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.001), "0.1%") == 0, "%s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.0000123), "0.0012%") == 0, "tiny: %s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.0000028), "0.00028%") == 0, "%s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.00071), "0.071%") == 0, "%s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 0.00000089), "<0.0001%") == 0, "tinier: %s", b);   /* never "8.9e-05%" */
    CHECKF(strcmp(bt_pct(b, sizeof b, 0), "0.0%") == 0, "%s", b);
    CHECKF(strcmp(bt_pct(b, sizeof b, 1), "100.0%") == 0, "%s", b);
}

int main(void) {
    test_sentence_numbers();
    test_matmul();
    test_matmul_small();
    test_layernorm_gelu_softmax();
    test_attention();
    test_posenc_masking_dropout();
    return test_done("ops");
}
