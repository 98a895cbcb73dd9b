# `lens` on the shipped default model: the table at each [MASK] and the
# errors. Its numbers change with training, so only the structure is
# checked (the numbers are checked against numpy in tests/ref/test_lens.py,
# on random checkpoints, and the last row against `predict` there). On an
# 80-column terminal the followed word's column goes below the table
# rather than cutting the guesses short.
#! model: default
#! args: --no-window --plain
#! rc: 1
#! compare: none
#! expect: position 6 ([MASK]): the MLM head read after the embeddings and after each layer, top 5
#! expect:   depth    1
#! expect:   emb      
#! expect:   layer 3  
#! expect: The last row is the model's prediction (`predict`)
#! expect: position 2 (cat): the MLM head read after the embeddings and after each layer, top 3
#! expect: error: position 12 is out of range: the sentence has 12 tokens, 0–11 (see `tokens`)
#! expect: error: 'qqqzzz' is not one token of the vocabulary but 5 word pieces (q ##q ##q ##zz ##z): follow one of them
#! expect: error: no [MASK] to read
#! expect:   depth    house
the cat sat on the [MASK] of the house .
lens
lens house
lens 2 cat 3
lens 12
lens qqqzzz
set width 80
lens 6 house
set width auto
the cat sat on the mat
lens
