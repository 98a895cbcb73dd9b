#ifndef BERTOLOGY_MAXFLOW_H
#define BERTOLOGY_MAXFLOW_H
/* Maximum flow on a directed graph with real capacities (Dinic's
 * algorithm: breadth-first levels, then blocking flows along them). It is
 * exact up to the rounding of double arithmetic: an arc counts as full
 * once what is left of it is at most a 1e-12 fraction of the largest
 * capacity. Attention flow (rollout.h) runs it on the layer graph; it
 * knows nothing of attention. */
#include "bertology/error.h"

typedef struct {
    int n;              /* nodes 0..n-1 */
    int m, m_cap;       /* arcs used and allocated: each edge is an arc and its reverse */
    int *head;          /* (n) first arc leaving each node, -1 for none */
    int *next;          /* (m_cap) next arc leaving the same node */
    int *to;            /* (m_cap) arc e goes to to[e] and comes from to[e ^ 1] */
    double *cap;        /* (m_cap) capacity left (the residual graph) */
    double *cap0;       /* (m_cap) capacity as added, for maxflow_reset */
    double eps;         /* what counts as nothing left */
    int *level, *iter, *queue, *path;  /* (n) work space */
} MaxFlow;

/* A graph of n nodes with room for max_edges edges, none yet. */
int maxflow_init(MaxFlow *g, int n, int max_edges, BtError *err);
void maxflow_free(MaxFlow *g);
/* Adds the edge u → v of capacity c ≥ 0 (a finite number); returns its
 * index for maxflow_edge_flow, or -1 when the graph is full or an
 * argument is out of range. */
int maxflow_add_edge(MaxFlow *g, int u, int v, double c);
/* The value of a maximum flow from s to t (0 when s == t), leaving the
 * flow in the graph; run maxflow_reset before another pair. */
double maxflow_run(MaxFlow *g, int s, int t);
/* Back to the capacities as added (no flow), keeping the edges. */
void maxflow_reset(MaxFlow *g);
/* The flow the last run sent along edge e (an index from maxflow_add_edge). */
double maxflow_edge_flow(const MaxFlow *g, int e);

#endif
