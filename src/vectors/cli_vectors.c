/* The `vectors` subcommand: convert once, then query from scripts. */
#include "bertology/cli_vectors.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bertology/safetext.h"
#include "bertology/vectors.h"

static const char USAGE[] =
    "usage: bertology vectors convert IN OUT.btv [--top N] [--format auto|text|binary|wink] [--name TEXT]\n"
    "       bertology vectors info FILE.btv              (checks every word, too)\n"
    "       bertology vectors similar FILE.btv WORD [K]\n"
    "       bertology vectors analogy FILE.btv A B C [K]     (A - B + C)\n"
    "convert reads GloVe or word2vec text (\"word v1 v2 ...\", optional \"count dim\" line),\n"
    "word2vec binary, or a wink-embeddings JSON file, and writes a file the REPL maps at once\n"
    "(`vectors FILE.btv` in the REPL, or $BERTOLOGY_VECTORS). --top N keeps the N most\n"
    "frequent words (the first N: these files are sorted by frequency).\n";

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
    const char *pos[2];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--top") && more) {
            long v;
            if (parse_k(argv[++i], 1, 0x7fffffffL, &v)) {
                fprintf(stderr, "bertology: --top takes a positive number of words, not '%s'\n", argv[i]);
                return 2;
            }
            o.top = v;
        } else if (!strcmp(a, "--format") && more) {
            const char *f = argv[++i];
            if (!strcmp(f, "auto")) o.format = VEC_FMT_AUTO;
            else if (!strcmp(f, "text")) o.format = VEC_FMT_TEXT;
            else if (!strcmp(f, "binary") || !strcmp(f, "bin")) o.format = VEC_FMT_BINARY;
            else if (!strcmp(f, "wink") || !strcmp(f, "json")) o.format = VEC_FMT_WINK;
            else {
                fprintf(stderr, "bertology: --format is auto, text, binary or wink, not '%s'\n", f);
                return 2;
            }
        } else if (!strcmp(a, "--name") && more) {
            o.name = argv[++i];
        } else if (!strncmp(a, "--", 2) || npos == 2) {
            fprintf(stderr, "bertology: unexpected '%s'\n%s", a, USAGE);
            return 2;
        } else {
            pos[npos++] = a;
        }
    }
    if (npos != 2) {
        fprintf(stderr, "bertology: vectors convert needs IN and OUT\n%s", USAGE);
        return 2;
    }
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
    printf("%s (%s): %s words × %d -> %s, %.1f MB, %.1f s\n", safe_str(pos[0]), vec_format_name(st.format), kept, st.dim,
           safe_str(pos[1]), st.bytes / 1e6, now() - t0);
    if (st.duplicates) printf("dropped %s repeated words (the first, most frequent copy is kept)\n", dup);
    if (st.bad_words) printf("dropped %s words that are not valid UTF-8 or contain a NUL byte\n", bad);
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
    if (argc != 1) {
        fputs(USAGE, stderr);
        return 2;
    }
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
    printf("%s: %s, %s words × %d, opened in %.1f ms\n", safe_str(argv[0]), safe_str(vecset_desc(vs)), cnt, vecset_dim(vs),
           dt * 1e3);
    int show = vecset_count(vs) < 10 ? (int)vecset_count(vs) : 10;
    printf("first words:");
    for (int i = 0; i < show; i++) printf(" %s", safe_str(vecset_word(vs, i)));
    printf("\n");
    vecset_free(vs);
    return 0;
}

static void print_hits(const VecSet *vs, const VecHit *h, int n) {
    for (int i = 0; i < n; i++) printf("%3d  %-20s %.4f\n", i + 1, safe_str(vecset_word(vs, h[i].row)), h[i].cos);
}

/* similar (nwords 1) and analogy (nwords 3) share the lookups. */
static int query(int argc, char **argv, int nwords) {
    if (argc != 1 + nwords && argc != 2 + nwords) {
        fputs(USAGE, stderr);
        return 2;
    }
    long k = 10;
    if (argc == 2 + nwords && parse_k(argv[1 + nwords], 1, 1000, &k)) {
        fprintf(stderr, "bertology: K is a number from 1 to 1000, not '%s'\n", argv[1 + nwords]);
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
        fprintf(stderr, "bertology: out of memory\n");
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

int cli_vectors(int argc, char **argv) {
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(USAGE, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    if (!strcmp(argv[0], "convert")) return convert(argc - 1, argv + 1);
    if (!strcmp(argv[0], "info")) return info(argc - 1, argv + 1);
    if (!strcmp(argv[0], "similar")) return query(argc - 1, argv + 1, 1);
    if (!strcmp(argv[0], "analogy")) return query(argc - 1, argv + 1, 3);
    fprintf(stderr, "bertology: unknown vectors command '%s'\n%s", argv[0], USAGE);
    return 2;
}
