#ifndef BT_VIEWS_IMAGE_H
#define BT_VIEWS_IMAGE_H
/* Reading a screenshot back and measuring it. */
#include <SDL.h>

typedef struct {
    int w, h;
    unsigned char *rgb;
} Image;

int image_load(Image *im, const char *path);
void image_free(Image *im);
const unsigned char *image_at(const Image *im, int x, int y);
/* Distinct colours in r (counting stops at 4096). */
int image_colours(const Image *im, SDL_Rect r);
/* Pixels in r that differ from the background colour bg by more than tol
 * in some channel: ink of text, lines or cells. */
long image_ink(const Image *im, SDL_Rect r, const unsigned char bg[3], int tol);
/* Light grey pixels (text of the window's palette) in r. */
long image_text(const Image *im, SDL_Rect r);
/* Pixels within tol of colour c in every channel. */
long image_near(const Image *im, SDL_Rect r, const unsigned char c[3], int tol);
/* Perceived brightness of the pixel at (x,y), 0..255. */
float image_luma(const Image *im, int x, int y);

#endif
