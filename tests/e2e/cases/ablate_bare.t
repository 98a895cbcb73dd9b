# `ablate` and `scan` on an encoder without the MLM head (it keeps NSP):
# the scan measures IsNext alone, a word to follow is refused in one line,
# and `predict` still says there is no head to predict with.
#! model: bare
#! args: --no-window --plain
#! rc: 1
the cat sat ||| on the mat
ablate 0.1
scan
scan cat
scan 2
predict
ablate off
