/* The player's own words, in the language of the lesson being played, so
 * a Portuguese or Russian lesson does not switch to English between its
 * paragraphs. The English strings are the msgids; the translations are in
 * po/pt.po and po/ru.po (gettext, include/bertology/i18n.h). Every
 * translation takes the same printf arguments in the same order (msgfmt
 * --check, and test_lesson_commands, check the conversions match). */
#include <string.h>
#include "bertology/i18n.h"
#include "lesson_ui.h"

static const char *const EN[UI_COUNT] = {
    [UI_HEADER] = N_("Lesson %d · %s — step %d of %d: %s"),
    [UI_YOUR_TURN] = N_("▸ Your turn — type:  %s"),
    [UI_YOUR_TURN_TEXT] = N_("▸ Your turn — type a sentence, for example:  %s"),
    [UI_TRY_DONE] = N_("✓ Well done."),
    [UI_ANSWER_PROMPT] = N_("(type your answer; `hint` gives a hint)"),
    [UI_ANSWER_PROMPT_NO_HINT] = N_("(type your answer)"),
    [UI_RIGHT] = N_("✓ Right."),
    [UI_WRONG] = N_("✗ Not quite. Try again, or `hint`."),
    [UI_WRONG_NO_HINT] = N_("✗ Not quite. Try again, or `continue` twice to see the answer."),
    [UI_TOO_HIGH] = N_("✗ %s is too high."),
    [UI_TOO_LOW] = N_("✗ %s is too low."),
    [UI_NOT_NUMBER] = N_("✗ That is not a number."),
    [UI_NOT_CHOICE] = N_("✗ Answer with a letter, a to %c."),
    [UI_STEP_DONE] = N_("— `continue` for the next step, `back` for the previous one —"),
    [UI_LESSON_DONE] = N_("★ Lesson %d done! `lesson` lists the others."),
    [UI_OPEN_QUESTION] = N_("The question is still open: type your answer, `hint`, or `continue` again to see the answer."),
    [UI_CLOSED_QUESTION] = N_("That question is closed, so “%s” changed nothing; type `continue` to go on."),
    [UI_OPEN_TRY] = N_("It is your turn: type `%s`, or `continue` again to skip it."),
    [UI_ANSWER_WAS] = N_("The answer: %s"),
    [UI_NO_HINT] = N_("No hint here."),
    [UI_NO_HINT_ASK] = N_("This question has no hint. Type your answer, or `continue` twice to see it."),
    [UI_STEP_SKIPPED] = N_("This step is skipped for the model loaded: %s"),
    [UI_NO_MORE_HINTS] = N_("No more hints: `continue` twice shows the answer."),
    [UI_FIRST_STEP] = N_("This is the first step (`b` steps back through the pipeline instead)."),
    [UI_CHECK_NOTE] = N_("(note: this lesson expects `%s`, which does not hold for this model: %s)"),
    /* TRANSLATORS: the two sides of a lesson's check that failed */
    [UI_CHECK_SIDES] = N_("left %s, right %s"),
    /* TRANSLATORS: what a lesson's check gave, when it is not a comparison */
    [UI_CHECK_FALSE] = N_("false"),
    [UI_LESSON_ERROR] = N_("(lesson error at %s: %s)"),
    [UI_UNCHECKABLE] = N_("(this question cannot be checked on this model: %s)"),
    [UI_HINT] = N_("Hint: %s"),
    [UI_LIST_HEADER] = N_("Lessons — `lesson N` starts or resumes one, `lesson N 1` starts it over, "
                       "`--lang en|pt|ru` picks the language:"),
    [UI_LIST_DONE] = N_("done"),
    [UI_LIST_AT] = N_("at step %d of %d"),
    [UI_LIST_NEEDS] = N_("needs %s (not in this version yet)"),
    [UI_LIST_ENGLISH] = N_("(in English)"),
    [UI_LIST_OPEN] = N_("◂ open"),
};

const char *lesson_ui(const char *lang, UiKey k) {
    return bt_gettext_in(lang, EN[k]);
}
