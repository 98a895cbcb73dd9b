# Without --lang the language comes from the environment, GNU gettext's
# way: LANGUAGE first (honoured under C.UTF-8, which the transcripts run
# in); `lesson --lang en` then switches the messages back to English (the
# lesson list it prints changes with the lessons: not compared).
#! args: --no-window
#! model: sinusoidal
#! env: LANGUAGE=ru
#! compare: none
#! expect: [tokens] Токены WordPiece и их идентификаторы
#! expect: [embed] Word embedding lookup
#! expect:   formula: E_word[id]  (T,H)
the cat sat
lesson --lang en
next
