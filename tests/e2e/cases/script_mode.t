# --script FILE: comments skipped, errors located as FILE:LINE, status 1.
#! mode: script
#! args: --no-window
#! rc: 1
the dog sat
# a comment line
layer 7
attn 1 1
quit
tokens
