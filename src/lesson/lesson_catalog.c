/* Where the lessons are: lessons/LANG/NN-stem.lesson, one file per
 * lesson and language, and which language a learner gets. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bertology/i18n.h"
#include "bertology/lesson.h"
#include "bertology/paths.h"

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "07-residual.lesson" -> 7, stem "07-residual" */
static int lesson_name(const char *file, int *number, char *stem, size_t n) {
    const char *dot = strrchr(file, '.');
    if (!dot || strcmp(dot, ".lesson") != 0) return 0;
    if (!isdigit((unsigned char)file[0])) return 0;
    char *end;
    long v = strtol(file, &end, 10);
    if (*end != '-' || v <= 0 || v > 999) return 0;
    if ((size_t)(dot - file) >= n) return 0;
    snprintf(stem, n, "%.*s", (int)(dot - file), file);
    *number = (int)v;
    return 1;
}

static int cmp_files(const void *a, const void *b) {
    const LessonFile *x = a, *y = b;
    if (x->number != y->number) return x->number - y->number;
    /* English first: it is the original the others are checked against. */
    int ex = strcmp(x->lang, "en") == 0, ey = strcmp(y->lang, "en") == 0;
    if (ex != ey) return ey - ex;
    return strcmp(x->lang, y->lang);
}

int lesson_catalog_open_dir(LessonCatalog *c, const char *dir, BtError *err) {
    memset(c, 0, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    DIR *d = opendir(dir);
    if (!d) return bt_fail(err, "%s: cannot read the lessons directory", dir);
    struct dirent *e;
    int rc = 0, cap = 0;
    while (rc == 0 && (e = readdir(d))) {
        const char *lang = e->d_name;
        size_t ll = strlen(lang);
        if (ll < 2 || ll > 3 || !islower((unsigned char)lang[0])) continue;
        char sub[1100];
        snprintf(sub, sizeof sub, "%s/%s", dir, lang);
        DIR *ld = opendir(sub);
        if (!ld) continue;
        struct dirent *f;
        while ((f = readdir(ld))) {
            LessonFile lf;
            memset(&lf, 0, sizeof lf);
            if (!lesson_name(f->d_name, &lf.number, lf.stem, sizeof lf.stem)) continue;
            snprintf(lf.lang, sizeof lf.lang, "%s", lang);
            if (snprintf(lf.path, sizeof lf.path, "%s/%s", sub, f->d_name) >= (int)sizeof lf.path) continue;
            /* Messages name the file from the lessons directory's own name
             * on ("lessons/en/01-tokens.lesson"): short, and the same on
             * every machine. */
            const char *base = strrchr(dir, '/');
            base = base && base[1] ? base + 1 : dir;
            if (snprintf(lf.name, sizeof lf.name, "%.40s/%s/%.100s", base, lang, f->d_name) >= (int)sizeof lf.name)
                continue;
            /* Room doubles: an entry is 1.3 KB and the REPL opens the
             * catalog at every `lesson`, so growing by one would copy the
             * whole array for each of the 54 files. */
            if (c->n == cap) {
                int want = cap ? 2 * cap : 32;
                LessonFile *g = realloc(c->files, (size_t)want * sizeof *g);
                if (!g) { rc = bt_fail(err, "out of memory"); break; }
                c->files = g;
                cap = want;
            }
            c->files[c->n++] = lf;
        }
        closedir(ld);
    }
    closedir(d);
    if (rc != 0) { lesson_catalog_free(c); return rc; }
    qsort(c->files, (size_t)c->n, sizeof *c->files, cmp_files);
    return 0;
}

/* A lessons directory has at least the English lessons. */
static int has_english(const char *dir) {
    char en[4200];
    snprintf(en, sizeof en, "%s/en", dir);
    return is_dir(en);
}

int lesson_catalog_open(LessonCatalog *c, BtError *err) {
    const char *env = getenv("BERTOLOGY_LESSONS");
    if (env && *env) return lesson_catalog_open_dir(c, env, err);
    char dir[4096];
    if (paths_find_data("lessons", has_english, dir, sizeof dir)) return lesson_catalog_open_dir(c, dir, err);
    memset(c, 0, sizeof *c);
    return bt_fail(err, "no lessons found (looked in %s; $BERTOLOGY_LESSONS names another place)", dir);
}

void lesson_catalog_free(LessonCatalog *c) {
    free(c->files);
    c->files = NULL;
    c->n = 0;
}

const LessonFile *lesson_catalog_find(const LessonCatalog *c, int number, const char *lang) {
    const LessonFile *en = NULL;
    for (int i = 0; i < c->n; i++) {
        if (c->files[i].number != number) continue;
        if (lang && strcmp(c->files[i].lang, lang) == 0) return &c->files[i];
        if (strcmp(c->files[i].lang, "en") == 0) en = &c->files[i];
    }
    return en;
}

int lesson_catalog_numbers(const LessonCatalog *c, int *numbers, int cap) {
    int n = 0;
    for (int i = 0; i < c->n; i++)
        if ((n == 0 || numbers[n - 1] != c->files[i].number) && n < cap) numbers[n++] = c->files[i].number;
    return n;
}

int lesson_catalog_has_lang(const LessonCatalog *c, const char *lang) {
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->files[i].lang, lang) == 0) return 1;
    return 0;
}

const char *lesson_catalog_langs(const LessonCatalog *c, char *buf, size_t n) {
    buf[0] = 0;
    for (int i = 0; i < c->n; i++) {
        const char *l = c->files[i].lang;
        char pad[16];
        snprintf(pad, sizeof pad, " %s ", l);
        char have[300];
        snprintf(have, sizeof have, " %s ", buf);
        if (strstr(have, pad)) continue;
        if (buf[0]) strncat(buf, " ", n - strlen(buf) - 1);
        strncat(buf, l, n - strlen(buf) - 1);
    }
    return buf;
}

/* "pt_BR.UTF-8" -> "pt"; "C", "POSIX" and "" name no language. */
static int lang_of(const char *v, char *buf, size_t n) {
    if (!v || !*v || strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0 || strncmp(v, "C.", 2) == 0) return 0;
    size_t k = 0;
    while (isalpha((unsigned char)v[k]) && k < 3) k++;
    if (k < 2 || (v[k] && v[k] != '_' && v[k] != '-' && v[k] != '.' && v[k] != '@')) return 0;
    if (k >= n) return 0;
    for (size_t i = 0; i < k; i++) buf[i] = (char)tolower((unsigned char)v[i]);
    buf[k] = 0;
    return 1;
}

const char *lesson_pick_lang(const char *want, char *buf, size_t n) {
    if (want && *want && lang_of(want, buf, n)) return buf;
    /* GNU gettext's order: LANGUAGE ("pt_BR:pt:en", the first entry in
     * which we have messages: "de:pt" is pt) before the locale variables. */
    const char *language = getenv("LANGUAGE");
    if (language && *language) {
        char one[32];
        for (const char *p = language; *p;) {
            size_t k = strcspn(p, ":");
            snprintf(one, sizeof one, "%.*s", (int)(k < sizeof one ? k : sizeof one - 1), p);
            if (lang_of(one, buf, n) && bt_i18n_has(buf)) return buf;
            p += k + (p[k] == ':');
        }
    }
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            if (lang_of(v, buf, n)) return buf;
            break;   /* a set variable that names no language (C) decides: English */
        }
    }
    snprintf(buf, n, "en");
    return buf;
}

int lesson_lang_check(const LessonCatalog *cat, const char *want, char *buf, size_t n, BtError *err) {
    if (!lang_of(want, buf, n)) return bt_fail(err, "'%s' is not a language: en, pt or ru", want ? want : "");
    if (lesson_catalog_has_lang(cat, buf)) return 0;
    char have[64];
    lesson_catalog_langs(cat, have, sizeof have);
    /* --lang also chooses the messages: a language with neither (xx) is
     * not "no lessons", which would suggest it has messages */
    if (strcmp(buf, "en") != 0 && !bt_i18n_has(buf))
        return bt_fail(err, "bertology speaks no '%s' (neither lessons nor messages); languages: %s", want, have);
    return bt_fail(err, "there are no lessons in '%s'; languages: %s", want, have);
}

int lesson_lang_valid(const char *want, char *buf, size_t n, BtError *err) {
    LessonCatalog cat;
    if (lesson_catalog_open(&cat, err) != 0) return -1;
    int rc = lesson_lang_check(&cat, want, buf, n, err);
    lesson_catalog_free(&cat);
    return rc;
}
