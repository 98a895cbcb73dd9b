#ifndef BT_FIGURE_INTERNAL_H
#define BT_FIGURE_INTERNAL_H
/* What the figure functions share. Each view NAME of bertology/views.h
 * has `int fig_NAME(...)` in src/figure/fig_NAME.c: it fills f (columns,
 * blocks, plots) from the state, reading the same arrays the view draws. */
#include "bertology/figure.h"
#include "bertology/i18n.h"

#define FIG_FN(name) \
    int fig_##name(Figure *f, const VizState *st, const FigParams *p, FigCache *cache, BtError *err)

#define DECLARE(ID, name, key, label, title, stages) FIG_FN(name);
BT_VIEWS(DECLARE)
#undef DECLARE

/* The window's accent and text colours, for curves and marks that are
 * not one of the palette's. */
enum { FIG_ACCENT = 0xffc43dffu, FIG_DIM = 0x8a929effu };

/* The "C" locale (csv_write.c), for writing numbers with '.' whatever
 * LC_NUMERIC says: uselocale(fig_c_locale()). */
#include <locale.h>
locale_t fig_c_locale(void);

/* "12.5%" with the message language's decimal separator (bt_decimal),
 * owned by f: a percentage inside a translated sentence. */
const char *fig_pct(Figure *f, double p);

/* A column of n ints: 0, 1, ... (from + i), owned by f. */
const int32_t *fig_iota(Figure *f, int n, int from);

#endif
