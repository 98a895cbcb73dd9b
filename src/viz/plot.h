#ifndef BT_VIZ_PLOT_H
#define BT_VIZ_PLOT_H
/* Line charts for the window: value-to-pixel mapping (linear, or log10 on
 * x), tick values that read well, axes, series drawn from arrays of rows,
 * and a legend. Used by the training view. */
#include <stddef.h>
#include "draw.h"

typedef struct {
    SDL_Rect r;             /* the plotting area, output pixels */
    int xlog;               /* x is drawn as log10(x) */
    double x0, x1;          /* x at the left and right edges (log10 of it when xlog) */
    double y0, y1;          /* y at the bottom and top edges */
} Plot;

/* Pixel of a value; NAN when it cannot be placed (x <= 0 on a log axis). */
float plot_px(const Plot *p, double x);
float plot_py(const Plot *p, double y);
/* The x value under pixel column px. */
double plot_x_at(const Plot *p, int px);

/* Tick values: fig_ticks, fig_log_ticks (bertology/figure.h). */

typedef void (*PlotFmt)(double v, char *buf, size_t n);
void plot_fmt_si(double v, char *buf, size_t n);       /* 20k, 1.5M */
void plot_fmt_sci(double v, char *buf, size_t n);      /* 5e-4 */

/* Grid lines and tick labels. Y labels go left of the plot (right of it
 * when right != 0); x labels below it. Labels that would overlap the one
 * before are left out. Returns the widest label drawn (y) or the label
 * height (x). */
int plot_axis_y(VizCtx *cx, const Plot *p, const double *ticks, int n, PlotFmt fmt, int right, int grid,
                SDL_Color c);
int plot_axis_x(VizCtx *cx, const Plot *p, const double *ticks, int n, PlotFmt fmt, int labels);

/* A series of n points, x and y read from columns of a figure, y
 * multiplied by yscale; points that are not finite (or x <= 0 on a log
 * axis) break the line. dash > 0: dashes that long. dot > 0: a disc of
 * that radius at each point. Clipped to the plot. */
typedef struct {
    FigColumnRef x, y;
    int n;
    double yscale;
} PlotSeries;
void plot_series(VizCtx *cx, const Plot *p, const PlotSeries *s, float width, SDL_Color c, float dash, float dot);
/* One series of a figure as its style says (widths and dashes in thin
 * lines, scaled to the output): a line, a horizontal line at its value,
 * or vertical lines at its x values (x <= 0 on a log axis: the left edge).
 * Series on the right-hand axis are drawn against p2. */
void plot_fig_series(VizCtx *cx, const Plot *p, const Plot *p2, const Figure *f, const FigSeries *s);
/* The legend of a figure's plot: its series that have a place in it, in
 * that order; as plot_legend. */
int plot_fig_legend(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect r, int px, int draw);
/* A horizontal line at y across the plot. */
void plot_hline(VizCtx *cx, const Plot *p, double y, float width, SDL_Color c, float dash);
/* A vertical line at pixel column x across r. */
void plot_vline(VizCtx *cx, SDL_Rect r, float x, SDL_Color c, float dash);

typedef struct {
    const char *name;
    SDL_Color c;
    float width, dash, dot;     /* the sample drawn beside the name, as in plot_series */
    SDL_Color c2;               /* alpha > 0: a second line under the first, in this colour */
} LegendItem;
/* Items left to right, wrapped to more lines within r.w; drawn only when
 * draw != 0. Returns the height used. */
int plot_legend(VizCtx *cx, const LegendItem *items, int n, SDL_Rect r, int px, int draw);

#endif
