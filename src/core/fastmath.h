#ifndef BT_FASTMATH_H
#define BT_FASTMATH_H
/* expf and erff written as plain arithmetic so that gcc vectorises the
 * loops that call them (libm's versions are opaque calls). Accuracy is
 * float's own: expf within 5e-7 relative, erff within 5e-7 absolute, checked
 * against libm in tests/unit/test_ops.c. */
#include <stdint.h>
#include <string.h>

static inline float bt_expf(float x) {
    /* e^x = 2^n · e^r, r = x − n·ln2 in [−ln2/2, ln2/2]. Below −87.3 the
     * result is flushed to exactly 0, so masked (−inf) scores give exact
     * zero weights. */
    float under = x < -87.3f ? 0.0f : (x == x ? 1.0f : x);   /* NaN stays NaN */
    x = x == x ? x : 0.0f;                                     /* never convert NaN to int */
    x = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
    /* round to nearest by the 1.5·2^23 trick: plain adds, so it vectorises */
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693145751953125f - n * 1.428606765330187045e-06f;
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.16666667163372039795f +
              r * (0.041666645556688308716f + r * (0.0083333015441894531250f +
              r * 0.0013887637341395020485f)))));
    int32_t bits;
    memcpy(&bits, &p, 4);
    bits += (int32_t)((uint32_t)(int32_t)n << 23);   /* unsigned: n may be negative */
    memcpy(&p, &bits, 4);
    return p * under;
}

/* Abramowitz & Stegun 7.1.26 */
static inline float bt_erff(float x) {
    float ax = x < 0 ? -x : x;
    float t = 1.0f / (1.0f + 0.3275911f * ax);
    float y = 1.0f - t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f +
              t * (-1.453152027f + t * 1.061405429f)))) * bt_expf(-ax * ax);
    return x < 0 ? -y : y;
}

#endif
