# `ablate` and `scan` on the random checkpoint (2 layers of 4 heads):
# knock-outs before and after a sentence, the stages that say so,
# `predict` against the intact run, the scan grids (their numbers are
# checked against numpy in tests/ref/test_ablate.py), then every bad
# input, one line each, with the knock-outs kept.
#! args: --no-window --plain
#! rc: 1
ablate
ablate 1.2
the cat sat on the [MASK] .
ablate
predict 3
stage context
layer 1
head 2
show
head 1
show
stage proj
ablate ffn 0
layer 0
stage ffn
stage ln2
ablate 0.1 mean
ablate 0.1
ablate
predict
scan
scan mat
scan 2 cat
scan mean
ablate 9.9
ablate 2.0
ablate 1.9
ablate -1.0
ablate 1
ablate x
ablate 1.x
ablate .2
ablate 1.2 half
ablate ffn
ablate ffn 9
ablate 1.2 3 4
ablate off 0.3
ablate off ffn 1
ablate off 9.9
scan 99
scan cats
scan 2 cat 3
ablate
ablate off 1.2
ablate
ablate off
ablate off
predict 2
the cat sat ||| on the mat
scan
help ablate
help scan
