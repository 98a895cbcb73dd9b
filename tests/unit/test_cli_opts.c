/* The subcommands' option-table parser (include/bertology/cli_opts.h):
 * every kind of option, both spellings of a value, positional arguments
 * anywhere and after `--`, and each way a command line can be wrong, as
 * one line naming the option; --help and the usage line written from the
 * table; the subcommand table's lookups. */
#include "bertology/cli_opts.h"
#include "bertology/i18n.h"
#include "testutil.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The table every case parses against, its values reset per case. */
typedef struct {
    const char *model, *out, *check;
    int k, n, json, verbose;
    long seed;
    float lr;
} Vals;

static Vals v;
static BtError err;

static void reset(void) {
    memset(&v, 0, sizeof v);
    v.k = 5;
    v.seed = 42;
    v.lr = 0.5f;
    memset(&err, 0, sizeof err);
}

static const Opt OPTS[] = {
    {"model", OPT_STR, &v.model, "model directory", .arg = "DIR"},
    {"out", OPT_STR, &v.out, "where to write", .arg = "FILE", .required = 1},
    {"k", OPT_INT, &v.k, "guesses per depth", .arg = "K", .lo = 1, .hi = 1000},
    {"n", OPT_INT, &v.n, "a count"},
    {"seed", OPT_LONG, &v.seed, "random seed"},
    {"lr", OPT_FLOAT, &v.lr, "learning rate", .lo = 0.0001, .hi = 1},
    {"json", OPT_FLAG, &v.json, "print JSON"},
    {"verbose", OPT_FLAG, &v.verbose, "say more", .alias = 'v'},
    {"check", OPT_STR, &v.check, "lesson N, or all", .arg = "N|all", .bare = "all"},
};

static const CliSpec SPEC = {"probe", OPTS, CLI_N(OPTS), .args = "TEXT", .min_args = 1, .max_args = 3,
                             .missing = "no text given", .about = "A table for the test."};

/* Parses the words (NULL-terminated) in a fresh copy of argv. */
static int parse_words(const CliSpec *s, char **argv, const char *const *words) {
    int argc = 0;
    while (words[argc]) {
        argv[argc] = (char *)words[argc];
        argc++;
    }
    reset();
    return cli_parse_quiet(s, argc, argv, &err);
}
#define PARSE(...) parse_words(&SPEC, argv, (const char *const[]){__VA_ARGS__, NULL})

/* A failure: CLI_BAD, one line holding every needle. */
static void bad(int r, const char *what, const char *n1, const char *n2) {
    CHECKF(r == CLI_BAD, "%s: returned %d, not CLI_BAD", what, r);
    CHECKF(strchr(err.msg, '\n') == NULL, "%s: more than one line: %s", what, err.msg);
    CHECKF(strstr(err.msg, n1) != NULL, "%s: '%s' not in: %s", what, n1, err.msg);
    if (n2) CHECKF(strstr(err.msg, n2) != NULL, "%s: '%s' not in: %s", what, n2, err.msg);
}

static void kinds(void) {
    char *argv[32];
    int r = PARSE("--model", "m", "--out=o.npz", "--k", "7", "--n=-3", "--seed", "9000000000", "--lr", "0.25",
                  "--json", "-v", "the", "cat");
    CHECKF(r == 2, "returned %d (%s)", r, err.msg);
    CHECK(v.model && !strcmp(v.model, "m"));
    CHECK(v.out && !strcmp(v.out, "o.npz"));
    CHECK(v.k == 7 && v.n == -3 && v.seed == 9000000000L && v.lr == 0.25f);
    CHECK(v.json == 1 && v.verbose == 1 && v.check == NULL);
    CHECK(r == 2 && !strcmp(argv[0], "the") && !strcmp(argv[1], "cat"));

    /* untouched options keep what dst held */
    r = PARSE("--out", "o", "x");
    CHECK(r == 1 && v.k == 5 && v.seed == 42 && v.lr == 0.5f && !v.json && !v.model);
    /* an option given twice keeps the last value */
    r = PARSE("--out", "a", "--out", "b", "x");
    CHECK(r == 1 && !strcmp(v.out, "b"));
    /* the range's ends are in it */
    CHECK(PARSE("--out", "o", "--k", "1", "x") == 1 && v.k == 1);
    CHECK(PARSE("--out", "o", "--k", "1000", "x") == 1 && v.k == 1000);
    CHECK(PARSE("--out", "o", "--lr", "1", "x") == 1 && v.lr == 1.0f);
    CHECK(PARSE("--out", "o", "--n", "2147483647", "x") == 1 && v.n == INT_MAX);

    /* an optional value: taken when a word follows, else the bare one */
    CHECK(PARSE("--out", "o", "x", "--check") == 1 && v.check && !strcmp(v.check, "all"));
    CHECK(PARSE("--out", "o", "--check", "--json", "x") == 1 && !strcmp(v.check, "all") && v.json);
    CHECK(PARSE("--out", "o", "--check", "3") == CLI_BAD);   /* "3" was the value: no TEXT left */
    CHECK(PARSE("--out", "o", "--check", "3", "x") == 1 && !strcmp(v.check, "3"));
    CHECK(PARSE("--out", "o", "--check=2", "x") == 1 && !strcmp(v.check, "2"));
}

static void positional(void) {
    char *argv[32];
    /* options anywhere; the words keep their order */
    int r = PARSE("a", "--out", "o", "b", "--json", "c");
    CHECKF(r == 3 && !strcmp(argv[0], "a") && !strcmp(argv[1], "b") && !strcmp(argv[2], "c"), "r %d", r);
    char *text = cli_join_args(r, argv);
    CHECKF(text && !strcmp(text, "a b c"), "TEXT '%s'", text ? text : "NULL");
    free(text);
    CHECK(cli_join_args(0, argv) == NULL);
    /* `--` ends the options: what follows is text, even --help */
    r = PARSE("--out", "o", "--", "--json", "--help");
    CHECKF(r == 2 && !v.json && !strcmp(argv[0], "--json") && !strcmp(argv[1], "--help"), "r %d", r);
    /* a single dash that is not -h or an alias is a word of the text */
    r = PARSE("--out", "o", "-5", "-", "-x");
    CHECKF(r == 3 && !strcmp(argv[0], "-5") && !strcmp(argv[1], "-") && !strcmp(argv[2], "-x"), "r %d", r);
    /* a value may start with a dash */
    r = PARSE("--out", "o", "--n", "-7", "--model", "-odd-", "x");
    CHECKF(r == 1 && v.n == -7 && !strcmp(v.model, "-odd-"), "r %d %s", r, err.msg);

    bad(PARSE("--out", "o"), "too few", "no text given", "usage: bertology probe");
    bad(PARSE("--out", "o", "a", "b", "c", "d"), "too many", "unexpected 'd'", "usage: bertology probe");
    /* without its own message: NAME needs ARGS */
    const CliSpec two = {"pair", NULL, 0, .args = "IN OUT", .min_args = 2, .max_args = 2};
    bad(parse_words(&two, argv, (const char *const[]){"a", NULL}), "default missing", "pair needs IN OUT",
        "usage: bertology pair IN OUT");
    CHECK(parse_words(&two, argv, (const char *const[]){"a", "b", NULL}) == 2);
    /* no options at all: anything dashed is refused as unknown */
    bad(parse_words(&two, argv, (const char *const[]){"a", "b", "--x", NULL}), "no options", "unknown option '--x'",
        NULL);
}

static void errors(void) {
    char *argv[32];
    bad(PARSE("x", "--out"), "missing value", "--out needs a value", "FILE");
    bad(PARSE("x", "--out", "--json"), "value is an option", "--out needs a value", "not the option --json");
    bad(PARSE("--out", "o", "x", "--k", "abc"), "bad number", "--k takes a number from 1 to 1000, not 'abc'", NULL);
    bad(PARSE("--out", "o", "x", "--k", ""), "empty number", "--k takes a number from 1 to 1000", NULL);
    bad(PARSE("--out", "o", "x", "--k", "0"), "below the range", "--k takes a number from 1 to 1000, not '0'", NULL);
    bad(PARSE("--out", "o", "x", "--k", "1001"), "above the range", "--k takes a number from 1 to 1000, not '1001'",
        NULL);
    bad(PARSE("--out", "o", "x", "--k", "99999999999"), "above int, ranged", "--k takes a number from 1 to 1000", NULL);
    bad(PARSE("--out", "o", "x", "--n", "2.5"), "not whole", "--n takes a whole number, not '2.5'", NULL);
    bad(PARSE("--out", "o", "x", "--n", "7x"), "trailing letters", "--n takes a whole number, not '7x'", NULL);
    bad(PARSE("--out", "o", "x", "--n", "99999999999"), "int overflow", "--n 99999999999 is out of range", NULL);
    bad(PARSE("--out", "o", "x", "--seed", "99999999999999999999"), "long overflow",
        "--seed 99999999999999999999 is out of range", NULL);
    bad(PARSE("--out", "o", "x", "--lr", "fast"), "bad float", "--lr takes a number from 0.0001 to 1, not 'fast'",
        NULL);
    bad(PARSE("--out", "o", "x", "--lr", "nan"), "nan", "--lr takes a number", "'nan'");
    bad(PARSE("--out", "o", "x", "--lr", "inf"), "inf", "--lr takes a number", "'inf'");
    bad(PARSE("--out", "o", "x", "--lr", "2"), "float range", "--lr takes a number from 0.0001 to 1, not '2'", NULL);
    bad(PARSE("--out", "o", "x", "--json=1"), "flag with a value", "--json takes no value", NULL);
    bad(PARSE("x"), "required", "probe needs --out FILE", "usage: bertology probe");
    /* a slip of the fingers is named, and so is the start of one name */
    bad(PARSE("--out", "o", "x", "--modle", "m"), "swap", "unknown option '--modle'; did you mean '--model'?", NULL);
    bad(PARSE("--out", "o", "x", "--jsno"), "typo", "did you mean '--json'?", "usage: bertology probe");
    bad(PARSE("--out", "o", "x", "--verb"), "prefix", "unknown option '--verb'; did you mean '--verbose'?", NULL);
    /* a short start of one name, too far from any name to be a slip */
    bad(PARSE("--out", "o", "x", "--mo"), "short prefix", "did you mean '--model'?", NULL);
    bad(PARSE("--out", "o", "x", "--frobnicate"), "far", "unknown option '--frobnicate'; usage:", NULL);
    CHECKF(!strstr(err.msg, "did you mean"), "a far word got a hint: %s", err.msg);
    bad(PARSE("--out", "o", "x", "--modle=m"), "typo with =", "unknown option '--modle'; did you mean", NULL);
    /* what is quoted from argv cannot reach the terminal as control bytes */
    bad(PARSE("--out", "o", "x", "--k", "1\033[2J"), "escape", "--k takes", NULL);
    CHECKF(!strchr(err.msg, '\033'), "ESC in the message: %s", err.msg);
    /* --help wins over mistakes around it; -h too */
    CHECK(PARSE("--bogus", "--k", "0", "--help") == CLI_HELP);
    CHECK(PARSE("-h") == CLI_HELP);
    CHECK(cli_status(CLI_HELP) == 0 && cli_status(CLI_BAD) == 2);
}

static char *help_of(const CliSpec *s) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cli_help(s, f);
    fclose(f);
    return buf;
}

static void help(void) {
    reset();
    char *h = help_of(&SPEC);
    const char *want[] = {
        "usage: bertology probe [--model DIR] --out FILE [--k K] [--n N] [--seed N] [--lr X] [--json] [--verbose] "
        "[--check [N|all]] TEXT\n",
        "A table for the test.\n",
        "  --model DIR      model directory\n",
        "  --out FILE       where to write (required)\n",
        "  --k K            guesses per depth (default 5; 1 to 1000)\n",
        "  --n N            a count (default 0)\n",
        "  --seed N         random seed (default 42)\n",
        "  --lr X           learning rate (default 0.5; 0.0001 to 1)\n",
        "  --json           print JSON\n",
        "  -v, --verbose    say more\n",
        "  --check [N|all]  lesson N, or all\n",
        "  --lang en|pt|ru  the language of the messages (default: the locale's)\n",
        "  -h, --help       this text\n",
    };
    /* every line, in this order, and nothing else */
    const char *p = h;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECKF(!strncmp(p, want[i], strlen(want[i])), "help line %zu: want '%s', got '%.*s'", i, want[i],
               (int)strcspn(p, "\n"), p);
        p = strchr(p, '\n');
        p = p ? p + 1 : "";
    }
    CHECKF(*p == 0, "help goes on: '%s'", p);
    free(h);

    /* a row added to the table is a line of --help and a word of the usage */
    int extra = 0;
    Opt more[CLI_N(OPTS) + 1];
    memcpy(more, OPTS, sizeof OPTS);
    more[CLI_N(OPTS)] = (Opt){"extra", OPT_FLAG, &extra, "one more"};
    CliSpec s2 = SPEC;
    s2.opts = more;
    s2.n_opts = CLI_N(more);
    h = help_of(&s2);
    CHECKF(strstr(h, "[--check [N|all]] [--extra] TEXT\n") && strstr(h, "  --extra          one more\n"), "%s", h);
    free(h);

    /* a long table keeps its required options in the usage, the rest is [options] */
    Opt many[40];
    char names[40][16];
    int flags[40] = {0};
    many[0] = (Opt){"corpus", OPT_STR, &v.model, "text", .arg = "FILE", .required = 1};
    for (int i = 1; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "option-%02d", i);
        many[i] = (Opt){names[i], OPT_FLAG, &flags[i], "a flag"};
    }
    CliSpec big = {"big", many, 40};
    char usage[1024];
    cli_usage(&big, usage, sizeof usage);
    CHECKF(!strcmp(usage, "bertology big --corpus FILE [options]"), "%s", usage);
    /* more rows than the parser keeps track of is refused, not overrun */
    Opt huge[CLI_MAX_OPTS + 1];
    for (int i = 0; i <= CLI_MAX_OPTS; i++) huge[i] = (Opt){"x", OPT_FLAG, &flags[0], "x"};
    CliSpec too = {"too", huge, CLI_MAX_OPTS + 1};
    char *argv[2] = {"a", NULL};
    CHECK(cli_parse_quiet(&too, 0, argv, &err) == CLI_BAD);
}

static int run_a(int argc, char **argv) { (void)argc, (void)argv; return 11; }
static int run_b(int argc, char **argv) { (void)argc, (void)argv; return 12; }

static void commands(void) {
    const CliCommand t[] = {{"predict", run_a, "a"}, {"tokenize", run_b, "b"}};
    CHECK(cli_command_find(t, 2, "tokenize") == &t[1]);
    CHECK(cli_command_find(t, 2, "token") == NULL);
    const char *near = cli_command_near(t, 2, "predcit");
    CHECKF(near && !strcmp(near, "predict"), "%s", near ? near : "NULL");
    CHECK(cli_command_near(t, 2, "frobnicate") == NULL);
}

/* --lang: every table takes it (main.c has applied it already), a table's
 * own --lang wins; a language without lessons is refused. The words of
 * the help and the errors follow the message language. */
static void lang(void) {
    char *argv[32];
    int r = PARSE("--lang", "pt", "--out", "o", "the", "--lang=ru", "cat");
    CHECKF(r == 2 && !strcmp(argv[0], "the") && !strcmp(argv[1], "cat"), "returned %d (%s)", r, err.msg);
    bad(PARSE("--out", "o", "--lang", "xx", "x"), "a language without lessons", "--lang: ", "speaks no 'xx'");
    bad(PARSE("--out", "o", "x", "--lang"), "--lang without a value", "--lang needs a value", NULL);
    bad(PARSE("--out", "o", "--json=1", "--lang", "ru", "x"), "an error before --lang", "--json takes no value", NULL);
    const char *own = NULL;
    const Opt opts[] = {{"lang", OPT_STR, &own, "the lessons' language", .arg = "L"}};
    const CliSpec spec = {"own", opts, CLI_N(opts)};
    r = parse_words(&spec, argv, (const char *const[]){"--lang", "xx", NULL});
    CHECKF(r == 0 && own && !strcmp(own, "xx"), "a table's own --lang: %d %s", r, err.msg);
    char *h = help_of(&spec);
    CHECKF(strstr(h, "--lang L ") && !strstr(h, "en|pt|ru"), "a table's own --lang is listed once: %s", h);
    free(h);

    bt_i18n_use("pt");
    bad(PARSE("--out", "o", "--k", "0", "x"), "a range in Portuguese", "--k aceita um número de 1 a 1000, não '0'",
        NULL);
    bad(PARSE("--out", "o", "--jsn", "x"), "a slip in Portuguese", "opção desconhecida '--jsn'; você quis dizer '--json'?",
        "uso: bertology probe");
    h = help_of(&SPEC);
    CHECKF(strstr(h, "uso: bertology probe") && strstr(h, "(padrão 5; 1 a 1000)") && strstr(h, "(opção obrigatória)") &&
               strstr(h, "  -h, --help       este texto\n"),
           "help in Portuguese: %s", h);
    free(h);
    bt_i18n_use("en");
}

int main(void) {
    kinds();
    positional();
    errors();
    help();
    commands();
    lang();
    return test_done("cli_opts");
}
