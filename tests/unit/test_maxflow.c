/* Maximum flow (core/maxflow.c) on small graphs whose answer is known:
 * textbook networks, a path, a disconnected pair, parallel and
 * antiparallel edges, zero capacities, a network that needs flow pushed
 * back along a reverse arc, a layered graph like the attention graph; then
 * random graphs against the minimum cut found by trying every cut (max-flow
 * = min-cut), and the flow itself checked for conservation and capacity. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/maxflow.h"
#include "testutil.h"

typedef struct {
    int u, v;
    double c;
} Edge;

static double flow_of(int n, const Edge *e, int m, int s, int t) {
    MaxFlow g;
    BtError err;
    if (maxflow_init(&g, n, m, &err) != 0) return NAN;
    for (int i = 0; i < m; i++) CHECK(maxflow_add_edge(&g, e[i].u, e[i].v, e[i].c) == i);
    double f = maxflow_run(&g, s, t);
    maxflow_free(&g);
    return f;
}

/* The cheapest cut: every set S holding s and not t, the capacity of the
 * edges leaving it. Exponential, independent of the algorithm. */
static double min_cut(int n, const Edge *e, int m, int s, int t) {
    double best = INFINITY;
    for (unsigned set = 0; set < 1u << n; set++) {
        if (!(set >> s & 1) || (set >> t & 1)) continue;
        double c = 0;
        for (int i = 0; i < m; i++)
            if ((set >> e[i].u & 1) && !(set >> e[i].v & 1)) c += e[i].c;
        if (c < best) best = c;
    }
    return best;
}

static void known(void) {
    /* CLRS figure 26.1: 23. */
    Edge clrs[] = {{0, 1, 16}, {0, 2, 13}, {2, 1, 4}, {1, 3, 12}, {3, 2, 9},
                   {2, 4, 14}, {4, 3, 7}, {3, 5, 20}, {4, 5, 4}};
    CHECKF(fabs(flow_of(6, clrs, 9, 0, 5) - 23) < 1e-12, "CLRS: %g", flow_of(6, clrs, 9, 0, 5));
    /* A path: its narrowest edge. */
    Edge path[] = {{0, 1, 0.7}, {1, 2, 0.25}, {2, 3, 0.9}};
    CHECK(fabs(flow_of(4, path, 3, 0, 3) - 0.25) < 1e-15);
    CHECK(flow_of(4, path, 3, 3, 0) == 0);          /* against the edges */
    CHECK(flow_of(4, path, 3, 2, 2) == 0);          /* s == t */
    /* Disconnected. */
    Edge two[] = {{0, 1, 1}, {2, 3, 1}};
    CHECK(flow_of(4, two, 2, 0, 3) == 0);
    /* Parallel edges add; antiparallel ones do not cancel. */
    Edge par[] = {{0, 1, 0.5}, {0, 1, 0.25}, {1, 0, 3}, {1, 2, 2}};
    CHECK(fabs(flow_of(3, par, 4, 0, 2) - 0.75) < 1e-15);
    /* Zero capacity carries nothing. */
    Edge zero[] = {{0, 1, 0}, {1, 2, 5}};
    CHECK(flow_of(3, zero, 2, 0, 2) == 0);
    /* The trap for a greedy path: s→a→b→t first blocks both s→a→t and
     * s→b→t unless flow is sent back along b→a. Max 2. */
    Edge trap[] = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {1, 3, 1}, {2, 3, 1}};
    CHECK(fabs(flow_of(4, trap, 5, 0, 3) - 2) < 1e-15);
    /* A longer detour: the shortest path first is the wrong one. */
    Edge detour[] = {{0, 1, 1}, {1, 2, 1}, {2, 5, 1}, {0, 3, 1}, {3, 1, 1}, {1, 4, 1}, {4, 5, 1}};
    CHECK(fabs(flow_of(6, detour, 7, 0, 5) - 2) < 1e-15);
    /* The shortest path s→a→x→t takes x→t, which s→y→x→t needs; the
     * maximum (2) sends y's unit on through x, back along a→x and round
     * by a→z→w→t: only the reverse arc finds it. */
    Edge back[] = {{0, 3, 1}, {3, 2, 1}, {0, 1, 1}, {1, 4, 1}, {1, 2, 1}, {2, 7, 1}, {4, 5, 1}, {5, 7, 1}};
    /* (in both orders of the edges: the search tries the last added first) */
    Edge back2[] = {{5, 7, 1}, {4, 5, 1}, {2, 7, 1}, {1, 2, 1}, {1, 4, 1}, {0, 1, 1}, {3, 2, 1}, {0, 3, 1}};
    CHECKF(fabs(flow_of(8, back2, 8, 0, 7) - 2) < 1e-15, "reverse arc: %g", flow_of(8, back2, 8, 0, 7));
    CHECKF(fabs(flow_of(8, back, 8, 0, 7) - 2) < 1e-15, "reverse arc: %g", flow_of(8, back, 8, 0, 7));
    /* Layers as in attention flow: 2 tokens, 2 layers, mixing 0.5/0.5.
     * From token 0 below to token 1 on top: through either middle node,
     * 0.5 in and 0.5 out each: 1. */
    Edge lay[] = {{0, 2, 0.5}, {0, 3, 0.5}, {1, 2, 0.5}, {1, 3, 0.5},
                  {2, 4, 0.5}, {2, 5, 0.5}, {3, 4, 0.5}, {3, 5, 0.5}};
    CHECK(fabs(flow_of(6, lay, 8, 0, 5) - 1) < 1e-15);
    Edge lay2[] = {{0, 2, 0.9}, {0, 3, 0.1}, {1, 2, 0.1}, {1, 3, 0.9},
                   {2, 4, 0.5}, {2, 5, 0.2}, {3, 4, 0.5}, {3, 5, 0.8}};
    /* A first layer of 0.9/0.1: min(0.9, 0.2) + min(0.1, 0.8) = 0.3. */
    CHECK(fabs(flow_of(6, lay2, 8, 0, 5) - 0.3) < 1e-15);
}

static double urand(unsigned *s) {
    *s = *s * 1664525u + 1013904223u;
    return (*s >> 8) / 16777216.0;
}

static void random_graphs(void) {
    unsigned seed = 12345;
    int cases = 0;
    for (int trial = 0; trial < 300; trial++) {
        int n = 2 + (int)(urand(&seed) * 9);   /* 2..10 nodes */
        /* sparse and dense graphs: detours need the reverse arcs in the first */
        int m = (int)(urand(&seed) * n * (trial % 2 ? n : 2));
        Edge *e = malloc(sizeof *e * (m + 1));
        for (int i = 0; i < m; i++) {
            e[i].u = (int)(urand(&seed) * n);
            e[i].v = (int)(urand(&seed) * n);
            /* every third edge a small integer, the rest real numbers */
            e[i].c = i % 3 == 0 ? (int)(urand(&seed) * 4) : urand(&seed);
        }
        int s = 0, t = n - 1;
        MaxFlow g;
        BtError err;
        CHECK(maxflow_init(&g, n, m, &err) == 0);
        for (int i = 0; i < m; i++) CHECK(maxflow_add_edge(&g, e[i].u, e[i].v, e[i].c) == i);
        for (int rep = 0; rep < 2; rep++) {   /* again after a reset: the same */
            double f = maxflow_run(&g, s, t), c = min_cut(n, e, m, s, t);
            CHECKF(fabs(f - c) <= 1e-12 * (1 + c), "trial %d: flow %.17g, min cut %.17g", trial, f, c);
            /* A flow: within capacity, conserved at every inner node. */
            double *net = calloc(n, sizeof *net);
            for (int i = 0; i < m; i++) {
                double x = maxflow_edge_flow(&g, i);
                CHECKF(x >= -1e-12 && x <= e[i].c + 1e-12, "trial %d edge %d: flow %g of %g", trial, i, x, e[i].c);
                net[e[i].u] -= x;
                net[e[i].v] += x;
            }
            for (int v = 1; v < n - 1; v++) CHECKF(fabs(net[v]) < 1e-12, "trial %d node %d: %g", trial, v, net[v]);
            CHECK(fabs(net[t] - f) < 1e-12 && fabs(net[s] + f) < 1e-12);
            free(net);
            maxflow_reset(&g);
        }
        maxflow_free(&g);
        free(e);
        cases++;
    }
    CHECK(cases == 300);
}

static void bad_input(void) {
    MaxFlow g;
    BtError err;
    CHECK(maxflow_init(&g, 0, 1, &err) != 0);
    CHECK(maxflow_init(&g, 3, 2, &err) == 0);
    CHECK(maxflow_add_edge(&g, 0, 3, 1) == -1);        /* no node 3 */
    CHECK(maxflow_add_edge(&g, 0, 1, -1) == -1);
    CHECK(maxflow_add_edge(&g, 0, 1, NAN) == -1);
    CHECK(maxflow_add_edge(&g, 0, 1, INFINITY) == -1);
    CHECK(maxflow_add_edge(&g, 0, 1, 1) == 0);
    CHECK(maxflow_add_edge(&g, 1, 2, 1) == 1);
    CHECK(maxflow_add_edge(&g, 0, 2, 1) == -1);        /* full */
    CHECK(maxflow_run(&g, 0, 7) == 0);
    CHECK(maxflow_run(&g, 0, 2) == 1);
    maxflow_free(&g);
}

int main(void) {
    known();
    random_graphs();
    bad_input();
    return test_done("maxflow");
}
