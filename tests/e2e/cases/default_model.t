# The shipped default model (skipped until assets/models/default exists):
# every command runs without an error. Its numbers change with training, so
# only the structure is checked.
#! model: default
#! args: --no-window
#! compare: none
#! expect: [tokens] WordPiece tokens and ids
#! expect: [L0 H0 attn] Attention weights
#! expect: position 4: [MASK] (masked; was 'on')
#! expect: [mlm] Masked-token prediction head
#! npz: {tmp}/d.npz input_ids layer0.attn
the cat sat on the mat ||| the dog slept
tokens
embed
embed river full
pos
stage segment
stage emb
qkv
scores
attn 0 0
stage context
stage proj
ln
ffn
out
mask
predict
mask 4
predict 10
stage mlm
set causal on
attn
set scale off
scores
model
export {tmp}/d.npz
quit
