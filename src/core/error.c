#include "bertology/error.h"
#include <stdarg.h>
#include <stdio.h>
#include "bertology/i18n.h"
#include "bertology/safetext.h"

int bt_fail(BtError *err, const char *fmt, ...) {
    if (err) {
        /* Messages quote file names, config values and tokens: sanitised
         * here once, so that no caller can print a control sequence from
         * a file by printing an error. */
        char raw[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        /* The message is the learner's to read, in their language: every
         * format is a msgid (xgettext's keyword bt_fail:2, po/meson.build),
         * so no caller wraps it in _() and no layer below the REPL needs
         * to know which language is on. */
        vsnprintf(raw, sizeof raw, _(fmt), ap);
        va_end(ap);
        safe_text(err->msg, sizeof err->msg, raw);
    }
    return -1;
}
