# The REPL's --lang naming no language at all, the locale from the
# environment (LC_ALL=pt_BR.UTF-8, no LANGUAGE): refused in Portuguese,
# in one line naming the value and the languages; status 2.
#! args: --no-window --lang 1
#! env: LC_ALL=pt_BR.UTF-8
#! rc: 2
tokens
