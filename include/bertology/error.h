#ifndef BERTOLOGY_ERROR_H
#define BERTOLOGY_ERROR_H
/* Errors travel up as a message in a BtError and a -1 return; only the
 * caller that talks to the user decides how (and whether) to print it. */
#include <stddef.h>

typedef struct {
    char msg[512];
} BtError;

/* Formats the message into err (may be NULL) and returns -1, so that
 * `return bt_fail(err, "...")` both records and signals the failure. The
 * format is translated into the current message language (gettext: it is
 * a msgid, so callers pass the English literal, never _("...")), and the
 * message is passed through safe_text (bertology/safetext.h): what it
 * quotes from a file cannot carry control bytes to the terminal. Code
 * must not test a message's words: they are the learner's language. */
int bt_fail(BtError *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
