#ifndef BT_VIZ_FONT_H
#define BT_VIZ_FONT_H
/* Text for the window: one font file, opened at whatever pixel sizes the
 * layout asks for, with rendered strings cached as textures because the
 * same labels come back every frame. */
#include <SDL.h>
#include "bertology/error.h"

typedef struct Font Font;

/* path NULL: ask fontconfig for "DejaVu Sans". */
int font_open(Font **out, SDL_Renderer *r, const char *path, BtError *err);
void font_close(Font *f);
/* Size of s at px pixels (0,0 for an empty string). */
void font_size(Font *f, int px, const char *s, int *w, int *h);
/* A texture of s at px in colour c, owned by the cache (valid until the
 * next call that renders new text); NULL for empty text or on failure. */
SDL_Texture *font_texture(Font *f, int px, const char *s, SDL_Color c, int *w, int *h);
/* The file in use (for messages). */
const char *font_path(const Font *f);
/* Finds "DejaVu Sans" (or the closest font fontconfig offers). */
int font_find_default(char *buf, size_t n, BtError *err);

#endif
