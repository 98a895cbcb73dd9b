#ifndef BT_LESSON_INTERNAL_H
#define BT_LESSON_INTERNAL_H
/* Shared by the files of src/lesson: values and expressions, the probe
 * functions expressions call, text helpers. */
#include <stddef.h>
#include "bertology/lesson.h"

/* ---- values and variables ---------------------------------------------- */

/* LV_MAX_VARS: distinct `let:` names in one lesson (lessons/FORMAT.md). */
enum { LV_STR_MAX = 256, LV_NAME_MAX = 32, LV_MAX_VARS = 256 };

typedef struct {
    int is_str;
    double num;
    char str[LV_STR_MAX];
    /* A string with numbers in it: from fmt() or pct(), or joined from a
     * number or such a string with `+`. lv_show writes its decimal points
     * in the lesson's language. */
    int numtext;
} LessonValue;

typedef struct {
    char name[LV_NAME_MAX];
    LessonValue v;
} LessonVar;

typedef struct {
    LessonVar *v;
    int n, cap;
} LessonVars;

int lvars_set(LessonVars *vs, const char *name, const LessonValue *v, BtError *err);
const LessonValue *lvars_get(const LessonVars *vs, const char *name);
void lvars_clear(LessonVars *vs);
void lvars_free(LessonVars *vs);

void lv_num(LessonValue *v, double x);
void lv_str(LessonValue *v, const char *s);
/* How a value reads in prose: whole numbers as integers, others with 3
 * significant decimals. */
void lv_format(const LessonValue *v, char *buf, size_t n);
/* How a value reads in the lesson's text and feedback: lv_format, then,
 * for a number or a numtext string, the decimal point between digits
 * written as decimal (',' for pt and ru: "0,250", "25,0%"). decimal '.'
 * or 0 keeps the point (commands, and English). The one place the lesson
 * text gets its decimal separator; setlocale is not used, so the REPL's
 * own output keeps the point. */
void lv_show(const LessonValue *v, char decimal, char *buf, size_t n);
/* The decimal separator of lesson text in lang: ',' for "pt" and "ru",
 * '.' otherwise. */
char lesson_decimal(const char *lang);

/* ---- expressions (lesson_expr.c) ---------------------------------------- */

/* Names known while parsing: `let:` variables defined so far. Unknown
 * names are a parse error, so a typo is caught with its line. */
typedef struct {
    const char *const *names;
    int n;
} LessonScope;

/* How deep an expression may nest (lessons/FORMAT.md): brackets, calls
 * and prefix operators inside each other, and operators in a row (a+b+c
 * is 3 deep, as its tree is). Evaluation recurses no deeper. */
enum { LEXPR_MAX_DEPTH = 64 };

/* Parses src; on error err says what was expected and where in src. */
int lexpr_parse(const char *src, const LessonScope *scope, LessonExpr **out, BtError *err);
void lexpr_free(LessonExpr *e);
int lexpr_eval(const LessonExpr *e, const LessonWorld *w, const LessonVars *vars, LessonValue *out, BtError *err);
/* For a failed comparison: the two sides' values through sides, a format
 * of two %s ("left %s, right %s" in the reader's language: the player's
 * is the lesson's, the checker's the author's), or "" when the expression
 * is not a comparison. */
void lexpr_explain(const LessonExpr *e, const LessonWorld *w, const LessonVars *vars, const char *sides, char *buf,
                   size_t n);

/* ---- probes (lesson_probe.c) --------------------------------------------- */

typedef int (*LessonProbeFn)(const LessonWorld *w, const LessonValue *a, int n, LessonValue *out, BtError *err);

typedef struct {
    const char *name;
    int min_args, max_args;
    LessonProbeFn fn;
    const char *doc;       /* "attn(L, H, q, k): weight query q gives key k" */
} LessonProbe;

const LessonProbe *lprobe_find(const char *name);
/* For probes in other files: a head a[0], a[1] and the positions a[2..n)
 * into out (layer, head, q, k); n positions a[0..n) of the sentence. */
int lprobe_head_args(const LessonWorld *w, const LessonValue *a, int n, int out[4], BtError *err);
int lprobe_positions(const LessonWorld *w, const LessonValue *a, int n, int *out, BtError *err);
/* The attention instruments (lesson_probe_attn.c): census and rollout. */
int p_share(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_headbits(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_role(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_roles(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_lastattn(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_rollout(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_flow(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
/* The logit lens (lesson_probe_lens.c). */
int p_lensrank(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_lensprob(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_lenstop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_lenssettle(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
/* The last `whatif` (lesson_probe_whatif.c). */
int p_wifcos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wiftv(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wiflayer(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wifhead(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wiftop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wifprob(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wifpartner(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_wifntokens(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
/* The last `saliency` (lesson_probe_saliency.c). */
int p_salword(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_salpos(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_sal(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_saltop(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_salsum(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_sallogp(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
int p_salbase(const LessonWorld *w, const LessonValue *a, int n, LessonValue *o, BtError *err);
const LessonProbe *lprobe_table(int *n);

/* ---- text (lesson_text.c) ------------------------------------------------ */

/* Replaces each {EXPR} in src by its value ({{ and }} are braces), shown
 * with lv_show(decimal): the lesson's decimal for text the learner reads,
 * '.' for commands; malloc'd result, or NULL with err set. */
char *ltext_expand(const char *src, const LessonWorld *w, const LessonVars *vars, char decimal, BtError *err);
/* Checks every {EXPR} in src parses (at parse time). */
int ltext_validate(const char *src, const LessonScope *scope, BtError *err);
/* Prints a paragraph reflowed to width columns (counting UTF-8 code
 * points), each line after indent spaces; preformatted keeps lines. */
void ltext_print_para(FILE *f, const char *text, int width, int indent, int preformatted);

/* ---- answers (lesson_answer.c) ------------------------------------------ */

typedef enum { WHY_RIGHT = 0, WHY_WRONG, WHY_HIGH, WHY_LOW, WHY_NOT_NUMBER, WHY_NOT_CHOICE } AnswerWhy;

/* Whether text is an acceptable answer to ask, whose right answer is
 * want (and tolerance tol for numbers); why (may be NULL) says how it
 * missed, for feedback in the lesson's language. */
int lanswer_matches(const LessonAsk *ask, const LessonValue *want, double tol, const char *text, AnswerWhy *why);
/* The right answer as the learner would type it ("b", "8", "##ing"); a
 * number with the decimal separator decimal ("0,25" in pt and ru). */
void lanswer_format(const LessonAsk *ask, const LessonValue *want, char decimal, char *buf, size_t n);
/* Index (0-based) of choice value v ("b" or 2), or -1. */
int lanswer_choice_index(const LessonAsk *ask, const LessonValue *v);
/* text without surrounding blanks and one pair of quotes, into buf. */
void lanswer_clean(const char *text, char *buf, size_t n);

#endif
