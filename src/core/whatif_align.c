/* The pairing of two runs' tokens for a what-if (bertology/whatif.h).
 * The rule is spelled out so that tests/ref/test_whatif.py can follow it
 * step for step: ties between equally long common subsequences are
 * broken one way only. */
#include <stdlib.h>
#include "bertology/whatif.h"

/* Pairs the unmatched stretch a[a0..a1) with b[b0..b1) in order when both
 * are equally long: a word replaced by another word of as many pieces. */
static int pair_gap(int a0, int a1, int b0, int b1, int *pa, int *pb) {
    if (a1 - a0 != b1 - b0) return 0;
    for (int i = 0; i < a1 - a0; i++) {
        pa[a0 + i] = b0 + i;
        pb[b0 + i] = a0 + i;
    }
    return a1 - a0;
}

int whatif_align(const int *a, int na, const int *b, int nb, int by_position, int *pa, int *pb) {
    for (int i = 0; i < na; i++) pa[i] = -1;
    for (int j = 0; j < nb; j++) pb[j] = -1;
    if (by_position) {
        int n = na < nb ? na : nb;
        for (int i = 0; i < n; i++) pa[i] = pb[i] = i;
        return n;
    }
    /* dp[i][j]: the longest common subsequence of the suffixes a[i..], b[j..] */
    size_t w = (size_t)nb + 1;
    int *dp = calloc(((size_t)na + 1) * w, sizeof *dp);
    if (!dp) return -1;
    for (int i = na - 1; i >= 0; i--)
        for (int j = nb - 1; j >= 0; j--) {
            int skip_a = dp[(i + 1) * w + j], skip_b = dp[i * w + j + 1];
            dp[i * w + j] = a[i] == b[j] ? dp[(i + 1) * w + j + 1] + 1 : skip_a > skip_b ? skip_a : skip_b;
        }
    /* Forwards: equal ids are always matched (that never shortens the
     * subsequence); otherwise skip A's token when that keeps it as long. */
    int i = 0, j = 0, n = 0, ga = 0, gb = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            n += pair_gap(ga, i, gb, j, pa, pb);
            pa[i] = j;
            pb[j] = i;
            n++;
            ga = ++i;
            gb = ++j;
        } else if (dp[(i + 1) * w + j] >= dp[i * w + j + 1]) {
            i++;
        } else {
            j++;
        }
    }
    n += pair_gap(ga, na, gb, nb, pa, pb);
    free(dp);
    return n;
}
