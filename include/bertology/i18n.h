#ifndef BERTOLOGY_I18N_H
#define BERTOLOGY_I18N_H
/* What a learner reads in the REPL, in their language: gettext.
 *
 * Why gettext and not a table of our own: it is the convention the
 * learners' other tools follow (LANGUAGE / LC_MESSAGES / LANG, .po files
 * under po/), and translators get their usual tooling (msgmerge, Poedit,
 * plural forms, fuzzy entries) instead of C arrays to edit.
 *
 *   _("text")          translated now, in the current message language
 *   N_("text")         only marked (a static table: translate with _() when printed)
 *   P_("ctx", "text")  translated in a context (msgctxt): a short word whose
 *                      translation depends on where it stands ("mean" as a
 *                      column head)
 *   ngettext(one, many, n)  a message with a count: Russian has 3 forms
 *
 * The catalogs are po/LL.po, built by meson's i18n module into
 * BUILD/po/LL/LC_MESSAGES/bertology.mo and installed under localedir;
 * `ninja -C build bertology-pot bertology-update-po` refreshes them after
 * strings change (po/POTFILES lists the marked sources).
 *
 * One language at a time: the lessons' language (src/lesson/
 * lesson_catalog.c: --lang, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG) is
 * also the language of the messages. Only LC_MESSAGES is taken from the
 * environment, never LC_NUMERIC: numbers in matrices and tables keep the
 * decimal point; numbers inside a sentence go through bt_decimal(), whose
 * separator the catalog gives (pt and ru: the decimal comma). */
#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* xgettext: --keyword=P_:1c,2 (po/meson.build) */
#define P_(ctx, s) bt_pgettext(ctx "\004" s, s)
#include <stddef.h>

/* pgettext: the translation of "CTX\004MSGID", else msgid. */
const char *bt_pgettext(const char *ctx_msgid, const char *msgid);

/* x with prec digits after the decimal separator of the message language
 * (P_("decimal separator", ".")): "0,250" in a Portuguese or Russian
 * sentence, "0.250" in English; "-0" printed as "0". Returns buf. */
const char *bt_decimal(char *buf, size_t n, int prec, double x);
/* The same for any one-number printf format of a double ("%+.3f",
 * "%.2g", "%.1f%%"): x formatted, its '.' made the message language's
 * separator, "-0…" printed without the sign. Returns buf. */
const char *bt_number(char *buf, size_t n, const char *fmt, double x);
/* How a probability p (0..1) is written as a percentage, everywhere: one
 * decimal ("23.5%", "0.4%", "0.0%"), two significant digits below 0.1%
 * ("0.0012%", written out) so that a tiny probability does not read as
 * zero, and "<0.0001%" below that (never an exponent).
 * bt_pct_format(p) is the printf format of 100 * p (tables: the point);
 * bt_pct() formats it for a sentence or the window (the language's
 * separator). Returns the format / buf. */
const char *bt_pct_format(double p);
const char *bt_pct(char *buf, size_t n, double p);

/* bindtextdomain (the build tree's po/ when its catalogs are there, else
 * the installed locale directory), UTF-8 output whatever LC_CTYPE says,
 * LC_CTYPE from the environment but UTF-8 at least (strerror converts to
 * it), and LC_MESSAGES from the environment. Call once, first thing. */
void bt_i18n_init(void);

/* Whether messages exist in lang: "en" always, else its catalog is there
 * (the build tree's or the installed one, as bt_i18n_init binds). */
int bt_i18n_has(const char *lang);

/* Messages in lang ("en", "pt", "ru"; "" or NULL: as bt_i18n_init found
 * them) from now on. Works without lang's locale being installed. */
void bt_i18n_use(const char *lang);

/* msgid translated into lang, whatever the current message language
 * (the lesson player speaks its lesson's language). */
const char *bt_gettext_in(const char *lang, const char *msgid);

#endif
