#ifndef BT_LESSON_UI_H
#define BT_LESSON_UI_H
/* The player's own strings by language ("en", "pt", "ru"). */

typedef enum {
    UI_HEADER,          /* %d number, %s lesson title, %d step, %d steps, %s step title */
    UI_YOUR_TURN,       /* %s command */
    UI_YOUR_TURN_TEXT,  /* %s example sentence */
    UI_TRY_DONE,
    UI_ANSWER_PROMPT,
    UI_ANSWER_PROMPT_NO_HINT, /* the question has no hint to offer */
    UI_RIGHT,
    UI_WRONG,
    UI_WRONG_NO_HINT,   /* UI_WRONG for a question without a hint */
    UI_TOO_HIGH,        /* %s the answer given */
    UI_TOO_LOW,         /* %s */
    UI_NOT_NUMBER,
    UI_NOT_CHOICE,      /* %c last letter */
    UI_STEP_DONE,
    UI_LESSON_DONE,     /* %d number */
    UI_OPEN_QUESTION,
    UI_OPEN_TRY,        /* %s command */
    UI_CLOSED_QUESTION, /* %s the late answer */
    UI_ANSWER_WAS,      /* %s */
    UI_NO_HINT,
    UI_NO_HINT_ASK,     /* the open question has no hint */
    UI_STEP_SKIPPED,    /* %s what the model lacks, from `needs:` */
    UI_NO_MORE_HINTS,
    UI_FIRST_STEP,
    UI_CHECK_NOTE,      /* %s the check, %s the values or the error */
    UI_CHECK_SIDES,     /* %s, %s: the two sides of the check, for UI_CHECK_NOTE */
    UI_CHECK_FALSE,     /* UI_CHECK_NOTE's reason when the check is no comparison */
    UI_LESSON_ERROR,    /* %s where, %s message */
    UI_UNCHECKABLE,     /* %s message */
    UI_HINT,            /* %s */
    UI_LIST_HEADER,
    UI_LIST_DONE,
    UI_LIST_AT,         /* %d step, %d steps */
    UI_LIST_NEEDS,      /* %s commands */
    UI_LIST_ENGLISH,
    UI_LIST_OPEN,
    UI_COUNT
} UiKey;

const char *lesson_ui(const char *lang, UiKey k);

#endif
