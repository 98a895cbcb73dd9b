# Guided lessons in the REPL, on the fixture lessons: the list, errors,
# answers (wrong, right, a choice letter that is also `back`'s short form,
# a token of the sentence), late answers to a closed question ("a", "b"),
# hints, a turn that wants its arguments, `continue` twice to see the
# answer, `back`, leaving and resuming from the saved progress, Portuguese,
# a lesson whose lines fail, a malformed one, one needing a missing command;
# a step past the end while a lesson is open keeps it open; a knock-out
# made before a lesson is off during it and back after it.
#! args: --no-window --plain
#! rc: 1
#! env: BERTOLOGY_LESSONS={cases}/lesson_fixtures
continue
hint
quit-lesson
lesson
lesson 99
lesson x
lesson 1 9
lesson 99999999999999999999
lesson 4294967297
lesson --lang xx
lesson 3
lesson 1
hint
lesson 1 9
7
8
continue
quit-lesson
lesson 1
the
continue
continue
head 3
continue
head 2
b
a
a
b
back
quit-lesson
lesson 1 3
continue
continue
0.5
1
lesson
quit-lesson
lesson 1 --lang pt
9
8
quit-lesson
lesson 2
lesson 4
quit-lesson
lesson 5
hint
continue
continue
3
back
quit-lesson
ablate 0.1
lesson 1 1
quit-lesson
ablate
