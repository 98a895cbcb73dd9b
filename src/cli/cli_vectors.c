/* The `vectors` subcommand: convert once, then query from scripts. */
#include "bertology/cli.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "bertology/vectors.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_k(const char *s, long lo, long hi, long *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int convert(int argc, char **argv) {
    VecConvertOptions o = {VEC_FMT_AUTO, 0, NULL};
    const char *format = "auto";
    const Opt opts[] = {
        {"top", OPT_LONG, &o.top, N_("keep the N most frequent words (the first N: these files are sorted by frequency)"),
         .lo = 1, .hi = (double)LONG_MAX},
        {"format", OPT_STR, &format, N_("the input's format (default: told from its first bytes)"),
         .arg = "auto|text|binary|wink"},
        {"name", OPT_STR, &o.name, N_("a description stored in the file (default: the input's name)"), .arg = "TEXT"},
    };
    const CliSpec spec = {"vectors convert", opts, CLI_N(opts), .args = "IN OUT.btv", .min_args = 2, .max_args = 2,
                          .missing = N_("vectors convert needs IN and OUT"),
                          .about = N_("Reads GloVe or word2vec text (\"word v1 v2 ...\", optional \"count dim\" line), "
                                   "word2vec binary,\nor a wink-embeddings JSON file, and writes a file the REPL maps "
                                   "at once\n(`vectors FILE.btv` in the REPL, or $BERTOLOGY_VECTORS).")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    if (!strcmp(format, "auto")) o.format = VEC_FMT_AUTO;
    else if (!strcmp(format, "text")) o.format = VEC_FMT_TEXT;
    else if (!strcmp(format, "binary") || !strcmp(format, "bin")) o.format = VEC_FMT_BINARY;
    else if (!strcmp(format, "wink") || !strcmp(format, "json")) o.format = VEC_FMT_WINK;
    else {
        fprintf(stderr, _("bertology: --format is `auto`, `text`, `binary` or `wink`, not '%s'\n"), safe_str(format));
        return 2;
    }
    const char *pos[2] = {argv[0], argv[1]};
    VecConvertStats st;
    BtError err;
    double t0 = now();
    if (vec_convert(pos[0], pos[1], &o, &st, &err) != 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    char kept[32], dup[32], bad[32];
    vec_fmt_count(kept, sizeof kept, st.kept);
    vec_fmt_count(dup, sizeof dup, st.duplicates);
    vec_fmt_count(bad, sizeof bad, st.bad_words);
    char mb[32], secs[32];   /* in a sentence: the language's decimal separator */
    bt_decimal(mb, sizeof mb, 1, st.bytes / 1e6);
    bt_decimal(secs, sizeof secs, 1, now() - t0);
    printf(ngettext("%s (%s): %s word × %d -> %s, %s MB, %s s\n", "%s (%s): %s words × %d -> %s, %s MB, %s s\n",
                    (unsigned long)st.kept),
           safe_str(pos[0]), _(vec_format_name(st.format)), kept, st.dim, safe_str(pos[1]), mb, secs);
    if (st.duplicates)
        printf(ngettext("dropped %s repeated word (the first, most frequent copy is kept)\n",
                        "dropped %s repeated words (the first, most frequent copy is kept)\n", (unsigned long)st.duplicates),
               dup);
    if (st.bad_words)
        printf(ngettext("dropped %s word that is not valid UTF-8 or contains a NUL byte\n",
                        "dropped %s words that are not valid UTF-8 or contain a NUL byte\n", (unsigned long)st.bad_words),
               bad);
    return 0;
}

static int open_set(const char *path, VecSet **vs) {
    BtError err;
    if (vecset_open(vs, path, &err) != 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int info(int argc, char **argv) {
    const CliSpec spec = {"vectors info", NULL, 0, .args = "FILE.btv", .min_args = 1, .max_args = 1,
                          .about = N_("What a converted file holds, after checking every word.")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    VecSet *vs;
    double t0 = now();
    if (open_set(argv[0], &vs)) return 1;
    double dt = now() - t0;
    BtError err;
    if (vecset_verify(vs, &err) != 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        vecset_free(vs);
        return 1;
    }
    char cnt[32];
    vec_fmt_count(cnt, sizeof cnt, vecset_count(vs));
    char ms[32];
    bt_decimal(ms, sizeof ms, 1, dt * 1e3);
    printf(ngettext("%s: %s, %s word × %d, opened in %s ms\n", "%s: %s, %s words × %d, opened in %s ms\n",
                    (unsigned long)vecset_count(vs)),
           safe_str(argv[0]), safe_str(vecset_desc(vs)), cnt, vecset_dim(vs), ms);
    int show = vecset_count(vs) < 10 ? (int)vecset_count(vs) : 10;
    printf("%s", _("first words:"));
    for (int i = 0; i < show; i++) printf(" %s", safe_str(vecset_word(vs, i)));
    printf("\n");
    vecset_free(vs);
    return 0;
}

static void print_hits(const VecSet *vs, const VecHit *h, int n) {
    for (int i = 0; i < n; i++) printf("%3d  %-20s %.4f\n", i + 1, safe_str(vecset_word(vs, h[i].row)), h[i].cos);
}

/* similar (nwords 1) and analogy (nwords 3) share the lookups; argv
 * holds FILE.btv, the words and K, the options taken out. */
static int query(int argc, char **argv, int nwords) {
    long k = 10;
    if (argc == 2 + nwords && parse_k(argv[1 + nwords], 1, 1000, &k)) {
        fprintf(stderr, _("bertology: K is a number from 1 to 1000, not '%s'\n"), safe_str(argv[1 + nwords]));
        return 2;
    }
    VecSet *vs;
    if (open_set(argv[0], &vs)) return 1;
    int dim = vecset_dim(vs), rc = 1;
    float *v = malloc((size_t)dim * 4 * sizeof *v);
    VecHit *hits = malloc((size_t)k * sizeof *hits);
    long skip[3];
    int ns = 0;
    BtError err;
    if (!v || !hits) {
        fprintf(stderr, "bertology: %s\n", _("out of memory"));
        goto done;
    }
    for (int i = 0; i < nwords; i++) {
        VecWord w;
        if (vecset_word_vector(vs, argv[1 + i], v + (long)(i + 1) * dim, &w, &err) != 0) {
            fprintf(stderr, "bertology: %s\n", err.msg);
            goto done;
        }
        if (w.row >= 0) skip[ns++] = w.row;
    }
    if (nwords == 1) memcpy(v, v + dim, (size_t)dim * sizeof *v);
    else if (vec_analogy_target(v + dim, v + 2 * dim, v + 3 * dim, dim, v, &err) != 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        goto done;
    }
    print_hits(vs, hits, vec_nearest(vs, v, skip, ns, (int)k, hits));
    rc = 0;
done:
    free(v);
    free(hits);
    vecset_free(vs);
    return rc;
}

static int similar(int argc, char **argv) {
    const CliSpec spec = {"vectors similar", NULL, 0, .args = "FILE.btv WORD [K]", .min_args = 2, .max_args = 3,
                          .about = N_("The K words nearest WORD by cosine (default 10, at most 1000).")};
    int n = cli_parse(&spec, argc, argv);
    return n < 0 ? cli_status(n) : query(n, argv, 1);
}

static int analogy(int argc, char **argv) {
    const CliSpec spec = {"vectors analogy", NULL, 0, .args = "FILE.btv A B C [K]", .min_args = 4, .max_args = 5,
                          .about = N_("The K words nearest A - B + C by cosine (default 10, at most 1000),\n"
                                   "A, B and C left out: `analogy v.btv king man woman`.")};
    int n = cli_parse(&spec, argc, argv);
    return n < 0 ? cli_status(n) : query(n, argv, 3);
}

static const CliCommand COMMANDS[] = {
    {"convert", convert, N_("GloVe, word2vec or wink vectors to the file the REPL maps"), "IN OUT.btv"},
    {"info", info, N_("what the file holds, every word checked"), "FILE.btv"},
    {"similar", similar, N_("the K nearest words"), "FILE.btv WORD [K]"},
    {"analogy", analogy, N_("the K words nearest A - B + C"), "FILE.btv A B C [K]"},
};
enum { N_COMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

static void usage(FILE *f) {
    fprintf(f, _("usage: bertology vectors COMMAND ...   (bertology vectors COMMAND --help for each)\n"));
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-8s %-19s %s\n", COMMANDS[i].name, COMMANDS[i].args, _(COMMANDS[i].help));
    fputs(_("Static word vectors (GloVe, word2vec), converted once into a file the REPL maps at once.\n"), f);
}

int cli_vectors(int argc, char **argv) {
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        usage(argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    const CliCommand *c = cli_command_find(COMMANDS, N_COMMANDS, argv[0]);
    if (c) return c->run(argc - 1, argv + 1);
    const char *near = cli_command_near(COMMANDS, N_COMMANDS, argv[0]);
    if (near)
        fprintf(stderr, _("bertology: unknown vectors command '%s'; did you mean '%s'? (bertology vectors --help)\n"),
                safe_str(argv[0]), near);
    else
        fprintf(stderr, _("bertology: unknown vectors command '%s' (bertology vectors --help lists them)\n"),
                safe_str(argv[0]));
    return 2;
}
