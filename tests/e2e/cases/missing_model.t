# A model directory that does not exist: one line, status 1.
#! model: none
#! args: --no-window
#! rc: 1
tokens
