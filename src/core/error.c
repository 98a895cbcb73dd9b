#include "bertology/error.h"
#include <stdarg.h>
#include <stdio.h>
#include "bertology/safetext.h"

int bt_fail(BtError *err, const char *fmt, ...) {
    if (err) {
        /* Messages quote file names, config values and tokens: sanitised
         * here once, so that no caller can print a control sequence from
         * a file by printing an error. */
        char raw[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        safe_text(err->msg, sizeof err->msg, raw);
    }
    return -1;
}
