#ifndef BT_HUB_DISPLAY_H
#define BT_HUB_DISPLAY_H
#include <stddef.h>
/* Names from files, servers and users go into messages cut to a size that
 * fits BtError ("…" at the cut) and shown as safe_text shows them
 * (bertology/safetext.h: controls visible, invalid UTF-8 as U+FFFD), so a
 * hostile pickle key or server header cannot drive the terminal. Private
 * to src/hub. */
#define HUB_NAME_BUF 128
void hub_display(char out[HUB_NAME_BUF], const char *s);
/* Same for n bytes that need not be NUL-terminated. */
void hub_display_n(char out[HUB_NAME_BUF], const char *s, size_t n);
#endif
