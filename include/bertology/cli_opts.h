#ifndef BERTOLOGY_CLI_OPTS_H
#define BERTOLOGY_CLI_OPTS_H
/* The command line of every subcommand, parsed in one place from one
 * table per subcommand: the same table checks the values, names what was
 * wrong in one line, suggests the option meant, and writes the usage line
 * and `--help`.
 *
 *   const char *model = NULL;
 *   int k = 5, json = 0;
 *   const Opt opts[] = {
 *       {"model", OPT_STR, &model, N_("model directory or pulled id"), .arg = "DIR"},
 *       {"k", OPT_INT, &k, N_("guesses per depth"), .arg = "K", .lo = 1, .hi = 1000},
 *       {"json", OPT_FLAG, &json, N_("print JSON")},
 *   };
 *   const CliSpec spec = {"lens", opts, CLI_N(opts), .args = "TEXT", .min_args = 1, .max_args = -1,
 *                         .missing = N_("no text given")};
 *   int n = cli_parse(&spec, argc, argv);
 *   if (n < 0) return cli_status(n);
 *   ... argv[0..n) are the positional arguments, in order; cli_join_args(n, argv) is TEXT
 *
 * Words: --name VALUE and --name=VALUE; -h and --help anywhere print the
 * help; `--` ends the options (every word after it is positional); a word
 * starting with a single dash is positional ("-5", "-") unless it is -h
 * or an option's one-letter alias. Options and positional arguments may
 * come in any order; an option given twice keeps the last value.
 *
 * Every table also takes --lang LANG (main.c has applied it before the
 * subcommand runs; here a language without lessons is refused), unless it
 * has its own. The help, about and missing strings are marked N_() and
 * printed translated, as are the parser's own words. */
#include <stddef.h>
#include <stdio.h>
#include "bertology/error.h"

/* A row names the fields it needs and leaves the rest zero: that is how
 * an option table reads best, so -Wextra's complaint about it is off for
 * the files that write one. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

typedef enum { OPT_STR, OPT_INT, OPT_LONG, OPT_FLOAT, OPT_FLAG } OptKind;

typedef struct {
    const char *name;   /* without the dashes: "model" is --model */
    OptKind kind;
    void *dst;          /* const char **, int *, long *, float *; OPT_FLAG: int *, set to 1 */
    const char *help;   /* one line in --help, N_("...") */
    const char *arg;    /* the value's name in the usage and --help ("DIR"); NULL: "X" */
    double lo, hi;      /* numbers: the accepted range, checked when either is not 0 */
    int required;       /* the subcommand cannot run without it */
    const char *bare;   /* OPT_STR only: the value may be left out (the option last, or
                         * followed by another option), and is then this */
    char alias;         /* a one-letter form ('v': -v), or 0 */
} Opt;

typedef struct {
    const char *name;   /* the subcommand as typed after `bertology`: "predict", "vectors convert" */
    const Opt *opts;
    int n_opts;         /* at most CLI_MAX_OPTS */
    const char *args;   /* the positional arguments in the usage line ("TEXT", "RUN_DIR"); NULL: none */
    int min_args;       /* fewer: the subcommand's `missing` message */
    int max_args;       /* more: "unexpected 'WORD'"; -1: any number */
    const char *missing;/* the line for too few positional arguments (N_("no text given"));
                         * NULL: "NAME needs ARGS" */
    const char *about;  /* NULL, or what --help says after the usage line (may be several
                         * lines), N_("...") */
    const char *prog;   /* what error lines start with; NULL: "bertology" */
} CliSpec;

enum { CLI_MAX_OPTS = 64 };
#define CLI_N(table) ((int)(sizeof(table) / sizeof((table)[0])))

/* What cli_parse returns instead of a count. */
enum { CLI_HELP = -1, CLI_BAD = -2 };

/* Parses argv (the words after the subcommand's name) against spec: sets
 * the options' dst and moves the positional arguments, in order, to
 * argv[0..n). Returns n; CLI_HELP after printing the help on stdout, or
 * CLI_BAD after printing one line on stderr: "bertology: --k takes a
 * number from 1 to 1000, not '0'". */
int cli_parse(const CliSpec *spec, int argc, char **argv);

/* The exit status after a negative cli_parse: 0 for --help, 2 for a bad
 * command line. */
int cli_status(int parsed);

/* cli_parse without printing: CLI_HELP with nothing written, CLI_BAD with
 * the line (without the "bertology: " prefix) in err. */
int cli_parse_quiet(const CliSpec *spec, int argc, char **argv, BtError *err);

/* The n positional words cli_parse left at the front of argv, joined
 * with spaces: a subcommand's TEXT (malloc'd; NULL when n is 0 or out of
 * memory). */
char *cli_join_args(int n, char **words);
/* text padded to width columns, counting UTF-8 code points, not bytes:
 * a translated row name or verdict (Cyrillic in ru) in a printed table.
 * Returns buf. */
const char *cli_pad(char *buf, size_t n, const char *text, int width);

/* "bertology predict [--model DIR] [--top K] TEXT", from the table. */
void cli_usage(const CliSpec *spec, char *buf, size_t n);

/* --help: "usage: " and the usage line, the about text, then one line per
 * option and one for --help. */
void cli_help(const CliSpec *spec, FILE *f);

/* A table of subcommands (main.c's, `vectors`'): the name typed, the
 * function given the words after it, one line of help (and the
 * arguments). */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;   /* N_("..."): printed through _() */
    const char *args;   /* the arguments, shown before help in a list (`vectors`'); NULL: none */
} CliCommand;

/* The row named name; NULL if none. */
const CliCommand *cli_command_find(const CliCommand *t, int n, const char *name);
/* The name of the row word is a slip of (edit_distance), or NULL. */
const char *cli_command_near(const CliCommand *t, int n, const char *word);

#endif
