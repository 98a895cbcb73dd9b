# `saliency` on the shipped default model: the bars and the completeness
# line. Its numbers change with training, so only the structure is
# checked (the numbers are checked against finite differences of numpy in
# tests/ref/test_saliency.py, on random checkpoints).
#! model: default
#! args: --no-window --plain
#! rc: 1
#! compare: none
#! expect: saliency of '
#! expect: at position 6 ([MASK]): log p = 
#! expect: x: each token's word vector (its position and segment vectors held)
#! expect:    0 [CLS]
#! expect: integrated gradients, 20 steps from the baseline (every word vector 0): Σ IG = 
#! expect: error: no [MASK] to explain
the cat sat on the [MASK] of the house .
saliency
saliency house --ig 10
the cat sat on the mat
saliency
