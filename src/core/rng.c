#include "bertology/ops.h"
#include <math.h>

/* xorshift64*: tiny, fast, and deterministic across platforms, so that a
 * seed reproduces a masking or a training run bit for bit. */
uint64_t rng_next(uint64_t *s) {
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

float rng_uniform(uint64_t *s) {
    return (float)((rng_next(s) >> 40) * (1.0 / 16777216.0));
}

float rng_normal(uint64_t *s) {
    /* Box-Muller; u1 kept away from 0 so log stays finite. */
    double u1 = ((rng_next(s) >> 11) + 1.0) * (1.0 / 9007199254740993.0);
    double u2 = (rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
    return (float)(sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
}

/* Masks are made in fixed chunks, each from its own stream seeded off
 * one draw of rng: parallel, and the same masks whatever the thread count.
 * Four 16-bit uniforms per 64-bit draw are plenty for a drop probability. */
void dropout_mask(float *mask, size_t n, float p, uint64_t *rng) {
    float keep = 1.0f / (1.0f - p);
    uint32_t cut = (uint32_t)(p * 65536.0f);
    uint64_t base = rng_next(rng);
    size_t chunk = 4096, nchunks = (n + chunk - 1) / chunk;
    #pragma omp parallel for schedule(static)
    for (size_t c = 0; c < nchunks; c++) {
        uint64_t s = base ^ ((c + 1) * 0x9E3779B97F4A7C15ull);
        size_t end = (c + 1) * chunk < n ? (c + 1) * chunk : n;
        for (size_t i = c * chunk; i < end; i += 4) {
            uint64_t r = rng_next(&s);
            for (size_t k = 0; k < 4 && i + k < end; k++)
                mask[i + k] = (uint32_t)((r >> (16 * k)) & 0xFFFF) < cut ? 0.0f : keep;
        }
    }
}

void mul_forward(float *out, const float *x, const float *mask, size_t n) {
    #pragma omp parallel for simd schedule(static) if (n > 65536)
    for (size_t i = 0; i < n; i++) out[i] = x[i] * mask[i];
}
