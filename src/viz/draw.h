#ifndef BT_VIZ_DRAW_H
#define BT_VIZ_DRAW_H
/* Drawing primitives shared by the views, in output pixels. */
#include "bertology/colormap.h"
#include "bertology/figure.h"
#include "viz_internal.h"

/* The window's palette. */
extern const SDL_Color COL_BG, COL_PANEL, COL_TEXT, COL_DIM, COL_ACCENT, COL_GRID;
/* Distinct colours for heads and curves (cycled past the end): fig_palette's. */
SDL_Color palette_color(int i);

enum { ALIGN_LEFT = 0, ALIGN_CENTER = 1, ALIGN_RIGHT = 2 };
enum { VALIGN_TOP = 0, VALIGN_MIDDLE = 4, VALIGN_BOTTOM = 8 };

void fill_rect(VizCtx *cx, SDL_Rect r, SDL_Color c);
void frame_rect(VizCtx *cx, SDL_Rect r, SDL_Color c, int width);
/* A line about width pixels wide (no antialiasing), alpha-blended. */
void draw_line(VizCtx *cx, float x0, float y0, float x1, float y1, float width, SDL_Color c);
void draw_disc(VizCtx *cx, float x, float y, float radius, SDL_Color c);
int point_in(const SDL_Rect *r, int x, int y);

/* Text at (x,y) anchored by align|valign; returns its rectangle. */
SDL_Rect draw_text(VizCtx *cx, int px, int x, int y, int align, SDL_Color c, const char *s);
SDL_Rect draw_textf(VizCtx *cx, int px, int x, int y, int align, SDL_Color c,
                    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Text turned to read bottom-to-top, its baseline end at (x, y_bottom). */
SDL_Rect draw_text_up(VizCtx *cx, int px, int x, int y_bottom, int align, SDL_Color c, const char *s);
int text_width(VizCtx *cx, int px, const char *s);
/* Copies s into out, cut with "…" so that it fits max_w pixels at px. */
void text_fit(VizCtx *cx, int px, const char *s, int max_w, char *out, size_t n);
/* Starts a new group of labels that must not overlap each other. */
int label_group(VizCtx *cx);
void label_log(VizCtx *cx, SDL_Rect r, int group);
/* Adds a tooltip line. */
void tip(VizCtx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Labels for n cells `step` pixels apart starting at `start`. The font
 * shrinks with the cells down to fs_min, and past that only every k-th
 * label is drawn, so labels never overlap. Rows: right-aligned, ending
 * at `edge` (x), at most band pixels wide. Columns: turned upright, their
 * feet on `edge` (y), at most band pixels tall. hi: a cell to highlight
 * (-1 none). Returns the font size used. */
int axis_labels_rows(VizCtx *cx, const char *const *labels, int n, int start, float step,
                     int edge, int band, int hi);
int axis_labels_cols(VizCtx *cx, const char *const *labels, int n, int start, float step,
                     int edge, int band, int hi);
/* Draw every k-th of labels `step` pixels apart at px: the k that gives
 * each one a line of text. */
int label_every(VizCtx *cx, int px, float step);
/* Font size that fits cells of `step` pixels (between fs_min and fs). */
int label_px(VizCtx *cx, float step);
/* Widest label at px (to size a label band). */
int labels_width(VizCtx *cx, const char *const *labels, int n, int px);

/* A rows×cols matrix m (row stride in floats) drawn into dst through the
 * colour map. When there are more cells than pixels, each pixel shows the
 * cell of largest magnitude under it (diverging maps) or the largest
 * (sequential ones), so that a lone spike stays visible. */
void draw_matrix(VizCtx *cx, const float *m, int rows, int cols, long stride, SDL_Rect dst,
                 CmapId map, float lo, float hi);
/* A vertical colour bar with lo/hi (and mid) values written beside it. */
void draw_colorbar(VizCtx *cx, SDL_Rect r, CmapId map, float lo, float hi);
/* A short message centred in area (for "nothing to show"). */
void draw_notice(VizCtx *cx, SDL_Rect area, const char *line1, const char *line2);
/* Records the cells of the view's main matrix (hover, tests). */
void set_grid(VizCtx *cx, SDL_Rect r, int rows, int cols);
/* Cell under (x,y) of a matrix drawn as rows×cols equal cells in r. */
int cell_at(SDL_Rect r, int rows, int cols, int x, int y, int *row, int *col);

#endif
