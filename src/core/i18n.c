/* gettext setup: where the catalogs are, and which language is used
 * (include/bertology/i18n.h). */
#include "bertology/i18n.h"
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BT_LOCALEDIR
#define BT_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef BT_BUILD_ROOT
#define BT_BUILD_ROOT "."
#endif

#define DOMAIN "bertology"

static char g_lang[16];   /* what bt_i18n_use last set; "" before */
static int g_bound;

/* From the build tree (tests, build/bertology) the catalogs meson just
 * compiled; installed, the system's locale directory. Programs that never
 * call bt_i18n_init (unit tests, the lesson checker) get it on first use. */
static const char *g_dir;   /* where bind found the catalogs */

static void bind(void) {
    if (g_bound) return;
    g_bound = 1;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/po/pt/LC_MESSAGES/%s.mo", BT_BUILD_ROOT, DOMAIN);
    const char *dir = access(probe, R_OK) == 0 ? BT_BUILD_ROOT "/po" : BT_LOCALEDIR;
    g_dir = dir;
    bindtextdomain(DOMAIN, dir);
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    textdomain(DOMAIN);
}

/* The character type from the environment (readline's multibyte input,
 * wcwidth's columns), and UTF-8 whatever it names otherwise: the C
 * library converts its own messages (strerror) to LC_CTYPE's charset, so
 * under "C" a pt or ru error ended in "diret?rio" or in transliterated
 * Latin, while ours are UTF-8 always (bind_textdomain_codeset). Never
 * LC_NUMERIC: numbers keep their decimal point. */
static void ctype_utf8(void) {
    setlocale(LC_CTYPE, "");
    const char *cs = nl_langinfo(CODESET);
    if (!cs || strcmp(cs, "UTF-8") != 0)
        if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "C.utf8");
}

int bt_i18n_has(const char *lang) {
    if (!lang || !*lang) return 0;
    if (strcmp(lang, "en") == 0) return 1;
    bind();
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", g_dir, lang, DOMAIN);
    return access(path, R_OK) == 0;
}

void bt_i18n_init(void) {
    ctype_utf8();
    setlocale(LC_MESSAGES, "");
    bind();
}

/* gettext caches its lookups; changing LANGUAGE must drop them. This is
 * the way the gettext manual gives ("Being a gettext grok"): glibc's
 * counter, which setlocale bumps only when the locale name changes. */
extern int _nl_msg_cat_cntr;

/* gettext ignores LANGUAGE while LC_MESSAGES is "C" (as when LANG names a
 * locale that is not installed): C.UTF-8 then, which glibc always has. */
static void messages_not_c(void) {
    const char *cur = setlocale(LC_MESSAGES, NULL);
    if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
        if (!setlocale(LC_MESSAGES, "C.UTF-8")) setlocale(LC_MESSAGES, "C.utf8");
    ++_nl_msg_cat_cntr;
}

/* The LANGUAGE value for lang. Our Portuguese is Brazil's, and so must
 * be what the C library says inside our messages (strerror: "Arquivo ou
 * diretório inexistente", not Portugal's "Ficheiro ou pasta
 * inexistente"): pt_BR first, then pt, where our catalog is. */
static const char *language_value(const char *lang) {
    return strcmp(lang, "pt") == 0 ? "pt_BR:pt" : lang;
}

static int language_is(const char *lang) {
    const char *cur = getenv("LANGUAGE");
    return cur && strcmp(cur, language_value(lang)) == 0;
}

void bt_i18n_use(const char *lang) {
    if (!lang || !*lang) return;
    bind();
    if (strcmp(lang, g_lang) == 0 && language_is(lang)) return;
    snprintf(g_lang, sizeof g_lang, "%s", lang);
    setenv("LANGUAGE", language_value(lang), 1);
    messages_not_c();
}

const char *bt_gettext_in(const char *lang, const char *msgid) {
    if (!lang || !*lang || strcmp(lang, "en") == 0) return msgid;
    bind();
    const char *cur = getenv("LANGUAGE");
    if (language_is(lang) && strcmp(g_lang, lang) == 0) return gettext(msgid);
    char saved[64] = "";
    int had = cur != NULL;
    if (had) snprintf(saved, sizeof saved, "%s", cur);
    char saved_lang[sizeof g_lang];
    memcpy(saved_lang, g_lang, sizeof g_lang);
    setenv("LANGUAGE", language_value(lang), 1);
    messages_not_c();
    const char *t = gettext(msgid);   /* points into the loaded catalog: stays valid */
    if (had) setenv("LANGUAGE", saved, 1);
    else unsetenv("LANGUAGE");
    messages_not_c();
    memcpy(g_lang, saved_lang, sizeof g_lang);
    return t;
}

const char *bt_pgettext(const char *ctx_msgid, const char *msgid) {
    bind();
    const char *t = gettext(ctx_msgid);
    return t == ctx_msgid ? msgid : t;
}

const char *bt_number(char *buf, size_t n, const char *fmt, double x) {
    if (n == 0) return buf;
    /* TRANSLATORS: the decimal separator of numbers inside sentences
     * ("1/√64 = 0.125"), one character: "," in Portuguese and Russian.
     * Matrices and tables keep the point. */
    const char *sep = P_("decimal separator", ".");
    snprintf(buf, n, fmt, x);
    /* "-0.000" reads as a sign error to a learner */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) memmove(buf, buf + 1, strlen(buf));
    char *dot = strchr(buf, '.');
    if (dot && sep[0] && !sep[1]) *dot = sep[0];
    return buf;
}

/* Two significant digits below 0.1%, written out ("0.00028%"): %g
 * would switch to an exponent under 0.0001% ("8.9e-05%"), which a
 * learner does not read as a percentage; below that "<0.0001%" says
 * enough (the log-probability beside it says how small). printf ignores
 * the unused argument of that format. */
const char *bt_pct_format(double p) {
    double v = 100 * p;
    return v >= 0.1 || v <= 0 ? "%.1f%%" : v >= 0.01 ? "%.3f%%" : v >= 0.001 ? "%.4f%%" : v >= 0.0001 ? "%.5f%%"
                                                                                                   : "<0.0001%%";
}

const char *bt_pct(char *buf, size_t n, double p) { return bt_number(buf, n, bt_pct_format(p), 100 * p); }

const char *bt_decimal(char *buf, size_t n, int prec, double x) {
    char fmt[16];
    snprintf(fmt, sizeof fmt, "%%.%df", prec < 0 ? 0 : prec > 30 ? 30 : prec);
    return bt_number(buf, n, fmt, x);
}
