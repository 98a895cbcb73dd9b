/* The subcommands' option tables parsed, checked and explained in one
 * place (bertology/cli_opts.h). Errors are one line naming the option;
 * the argv words they quote pass through bt_fail's safe_text. The tables'
 * words are marked N_() where they are written and translated here, as
 * the help and the errors print them (po/). */
#include "bertology/cli_opts.h"
#include "bertology/edit_distance.h"
#include "bertology/i18n.h"
#include "bertology/lesson.h"
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *prog_of(const CliSpec *s) { return s->prog ? s->prog : "bertology"; }

/* A table's string in the message language ("" stays "": gettext would
 * give the catalog's header). */
static const char *tr(const char *s) { return s && *s ? _(s) : s; }

/* --lang, which every subcommand takes (main.c reads it before any other
 * option, so that the errors speak it); a table's own --lang (`lesson`'s)
 * replaces it. */
static const Opt LANG_OPT = {"lang", OPT_STR, NULL, N_("the language of the messages (default: the locale's)"),
                             .arg = "en|pt|ru"};

/* The value's name when the table gives none. */
static const char *arg_of(const Opt *o) {
    if (o->arg) return o->arg;
    return o->kind == OPT_INT || o->kind == OPT_LONG ? "N" : o->kind == OPT_FLOAT ? "X" : "VALUE";
}

static int is_help(const char *w) { return !strcmp(w, "--help") || !strcmp(w, "-h"); }

static const Opt *find_long(const CliSpec *s, const char *name, size_t len) {
    for (int k = 0; k < s->n_opts; k++)
        if (strlen(s->opts[k].name) == len && !strncmp(s->opts[k].name, name, len)) return &s->opts[k];
    if (len == strlen(LANG_OPT.name) && !strncmp(name, LANG_OPT.name, len)) return &LANG_OPT;
    return NULL;
}

/* Whether the table leaves --lang to the parser. */
static int common_lang(const CliSpec *s) { return find_long(s, "lang", 4) == &LANG_OPT; }

static const Opt *find_alias(const CliSpec *s, char c) {
    for (int k = 0; k < s->n_opts; k++)
        if (s->opts[k].alias && s->opts[k].alias == c) return &s->opts[k];
    return NULL;
}

/* Whether w is read as an option: --NAME (and --NAME=VALUE), -h, or a
 * one-letter alias. Any other word with a single dash ("-5", "-") is a
 * positional argument, so that TEXT may hold one. "--" is neither. */
static int is_option(const CliSpec *s, const char *w) {
    if (w[0] != '-') return 0;
    if (w[1] == '-') return w[2] != 0;
    return w[1] && !w[2] && (w[1] == 'h' || find_alias(s, w[1]));
}

/* Whether w names one of this table's options (a value that does is
 * more likely a forgotten value than a file called "--json"). */
static int names_option(const CliSpec *s, const char *w) {
    if (is_help(w)) return 1;
    if (strncmp(w, "--", 2) != 0) return w[0] == '-' && w[1] && !w[2] && find_alias(s, w[1]);
    const char *eq = strchr(w + 2, '=');
    return find_long(s, w + 2, eq ? (size_t)(eq - w - 2) : strlen(w + 2)) != NULL;
}

/* The largest value the option's type holds. */
static double type_max(const Opt *o) {
    return o->kind == OPT_INT ? (double)INT_MAX : o->kind == OPT_LONG ? (double)LONG_MAX : (double)FLT_MAX;
}

static int has_range(const Opt *o) { return o->kind != OPT_STR && o->kind != OPT_FLAG && (o->lo != 0 || o->hi != 0); }

/* "a number from 1 to 1000", "a positive number", "a number of at least 0.5". */
static void range_words(const Opt *o, char *buf, size_t n) {
    int whole = o->kind != OPT_FLOAT;
    if (o->hi >= type_max(o)) {
        if (whole && o->lo == 1) snprintf(buf, n, "%s", _("a positive number"));
        else if (whole) snprintf(buf, n, _("a number of at least %.0f"), o->lo);
        else snprintf(buf, n, _("a number of at least %g"), o->lo);
    } else if (whole) snprintf(buf, n, _("a number from %.0f to %.0f"), o->lo, o->hi);
    else snprintf(buf, n, _("a number from %g to %g"), o->lo, o->hi);
}

static int bad_number(const Opt *o, const char *v, BtError *err) {
    char what[96];
    if (has_range(o)) range_words(o, what, sizeof what);
    else snprintf(what, sizeof what, "%s", o->kind == OPT_FLOAT ? _("a number") : _("a whole number"));
    /* TRANSLATORS: "--k takes a number from 1 to 1000, not '0'" */
    return bt_fail(err, "--%s takes %s, not '%s'", o->name, what, v);
}

static int set_value(const Opt *o, const char *v, BtError *err) {
    char *end = NULL;
    double x = 0;
    errno = 0;
    switch (o->kind) {
    case OPT_STR: *(const char **)o->dst = v; return 0;
    case OPT_FLAG: return 0;   /* set by the caller */
    case OPT_FLOAT: {
        float f = strtof(v, &end);
        /* "nan" and "inf" parse, but no option means them */
        if (end == v || *end || !isfinite(f)) return bad_number(o, v, err);
        x = f;
        break;
    }
    case OPT_INT:
    case OPT_LONG: {
        long l = strtol(v, &end, 10);
        if (end == v || *end) return bad_number(o, v, err);
        if (errno == ERANGE || (o->kind == OPT_INT && (l < INT_MIN || l > INT_MAX))) {
            if (has_range(o)) return bad_number(o, v, err);
            return bt_fail(err, "--%s %s is out of range", o->name, v);
        }
        x = (double)l;
        break;
    }
    }
    if (has_range(o) && (x < o->lo || x > o->hi)) return bad_number(o, v, err);
    if (o->kind == OPT_FLOAT) *(float *)o->dst = (float)x;
    else if (o->kind == OPT_INT) *(int *)o->dst = (int)x;
    else *(long *)o->dst = strtol(v, NULL, 10);   /* a long may not fit a double exactly */
    return 0;
}

/* Appends to buf (of n bytes) without overflowing it. */
static void add(char *buf, size_t n, const char *fmt, const char *a, const char *b) {
    size_t l = strlen(buf);
    if (l + 1 < n) snprintf(buf + l, n - l, fmt, a, b);
}

/* One option as the usage line shows it: "--model DIR", "--check [N|all]", "--json". */
static void usage_word(const Opt *o, char *buf, size_t n) {
    if (o->kind == OPT_FLAG) snprintf(buf, n, "--%s", o->name);
    else if (o->bare) snprintf(buf, n, "--%s [%s]", o->name, arg_of(o));
    else snprintf(buf, n, "--%s %s", o->name, arg_of(o));
}

/* Past this width the optional options are "[options]", left to --help. */
enum { USAGE_WIDTH = 150 };

void cli_usage(const CliSpec *s, char *buf, size_t n) {
    for (int brief = 0; brief < 2; brief++) {
        buf[0] = 0;
        add(buf, n, "bertology %s%s", s->name, "");
        int optional = 0;
        for (int k = 0; k < s->n_opts; k++) {
            const Opt *o = &s->opts[k];
            char w[160];
            usage_word(o, w, sizeof w);
            if (o->required) add(buf, n, " %s%s", w, "");
            else if (!brief) add(buf, n, " [%s]%s", w, "");
            optional += !o->required;
        }
        /* TRANSLATORS: the usage line's "[options]", when they do not all fit on it */
        if (brief && optional) add(buf, n, " [%s]%s", _("options"), "");
        if (s->args) add(buf, n, " %s%s", s->args, "");
        if (strlen(buf) <= USAGE_WIDTH) return;
    }
}

/* What --help adds to an option's own words, from the table: " (default
 * 5; 1 to 1000)", " (required)". The default is the value dst holds
 * before parsing, unless the help already says what it is. */
static void help_notes(const Opt *o, char *buf, size_t n) {
    char part[3][96], def[64] = "";
    int np = 0;
    /* the table's help in English says whether it names the default itself */
    if (o->required) snprintf(part[np++], sizeof part[0], "%s", _("required"));
    else if (o->kind != OPT_FLAG && o->dst && !strstr(o->help, "default")) {
        if (o->kind == OPT_INT) snprintf(def, sizeof def, "%d", *(const int *)o->dst);
        else if (o->kind == OPT_LONG) snprintf(def, sizeof def, "%ld", *(const long *)o->dst);
        else if (o->kind == OPT_FLOAT) snprintf(def, sizeof def, "%g", *(const float *)o->dst);
        else if (*(const char *const *)o->dst) snprintf(def, sizeof def, "%s", *(const char *const *)o->dst);
        /* TRANSLATORS: --help's note on an option's default value: "(default 5; 1 to 1000)" */
        if (def[0]) snprintf(part[np++], sizeof part[0], _("default %s"), def);
    }
    if (has_range(o)) {
        if (o->hi >= type_max(o))
            snprintf(part[np++], sizeof part[0], o->kind == OPT_FLOAT ? _("at least %g") : _("at least %.0f"), o->lo);
        else if (o->kind == OPT_FLOAT) snprintf(part[np++], sizeof part[0], _("%g to %g"), o->lo, o->hi);
        else snprintf(part[np++], sizeof part[0], _("%.0f to %.0f"), o->lo, o->hi);
    }
    buf[0] = 0;
    for (int i = 0; i < np; i++) add(buf, n, i ? "; %s%s" : " (%s%s", part[i], i == np - 1 ? ")" : "");
}

void cli_help(const CliSpec *s, FILE *f) {
    char u[1024];
    cli_usage(s, u, sizeof u);
    fprintf(f, _("usage: %s\n"), u);
    if (s->about) fprintf(f, "%s\n", tr(s->about));
    /* the table's options, then --lang when the parser brings it */
    const Opt *opts[CLI_MAX_OPTS + 1];
    int n = s->n_opts < CLI_MAX_OPTS ? s->n_opts : CLI_MAX_OPTS;
    for (int k = 0; k < n; k++) opts[k] = &s->opts[k];
    if (common_lang(s)) opts[n++] = &LANG_OPT;
    /* the names' column as wide as the widest, within reason */
    char label[CLI_MAX_OPTS + 1][160];
    int width = (int)strlen("-h, --help");
    for (int k = 0; k < n; k++) {
        const Opt *o = opts[k];
        char w[140];
        usage_word(o, w, sizeof w);
        if (o->alias) snprintf(label[k], sizeof label[k], "-%c, %s", o->alias, w);
        else snprintf(label[k], sizeof label[k], "%s", w);
        int l = (int)strlen(label[k]);
        if (l > width) width = l;
    }
    if (width > 28) width = 28;   /* a longer name pushes its own line's help right */
    for (int k = 0; k < n; k++) {
        char notes[200];
        help_notes(opts[k], notes, sizeof notes);
        fprintf(f, "  %-*s  %s%s\n", width, label[k], tr(opts[k]->help), notes);
    }
    fprintf(f, "  %-*s  %s\n", width, "-h, --help", _("this text"));
}

/* "unknown option '--chek'; did you mean '--check'? usage: ...". The
 * start of a name ("--mask-rep") points to the shortest option it starts;
 * otherwise a slip of the fingers (edit_distance) to the nearest. */
static int unknown(const CliSpec *s, const char *w, size_t len, BtError *err) {
    char name[72], usage[1024];
    snprintf(name, sizeof name, "%.*s", (int)(len < 64 ? len : 64), w + 2);
    cli_usage(s, usage, sizeof usage);
    const char *near = NULL;
    size_t nl = strlen(name);
    for (int k = 0; k < s->n_opts && nl >= 2; k++)
        if (!strncmp(s->opts[k].name, name, nl) && (!near || strlen(s->opts[k].name) < strlen(near)))
            near = s->opts[k].name;
    if (!near) {
        int d;
        near = edit_nearest(name, s->opts, sizeof *s->opts, s->n_opts, &d);
        if (near && d > edit_slip_limit(nl)) near = NULL;
    }
    if (near) return bt_fail(err, "unknown option '--%s'; did you mean '--%s'? usage: %s", name, near, usage);
    return bt_fail(err, "unknown option '--%s'; usage: %s", name, usage);
}

/* After the words: too many positional arguments, a required option
 * left out, too few positional arguments, in that order. */
static int check_counts(const CliSpec *s, int npos, char **argv, uint64_t seen, BtError *err) {
    char usage[1024];
    cli_usage(s, usage, sizeof usage);
    if (s->max_args >= 0 && npos > s->max_args)
        return bt_fail(err, "unexpected '%s'; usage: %s", argv[s->max_args], usage);
    char need[600] = "";
    int missing = 0, last = -1;
    for (int k = 0; k < s->n_opts; k++)
        if (s->opts[k].required && !(seen & (1ull << k))) missing++, last = k;
    for (int k = 0, said = 0; k < s->n_opts; k++) {
        if (!s->opts[k].required || (seen & (1ull << k))) continue;
        char w[160];
        usage_word(&s->opts[k], w, sizeof w);
        /* TRANSLATORS: between the last two options a command line lacks: "--out FILE and --vocab FILE" */
        add(need, sizeof need, "%s%s", said == 0 ? "" : k == last ? _(" and ") : ", ", w);
        said++;
    }
    /* TRANSLATORS: "train needs --corpus TRAIN.txt and --out RUN_DIR; usage: ..." */
    if (missing) return bt_fail(err, "%s needs %s; usage: %s", s->name, need, usage);
    if (npos < s->min_args) {
        if (s->missing) return bt_fail(err, "%s; usage: %s", tr(s->missing), usage);
        return bt_fail(err, "%s needs %s; usage: %s", s->name, s->args ? s->args : _("arguments"), usage);
    }
    return 0;
}

int cli_parse_quiet(const CliSpec *s, int argc, char **argv, BtError *err) {
    if (s->n_opts > CLI_MAX_OPTS) {
        bt_fail(err, "%s has more than %d options in its table", s->name, CLI_MAX_OPTS);
        return CLI_BAD;
    }
    /* --help wins over any mistake around it */
    for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (is_help(argv[i])) return CLI_HELP;
    uint64_t seen = 0;
    int npos = 0, rest = 0;
    const char *lang = NULL;   /* the common --lang's value */
    for (int i = 0; i < argc; i++) {
        char *w = argv[i];
        if (!rest && !strcmp(w, "--")) { rest = 1; continue; }
        /* positional words move to the front; npos <= i, so no word
         * still to be read is overwritten */
        if (rest || !is_option(s, w)) { argv[npos++] = w; continue; }
        const Opt *o;
        const char *v = NULL;
        if (w[1] != '-') o = find_alias(s, w[1]);
        else {
            const char *eq = strchr(w + 2, '=');
            size_t len = eq ? (size_t)(eq - w - 2) : strlen(w + 2);
            if (!(o = find_long(s, w + 2, len))) return unknown(s, w, len, err), CLI_BAD;
            if (eq) v = eq + 1;
        }
        if (o != &LANG_OPT) seen |= 1ull << (o - s->opts);
        if (o->kind == OPT_FLAG) {
            if (v) return bt_fail(err, "--%s takes no value, not '%s'", o->name, v), CLI_BAD;
            *(int *)o->dst = 1;
            continue;
        }
        if (!v && o->bare) v = i + 1 < argc && argv[i + 1][0] != '-' ? argv[++i] : o->bare;
        if (!v && i + 1 >= argc)
            return bt_fail(err, "--%s needs a value (%s: %s)", o->name, arg_of(o), tr(o->help)), CLI_BAD;
        if (!v && names_option(s, argv[i + 1]))
            return bt_fail(err, "--%s needs a value (%s: %s), not the option %s", o->name, arg_of(o), tr(o->help),
                           argv[i + 1]), CLI_BAD;
        if (!v) v = argv[++i];
        if (o == &LANG_OPT) lang = v;
        else if (set_value(o, v, err)) return CLI_BAD;
    }
    char norm[8];
    if (lang && lesson_lang_valid(lang, norm, sizeof norm, err) != 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return bt_fail(err, "--lang: %s", why), CLI_BAD;
    }
    if (check_counts(s, npos, argv, seen, err)) return CLI_BAD;
    return npos;
}

int cli_parse(const CliSpec *s, int argc, char **argv) {
    BtError err = {{0}};
    int r = cli_parse_quiet(s, argc, argv, &err);
    if (r == CLI_HELP) cli_help(s, stdout);
    else if (r == CLI_BAD) fprintf(stderr, "%s: %s\n", prog_of(s), err.msg);
    return r;
}

char *cli_join_args(int n, char **words) {
    if (n <= 0) return NULL;
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(words[i]) + 1;
    char *s = malloc(len), *p = s;
    if (!s) return NULL;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(words[i]);
        if (i) *p++ = ' ';
        memcpy(p, words[i], l);
        p += l;
    }
    *p = 0;
    return s;
}

int cli_status(int parsed) { return parsed == CLI_HELP ? 0 : 2; }

const CliCommand *cli_command_find(const CliCommand *t, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].name, name)) return &t[i];
    return NULL;
}

const char *cli_command_near(const CliCommand *t, int n, const char *word) {
    int d;
    const char *near = edit_nearest(word, t, sizeof *t, n, &d);
    return near && d <= edit_slip_limit(strlen(word)) ? near : NULL;
}

const char *cli_pad(char *buf, size_t n, const char *text, int width) {
    int cols = 0;
    for (const char *c = text; *c; c++) cols += ((unsigned char)*c & 0xC0) != 0x80;
    snprintf(buf, n, "%s%*s", text, cols < width ? width - cols : 0, "");
    return buf;
}
