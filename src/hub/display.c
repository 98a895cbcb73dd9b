#include <stddef.h>
#include <string.h>
#include "display.h"

void hub_display_n(char out[HUB_NAME_BUF], const char *s, size_t n) {
    size_t o = 0;
    int cut = n > HUB_NAME_BUF - 4;
    if (cut) n = HUB_NAME_BUF - 4;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[o++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    if (cut) memcpy(out + o, "...", 3), o += 3;
    out[o] = 0;
}

void hub_display(char out[HUB_NAME_BUF], const char *s) { hub_display_n(out, s, strlen(s)); }
