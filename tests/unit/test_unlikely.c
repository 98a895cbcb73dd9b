/* The unlikelihood of visible words (src/train/unlikely.c) against an
 * independent reference: its loss from the definition (softmax in double,
 * Σ −log(1 − p_c) over the sequence's visible words other than the answer)
 * and its gradient against central finite differences of that loss. */
#include "bertology/backward.h"
#include "bertology/unlikely.h"
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { B = 2, T = 6, V = 11, N = 4 };

/* mean over rows of CE + a·UL, all in double, straight from the definitions */
static double ref_loss(const double *z, const int *labels, const int *rows, const int *ids, const int *count, double a) {
    double tot = 0;
    for (int i = 0; i < N; i++) {
        const double *r = z + i * V;
        double mx = r[0], s = 0;
        for (int k = 1; k < V; k++) mx = r[k] > mx ? r[k] : mx;
        for (int k = 0; k < V; k++) s += exp(r[k] - mx);
        double ce = log(s) + mx - r[labels[i]], ul = 0;
        int b = rows[i] / T;
        for (int j = 0; j < count[b]; j++) {
            int c = ids[b * T + j];
            if (c != labels[i]) ul -= log(1 - exp(r[c] - mx) / s);
        }
        tot += ce + a * ul;
    }
    return tot / N;
}

int main(void) {
    /* sequence 0 shows words 3, 5, 7 (5 twice), sequence 1 shows 5 and 9; 2 and 8 are not eligible */
    int input[B * T] = {1, 3, 5, 2, 5, 7,   8, 9, 2, 5, 0, 0};
    int valid[B * T] = {1, 1, 1, 1, 1, 1,   1, 1, 1, 1, 0, 0};
    unsigned char elig[V] = {0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1};
    int ids[B * T], count[B];
    visible_words_collect(input, valid, B, T, elig, V, ids, count);
    CHECK(count[0] == 3 && ids[0] == 3 && ids[1] == 5 && ids[2] == 7);
    CHECK(count[1] == 2 && ids[6] == 9 && ids[7] == 5);   /* input 0 at an invalid position is not shown */

    /* row 1's answer (5) is itself visible: it must not be pushed down */
    int rows[N] = {3, 2, 8, 10}, labels[N] = {4, 5, 10, 9};
    float z[N * V], d[N * V];
    double zd[N * V];
    unsigned s = 7;
    for (int i = 0; i < N * V; i++) {
        s = s * 1103515245u + 12345u;
        z[i] = (float)((s >> 8) % 2000) / 400.0f - 2.5f;
    }
    z[0 * V + 5] = 4.0f;   /* a confident copy: p near 0.5 and above */
    z[2 * V + 9] = 6.0f;
    double a = 0.7;
    VisibleWords vw = {ids, count, T, (float)a};
    double ce = cross_entropy(z, labels, N, V, d, 1.0f / N, NULL, NULL);
    double ul = unlikely_visible(d, labels, rows, N, V, 1.0f / N, &vw);
    for (int i = 0; i < N * V; i++) zd[i] = z[i];
    double want = ref_loss(zd, labels, rows, ids, count, a);
    CHECKF(fabs(ce + ul - want) < 1e-5, "loss %.8f, reference %.8f", ce + ul, want);
    CHECK(ul > 0);

    double worst = 0;
    for (int i = 0; i < N * V; i++) {
        double h = 1e-4, keep = zd[i];
        zd[i] = keep + h;
        double up = ref_loss(zd, labels, rows, ids, count, a);
        zd[i] = keep - h;
        double dn = ref_loss(zd, labels, rows, ids, count, a);
        zd[i] = keep;
        double fd = (up - dn) / (2 * h), e = fabs(fd - d[i]);
        if (e > worst) worst = e;
    }
    CHECKF(worst < 2e-5, "gradient off the finite differences by %g", worst);
    /* the answer of row 1 (visible, 5) gets no push: its gradient is plain CE's plus −p·Σw */
    CHECK(d[1 * V + 5] < 0);

    /* weight 0 and NULL leave cross-entropy's gradient alone */
    float d2[N * V];
    cross_entropy(z, labels, N, V, d2, 1.0f / N, NULL, NULL);
    float d3[N * V];
    memcpy(d3, d2, sizeof d3);
    vw.weight = 0;
    CHECK(unlikely_visible(d3, labels, rows, N, V, 1.0f / N, &vw) == 0);
    CHECK(unlikely_visible(d3, labels, rows, N, V, 1.0f / N, NULL) == 0);
    CHECK(memcmp(d2, d3, sizeof d3) == 0);
    return test_done("unlikely");
}
