#include "font.h"
#include "bertology/infile.h"
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/safetext.h"

enum { MIN_PX = 5, MAX_PX = 160, CACHE_SLOTS = 4096 };

typedef struct {
    char *s;
    int px;
    uint32_t rgba;
    uint32_t hash;
    SDL_Texture *tex;
    int w, h;
} Entry;

struct Font {
    SDL_Renderer *r;
    char *path;
    char *data;             /* the file, read once; sizes open from memory */
    size_t size;
    TTF_Font *at[MAX_PX + 1];
    Entry cache[CACHE_SLOTS];
    int used;
};

int font_find_default(char *buf, size_t n, BtError *err) {
    /* Our own config rather than FcInit's global one, so closing the
     * window leaves nothing behind. */
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (!cfg) return bt_fail(err, "fontconfig could not load its configuration");
    FcPattern *pat = FcNameParse((const FcChar8 *)"DejaVu Sans");
    int rc = -1;
    if (pat) {
        FcConfigSubstitute(cfg, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *m = FcFontMatch(cfg, pat, &res);
        FcChar8 *file = NULL;
        if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch && file) {
            snprintf(buf, n, "%s", (const char *)file);
            rc = 0;
        }
        if (m) FcPatternDestroy(m);
        FcPatternDestroy(pat);
    }
    FcConfigDestroy(cfg);
    if (rc) return bt_fail(err, "no font found: install fonts-dejavu-core or pass --font FILE");
    return 0;
}

static TTF_Font *at_size(Font *f, int px) {
    if (px < MIN_PX) px = MIN_PX;
    if (px > MAX_PX) px = MAX_PX;
    if (!f->at[px]) {
        SDL_RWops *rw = SDL_RWFromConstMem(f->data, (int)f->size);
        if (!rw) return NULL;
        /* TTF sizes are points at 72 dpi, i.e. pixels. */
        f->at[px] = TTF_OpenFontRW(rw, 1, px);
        if (f->at[px]) TTF_SetFontHinting(f->at[px], TTF_HINTING_LIGHT);
    }
    return f->at[px];
}

int font_open(Font **out, SDL_Renderer *r, const char *path, BtError *err) {
    *out = NULL;
    char found[1024];
    if (!path) {
        if (font_find_default(found, sizeof found, err)) return -1;
        path = found;
    }
    Font *f = calloc(1, sizeof *f);
    if (!f) return bt_fail(err, "out of memory");
    f->r = r;
    f->path = strdup(path);
    /* not SDL_LoadFile: it reads /dev/zero until memory runs out, and a
     * FIFO blocks it forever */
    if (!f->path || !(f->data = bt_file_read(path, BT_FILE_FONT, &f->size, err))) {
        if (!f->path) bt_fail(err, "out of memory");
        font_close(f);
        return -1;
    }
    if (!at_size(f, 14)) {
        bt_fail(err, "%s is not a usable font: %s", path, TTF_GetError());
        font_close(f);
        return -1;
    }
    *out = f;
    return 0;
}

static void cache_clear(Font *f) {
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (f->cache[i].s) {
            free(f->cache[i].s);
            SDL_DestroyTexture(f->cache[i].tex);
        }
    }
    memset(f->cache, 0, sizeof f->cache);
    f->used = 0;
}

void font_close(Font *f) {
    if (!f) return;
    cache_clear(f);
    for (int i = 0; i <= MAX_PX; i++)
        if (f->at[i]) TTF_CloseFont(f->at[i]);
    free(f->data);
    free(f->path);
    free(f);
}

const char *font_path(const Font *f) { return f->path; }

/* Labels name tokens and words from files: what the window draws and
 * measures is their sanitised form (safetext.h), the same text the
 * terminal would show, never a control byte or invalid UTF-8. */
void font_size(Font *f, int px, const char *raw, int *w, int *h) {
    *w = *h = 0;
    if (!raw || !*raw) return;
    char s[SAFE_TEXT_MAX];
    safe_text(s, sizeof s, raw);
    TTF_Font *tf = at_size(f, px);
    if (tf) TTF_SizeUTF8(tf, s, w, h);
}

static uint32_t hash_of(const char *s, int px, uint32_t rgba) {
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    h = (h ^ (uint32_t)px) * 16777619u;
    return (h ^ rgba) * 16777619u;
}

SDL_Texture *font_texture(Font *f, int px, const char *raw, SDL_Color c, int *w, int *h) {
    *w = *h = 0;
    if (!raw || !*raw) return NULL;
    char s[SAFE_TEXT_MAX];
    safe_text(s, sizeof s, raw);
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    uint32_t hv = hash_of(s, px, rgba);
    unsigned i = hv % CACHE_SLOTS;
    for (; f->cache[i].s; i = (i + 1) % CACHE_SLOTS) {
        Entry *e = &f->cache[i];
        if (e->hash == hv && e->px == px && e->rgba == rgba && strcmp(e->s, s) == 0) {
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
    }
    /* A full table is simply emptied: labels of one frame fit many times
     * over, so this only happens after long sessions of changing text. */
    if (f->used >= CACHE_SLOTS * 3 / 4) {
        cache_clear(f);
        i = hv % CACHE_SLOTS;
    }
    TTF_Font *tf = at_size(f, px);
    if (!tf) return NULL;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(tf, s, c);
    if (!surf) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(f->r, surf);
    int sw = surf->w, sh = surf->h;
    SDL_FreeSurface(surf);
    if (!tex) return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    char *copy = strdup(s);
    if (!copy) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    f->cache[i] = (Entry){copy, px, rgba, hv, tex, sw, sh};
    f->used++;
    *w = sw;
    *h = sh;
    return tex;
}
