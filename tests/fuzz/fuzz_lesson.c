/* libFuzzer target: arbitrary bytes as a lesson file. Whatever parses is
 * then evaluated as far as it can be without a model: every `let:`,
 * `check:` and answer expression, and every {EXPR} in the text, so the
 * parser and the evaluator both meet hostile input (issue 17 found a
 * stack overflow in each). Besides crashes it checks what the parser
 * promises: a refusal names the file and line, an accepted lesson has a
 * title and non-empty steps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/lesson.h"
#include "lesson/lesson_internal.h"
#include "fuzz_util.h"

/* Evaluates e with no model and the variables so far (probes that need a
 * model fail with a message, which is fine); a failure must say why. */
static void eval(const LessonExpr *e, LessonVars *vars, const char *let_name) {
    if (!e) return;
    LessonWorld w;
    memset(&w, 0, sizeof w);
    LessonValue v;
    BtError err = {{0}};
    if (lexpr_eval(e, &w, vars, &v, &err) != 0) {
        if (!err.msg[0]) fuzz_die("fuzz_lesson", "lexpr_eval", "failed without a message");
        return;
    }
    char buf[LV_STR_MAX + 8];
    lv_show(&v, ',', buf, sizeof buf);
    if (let_name && lvars_set(vars, let_name, &v, &err) != 0) fuzz_die("fuzz_lesson", "lvars_set", err.msg);
}

static void expand(const char *text, LessonVars *vars) {
    if (!text) return;
    LessonWorld w;
    memset(&w, 0, sizeof w);
    BtError err = {{0}};
    char *s = ltext_expand(text, &w, vars, '.', &err);
    if (!s && !err.msg[0]) fuzz_die("fuzz_lesson", "ltext_expand", "failed without a message");
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_cstr(data, size);
    if (!text) return 0;
    Lesson l;
    BtError err = {{0}};
    if (lesson_parse_text("fuzz.lesson", text, &l, &err) != 0) {
        if (strncmp(err.msg, "fuzz.lesson:", 12) != 0) fuzz_die("fuzz_lesson", "lesson_parse_text", err.msg);
        free(text);
        return 0;
    }
    if (!l.title || l.n_steps < 1) fuzz_die("fuzz_lesson", "lesson_parse_text", "accepted without a title or a step");
    LessonVars vars = {0};
    for (int s = 0; s < l.n_steps; s++) {
        const LessonStep *st = &l.steps[s];
        if (st->n_items < 1) fuzz_die("fuzz_lesson", "lesson_parse_text", "accepted an empty step");
        for (int i = 0; i < st->n_items; i++) {
            const LessonItem *it = &st->items[i];
            char word[64];
            if (lesson_item_command(it, word, sizeof word) && lesson_is_player_command(word))
                fuzz_die("fuzz_lesson", "lesson_parse_text", "accepted a line that drives the player");
            if (it->kind == LI_LET) eval(it->expr, &vars, it->text);
            else if (it->kind == LI_CHECK) eval(it->expr, &vars, NULL);
            else if (it->kind != LI_ASK) expand(it->text, &vars);
            if (it->ask) {
                expand(it->text, &vars);
                eval(it->ask->value, &vars, NULL);
                eval(it->ask->tol, &vars, NULL);
                for (int c = 0; c < it->ask->n_choices; c++) expand(it->ask->choices[c], &vars);
                for (int h = 0; h < it->ask->n_hints; h++) expand(it->ask->hints[h], &vars);
                expand(it->ask->explain, &vars);
            }
        }
    }
    lvars_free(&vars);
    lesson_free(&l);
    free(text);
    return 0;
}
