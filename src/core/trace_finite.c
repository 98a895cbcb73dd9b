/* Where a forward pass stopped being numbers. Weights that are finite but
 * huge (1e30) overflow float32 inside the pass, and a softmax of ∞ − ∞ is
 * NaN: rather than print "-nan%", the views that show probabilities say
 * in one line where the pass first went wrong. */
#include <math.h>
#include <stdio.h>
#include "bertology/error.h"
#include "bertology/trace.h"
#include "bertology/i18n.h"

/* NaN or ±∞, except -∞ in the scores: that is the causal mask. */
static int bad_value(const TraceArray *a, float x) {
    if (isnan(x)) return 1;
    return isinf(x) && !(x < 0 && a->shape == TRACE_SQUARE && a->stage == STAGE_SCORES);
}

static int array_bad(const Trace *tr, const TraceArray *a, int layer) {
    const float *v = trace_floats(tr, a, layer);
    if (!v) return 0;
    int64_t d[3] = {1, 1, 1};
    int nd = trace_dims(tr, a, d);
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= d[i];
    for (int64_t i = 0; i < n; i++)
        if (bad_value(a, v[i])) return 1;
    return 0;
}

/* Walks the table in pipeline order: the arrays before the layers, each
 * layer's arrays in turn, then the heads'. */
static const TraceArray *first_bad(const Trace *tr, int *layer) {
    int n = trace_array_count(), first = n, last = -1;
    for (int i = 0; i < n; i++)
        if (trace_array_at(i)->per_layer) {
            if (first == n) first = i;
            last = i;
        }
    for (int i = 0; i < first; i++)
        if (array_bad(tr, trace_array_at(i), 0)) return *layer = -1, trace_array_at(i);
    for (int l = 0; l < tr->L; l++)
        for (int i = first; i <= last; i++)
            if (array_bad(tr, trace_array_at(i), l)) return *layer = l, trace_array_at(i);
    for (int i = last + 1; i < n; i++)
        if (array_bad(tr, trace_array_at(i), 0)) return *layer = -1, trace_array_at(i);
    return NULL;
}

int trace_check_finite(const Trace *tr, const float *v, size_t n, BtError *err) {
    size_t i = 0;
    while (i < n && isfinite(v[i])) i++;
    if (i == n) return 0;
    int layer = -1;
    const TraceArray *a = first_bad(tr, &layer);
    if (!a)
        return bt_fail(err, "the forward pass gave non-finite numbers (NaN or ∞), so there are no probabilities to show");
    char where[64];
    if (layer >= 0) snprintf(where, sizeof where, _("layer %d %s"), layer, a->name);
    else snprintf(where, sizeof where, "%s", a->name);
    return bt_fail(err,
                   "the forward pass overflowed float32: %s is the first array holding NaN or ∞ (are the weights "
                   "sane?), so there are no probabilities to show",
                   where);
}
