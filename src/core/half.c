#include "bertology/half.h"
#include <string.h>

static float from_bits(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

float bt_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    if (exp == 0x1f)                    /* inf, or NaN with its payload kept */
        return from_bits(sign | 0x7f800000u | (mant << 13));
    if (exp != 0)                       /* rebias 15 -> 127 */
        return from_bits(sign | ((exp + 112) << 23) | (mant << 13));
    /* Subnormal (or zero): mant · 2^-24, exact in f32 since mant < 2^10. */
    float v = (float)mant * 0x1p-24f;
    return sign ? -v : v;
}

uint16_t bt_f32_to_f16(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    uint32_t ax = x & 0x7fffffffu;

    if (ax >= 0x7f800000u) {            /* inf stays inf; NaN stays a quiet NaN */
        if (ax == 0x7f800000u) return sign | 0x7c00u;
        return (uint16_t)(sign | 0x7e00u | ((ax >> 13) & 0x3ffu));
    }
    /* 65520 is halfway between the largest half (65504) and 2^16; the tie
     * goes to the even neighbour, which is 2^16, i.e. inf. */
    if (ax >= 0x477ff000u) return sign | 0x7c00u;

    if (ax >= 0x38800000u) {            /* normal half: |f| >= 2^-14 */
        uint32_t exp = (ax >> 23) - 127 + 15;
        uint32_t mant = ax & 0x7fffffu;
        uint32_t h = (exp << 10) | (mant >> 13);
        uint32_t rest = mant & 0x1fffu; /* the 13 bits that do not fit */
        /* A carry out of the mantissa correctly bumps the exponent. */
        if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) h++;
        return (uint16_t)(sign | h);
    }
    /* |f| <= 2^-25 is at most half the smallest subnormal: ties to 0. */
    if (ax <= 0x33000000u) return sign;
    /* Subnormal half: count units of 2^-24. With the implicit bit the f32
     * is mant · 2^(e-150), so units = mant >> (126 - e), shift in 14..24. */
    uint32_t e = ax >> 23;
    uint32_t mant = (ax & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126 - e;
    uint32_t h = mant >> shift;
    uint32_t rest = mant & ((1u << shift) - 1);
    uint32_t half = 1u << (shift - 1);
    /* Rounding up from 0x3ff gives 0x400, the smallest normal: correct. */
    if (rest > half || (rest == half && (h & 1u))) h++;
    return (uint16_t)(sign | h);
}

float bt_bf16_to_f32(uint16_t b) {
    return from_bits((uint32_t)b << 16);
}
