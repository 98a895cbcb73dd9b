/* The sanitiser every printer uses for text from files and servers
 * (include/bertology/safetext.h): control sequences shown, never sent;
 * invalid UTF-8 replaced; ordinary tokens untouched; cuts at whole
 * characters; bt_fail messages sanitised; json_string escaping. */
#include "bertology/error.h"
#include "bertology/safetext.h"
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

/* No byte that starts a terminal control: C0, DEL, or a C1 code point
 * (U+0080–U+009F, UTF-8 C2 80–C2 9F); and the text is valid UTF-8. */
static int terminal_safe(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7F) return 0;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return 0;
    }
    return 1;
}

static void same(const char *in, const char *want) {
    char out[256];
    safe_text(out, sizeof out, in);
    CHECKF(strcmp(out, want) == 0, "safe_text(%s): got '%s', want '%s'", safe_str(in), out, want);
    CHECKF(terminal_safe(out), "'%s' not terminal-safe", out);
    /* idempotent: a sanitised message quoted in another stays the same */
    char again[256];
    safe_text(again, sizeof again, out);
    CHECKF(strcmp(again, out) == 0, "not idempotent on '%s'", out);
}

static char *json_of(const char *s) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    json_string(f, s);
    fclose(f);
    return buf;
}

int main(void) {
    /* ordinary tokens pass unchanged */
    same("##ing", "##ing");
    same("café", "café");
    same("東京", "東京");
    same("\\", "\\");
    same("[MASK]", "[MASK]");
    CHECK(safe_text_clean("naïve ##s"));
    /* the reproducer: OSC retitle and clear screen */
    same("\x1b]0;PWNED\x07\x1b[2J", "\\x1b]0;PWNED\\x07\\x1b[2J");
    CHECK(!safe_text_clean("\x1b[2J"));
    /* every C0 control, tab and newline included: one line */
    same("a\tb\nc\r", "a\\x09b\\x0ac\\x0d");
    same("del\x7f", "del\\x7f");
    /* C1 controls as UTF-8 (U+009B CSI, U+0085 NEL) */
    same("\xc2\x9b" "31m", "\\u009b31m");
    same("\xc2\x85", "\\u0085");
    /* U+00A0 is the first character past C1: kept */
    same("\xc2\xa0", "\xc2\xa0");
    /* bidi overrides, isolates, marks and line separators */
    same("\xe2\x80\xae" "evil", "\\u202eevil");
    same("\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069");
    same("\xe2\x80\x8f", "\\u200f");
    same("\xe2\x80\xa8", "\\u2028");
    same("\xd8\x9c", "\\u061c");
    /* invalid UTF-8: a bare C1 byte, overlong, surrogate, past U+10FFFF,
     * a cut sequence, stray continuation */
    same("\x9b" "2J", "\xef\xbf\xbd" "2J");
    same("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
    same("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    same("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    same("ab\xe2\x82", "ab\xef\xbf\xbd\xef\xbf\xbd");
    same("\xff", "\xef\xbf\xbd");
    CHECK(!safe_text_clean("\xff"));

    /* NULs inside a counted string are shown too */
    char out[64];
    safe_text_n(out, sizeof out, "a\0b", 3);
    CHECKF(strcmp(out, "a\\x00b") == 0, "got '%s'", out);

    /* cutting: whole characters and whole escapes only, ending in "…" */
    safe_text(out, 10, "\x1b\x1b\x1b");   /* 12 bytes shown, 9 fit */
    CHECKF(strcmp(out, "\\x1b\xe2\x80\xa6") == 0, "cut escape: got '%s'", out);
    safe_text(out, 8, "東京都庁");
    CHECKF(strcmp(out, "東\xe2\x80\xa6") == 0, "cut CJK: got '%s'", out);
    safe_text(out, 4, "abc");
    CHECKF(strcmp(out, "abc") == 0, "exact fit: got '%s'", out);
    char big[3000];
    memset(big, 0x1b, sizeof big - 1);
    big[sizeof big - 1] = 0;
    const char *cut = safe_str(big);
    CHECK(strlen(cut) < SAFE_TEXT_MAX && terminal_safe(cut));

    /* safe_str: eight calls in one printf stay distinct; NULL is "?" */
    const char *r[8];
    for (int i = 0; i < 8; i++) {
        char w[8];
        snprintf(w, sizeof w, "w%d\x1b", i);
        r[i] = safe_str(w);
    }
    for (int i = 0; i < 8; i++) {
        char want[16];
        snprintf(want, sizeof want, "w%d\\x1b", i);
        CHECKF(strcmp(r[i], want) == 0, "ring %d: '%s'", i, r[i]);
    }
    CHECK(strcmp(safe_str(NULL), "?") == 0);

    /* bt_fail messages quoting file content are safe to print */
    BtError err;
    bt_fail(&err, "%s: hidden_act \"%s\" is not supported", "config.json", "\x1b]0;PWNED\x07\xc2\x9b\xff");
    CHECKF(terminal_safe(err.msg), "bt_fail: '%s'", safe_str(err.msg));
    CHECKF(strstr(err.msg, "\\x1b]0;PWNED\\x07\\u009b\xef\xbf\xbd") != NULL, "bt_fail: '%s'", err.msg);
    /* quoting its own message (a common pattern) works */
    bt_fail(&err, "outer: %s", err.msg);
    CHECKF(strncmp(err.msg, "outer: config.json: hidden_act", 30) == 0, "nested: '%s'", err.msg);

    /* JSON: escapes, not replacement (the exact token comes back) */
    struct { const char *in, *want; } J[] = {
        {"plain", "\"plain\""},
        {"q\"b\\", "\"q\\\"b\\\\\""},
        {"\x1b]0;x\x07", "\"\\u001b]0;x\\u0007\""},
        {"\t\n\r\b\f", "\"\\t\\n\\r\\b\\f\""},
        {"\x7f\xc2\x9b", "\"\\u007f\\u009b\""},
        {"\xe2\x80\xae\xe2\x80\xa8", "\"\\u202e\\u2028\""},
        {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
        {"a\xff" "b", "\"a\\ufffdb\""},
    };
    for (size_t i = 0; i < sizeof J / sizeof J[0]; i++) {
        char *j = json_of(J[i].in);
        CHECKF(strcmp(j, J[i].want) == 0, "json_string(%s): got %s", safe_str(J[i].in), safe_str(j));
        CHECKF(terminal_safe(j), "json not terminal-safe: %s", safe_str(j));
        free(j);
    }
    return test_done("safetext");
}
