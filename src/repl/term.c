#include "term.h"
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int term_width(const Settings *set) {
    if (set->width > 0) return set->width;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    if (c && atoi(c) > 0) return atoi(c);
    return 100;
}

static int best_level(void) {
    const char *ct = getenv("COLORTERM");
    if (ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0)) return 2;
    return 1;
}

int term_colour_level(const Settings *set) {
    if (set->plain) return 0;
    switch (set->colour) {
    case COLOUR_OFF: return 0;
    case COLOUR_256: return 1;
    case COLOUR_TRUE: return 2;
    case COLOUR_AUTO: break;
    }
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return 0;
    if (!isatty(STDOUT_FILENO)) return 0;
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0) return 0;
    /* An 8/16-colour terminal cannot show a ramp that reads; better none. */
    if (!strstr(term, "256") && !strstr(term, "direct") && best_level() < 2) return 0;
    return best_level();
}
