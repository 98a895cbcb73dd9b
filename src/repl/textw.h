#ifndef BT_REPL_TEXTW_H
#define BT_REPL_TEXTW_H
/* Display width of UTF-8 text, so tables with accented, CJK or Cyrillic
 * tokens stay aligned. All three work on the text as safe_text shows it
 * (control bytes visible, invalid UTF-8 as U+FFFD), so what they print
 * is safe whatever file the text came from. */
#include <stddef.h>
#include <stdio.h>

/* Columns that s takes on a terminal. */
int textw_width(const char *s);
/* Copies s into dst, cut to at most w columns with a trailing "…" when cut.
 * Returns the columns used. */
int textw_fit(char *dst, size_t n, const char *s, int w);
/* Prints s cut to w columns and padded to exactly w (right-aligned if right). */
void textw_print(FILE *f, const char *s, int w, int right);
/* Prints all of s padded to at least w columns: a table's translated
 * column head, which must not be cut. */
void textw_pad(FILE *f, const char *s, int w, int right);

#endif
