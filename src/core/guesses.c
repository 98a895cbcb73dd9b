#include "bertology/guesses.h"
#include <math.h>

/* max-subtracted, so that large logits cannot overflow exp */
static double log_norm(const float *logits, int V, double *mx) {
    double m = logits[0], z = 0;
    for (int v = 1; v < V; v++) m = fmax(m, logits[v]);
    for (int v = 0; v < V; v++) z += exp((double)logits[v] - m);
    *mx = m;
    return z;
}

int guesses_top(const float *logits, int V, int k, Guess *out) {
    if (k > V) k = V;
    if (k <= 0) return 0;
    /* insertion into a sorted list of k: k is small next to V */
    int n = 0;
    for (int v = 0; v < V; v++) {
        float l = logits[v];
        if (n == k && l <= out[n - 1].logit) continue;
        int at = n < k ? n++ : k - 1;
        while (at > 0 && out[at - 1].logit < l) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = (Guess){v, 0, l};
    }
    double mx, z = log_norm(logits, V, &mx);
    for (int i = 0; i < n; i++) out[i].p = exp((double)out[i].logit - mx) / z;
    return n;
}

int guesses_ahead(const float *logits, int V, int id, int stop) {
    int ahead = 0;
    for (int v = 0; v < V && ahead < stop; v++) ahead += logits[v] > logits[id] || (logits[v] == logits[id] && v < id);
    return ahead;
}

int guesses_rank(const float *logits, int V, int id) { return 1 + guesses_ahead(logits, V, id, V); }

double guesses_prob(const float *logits, int V, int id) {
    double mx, z = log_norm(logits, V, &mx);
    return exp((double)logits[id] - mx) / z;
}

double guesses_logprob(const float *logits, int V, int id) {
    double mx, z = log_norm(logits, V, &mx);
    return (double)logits[id] - mx - log(z);
}
