# `checkpoint` on a model that ships no checkpoints: the list has only the
# model itself, every other name is one line saying so, and the session
# goes on with the same model and sentence.
#! args: --no-window --plain
#! rc: 1
checkpoint
checkpoint early
the cat sat on the mat
mask 3
checkpoint step-400
checkpoint final
predict 2
model
