# A value out of range, the language from the environment (ru): the
# range in Russian, the typed value quoted; status 2.
#! args: lens --k 0 "the [MASK] sat"
#! model: none
#! env: LANGUAGE=ru
#! rc: 2
