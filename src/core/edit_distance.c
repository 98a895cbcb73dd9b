/* The typo measure behind every "did you mean" (bertology/edit_distance.h). */
#include "bertology/edit_distance.h"
#include <string.h>

int edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            int m = sub < del ? sub : del;
            d[i][j] = m < ins ? m : ins;
            /* A swap of two neighbours ("haed") counts as one slip. */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    return d[la][lb];
}

int edit_slip_limit(size_t len) { return len <= 3 ? 1 : len <= 6 ? 2 : 3; }

const char *edit_nearest(const char *word, const void *rows, size_t stride, int n, int *dist) {
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; i < n; i++) {
        const char *name = *(const char *const *)((const char *)rows + (size_t)i * stride);
        int d = edit_distance(word, name);
        if (d < bd) { bd = d; best = name; }
    }
    *dist = bd;
    return best;
}
