/* Dinic's maximum flow (bertology/maxflow.h). Arcs live in arrays, an
 * edge and its reverse side by side (e and e ^ 1), so the residual graph
 * needs no other structure. The blocking flow is found with an explicit
 * path stack rather than recursion: levels can be as deep as the graph
 * has nodes. */
#include "bertology/maxflow.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int maxflow_init(MaxFlow *g, int n, int max_edges, BtError *err) {
    memset(g, 0, sizeof *g);
    if (n < 1 || max_edges < 0 || max_edges > (1 << 29))
        return bt_fail(err, "internal: a flow graph of %d nodes and %d edges", n, max_edges);
    size_t na = (size_t)2 * max_edges + 1;
    g->n = n;
    g->m_cap = 2 * max_edges;
    g->head = malloc(sizeof *g->head * n);
    g->level = malloc(sizeof *g->level * n);
    g->iter = malloc(sizeof *g->iter * n);
    g->queue = malloc(sizeof *g->queue * n);
    g->path = malloc(sizeof *g->path * n);
    g->next = malloc(sizeof *g->next * na);
    g->to = malloc(sizeof *g->to * na);
    g->cap = malloc(sizeof *g->cap * na);
    g->cap0 = malloc(sizeof *g->cap0 * na);
    if (!g->head || !g->level || !g->iter || !g->queue || !g->path || !g->next || !g->to || !g->cap || !g->cap0) {
        maxflow_free(g);
        return bt_fail(err, "out of memory for a flow graph of %d nodes and %d edges", n, max_edges);
    }
    for (int i = 0; i < n; i++) g->head[i] = -1;
    return 0;
}

void maxflow_free(MaxFlow *g) {
    free(g->head);
    free(g->level);
    free(g->iter);
    free(g->queue);
    free(g->path);
    free(g->next);
    free(g->to);
    free(g->cap);
    free(g->cap0);
    memset(g, 0, sizeof *g);
}

static void add_arc(MaxFlow *g, int u, int v, double c) {
    int e = g->m++;
    g->to[e] = v;
    g->cap[e] = g->cap0[e] = c;
    g->next[e] = g->head[u];
    g->head[u] = e;
}

int maxflow_add_edge(MaxFlow *g, int u, int v, double c) {
    if (g->m + 2 > g->m_cap || u < 0 || u >= g->n || v < 0 || v >= g->n || !(c >= 0) || !isfinite(c)) return -1;
    int e = g->m;
    add_arc(g, u, v, c);
    add_arc(g, v, u, 0);
    /* Rounding leaves crumbs of 1e-17 on arcs that should be full; what
     * is smaller than this is nothing. */
    if (c * 1e-12 > g->eps) g->eps = c * 1e-12;
    return e / 2;
}

void maxflow_reset(MaxFlow *g) { memcpy(g->cap, g->cap0, sizeof *g->cap * g->m); }

double maxflow_edge_flow(const MaxFlow *g, int e) {
    return e >= 0 && 2 * e < g->m ? g->cap0[2 * e] - g->cap[2 * e] : 0;
}

/* Levels by breadth-first search from s over arcs with capacity left;
 * 1 when t is reached. */
static int levels(MaxFlow *g, int s, int t) {
    for (int i = 0; i < g->n; i++) g->level[i] = -1;
    int qh = 0, qt = 0;
    g->level[s] = 0;
    g->queue[qt++] = s;
    while (qh < qt) {
        int u = g->queue[qh++];
        for (int e = g->head[u]; e >= 0; e = g->next[e]) {
            int v = g->to[e];
            if (g->level[v] < 0 && g->cap[e] > g->eps) {
                g->level[v] = g->level[u] + 1;
                g->queue[qt++] = v;
            }
        }
    }
    return g->level[t] >= 0;
}

/* A blocking flow along the levels: walk forward on arcs one level up,
 * push the bottleneck at t, back up to the first arc it filled; a node
 * with no way forward is taken out of the levels. */
static double blocking_flow(MaxFlow *g, int s, int t) {
    double total = 0;
    for (int i = 0; i < g->n; i++) g->iter[i] = g->head[i];
    int depth = 0, u = s;
    for (;;) {
        if (u == t) {
            double f = INFINITY;
            for (int i = 0; i < depth; i++)
                if (g->cap[g->path[i]] < f) f = g->cap[g->path[i]];
            int back = -1;
            for (int i = 0; i < depth; i++) {
                int e = g->path[i];
                g->cap[e] -= f;
                g->cap[e ^ 1] += f;
                if (back < 0 && g->cap[e] <= g->eps) back = i;
            }
            total += f;
            depth = back;   /* the bottleneck filled at least one arc */
            u = depth == 0 ? s : g->to[g->path[depth - 1]];
            continue;
        }
        int e = g->iter[u];
        while (e >= 0 && !(g->cap[e] > g->eps && g->level[g->to[e]] == g->level[u] + 1)) e = g->next[e];
        g->iter[u] = e;
        if (e >= 0) {
            g->path[depth++] = e;
            u = g->to[e];
            continue;
        }
        g->level[u] = -1;   /* a dead end: nothing more goes through u in this phase */
        if (depth == 0) break;
        e = g->path[--depth];
        u = g->to[e ^ 1];
        g->iter[u] = g->next[g->iter[u]];
    }
    return total;
}

double maxflow_run(MaxFlow *g, int s, int t) {
    if (s == t || s < 0 || t < 0 || s >= g->n || t >= g->n) return 0;
    double total = 0;
    while (levels(g, s, t)) total += blocking_flow(g, s, t);
    return total;
}
