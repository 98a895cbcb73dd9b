# `rollout` and `census` on the shipped default model: the structure of
# both tables and an error each. Their numbers change with training, so
# only the structure is checked here; the numbers are checked against
# numpy in tests/ref/test_rollout.py, on random checkpoints and on this
# model at T = 32.
#! model: default
#! args: --no-window --plain
#! rc: 1
#! compare: none
#! expect: query 6 ([MASK]): where it draws from, per input token
#! expect:      #  token   layer 3  rollout     flow
#! expect:      6  [MASK]
#! expect: ← query
#! expect: error: position 12 is out of range: the sentence has 12 tokens, 0–11 (see `tokens`)
#! expect: head census of this sentence: 12 query rows
#! expect:   layer 3  
#! expect:   L3 H3    
#! expect: head census of {cases}/census_sentences.txt: 3 sentences, 28 query rows
#! expect: census_bad_utf8.txt line 2 is not valid UTF-8
the cat sat on the [MASK] of the house .
rollout
rollout 12
census
census {cases}/census_sentences.txt
census {cases}/census_bad_utf8.txt
