/* The set of knock-outs (bertology/ablate.h); forward.c applies it. */
#include "bertology/ablate.h"
#include <stdio.h>
#include <string.h>

int ablation_find(const Ablation *a, int layer, int head) {
    for (int i = 0; i < a->n; i++)
        if (a->ko[i].layer == layer && a->ko[i].head == head) return i;
    return -1;
}

int ablation_add(Ablation *a, Knockout k, BtError *err) {
    if (k.kind == KO_FFN) k.head = -1;
    int i = ablation_find(a, k.layer, k.head);
    if (i >= 0) {
        a->ko[i] = k;
        return 0;
    }
    if (a->n >= ABLATE_MAX)
        return bt_fail(err, "at most %d knock-outs at once; `ablate off` clears them", ABLATE_MAX);
    a->ko[a->n++] = k;
    return 0;
}

int ablation_remove(Ablation *a, int layer, int head) {
    int i = ablation_find(a, layer, head);
    if (i < 0) return -1;
    memmove(&a->ko[i], &a->ko[i + 1], sizeof a->ko[0] * (size_t)(a->n - i - 1));
    a->n--;
    return 0;
}

void knockout_name(const Knockout *k, char *buf, size_t n) {
    if (k->kind == KO_FFN) snprintf(buf, n, "ffn %d", k->layer);
    else snprintf(buf, n, "%d.%d%s", k->layer, k->head, k->kind == KO_HEAD_MEAN ? " (mean)" : "");
}

void ablation_describe(const Ablation *a, char *buf, size_t n) {
    size_t used = 0;
    if (n) buf[0] = '\0';
    for (int i = 0; i < a->n && used + 1 < n; i++) {
        char one[48];
        knockout_name(&a->ko[i], one, sizeof one);
        int w = snprintf(buf + used, n - used, "%s%s", i ? " " : "", one);
        if (w < 0) break;
        used += (size_t)w;
    }
}

int ablation_same(const Ablation *a, const Ablation *b) {
    if (a->n != b->n) return 0;
    for (int i = 0; i < a->n; i++) {
        int j = ablation_find(b, a->ko[i].layer, a->ko[i].head);
        if (j < 0 || b->ko[j].kind != a->ko[i].kind) return 0;
    }
    return 1;
}
