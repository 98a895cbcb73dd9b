# `whatif` on the random checkpoint (2 layers of 4 heads): before a
# sentence, a token replaced, the training corruption (seeded), another
# sentence of another length (tokens without a partner named), a pair
# (NSP), the last what-if shown again and `whatif off`. Then every bad
# input, one line each, with the sentence and the what-if kept
# (`tokens`, `whatif`). After `mask`, the corruption's report says that
# run A carries the mask and B starts from the sentence as typed. The numbers are checked against numpy in
# tests/ref/test_whatif.py.
#! args: --no-window --plain
#! rc: 1
whatif 2 dog
whatif
whatif off
the cat sat on the [MASK] .
whatif 2 dog
set seed 3
whatif corrupt
whatif "the old dog sat on a mat ."
whatif "the cat sat ||| on the [MASK] ."
whatif 99 dog
whatif -1 dog
whatif x dog
whatif 2 catdogmat
whatif 2 zzqqxx
whatif ""
whatif "the dog
whatif "the dog" sat
whatif 2
whatif 2 dog cat
tokens
whatif
whatif off
whatif off
help whatif
mask 2
whatif corrupt
