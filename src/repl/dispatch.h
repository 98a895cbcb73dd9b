#ifndef BT_REPL_DISPATCH_H
#define BT_REPL_DISPATCH_H
/* One line of input: a command, a sentence, or a mistake. */
#include "session.h"

/* A line (a command or a sentence) holds at most this many bytes; a longer
 * one is refused with one error line and the REPL goes on with the next.
 * A sentence that fills BERT's 512 positions takes a few thousand bytes,
 * so only a file that is no script meets the limit. */
#define REPL_LINE_MAX 65536

/* Runs line. where is NULL when typed, else "FILE:LINE" for scripts, and
 * prefixes error messages. Returns 0, or -1 after printing one error line;
 * the session's state is unchanged by a failed command. */
int dispatch_line(Session *s, const char *line, const char *where);

/* The error for a line past REPL_LINE_MAX (scripts report it before
 * reading it all). */
void report_line_too_long(Session *s, const char *where);

/* Prints an error line on stderr (after flushing the output so the two
 * streams interleave in order when they go to one place). */
void report_error(Session *s, const char *where, const char *msg);

#endif
