# A missing value, with the language from the environment (ru): the
# error in Russian; status 2.
#! args: --model
#! env: LANGUAGE=ru
#! rc: 2
tokens
