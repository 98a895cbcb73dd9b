#ifndef BT_REPL_COLOUR_H
#define BT_REPL_COLOUR_H
/* Perceptual colour ramps for shading matrix cells in the terminal:
 * viridis for values with a natural low end (probabilities, scores) and
 * Moreland's cool-warm, diverging around zero, for signed activations. */
#include <stddef.h>

typedef enum { RAMP_NONE = 0, RAMP_SEQ, RAMP_DIV } RampKind;

#define COLOUR_RESET "\033[0m"

/* Writes the SGR sequence for a cell at t (RAMP_SEQ: 0..1, RAMP_DIV: -1..1,
 * clamped) with a readable foreground, for colour level 1 (256) or 2 (24-bit).
 * Writes "" for level 0 or RAMP_NONE. */
void colour_cell(char *buf, size_t n, int level, RampKind ramp, float t);

#endif
