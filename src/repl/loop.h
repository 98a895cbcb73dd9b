#ifndef BT_REPL_LOOP_H
#define BT_REPL_LOOP_H
/* Where commands come from: a script (file, pipe, -e) or a person. */
#include <stdio.h>
#include "session.h"

/* Runs every line of f (name: for error messages). Lines starting with #
 * are comments. A line past REPL_LINE_MAX bytes is skipped with one
 * error (read, not kept); input with no line end in 64 MiB is no script
 * and stops. Returns how many commands (or reads) failed; stops at `quit`. */
int loop_script(Session *s, FILE *f, const char *name);

/* The readline prompt loop, until quit or Ctrl-D. With a window, stdin is
 * polled every ~16 ms and the window pumped in between. */
void loop_interactive(Session *s);

/* "[L2 H1 attn] › " */
void loop_prompt(const Session *s, char *buf, size_t n);

#endif
