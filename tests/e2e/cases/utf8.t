# Invalid UTF-8 in a sentence and in a command: one line, nothing changed.
#! args: --no-window
#! rc: 1
the cat sat
café au lait
stage ÿþ
tokens
