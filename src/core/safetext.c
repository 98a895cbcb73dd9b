/* One reading of outside text, shared by the terminal form (safe_text)
 * and the JSON form (json_string): the string is cut into units, each a
 * character to keep, a control to show, or a byte that is not UTF-8. */
#include "bertology/safetext.h"
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

typedef enum {
    U_PLAIN,     /* a character shown as it is */
    U_BYTE,      /* a C0 control or DEL: one byte */
    U_CODE,      /* a C1, bidi or line-breaking code point */
    U_INVALID,   /* a byte that does not start valid UTF-8 */
} UnitKind;

/* Code points that move or hide text rather than show it. */
static int hidden_cp(int32_t c) {
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F
        || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* The unit at s[*i] (*i < len); advances *i past it and sets *cp. */
static UnitKind next_unit(const unsigned char *s, size_t len, size_t *i, int32_t *cp) {
    unsigned char c = s[*i];
    if (c < 0x20 || c == 0x7F) { *cp = c; *i += 1; return U_BYTE; }
    if (c < 0x80) { *cp = c; *i += 1; return U_PLAIN; }
    utf8proc_int32_t u;
    utf8proc_ssize_t k = utf8proc_iterate(s + *i, (utf8proc_ssize_t)(len - *i), &u);
    if (k <= 0 || u < 0 || (u >= 0xD800 && u <= 0xDFFF)) { *cp = c; *i += 1; return U_INVALID; }
    *i += (size_t)k;
    *cp = u;
    return hidden_cp(u) ? U_CODE : U_PLAIN;
}

/* The terminal form of one unit (src: its bytes) into out; returns its length. */
static size_t unit_text(UnitKind k, int32_t cp, const unsigned char *src, size_t n, char out[8]) {
    switch (k) {
    case U_BYTE: return (size_t)snprintf(out, 8, "\\x%02x", (unsigned)cp);
    case U_CODE: return (size_t)snprintf(out, 8, "\\u%04x", (unsigned)cp);
    case U_INVALID: memcpy(out, "\xef\xbf\xbd", 3); return 3;
    case U_PLAIN: break;
    }
    memcpy(out, src, n);
    return n;
}

static size_t sanitised_len(const unsigned char *s, size_t len) {
    size_t i = 0, total = 0;
    char u[8];
    while (i < len) {
        size_t at = i;
        int32_t cp;
        UnitKind k = next_unit(s, len, &i, &cp);
        total += unit_text(k, cp, s + at, i - at, u);
    }
    return total;
}

char *safe_text_n(char *dst, size_t n, const char *str, size_t len) {
    if (n == 0) return dst;
    const unsigned char *s = (const unsigned char *)str;
    /* When it all fits, all of it; else whole units up to room for "…". */
    int cut = sanitised_len(s, len) + 1 > n;
    size_t limit = cut ? (n > 4 ? n - 4 : 0) : n - 1, i = 0, o = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp;
        char u[8];
        UnitKind k = next_unit(s, len, &i, &cp);
        size_t m = unit_text(k, cp, s + at, i - at, u);
        if (o + m > limit) break;
        memcpy(dst + o, u, m);
        o += m;
    }
    if (cut && n > 4) { memcpy(dst + o, "\xe2\x80\xa6", 3); o += 3; }
    dst[o] = 0;
    return dst;
}

char *safe_text(char *dst, size_t n, const char *s) { return safe_text_n(dst, n, s, strlen(s)); }

const char *safe_str(const char *s) {
    static _Thread_local char ring[8][SAFE_TEXT_MAX];
    static _Thread_local unsigned next;
    if (!s) return "?";
    char *b = ring[next++ % 8];
    return safe_text(b, SAFE_TEXT_MAX, s);
}

int safe_text_clean(const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str), i = 0;
    while (i < len) {
        int32_t cp;
        if (next_unit(s, len, &i, &cp) != U_PLAIN) return 0;
    }
    return 1;
}

void json_string(FILE *f, const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str), i = 0;
    fputc('"', f);
    while (i < len) {
        size_t at = i;
        int32_t cp;
        UnitKind k = next_unit(s, len, &i, &cp);
        if (k == U_INVALID) fputs("\\ufffd", f);
        else if (k != U_PLAIN) {
            static const char short_form[] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
            if (cp < (int32_t)sizeof short_form && short_form[cp]) fprintf(f, "\\%c", short_form[cp]);
            else fprintf(f, "\\u%04x", (unsigned)cp);
        } else if (s[at] == '"' || s[at] == '\\') fprintf(f, "\\%c", s[at]);
        else fwrite(s + at, 1, i - at, f);
    }
    fputc('"', f);
}
