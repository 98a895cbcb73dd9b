#ifndef BERTOLOGY_SAFETEXT_H
#define BERTOLOGY_SAFETEXT_H
/* Text that comes from a file or a server (vocabulary tokens, config.json
 * strings, vector words, a .btv's name, directory entries) is shown
 * through these, never printed raw: a token "\x1b]0;PWNED\x07" must not
 * retitle or clear the user's terminal, and invalid UTF-8 must not
 * garble it. Every front end uses the same rules (README, "Text from files"):
 *
 *   C0 controls, DEL            ESC  -> \x1b  (tab and newline too: one line)
 *   C1 controls U+0080–U+009F   CSI  -> \u009b
 *   bidi controls, line breaks  RLO  -> \u202e  (U+061C, U+200E/F,
 *                               U+2028–U+202E, U+2066–U+2069)
 *   invalid UTF-8               each bad byte -> U+FFFD (�)
 *
 * Everything else, backslashes included, passes unchanged, so ordinary
 * tokens ("##ing", "café", "東") look as they always did. This knows no
 * terminal: JSON output goes through json_string, which escapes (RFC 8259)
 * instead of replacing, so a reader gets the exact token back. */
#include <stddef.h>
#include <stdio.h>

/* Longest sanitised text safe_str returns (longer is cut with "…"). */
enum { SAFE_TEXT_MAX = 1024 };

/* Writes s (len bytes, NULs included as \x00) sanitised into dst, which
 * holds n bytes and is always terminated; text that does not fit is cut
 * at a character and ends with "…". Returns dst. */
char *safe_text_n(char *dst, size_t n, const char *s, size_t len);
/* The same for a NUL-terminated s. */
char *safe_text(char *dst, size_t n, const char *s);
/* s sanitised in one of 8 rotating per-thread buffers, for printing several
 * in one call: printf("%s → %s", safe_str(a), safe_str(b)). Valid until 8
 * more calls; NULL gives "?". */
const char *safe_str(const char *s);
/* 1 when safe_text would leave s unchanged. */
int safe_text_clean(const char *s);

/* s as a JSON string literal, quotes included (RFC 8259): " and \ and
 * U+0000–U+001F escaped, and also DEL, C1, bidi controls and U+2028/9 as
 * \uXXXX (legal JSON that decodes to the same text); invalid UTF-8 bytes,
 * which no JSON text can hold, become \ufffd. */
void json_string(FILE *f, const char *s);

#endif
