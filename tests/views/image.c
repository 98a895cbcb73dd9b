#include "image.h"
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int image_load(Image *im, const char *path) {
    memset(im, 0, sizeof *im);
    png_image p;
    memset(&p, 0, sizeof p);
    p.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&p, path)) return -1;
    p.format = PNG_FORMAT_RGB;
    im->rgb = malloc(PNG_IMAGE_SIZE(p));
    if (!im->rgb || !png_image_finish_read(&p, NULL, im->rgb, 0, NULL)) {
        free(im->rgb);
        im->rgb = NULL;
        png_image_free(&p);
        return -1;
    }
    im->w = (int)p.width;
    im->h = (int)p.height;
    return 0;
}

void image_free(Image *im) {
    free(im->rgb);
    memset(im, 0, sizeof *im);
}

const unsigned char *image_at(const Image *im, int x, int y) {
    return im->rgb + ((size_t)y * im->w + x) * 3;
}

static SDL_Rect clip(const Image *im, SDL_Rect r) {
    SDL_Rect all = {0, 0, im->w, im->h}, out;
    if (!SDL_IntersectRect(&r, &all, &out)) out = (SDL_Rect){0, 0, 0, 0};
    return out;
}

int image_colours(const Image *im, SDL_Rect r) {
    enum { CAP = 4096, SLOTS = 16384 };
    static const unsigned EMPTY = 0xffffffffu;
    unsigned *seen = malloc(sizeof *seen * SLOTS);
    if (!seen) return 0;
    memset(seen, 0xff, sizeof *seen * SLOTS);
    r = clip(im, r);
    int n = 0;
    for (int y = r.y; y < r.y + r.h && n < CAP; y++)
        for (int x = r.x; x < r.x + r.w && n < CAP; x++) {
            const unsigned char *p = image_at(im, x, y);
            unsigned c = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
            unsigned i = (c * 2654435761u) % SLOTS;
            while (seen[i] != EMPTY && seen[i] != c) i = (i + 1) % SLOTS;
            if (seen[i] == EMPTY) {
                seen[i] = c;
                n++;
            }
        }
    free(seen);
    return n;
}

long image_ink(const Image *im, SDL_Rect r, const unsigned char bg[3], int tol) {
    r = clip(im, r);
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            const unsigned char *p = image_at(im, x, y);
            for (int c = 0; c < 3; c++)
                if (abs(p[c] - bg[c]) > tol) {
                    n++;
                    break;
                }
        }
    return n;
}

long image_text(const Image *im, SDL_Rect r) {
    r = clip(im, r);
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            const unsigned char *p = image_at(im, x, y);
            int mx = p[0] > p[1] ? p[0] : p[1], mn = p[0] < p[1] ? p[0] : p[1];
            if (p[2] > mx) mx = p[2];
            if (p[2] < mn) mn = p[2];
            if (mn > 110 && mx - mn < 40) n++;
        }
    return n;
}

long image_near(const Image *im, SDL_Rect r, const unsigned char c[3], int tol) {
    r = clip(im, r);
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            const unsigned char *p = image_at(im, x, y);
            if (abs(p[0] - c[0]) <= tol && abs(p[1] - c[1]) <= tol && abs(p[2] - c[2]) <= tol) n++;
        }
    return n;
}

float image_luma(const Image *im, int x, int y) {
    const unsigned char *p = image_at(im, x, y);
    return 0.2126f * p[0] + 0.7152f * p[1] + 0.0722f * p[2];
}
