# --lang naming a language without lessons is refused with one line
# (not silently English); status 2.
#! args: --no-window --lang fr
#! rc: 2
tokens
