# `checkpoint` on the shipped default model and its early snapshot. The
# step numbers and every number change with training, so only the
# structure is checked.
#! model: default
#! args: --no-window
#! compare: none
#! expect: checkpoints of {model}, in training order (* = loaded):
#! expect: `checkpoint early` loads step-
#! expect: loaded checkpoint step-
#! expect:   * step-
#! expect: forward pass re-run on the same sentence (`show` to see the current stage, `predict` the new guesses)
#! expect: [L1 H1 attn] Attention weights
#! expect: position 6: [MASK] (typed)
#! expect: , the end of the training run, from {model}
#! expect: final is loaded already: step
#! expect: model:       {model}
checkpoint
the cat sat on the [MASK] .
stage attn
layer 1
head 1
predict 3
checkpoint early
checkpoint
predict 3
show
checkpoint final
predict 3
checkpoint final
model
