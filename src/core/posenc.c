#include "bertology/posenc.h"
#include <math.h>

/* Vaswani et al.: wavelengths form a geometric progression from 2π to
 * 10000·2π, so each dimension pair is a clock of a different speed. */
void posenc_sinusoidal(float *out, int P, int H) {
    for (int p = 0; p < P; p++) {
        for (int i = 0; i < H; i += 2) {
            double freq = pow(10000.0, -(double)i / H);
            out[(long)p * H + i] = (float)sin(p * freq);
            if (i + 1 < H) out[(long)p * H + i + 1] = (float)cos(p * freq);
        }
    }
}
