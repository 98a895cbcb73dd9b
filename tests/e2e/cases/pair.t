# A sentence pair: segments A and B, and the truncation of a long pair
# (a [MASK] in the part cut off is named).
#! args: --no-window --truncate
the cat sat on the mat ||| the dog sat by the river
tokens
stage segment
attn 1 1
the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the ||| dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog
the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the ||| dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog dog [MASK] .
tokens
