#ifndef BT_REPL_DISPATCH_H
#define BT_REPL_DISPATCH_H
/* One line of input: a command, a sentence, or a mistake. */
#include "session.h"

/* Runs line. where is NULL when typed, else "FILE:LINE" for scripts, and
 * prefixes error messages. Returns 0, or -1 after printing one error line;
 * the session's state is unchanged by a failed command. */
int dispatch_line(Session *s, const char *line, const char *where);

/* Prints an error line on stderr (after flushing the output so the two
 * streams interleave in order when they go to one place). */
void report_error(Session *s, const char *where, const char *msg);

#endif
