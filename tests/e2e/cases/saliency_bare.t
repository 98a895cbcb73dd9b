# `saliency` on an encoder checkpoint without the MLM head: one line saying so.
#! args: --no-window --plain
#! model: bare
#! rc: 1
the cat sat on the [MASK] .
saliency
saliency 2 cat
tokens
