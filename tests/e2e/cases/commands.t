# Every command on its happy path.
#! args: --no-window
#! npz: {tmp}/trace.npz input_ids token_type_ids embeddings layer0.attn layer1.q mlm_logits
help
help attn
help n
the cat sat on the mat
tokens

   
embed
embed cat
embed ##s full
embed catsat
pos
pos full
stage segment
stage emb
qkv
qkv 1 2
scores
scores 1
attn
attn 1 3
head 2
head 1
layer 0
stage context
stage proj
ln
ln 1
ffn
ffn 0
ffn 1 full
out
out 0
show
show full
stage mlm
mask
tokens

   
predict
predict 2
mask 2 6
predict 3
mask off
mask
mask
set seed 7
mask
# the rest reads the sentence as typed
mask off
set
set precision 2
attn 0 0
set precision
set precision 3
set width 60
embed
set width auto
set causal on
show
scores
set causal off
set scale off
scores
attn
set scale on
model
export {tmp}/trace.npz
sentence next to the river
# `clear` is a command (learners type it as in a shell), not a sentence
clear
quit
