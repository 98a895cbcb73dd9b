#ifndef BT_FIGURE_PCA_H
#define BT_FIGURE_PCA_H

/* Projects n points of dimension d onto their first three principal
 * components: out (n×3) are the coordinates, var (3) the share of the
 * total variance each component carries. Components beyond the data's
 * rank come out as zeros. Signs are fixed so that the same data always
 * gives the same picture. Returns -1 when out of memory. */
int pca3(const float *x, int n, int d, float *out, float var[3]);

#endif
