#ifndef BT_TESTS_VIEWCHECK_H
#define BT_TESTS_VIEWCHECK_H
/* What every window-view test needs: a window, a screenshot read back,
 * the checks every view must pass, and synthetic key presses. */
#include "image.h"
#include "viz/viz_internal.h"

/* The window's background colour (src/viz palette). */
extern const unsigned char VIEW_BG[3];

/* Opens a headless-capable window of w×h; exits the test if it cannot. */
Viz *view_open(int w, int h);
/* Saves what the window shows as name.png in the test's temporary
 * directory (and in $BT_VIEW_PNG_DIR when set) and reads it back. */
void view_shoot(Viz *v, const char *name, Image *im);
/* The right size, a picture, text in the title and footer, labels that
 * do not overlap and are inked. */
void view_common_checks(Viz *v, const Image *im, int w, int h, const char *what);
void view_push_key(SDL_Keycode k);
/* The window speaks the message language: the view as it stands (the
 * mouse over the grid's first cell unless the caller placed it, so that
 * the tooltip is read too) and the keys' help over it are drawn in en, pt
 * and ru, and every string drawn is read (VizCtx.on_text). In ru no word
 * in Latin letters may be left, in pt none of a list of English words;
 * in en that list must find English (the check is proved on the same
 * frame). words: what the view may show as it is (the model's tokens),
 * NULL-terminated. Pictures: what-pt.png and what-ru.png. Returns the
 * number of English words found in pt and ru. */
int view_check_language(Viz *v, const char *what, const char *const *words);
/* Pumps until the queued events are handled and the frame is drawn. */
void view_settle(Viz *v);

#endif
