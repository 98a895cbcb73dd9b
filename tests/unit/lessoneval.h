#ifndef BT_TESTS_LESSONEVAL_H
#define BT_TESTS_LESSONEVAL_H
/* Lesson expressions evaluated in a test, for the probe tests
 * (test_lesson_lens.c, _whatif.c, _saliency.c): one place for the parse,
 * evaluate and check-the-refusal steps they all take. */
#include "lesson/lesson_internal.h"

/* The vocabulary of the probe tests' small random models. */
extern const char *const LESSON_TEST_VOCAB[];
enum { LESSON_TEST_V = 18 };

/* Parses and evaluates src against w; 0 or -1 with err set. */
int lesson_test_eval(const LessonWorld *w, const char *src, LessonValue *v, BtError *err);
/* src's number; -12345 (and the error on stderr) when it is not one. */
double lesson_test_num(const LessonWorld *w, const char *src);
/* src's string (valid until the next call); "?" when it is not one. */
const char *lesson_test_str(const LessonWorld *w, const char *src);
/* A check that src is refused with a message containing want. */
void lesson_test_fails(const LessonWorld *w, const char *src, const char *want);

#endif
