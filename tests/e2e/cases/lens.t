# `lens`: the logit lens at every [MASK] (as `predict`), at a position
# masked or not, following a word, with K; the last row of each table is
# `predict`'s answer (shown beside it). Then every bad input, one line each.
#! args: --no-window --plain
#! rc: 1
lens
the cat sat on the [MASK] .
predict 3
lens
lens mat 3
lens 2 cat 3
lens 2 4
set precision 4
lens 6 mat 2
lens Mat 1
lens 99
lens -1
lens 2 cats
lens 2 €
lens 2 cat 0
lens 2 cat 101
lens 2 cat 3 4
lens 2 3 cat
the cat sat on the mat
lens
lens 4
mask 3 5
lens sat 2
help lens
