#ifndef BT_TESTS_LESSONEVAL_H
#define BT_TESTS_LESSONEVAL_H
/* Lesson expressions evaluated in a test, for the probe tests
 * (test_lesson_lens.c, _whatif.c, _saliency.c): one place for the world
 * they start from and the parse, evaluate and check-the-refusal steps
 * they all take. */
#include "bertology/pass.h"
#include "lesson/lesson_internal.h"

/* The vocabulary of the probe tests' small random models. */
extern const char *const LESSON_TEST_VOCAB[];
enum { LESSON_TEST_V = 18 };

/* The world they start from: a small random model (layers of 2 heads,
 * 16 wide, over LESSON_TEST_VOCAB), the pass of "the cat sat on the
 * [MASK] ." with its MLM head, and *w on both (nothing else set). 0, or
 * -1 with the failure counted and nothing left to free. */
int lesson_test_world(BertModel *m, Pass *p, LessonWorld *w, int layers);
/* Frees what lesson_test_world made. */
void lesson_test_world_free(BertModel *m, Pass *p);

/* Parses and evaluates src against w; 0 or -1 with err set. */
int lesson_test_eval(const LessonWorld *w, const char *src, LessonValue *v, BtError *err);
/* src's number; -12345 (and the error on stderr) when it is not one. */
double lesson_test_num(const LessonWorld *w, const char *src);
/* src's string (valid until the next call); "?" when it is not one. */
const char *lesson_test_str(const LessonWorld *w, const char *src);
/* A check that src is refused with a message containing want. */
void lesson_test_fails(const LessonWorld *w, const char *src, const char *want);
/* A check that src is refused with "no sentence" when w has none. */
void lesson_test_fails_without_sentence(const LessonWorld *w, const char *src);
/* Checks that an instrument's result in w is not read for another run:
 * src_switches refused (with want) on w's trace with other switches
 * (causal), src_sentence on another sentence's pass ("the dog sat on
 * the [MASK] ."). */
void lesson_test_fails_other_run(const LessonWorld *w, const char *src_switches, const char *src_sentence,
                                 const char *want);

#endif
