/* "Did you mean": words of the set within one or two edits of a missing
 * word. A scan of 400k words with an early-exit edit distance takes tens
 * of milliseconds, which a mistyped word can afford; no index needed. */
#include <ctype.h>
#include <string.h>
#include "bertology/vectors.h"

enum { MAXLEN = 48 };

/* Edit distance (with swaps of neighbours as one edit), or limit + 1 as
 * soon as it must exceed limit. */
static int bounded_distance(const char *a, int la, const char *b, int lb, int limit) {
    int prev2[MAXLEN + 1], prev[MAXLEN + 1], cur[MAXLEN + 1];
    for (int j = 0; j <= lb; j++) prev[j] = j;
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        int best = cur[0];
        for (int j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            int m = sub < del ? sub : del;
            m = m < ins ? m : ins;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < m)
                m = prev2[j - 2] + 1;
            cur[j] = m;
            if (m < best) best = m;
        }
        if (best > limit) return limit + 1;
        memcpy(prev2, prev, sizeof prev);
        memcpy(prev, cur, sizeof cur);
    }
    return prev[lb];
}

int vecset_suggest(const VecSet *vs, const char *word, long *rows, int max) {
    char q[MAXLEN + 1] = {0};
    size_t len = strnlen(word, MAXLEN + 1);
    if (len == 0 || len > MAXLEN || max <= 0) return 0;
    for (size_t i = 0; i < len; i++) q[i] = (char)tolower((unsigned char)word[i]);
    int lq = (int)len;
    int limit = lq <= 3 ? 1 : 2;
    int dist[16], n = 0;
    if (max > 16) max = 16;
    long count = vecset_count(vs);
    for (long r = 0; r < count; r++) {
        if (!vecset_listable(vs, r)) continue;
        const char *w = vecset_word(vs, r);
        /* Continuation pieces are no spelling of a whole word. */
        if (vecset_is_model(vs) && w[0] == '#' && w[1] == '#') continue;
        int lw = (int)strlen(w);
        if (lw > MAXLEN || lw - lq > limit || lq - lw > limit) continue;
        int d = bounded_distance(q, lq, w, lw, n == max ? dist[n - 1] - 1 : limit);
        if (d > limit || (n == max && d >= dist[n - 1])) continue;
        /* Rows come most frequent first, so ties keep the earlier row. */
        int k = n < max ? n++ : max - 1;
        while (k > 0 && dist[k - 1] > d) {
            dist[k] = dist[k - 1];
            rows[k] = rows[k - 1];
            k--;
        }
        dist[k] = d;
        rows[k] = r;
    }
    return n;
}
