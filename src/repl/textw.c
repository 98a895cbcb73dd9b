#include "textw.h"
#include <string.h>
#include <utf8proc.h>
#include "bertology/safetext.h"

/* Decodes one character; invalid bytes count as one column each so that a
 * bad string still lines up rather than vanishing. */
static int next_char(const char *s, size_t len, size_t *i, int *cols) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
                                          (utf8proc_ssize_t)(len - *i), &cp);
    if (k <= 0) { *i += 1; *cols = 1; return 0; }
    *i += (size_t)k;
    int w = utf8proc_charwidth(cp);
    *cols = w < 0 ? 0 : w;
    return 1;
}

/* Widths are those of the text as shown: tokens and words come from
 * files, so they are measured and printed sanitised (safetext.h). */
int textw_width(const char *raw) {
    char s[SAFE_TEXT_MAX];
    safe_text(s, sizeof s, raw);
    size_t len = strlen(s), i = 0;
    int total = 0, w;
    while (i < len) { next_char(s, len, &i, &w); total += w; }
    return total;
}

int textw_fit(char *dst, size_t n, const char *raw, int w) {
    if (n == 0) return 0;
    char s[SAFE_TEXT_MAX];
    safe_text(s, sizeof s, raw);
    size_t len = strlen(s);
    if (textw_width(s) <= w) {
        snprintf(dst, n, "%s", s);
        return textw_width(dst);
    }
    if (w <= 0) { dst[0] = 0; return 0; }
    /* Keep w-1 columns and end with the ellipsis (one column, three bytes). */
    size_t i = 0, keep = 0;
    int used = 0, cw;
    while (i < len) {
        size_t before = i;
        next_char(s, len, &i, &cw);
        if (used + cw > w - 1) { i = before; break; }
        used += cw;
        keep = i;
    }
    if (keep + 4 > n) keep = n > 4 ? n - 4 : 0;
    memcpy(dst, s, keep);
    memcpy(dst + keep, "\xe2\x80\xa6", 4);
    return used + 1;
}

void textw_print(FILE *f, const char *s, int w, int right) {
    char buf[512];
    int used = textw_fit(buf, sizeof buf, s, w);
    if (right) fprintf(f, "%*s%s", w - used, "", buf);
    else fprintf(f, "%s%*s", buf, w - used, "");
}

void textw_pad(FILE *f, const char *s, int w, int right) {
    int used = textw_width(s);
    textw_print(f, s, used > w ? used : w, right);
}
