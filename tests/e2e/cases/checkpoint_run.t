# `checkpoint` on a generated training run (run_transcript.py's
# `checkpoints` model): the list in training order with steps from
# train.log, loading one with and without a sentence, the masking and the
# stage kept, a snapshot with a vocabulary of its own (the masking carried
# over when the word pieces are the same, dropped when they are not), a
# broken snapshot (the loader's message, the old model kept), names that
# are not checkpoints, and the static vectors following the weights.
#! model: checkpoints
#! args: --no-window --plain
#! rc: 1
checkpoint
checkpoint early
checkpoint
checkpoint early
similar cat 3
the cat sat on the river bank
mask 3
stage attn
layer 1
head 2
predict 3
checkpoint step-20
predict 3
show
similar cat 3
the cat sat on the mat
mask 6
checkpoint final
checkpoint step-30
checkpoint step-35
checkpoint notes
checkpoint latest
checkpoint early final
model
tokens
checkpoint
help checkpoint
