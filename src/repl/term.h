#ifndef BT_REPL_TERM_H
#define BT_REPL_TERM_H
/* What the terminal can do: its width and how many colours. */
#include "session.h"

/* Columns to render into: `set width`, else the terminal's, else $COLUMNS,
 * else 100 (a pipe has no width; 100 keeps transcripts stable). */
int term_width(const Settings *set);

/* 0: no colour, 1: xterm 256 colours, 2: 24-bit. Auto mode needs stdout to
 * be a terminal, TERM not "dumb" and NO_COLOR unset (https://no-color.org). */
int term_colour_level(const Settings *set);

#endif
