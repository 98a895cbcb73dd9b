/* `bertology` with no subcommand: options, the model, the window, and the
 * choice between a script and a person at the keyboard. */
#include "bertology/repl.h"
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bertology/hub.h"
#include "bertology/i18n.h"
#include "bertology/lesson.h"
#include "bertology/paths.h"
#include "bertology/safetext.h"
#include "cmd_vectors.h"
#include "commands.h"
#include "dispatch.h"
#include "loop.h"
#include "session.h"

/* The REPL's options for --help: the option as typed, what it does
 * (translated; a line break in it continues under the first line). */
static const struct {
    const char *name, *help;
} OPTIONS_HELP[] = {
    {"--model DIR|ID", N_("a Hugging Face BERT directory (config.json, vocab.txt, model.safetensors),\n"
                          "or the id of a pulled model (bertology models)")},
    {"--no-window", N_("terminal only")},
    {"--plain", N_("no colour")},
    {"--truncate", N_("cut sentences longer than the model's limit")},
    {"--font FILE", N_("the window's font (default: DejaVu Sans via fontconfig)")},
    {"--vectors FILE", N_("static word vectors for similar/analogy/compare (.btv, GloVe, word2vec)")},
    {"--lang LANG", N_("language of the lessons and messages: en, pt or ru (default: the locale)")},
    {"-e CMD", N_("run CMD (repeatable), then exit")},
    {"--script FILE", N_("run the commands in FILE (- for stdin), then exit")},
};

void repl_print_options(FILE *f) {
    for (size_t i = 0; i < sizeof OPTIONS_HELP / sizeof OPTIONS_HELP[0]; i++) {
        const char *h = _(OPTIONS_HELP[i].help);
        fprintf(f, "  %-14s  ", OPTIONS_HELP[i].name);
        for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1) fprintf(f, "%.*s\n%18s", (int)(nl - h), h, "");
        fprintf(f, "%s\n", h);
    }
}

typedef struct {
    const char *model_dir, *font, *vectors, *lang;
    int no_window, plain, truncate;
    /* -e and --script in command-line order: kind 'e' or 's'. */
    int n_src;
    char kind[256];
    const char *arg[256];
} Options;

/* The options that take a value (--model DIR, or --model=DIR). */
static int takes_value(const char *a) {
    static const char *const with_value[] = {"--model", "--font", "-e", "--script", "--vectors", "--lang"};
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
        if (strcmp(a, with_value[i]) == 0) return 1;
    return 0;
}

/* Returns 0, 1 for --help, or -1 after a message. */
static int parse_options(int argc, char **argv, Options *o, int (*is_subcommand)(const char *)) {
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[32];
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        if (eq && (size_t)(eq - a) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            val = eq + 1;
            a = name;
        }
        int needs = takes_value(a);
        if (needs && !val) {
            if (i + 1 >= argc) { fprintf(stderr, _("bertology: %s needs a value (see bertology --help)\n"), a); return -1; }
            val = argv[++i];
        } else if (!needs && val) {
            fprintf(stderr, _("bertology: %s takes no value\n"), a);
            return -1;
        }
        if (strcmp(a, "--model") == 0) o->model_dir = val;
        else if (strcmp(a, "--font") == 0) o->font = val;
        else if (strcmp(a, "--vectors") == 0) o->vectors = val;
        else if (strcmp(a, "--lang") == 0) o->lang = val;
        else if (strcmp(a, "-e") == 0 || strcmp(a, "--script") == 0) {
            if (o->n_src == 256) { fputs(_("bertology: too many -e/--script (at most 256)\n"), stderr); return -1; }
            o->kind[o->n_src] = a[1] == 'e' ? 'e' : 's';
            o->arg[o->n_src++] = val;
        } else if (strcmp(a, "--no-window") == 0) o->no_window = 1;
        else if (strcmp(a, "--plain") == 0) o->plain = 1;
        else if (strcmp(a, "--truncate") == 0) o->truncate = 1;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return 1;
        else if (is_subcommand && is_subcommand(argv[i])) {
            /* `bertology --lang pt tokenize …`: options of a subcommand follow it */
            fprintf(stderr, _("bertology: '%s' is a subcommand and comes first: bertology %s [its options and args]\n"),
                    safe_str(argv[i]), safe_str(argv[i]));
            return -1;
        } else {
            fprintf(stderr, _("bertology: unknown option '%s' (see bertology --help)\n"), safe_str(argv[i]));
            return -1;
        }
    }
    return 0;
}

/* The window is a companion: when it cannot open, say so once and go on. */
static void open_window(Session *s, const Options *o) {
    if (o->no_window) return;
    const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY"), *v = getenv("SDL_VIDEODRIVER");
    if (!(d && *d) && !(w && *w) && !(v && *v)) {
        fputs(_("bertology: no display found, so no window; the REPL works the same (--no-window hides this)\n"), stderr);
        return;
    }
    VizOptions vo = {0, 0, o->font, 0};
    BtError err = {{0}};
    if (viz_open(&s->viz, &vo, &err) != 0) {
        s->viz = NULL;
        fprintf(stderr, _("bertology: no window (%s); the REPL works the same\n"), err.msg[0] ? err.msg : _("unavailable"));
        return;
    }
    session_sync_viz(s);
}

static int run_sources(Session *s, const Options *o) {
    int failed = 0;
    for (int i = 0; i < o->n_src && !s->quit; i++) {
        if (o->kind[i] == 'e') {
            char where[32];
            snprintf(where, sizeof where, "-e #%d", i + 1);
            if (dispatch_line(s, o->arg[i], where) != 0) failed++;
            if (s->viz && viz_pump(s->viz, 0) == 1) { viz_close(s->viz); s->viz = NULL; }
        } else if (strcmp(o->arg[i], "-") == 0) {
            failed += loop_script(s, stdin, "<stdin>");
        } else {
            FILE *f = fopen(o->arg[i], "r");
            if (!f) {
                fflush(s->out);
                fprintf(stderr, _("bertology: cannot open script %s: %s\n"), safe_str(o->arg[i]), strerror(errno));
                failed++;
                continue;
            }
            failed += loop_script(s, f, o->arg[i]);
            fclose(f);
        }
    }
    return failed;
}

/* --lang X or --lang=X among the options, before they are parsed, so that
 * their own errors speak the language asked for; NULL when absent. */
static const char *lang_arg(int argc, char **argv) {
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--lang=", 7) == 0) lang = argv[i] + 7;
        else if (takes_value(argv[i]) && i + 1 < argc) {
            if (strcmp(argv[i], "--lang") == 0) lang = argv[i + 1];
            i++;   /* a value, not an option: `-e --lang` runs a command */
        }
    }
    return lang;
}

void repl_i18n_start(int argc, char **argv) {
    /* Messages in the lessons' language: --lang, else LANGUAGE, LC_ALL,
     * LC_MESSAGES, LANG (LC_MESSAGES only: LC_NUMERIC stays "C", and the
     * subcommands keep the C character type their output was written for). */
    bt_i18n_init();
    char lang[8];
    const char *want = lang_arg(argc, argv);
    /* A --lang we have no lessons in is refused later (by the REPL's or the
     * subcommand's option parsing), in the environment's language: the one
     * the user reads, which the bad value cannot name. */
    BtError ignored;
    if (want && lesson_lang_valid(want, lang, sizeof lang, &ignored) != 0) want = NULL;
    bt_i18n_use(lesson_pick_lang(want, lang, sizeof lang));
}

int repl_main(int argc, char **argv, void (*print_usage)(FILE *), int (*is_subcommand)(const char *word)) {
    /* LC_CTYPE was set by bt_i18n_init (repl_i18n_start, first thing in
     * main): the environment's, UTF-8 at least; numbers keep their point. */
    Options o;
    int pr = parse_options(argc, argv, &o, is_subcommand);
    if (pr == 1) {
        if (print_usage) {
            print_usage(stdout);
        } else {
            fputs("usage: bertology [options]\n", stdout);
            repl_print_options(stdout);
        }
        return 0;
    }
    if (pr < 0) return 2;
    BtError err = {{0}};
    char ui_lang[8];
    if (o.lang && lesson_lang_valid(o.lang, ui_lang, sizeof ui_lang, &err) != 0) {
        fprintf(stderr, "bertology: --lang: %s\n", err.msg);
        return 2;
    }

    char dirbuf[4096];
    const char *dir = o.model_dir ? o.model_dir : paths_default_model(dirbuf, sizeof dirbuf);
    if (!dir) {
        fputs(_("bertology: no default model found (assets/models/default, or $BERTOLOGY_MODEL); "
                "give one with --model DIR\n"), stderr);
        return 1;
    }
    char resolved[4096];
    /* a pulled model's id -> its cache directory; a .bin-only one converted */
    if (hub_open_model(dir, resolved, sizeof resolved, hub_note_stderr, NULL, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    dir = resolved;
    Session *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->out = stdout;
    s->set.precision = 3;
    s->set.plain = o.plain;
    s->set.truncate = o.truncate;
    s->set.seed = 42;
    s->rng = s->set.seed;
    if (model_load(&s->model, dir, &err) != 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        free(s);
        return 1;
    }
    if (o.vectors && vectors_load(s, o.vectors, &err) != 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        session_free(s);
        free(s);
        return 1;
    }
    if (o.lang) lesson_set_lang(s, ui_lang);
    open_window(s, &o);

    int failed = 0;
    if (o.n_src > 0) failed = run_sources(s, &o);
    else if (isatty(STDIN_FILENO)) {
        const BertConfig *g = &s->model.cfg;
        char layers[64], heads[64];
        snprintf(layers, sizeof layers, ngettext("%d layer", "%d layers", g->num_layers), g->num_layers);
        snprintf(heads, sizeof heads, ngettext("%d head", "%d heads", g->num_heads), g->num_heads);
        /* TRANSLATORS: "4 layers × 4 heads, H = 256, from DIR. ..." */
        printf(_("bertology: %s × %s, H = %d, from %s. Type a sentence, `help`, or Ctrl-D to leave.\n"), layers, heads,
               g->hidden_size, safe_str(dir));
        loop_interactive(s);
    } else failed = loop_script(s, stdin, "<stdin>");

    fflush(s->out);
    if (s->viz) viz_close(s->viz);
    session_free(s);
    free(s);
    return failed ? 1 : 0;
}
