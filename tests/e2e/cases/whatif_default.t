# `whatif` on the shipped default model (4 layers of 4 heads). Its
# numbers change with training, so only the structure is checked (the
# numbers are checked against numpy in tests/ref/test_whatif.py).
#! model: default
#! args: --no-window --plain
#! rc: 1
#! compare: none
#! expect: what-if, run B: position 2: 'cat' → 'dog'
#! expect: tokens paired position by position: 9 pairs, 1 changed
#! expect:            h0    h1    h2    h3
#! expect: most changed: head
#! expect: MLM guesses at A6 [MASK] / B6 [MASK]: top 5 in A, in B, and A's guess in B
#! expect: tokens paired by their longest common subsequence of ids
#! expect:   no partner in A:
#! expect: error: 'catdogmat' is
#! expect: what-if off: the window follows the REPL again
the cat sat on the [MASK] .
whatif 2 dog
whatif "the old dog sat on the [MASK] ."
whatif 2 catdogmat
whatif off
