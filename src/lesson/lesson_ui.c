/* The player's own words, in the language of the lesson being played, so
 * a Portuguese or Russian lesson does not switch to English between its
 * paragraphs. Every language's string takes the same printf arguments in
 * the same order (test_lesson checks the conversions match). */
#include <string.h>
#include "lesson_ui.h"

static const char *const EN[UI_COUNT] = {
    [UI_HEADER] = "Lesson %d · %s — step %d of %d: %s",
    [UI_YOUR_TURN] = "▸ Your turn — type:  %s",
    [UI_YOUR_TURN_TEXT] = "▸ Your turn — type a sentence, for example:  %s",
    [UI_TRY_DONE] = "✓ Well done.",
    [UI_ANSWER_PROMPT] = "(type your answer; `hint` gives a hint)",
    [UI_RIGHT] = "✓ Right.",
    [UI_WRONG] = "✗ Not quite. Try again, or `hint`.",
    [UI_TOO_HIGH] = "✗ %s is too high.",
    [UI_TOO_LOW] = "✗ %s is too low.",
    [UI_NOT_NUMBER] = "✗ That is not a number.",
    [UI_NOT_CHOICE] = "✗ Answer with a letter, a to %c.",
    [UI_STEP_DONE] = "— `continue` for the next step, `back` for the previous one —",
    [UI_LESSON_DONE] = "★ Lesson %d done! `lesson` lists the others.",
    [UI_OPEN_QUESTION] = "The question is still open: type your answer, `hint`, or `continue` again to see the answer.",
    [UI_CLOSED_QUESTION] = "That question is closed, so “%s” changed nothing; type `continue` to go on.",
    [UI_OPEN_TRY] = "It is your turn: type `%s`, or `continue` again to skip it.",
    [UI_ANSWER_WAS] = "The answer: %s",
    [UI_NO_HINT] = "No hint here.",
    [UI_NO_MORE_HINTS] = "No more hints: `continue` twice shows the answer.",
    [UI_FIRST_STEP] = "This is the first step (`b` steps back through the pipeline instead).",
    [UI_CHECK_NOTE] = "(note: this lesson expects `%s`, which does not hold for this model: %s)",
    [UI_LESSON_ERROR] = "(lesson error at %s: %s)",
    [UI_UNCHECKABLE] = "(this question cannot be checked on this model: %s)",
    [UI_HINT] = "Hint: %s",
    [UI_LIST_HEADER] = "Lessons — `lesson N` starts or resumes one, `lesson N 1` starts it over, "
                       "`--lang en|pt|ru` picks the language:",
    [UI_LIST_DONE] = "done",
    [UI_LIST_AT] = "at step %d of %d",
    [UI_LIST_NEEDS] = "needs %s (not in this version yet)",
    [UI_LIST_ENGLISH] = "(in English)",
    [UI_LIST_OPEN] = "◂ open",
};

static const char *const PT[UI_COUNT] = {
    [UI_HEADER] = "Lição %d · %s — passo %d de %d: %s",
    [UI_YOUR_TURN] = "▸ Sua vez — digite:  %s",
    [UI_YOUR_TURN_TEXT] = "▸ Sua vez — digite uma frase, por exemplo:  %s",
    [UI_TRY_DONE] = "✓ Muito bem.",
    [UI_ANSWER_PROMPT] = "(digite sua resposta; `hint` dá uma dica)",
    [UI_RIGHT] = "✓ Certo.",
    [UI_WRONG] = "✗ Ainda não. Tente de novo, ou `hint`.",
    [UI_TOO_HIGH] = "✗ %s é alto demais.",
    [UI_TOO_LOW] = "✗ %s é baixo demais.",
    [UI_NOT_NUMBER] = "✗ Isso não é um número.",
    [UI_NOT_CHOICE] = "✗ Responda com uma letra, de a até %c.",
    [UI_STEP_DONE] = "— `continue` para o próximo passo, `back` para o anterior —",
    [UI_LESSON_DONE] = "★ Lição %d concluída! `lesson` lista as outras.",
    [UI_OPEN_QUESTION] = "A pergunta continua aberta: digite sua resposta, `hint`, ou `continue` de novo para ver a resposta.",
    [UI_CLOSED_QUESTION] = "Essa pergunta já foi encerrada, então “%s” não mudou nada; digite `continue` para seguir.",
    [UI_OPEN_TRY] = "É a sua vez: digite `%s`, ou `continue` de novo para pular.",
    [UI_ANSWER_WAS] = "A resposta: %s",
    [UI_NO_HINT] = "Não há dica aqui.",
    [UI_NO_MORE_HINTS] = "Acabaram as dicas: `continue` duas vezes mostra a resposta.",
    [UI_FIRST_STEP] = "Este é o primeiro passo (`b` volta um estágio do pipeline).",
    [UI_CHECK_NOTE] = "(nota: esta lição espera `%s`, o que não vale para este modelo: %s)",
    [UI_LESSON_ERROR] = "(erro na lição em %s: %s)",
    [UI_UNCHECKABLE] = "(esta pergunta não pode ser conferida neste modelo: %s)",
    [UI_HINT] = "Dica: %s",
    [UI_LIST_HEADER] = "Lições — `lesson N` começa ou retoma uma, `lesson N 1` recomeça, "
                       "`--lang en|pt|ru` escolhe o idioma:",
    [UI_LIST_DONE] = "concluída",
    [UI_LIST_AT] = "no passo %d de %d",
    [UI_LIST_NEEDS] = "precisa de %s (ainda não existe nesta versão)",
    [UI_LIST_ENGLISH] = "(em inglês)",
    [UI_LIST_OPEN] = "◂ aberta",
};

static const char *const RU[UI_COUNT] = {
    [UI_HEADER] = "Урок %d · %s — шаг %d из %d: %s",
    [UI_YOUR_TURN] = "▸ Ваша очередь — введите:  %s",
    [UI_YOUR_TURN_TEXT] = "▸ Ваша очередь — введите предложение, например:  %s",
    [UI_TRY_DONE] = "✓ Отлично.",
    [UI_ANSWER_PROMPT] = "(введите ответ; `hint` — подсказка)",
    [UI_RIGHT] = "✓ Верно.",
    [UI_WRONG] = "✗ Не совсем. Попробуйте ещё раз или `hint`.",
    [UI_TOO_HIGH] = "✗ %s — слишком много.",
    [UI_TOO_LOW] = "✗ %s — слишком мало.",
    [UI_NOT_NUMBER] = "✗ Это не число.",
    [UI_NOT_CHOICE] = "✗ Ответьте буквой, от a до %c.",
    [UI_STEP_DONE] = "— `continue` — следующий шаг, `back` — предыдущий —",
    [UI_LESSON_DONE] = "★ Урок %d пройден! `lesson` покажет остальные.",
    [UI_OPEN_QUESTION] = "Вопрос ещё открыт: введите ответ, `hint` или ещё раз `continue`, чтобы увидеть ответ.",
    [UI_CLOSED_QUESTION] = "Этот вопрос уже закрыт, поэтому «%s» ничего не изменило; введите `continue`, чтобы продолжить.",
    [UI_OPEN_TRY] = "Сейчас ваша очередь: введите `%s` или ещё раз `continue`, чтобы пропустить.",
    [UI_ANSWER_WAS] = "Ответ: %s",
    [UI_NO_HINT] = "Здесь подсказки нет.",
    [UI_NO_MORE_HINTS] = "Подсказок больше нет: `continue` дважды покажет ответ.",
    [UI_FIRST_STEP] = "Это первый шаг (`b` возвращает на стадию назад).",
    [UI_CHECK_NOTE] = "(примечание: урок ожидает `%s`, но для этой модели это не так: %s)",
    [UI_LESSON_ERROR] = "(ошибка в уроке, %s: %s)",
    [UI_UNCHECKABLE] = "(этот вопрос нельзя проверить на этой модели: %s)",
    [UI_HINT] = "Подсказка: %s",
    [UI_LIST_HEADER] = "Уроки — `lesson N` начинает или продолжает урок, `lesson N 1` начинает заново, "
                       "`--lang en|pt|ru` выбирает язык:",
    [UI_LIST_DONE] = "пройден",
    [UI_LIST_AT] = "на шаге %d из %d",
    [UI_LIST_NEEDS] = "нужна команда %s (в этой версии её ещё нет)",
    [UI_LIST_ENGLISH] = "(на английском)",
    [UI_LIST_OPEN] = "◂ открыт",
};

const char *lesson_ui(const char *lang, UiKey k) {
    const char *const *t = EN;
    if (lang && strcmp(lang, "pt") == 0) t = PT;
    else if (lang && strcmp(lang, "ru") == 0) t = RU;
    return t[k] ? t[k] : EN[k];
}
