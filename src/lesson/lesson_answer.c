/* Whether what a learner typed answers a question: numbers within the
 * tolerance (a decimal comma or a percentage is fine), tokens as spelled
 * (case aside), choices by letter, number or text. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "lesson_internal.h"

static const char *const QUOTES[][2] = {
    {"\"", "\""}, {"'", "'"}, {"`", "`"}, {"\xC2\xAB", "\xC2\xBB"} /* « » */, {"\xE2\x80\x9C", "\xE2\x80\x9D"} /* “ ” */,
};

static void trim_into(const char *p, size_t n, char *buf, size_t bn) {
    while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r')) n--;
    snprintf(buf, bn, "%.*s", (int)n, p);
}

void lanswer_clean(const char *text, char *buf, size_t n) {
    char t[LV_STR_MAX];
    trim_into(text, strlen(text), t, sizeof t);
    size_t len = strlen(t);
    for (size_t i = 0; i < sizeof QUOTES / sizeof QUOTES[0]; i++) {
        size_t a = strlen(QUOTES[i][0]), b = strlen(QUOTES[i][1]);
        if (len >= a + b && strncmp(t, QUOTES[i][0], a) == 0 && strcmp(t + len - b, QUOTES[i][1]) == 0) {
            trim_into(t + a, len - a - b, buf, n);
            return;
        }
    }
    snprintf(buf, n, "%s", t);
}

/* The length of p's start when it is digits in groups with sep between
 * them (1 to 3 digits, then one or more of sep and exactly 3: "4.194.304",
 * up to the end of the digits), else 0. */
static size_t grouped(const char *p, char sep) {
    const char *q = p;
    if (*q == '-' || *q == '+') q++;
    int lead = 0;
    while (isdigit((unsigned char)*q)) q++, lead++;
    if (lead < 1 || lead > 3 || *q != sep) return 0;
    while (*q == sep) {
        q++;
        for (int i = 0; i < 3; i++, q++)
            if (!isdigit((unsigned char)*q)) return 0;
    }
    return isdigit((unsigned char)*q) ? 0 : (size_t)(q - p);
}

/* A number's digit groups as a learner's language writes them: "4.194.304"
 * and "4.194,5" in Portuguese, "4 194 304" in Russian (a no-break or thin
 * space too), "4,194,304" in English. The separators go where the groups
 * are unmistakable: spaces, or a mark that occurs twice or stands before
 * the other mark ("8,001" alone stays a decimal comma, as before). */
static void drop_groups(char *p) {
    static const char *const SPACES[] = {"\xC2\xA0", "\xE2\x80\x89", "\xE2\x80\xAF"};   /* no-break, thin, narrow */
    for (size_t i = 0; i < sizeof SPACES / sizeof SPACES[0]; i++)
        for (char *q; (q = strstr(p, SPACES[i]));) {
            size_t k = strlen(SPACES[i]);
            *q = ' ';
            memmove(q + 1, q + k, strlen(q + k) + 1);
        }
    char *dot = strchr(p, '.'), *comma = strchr(p, ',');
    char sep = ' ';
    size_t n = grouped(p, ' ');
    if (!n && dot && (strchr(dot + 1, '.') || (comma && dot < comma))) sep = '.', n = grouped(p, '.');
    if (!n && comma && (strchr(comma + 1, ',') || (dot && comma < dot))) sep = ',', n = grouped(p, ',');
    if (!n) return;
    char *w = p;
    for (size_t i = 0; p[i]; i++)
        if (i >= n || p[i] != sep) *w++ = p[i];
    *w = 0;
}

/* Words around a number that say "times" (en, pt, ru), for questions
 * asking how many times larger: "4 times", "4x", "в 4 раза", "10 vezes".
 * Longer words first where one starts another. */
static const char *const TIMES_BEFORE[] = {"\xD0\xB2" /* в */, "\xC3\x97" /* × */, "x"};
static const char *const TIMES_AFTER[] = {"times",
                                          "vezes",
                                          "\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB0" /* раза */,
                                          "\xD1\x80\xD0\xB0\xD0\xB7" /* раз */,
                                          "\xC3\x97" /* × */,
                                          "x"};

/* Words after a number that name what it counts ("8 tokens", "2 bits",
 * "4 subpalavras"): taken as the number. A word that scales it ("58 mil")
 * is not, nor digits or marks after it; "percent" makes it a percentage. */
static int unit_words(const char *w, int *pct) {
    static const char *const SCALE[] = {"mil", "thousand", "million", "billion", "bilh", "k",
                                        "\xD1\x82\xD1\x8B\xD1\x81" /* тыс */, "\xD0\xBC\xD0\xBB\xD0\xBD" /* млн */,
                                        "\xD0\xBC\xD0\xB8\xD0\xBB\xD0\xBB" /* милл */,
                                        "\xD0\xBC\xD0\xBB\xD1\x80\xD0\xB4" /* млрд */};
    static const char *const PERCENT[] = {"percent", "per cent", "por cento", "porcento",
                                          "\xD0\xBF\xD1\x80\xD0\xBE\xD1\x86" /* проц */};
    if (!((unsigned char)*w >= 0x80 || isalpha((unsigned char)*w))) return -1;
    for (const char *q = w; *q; q++)
        if (isdigit((unsigned char)*q) || ((unsigned char)*q < 0x80 && ispunct((unsigned char)*q) && *q != '-'))
            return -1;
    for (size_t i = 0; i < sizeof SCALE / sizeof SCALE[0]; i++) {
        size_t k = strlen(SCALE[i]);
        if (strncasecmp(w, SCALE[i], k) == 0 && (k > 1 || !w[1] || w[1] == ' ')) return -1;
    }
    for (size_t i = 0; i < sizeof PERCENT / sizeof PERCENT[0]; i++)
        if (strncasecmp(w, PERCENT[i], strlen(PERCENT[i])) == 0) *pct = 1;
    return 0;
}

/* "8", "-0.5", "0,5", "12%", "≈ 8", "~8", "4.194.304", "4 194 304", "4x", "в 4 раза";
 * *pct says whether a '%' was typed ("12%" is 0.12) */
static int parse_number(const char *text, double *out, int *pct) {
    char t[LV_STR_MAX];
    lanswer_clean(text, t, sizeof t);
    char *p = t;
    if (strncmp(p, "\xE2\x89\x88", 3) == 0) p += 3;   /* ≈ */
    else if (*p == '~') p++;
    while (*p == ' ') p++;
    drop_groups(p);
    if (!strchr(p, '.')) {
        char *c = strchr(p, ',');
        if (c && !strchr(c + 1, ',')) *c = '.';
    }
    /* "в 4 раза", "×4": a "how many times" answer as a learner writes it */
    for (size_t i = 0; i < sizeof TIMES_BEFORE / sizeof TIMES_BEFORE[0]; i++) {
        size_t k = strlen(TIMES_BEFORE[i]);
        if (strncasecmp(p, TIMES_BEFORE[i], k) == 0 && (p[k] == ' ' || isdigit((unsigned char)p[k]))) {
            p += k;
            while (*p == ' ') p++;
            break;
        }
    }
    if (!*p) return -1;
    char *end;
    double x = strtod(p, &end);
    if (end == p) return -1;
    while (*end == ' ') end++;
    int sign = *end == '%';
    if (sign) end++;
    for (size_t i = 0; !sign && i < sizeof TIMES_AFTER / sizeof TIMES_AFTER[0]; i++) {
        size_t k = strlen(TIMES_AFTER[i]);
        if (strncasecmp(end, TIMES_AFTER[i], k) == 0 && end[k + strspn(end + k, " ")] == '\0') {
            end += k;
            break;
        }
    }
    while (*end == ' ') end++;
    *pct = sign;
    if (*end && (sign || unit_words(end, pct) != 0)) return -1;
    if (*pct) x /= 100;   /* "12%", "20 percent" */
    if (!isfinite(x)) return -1;
    *out = x;
    return 0;
}

/* The other reading of a number with one '.' or ',' before exactly three
 * digits ("65.536", "8,001"), which parse_number reads as a decimal mark:
 * the mark as a digit-group separator. -1 when there is no such reading. */
static int one_group_reading(const char *text, double *out) {
    char t[LV_STR_MAX];
    lanswer_clean(text, t, sizeof t);
    char *p = t;
    while (*p == ' ') p++;
    char *dot = strchr(p, '.'), *comma = strchr(p, ',');
    if ((dot != NULL) == (comma != NULL)) return -1;   /* neither, or both (parse_number decides those) */
    char sep = dot ? '.' : ',', *at = dot ? dot : comma;
    if (strchr(at + 1, sep) || grouped(p, sep) != strlen(p)) return -1;
    memmove(at, at + 1, strlen(at + 1) + 1);
    char *end;
    double y = strtod(p, &end);
    if (end == p || *end || !isfinite(y)) return -1;
    *out = y;
    return 0;
}

/* Cyrillic letters that look like the Latin choice letters: on a Russian
 * keyboard "а" is typed for "a)" without a second thought. Only those that
 * look the same; "б" or "в" might mean either b) or the second choice. */
static const char *const LOOKALIKES[][2] = {
    {"\xD0\xB0", "a"}, {"\xD0\x90", "a"}, {"\xD0\x92", "b"}, {"\xD1\x81", "c"}, {"\xD0\xA1", "c"},
    {"\xD0\xB5", "e"}, {"\xD0\x95", "e"},
};

static int letter_index(const char *t, int n_choices) {
    char c[8];
    size_t len = strlen(t);
    if (len >= sizeof c) return -1;
    memcpy(c, t, len + 1);
    for (size_t i = 0; i < sizeof LOOKALIKES / sizeof LOOKALIKES[0]; i++)
        if (strncmp(c, LOOKALIKES[i][0], 2) == 0) {
            memmove(c + 1, c + 2, len - 1);   /* two bytes become the one Latin letter */
            c[0] = LOOKALIKES[i][1][0];
            len--;
            break;
        }
    if (len == 2 && (c[1] == ')' || c[1] == '.')) c[--len] = 0;
    if (len != 1) return -1;
    int i = tolower((unsigned char)c[0]) - 'a';
    return i >= 0 && i < n_choices ? i : -1;
}

static int number_index(const char *t, int n_choices) {
    char *end;
    long v = strtol(t, &end, 10);
    if (end == t || (*end && strcmp(end, ")") != 0 && strcmp(end, ".") != 0)) return -1;
    return v >= 1 && v <= n_choices ? (int)v - 1 : -1;
}

int lanswer_choice_index(const LessonAsk *ask, const LessonValue *v) {
    if (v->is_str) return letter_index(v->str, ask->n_choices);
    if (v->num != floor(v->num) || v->num < 1 || v->num > ask->n_choices) return -1;
    return (int)v->num - 1;
}

/* text case-folded, accents off ("Idênticas" → "identicas"), for
 * matching a choice typed out; NULL when it is not UTF-8. */
static char *folded(const char *text) {
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)text, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
                         UTF8PROC_STRIPMARK) < 0)
        return NULL;
    return (char *)out;
}

static int word_byte(unsigned char c) { return c >= 0x80 || isalnum(c); }

/* Whether w occurs in s as whole words ("chave" in "a chave"). */
static int has_words(const char *s, const char *w) {
    size_t n = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        if ((p == s || !word_byte((unsigned char)p[-1])) && !word_byte((unsigned char)p[n])) return 1;
    return 0;
}

/* The one choice whose text (folded) satisfies the test, or -1 when none
 * or several do: a typed text that could be either is no answer. */
static int unique_choice(const LessonAsk *ask, char *const *fc, const char *ft, int how) {
    int found = -1;
    for (int k = 0; k < ask->n_choices; k++) {
        if (!fc[k]) continue;
        const char *colon = strchr(fc[k], ':');
        size_t n = strlen(ft);
        int ok = how == 0   ? strcmp(fc[k], ft) == 0
                 : how == 1 ? colon && (size_t)(colon - fc[k]) == n && strncmp(fc[k], ft, n) == 0
                            : has_words(fc[k], ft);
        if (!ok) continue;
        if (found >= 0) return -1;
        found = k;
    }
    return found;
}

/* A letter, a number, or the choice written out: its whole text (exact
 * first, so "the cat" is not "The Cat"), then, case and accents aside,
 * its whole text, its words before a colon ("less" for "less: the
 * context pulled them apart"), or words found in it alone ("chave" for
 * "a chave", "dog" for "\"dog\""). */
static int typed_choice(const LessonAsk *ask, const char *text) {
    char t[LV_STR_MAX];
    lanswer_clean(text, t, sizeof t);
    int i = letter_index(t, ask->n_choices);
    if (i < 0) i = number_index(t, ask->n_choices);
    for (int k = 0; i < 0 && k < ask->n_choices; k++)
        if (strcmp(t, ask->choices[k]) == 0) i = k;
    if (i >= 0 || !t[0]) return i;
    char *ft = folded(t), *fc[26] = {0};
    int nc = ask->n_choices < 26 ? ask->n_choices : 26;
    for (int k = 0; ft && k < nc; k++) fc[k] = folded(ask->choices[k]);
    for (int how = 0; ft && i < 0 && how < 3; how++)
        if (how < 2 || strlen(ft) >= 3) i = unique_choice(ask, fc, ft, how);   /* words: not "a" or "é" */
    for (int k = 0; k < nc; k++) free(fc[k]);
    free(ft);
    return i;
}

int lesson_answer_shaped(const LessonAsk *ask, const char *text) {
    double x;
    char t[LV_STR_MAX];
    switch (ask->kind) {
    case ANS_CHOICE:   /* a letter, a number, or a choice's text ("нет" for "нет") */
        return typed_choice(ask, text) >= 0;
    case ANS_NUMBER:
        return parse_number(text, &x, &(int){0}) == 0;
    case ANS_TOKEN:
        trim_into(text, strlen(text), t, sizeof t);
        for (size_t i = 0; i < sizeof QUOTES / sizeof QUOTES[0]; i++)
            if (strncmp(t, QUOTES[i][0], strlen(QUOTES[i][0])) == 0) return 1;
        return 0;
    }
    return 0;
}

int lanswer_matches(const LessonAsk *ask, const LessonValue *want, double tol, const char *text, AnswerWhy *why) {
    AnswerWhy dummy;
    if (!why) why = &dummy;
    *why = WHY_WRONG;
    char t[LV_STR_MAX];
    switch (ask->kind) {
    case ANS_NUMBER: {
        double x;
        int pct;
        if (parse_number(text, &x, &pct) != 0) { *why = WHY_NOT_NUMBER; return 0; }
        /* "20%" is 0.2 for a lesson that counts in fractions and 20 for
         * one that asks in percent ("answer: number 20 ± 1" after "40%"):
         * the reading nearer the answer is the one the learner meant. */
        double d = x - want->num, y;
        if (pct && fabs(100 * x - want->num) < fabs(d)) d = 100 * x - want->num;
        /* "65.536" is 65536 to a Brazilian and 65.536 to an English
         * reader: here too, the reading nearer the answer */
        if (!pct && one_group_reading(text, &y) == 0 && fabs(y - want->num) < fabs(d)) d = y - want->num;
        /* Without a tolerance, equal up to float rounding of the value. */
        double ok = tol > 0 ? tol : 1e-9 * fmax(1, fabs(want->num));
        if (fabs(d) <= ok) { *why = WHY_RIGHT; return 1; }
        *why = d > 0 ? WHY_HIGH : WHY_LOW;
        return 0;
    }
    case ANS_TOKEN: {
        char w[LV_STR_MAX];
        lanswer_clean(text, t, sizeof t);
        lv_format(want, w, sizeof w);
        /* "UNK" for "[UNK]": the brackets are the token's spelling, not its name */
        size_t n = strlen(w);
        int bare = n > 2 && w[0] == '[' && w[n - 1] == ']' && strlen(t) == n - 2 && strncasecmp(t, w + 1, n - 2) == 0;
        if (strcasecmp(t, w) != 0 && !bare) return 0;
        *why = WHY_RIGHT;
        return 1;
    }
    case ANS_CHOICE: {
        int got = typed_choice(ask, text), right = lanswer_choice_index(ask, want);
        if (got < 0) { *why = WHY_NOT_CHOICE; return 0; }
        if (got != right) return 0;
        *why = WHY_RIGHT;
        return 1;
    }
    }
    return 0;
}

void lanswer_format(const LessonAsk *ask, const LessonValue *want, char decimal, char *buf, size_t n) {
    if (ask->kind == ANS_CHOICE) {
        int i = lanswer_choice_index(ask, want);
        if (i >= 0) snprintf(buf, n, "%c) %s", 'a' + i, ask->choices[i]);
        else snprintf(buf, n, "?");
        return;
    }
    /* A token is typed exactly as it is; a number reads as the lesson
     * writes numbers (either separator is accepted back). */
    if (ask->kind == ANS_NUMBER) lv_show(want, decimal, buf, n);
    else lv_format(want, buf, n);
}
