# A --lang naming no language we have, the user's language from the
# environment (LANGUAGE=ru): refused in Russian, in one line naming the
# value and the languages, not in the English the bad value would pick.
#! args: tokenize --lang fr "the cat"
#! model: none
#! env: LANGUAGE=ru
#! rc: 2
