#include <stddef.h>
#include <string.h>
#include "bertology/safetext.h"
#include "display.h"

/* The one sanitiser (core/safetext.c), into a buffer that fits BtError. */
void hub_display_n(char out[HUB_NAME_BUF], const char *s, size_t n) { safe_text_n(out, HUB_NAME_BUF, s, n); }

void hub_display(char out[HUB_NAME_BUF], const char *s) { hub_display_n(out, s, strlen(s)); }
