# `saliency`: gradient × input, the gradient's norm and integrated
# gradients per token for the first [MASK] and its top guess, a chosen
# word and position, IG steps; the window's view follows. Then every bad
# input, one line each, with the state kept (the sentence still there).
#! args: --no-window --plain
#! rc: 1
saliency
the cat sat on the [MASK] .
saliency
saliency mat --ig 4
saliency 2 cat --ig 0
saliency --ig 50 3
saliency 99
saliency 2 cats
saliency 2 qqqzzz
saliency --ig
saliency --ig 5000
saliency 2 cat 3
ablate 0.1
saliency
ablate off
the cat sat on the mat
saliency
saliency 4 --ig 2
tokens
help saliency
