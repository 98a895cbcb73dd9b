# `rollout`: for one query row, the last layer's attention (heads
# averaged), attention rollout and attention flow, side by side: at the
# first [MASK], at [CLS] when there is none, at a position, with the
# precision and under `set causal on` (no token draws from a later one).
# Then every bad input, one line each; the sentence stays (`tokens`).
#! args: --no-window --plain
#! rc: 1
rollout
the cat sat on the [MASK] .
rollout
rollout 2
set precision 4
rollout 0
set precision 3
rollout 99
rollout -1
rollout cat
rollout 1 2
rollout 2.5
tokens
the cat sat on the mat
rollout
set causal on
rollout 3
help rollout
