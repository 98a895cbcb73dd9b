#ifndef BERTOLOGY_HALF_H
#define BERTOLOGY_HALF_H
/* 16-bit floats as checkpoints store them. IEEE half (F16): 1 sign, 5
 * exponent, 10 mantissa bits. bfloat16 (BF16): the top 16 bits of an f32,
 * so it keeps f32's range but only 7 mantissa bits. */
#include <stdint.h>

/* Exact: every half value (subnormals, ±inf, NaN) is an f32 value. */
float bt_f16_to_f32(uint16_t h);
/* Rounds to nearest, ties to even; overflow gives ±inf, NaN stays NaN. */
uint16_t bt_f32_to_f16(float f);
/* Exact. */
float bt_bf16_to_f32(uint16_t b);

#endif
