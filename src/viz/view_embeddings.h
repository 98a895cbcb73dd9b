#ifndef BT_VIEW_EMBEDDINGS_H
#define BT_VIEW_EMBEDDINGS_H
/* The embedding view's own state (view_embeddings.c), for tests. */
#include "bertology/trace.h"

/* The PCA, kept between frames so that orbiting the camera does not redo it. */
typedef struct {
    const Trace *t1, *t2;
    unsigned gen;
    int level;
    int n;                  /* points: T of trace, then T of trace2 */
    float *xyz;             /* n×3, scaled into [-1,1] */
    float var[3];           /* share of the variance on each axis */
} VizPca;

#endif
