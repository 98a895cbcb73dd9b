#ifndef BERTOLOGY_POSENC_H
#define BERTOLOGY_POSENC_H
/* Fixed sinusoidal position encodings of Vaswani et al. (2017):
 * PE[p, 2i] = sin(p / 10000^(2i/H)), PE[p, 2i+1] = cos(p / 10000^(2i/H)).
 * out (P,H); usable for drawing whatever the model's own positions are. */
void posenc_sinusoidal(float *out, int P, int H);
#endif
