#include "colour.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* matplotlib's viridis (CC0), entries 0, 32, ..., 224 and 255 of its 256. */
static const float VIRIDIS[9][3] = {
    {0.267004f, 0.004874f, 0.329415f}, {0.278826f, 0.175490f, 0.483397f},
    {0.229739f, 0.322361f, 0.545706f}, {0.172719f, 0.448791f, 0.557885f},
    {0.127568f, 0.566949f, 0.550556f}, {0.157851f, 0.683765f, 0.501686f},
    {0.369214f, 0.788888f, 0.382914f}, {0.678489f, 0.863742f, 0.189503f},
    {0.993248f, 0.906157f, 0.143936f},
};
static const float VIRIDIS_T[9] = {0, 32 / 255.f, 64 / 255.f, 96 / 255.f, 128 / 255.f,
                                   160 / 255.f, 192 / 255.f, 224 / 255.f, 1};

/* Moreland (2009) cool-warm, sampled at 0, 1/4, 1/2, 3/4, 1. */
static const float COOLWARM[5][3] = {
    {0.230f, 0.299f, 0.754f}, {0.552f, 0.690f, 0.996f}, {0.865f, 0.865f, 0.865f},
    {0.958f, 0.604f, 0.482f}, {0.706f, 0.016f, 0.150f},
};
static const float COOLWARM_T[5] = {0, 0.25f, 0.5f, 0.75f, 1};

static void lerp_table(const float (*tab)[3], const float *ts, int n, float t, float rgb[3]) {
    if (!(t > 0)) t = 0;   /* also catches NaN */
    if (t > 1) t = 1;
    int i = 0;
    while (i + 2 < n && t > ts[i + 1]) i++;
    float f = (t - ts[i]) / (ts[i + 1] - ts[i]);
    for (int c = 0; c < 3; c++) rgb[c] = tab[i][c] + f * (tab[i + 1][c] - tab[i][c]);
}

/* Nearest xterm-256 colour: the 6×6×6 cube or the 24-step grey ramp. */
static int xterm256(const int rgb[3]) {
    static const int lv[6] = {0, 95, 135, 175, 215, 255};
    int q[3], d_cube = 0;
    for (int c = 0; c < 3; c++) {
        int best = 0;
        for (int k = 1; k < 6; k++)
            if (abs(lv[k] - rgb[c]) < abs(lv[best] - rgb[c])) best = k;
        q[c] = best;
        d_cube += (lv[best] - rgb[c]) * (lv[best] - rgb[c]);
    }
    int avg = (rgb[0] + rgb[1] + rgb[2]) / 3;
    int g = avg < 8 ? 0 : avg > 238 ? 23 : (avg - 8) / 10;
    int gv = 8 + 10 * g, d_grey = 0;
    for (int c = 0; c < 3; c++) d_grey += (gv - rgb[c]) * (gv - rgb[c]);
    if (d_grey < d_cube) return 232 + g;
    return 16 + 36 * q[0] + 6 * q[1] + q[2];
}

void colour_cell(char *buf, size_t n, int level, RampKind ramp, float t) {
    if (n) buf[0] = 0;
    if (level <= 0 || ramp == RAMP_NONE) return;
    float rgb[3];
    if (ramp == RAMP_SEQ) lerp_table(VIRIDIS, VIRIDIS_T, 9, t, rgb);
    else lerp_table(COOLWARM, COOLWARM_T, 5, (t + 1) / 2, rgb);
    int c[3];
    for (int i = 0; i < 3; i++) c[i] = (int)lroundf(rgb[i] * 255);
    /* Rec. 709 luma decides black or white text, whichever contrasts more. */
    float luma = 0.2126f * rgb[0] + 0.7152f * rgb[1] + 0.0722f * rgb[2];
    int dark_text = luma > 0.5f;
    if (level >= 2)
        snprintf(buf, n, "\033[48;2;%d;%d;%dm\033[38;2;%sm", c[0], c[1], c[2],
                 dark_text ? "0;0;0" : "255;255;255");
    else
        snprintf(buf, n, "\033[48;5;%dm\033[38;5;%dm", xterm256(c), dark_text ? 16 : 231);
}
