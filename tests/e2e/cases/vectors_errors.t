# Every mistake with static vectors: one clear line, the session intact.
#! args: --no-window --plain
#! rc: 1
#! env: XDG_CACHE_HOME={tmp}/cache
#! env: BERTOLOGY_VECTORS=
the cat sat on the mat
similar
similar cat x
similar cat 0
similar cat 101
similar cat 3 4
analogy paris france
vector
vector cat dog
compare bank
compare bank "the bank"
compare dog "the cat sat" "the dog sat"
compare cat "the cat sat" "the dog sat"
compare "bank river" "the bank river" "the bank river"
compare bank "the bank ||| of it" "the bank"
compare bank "the bank" "the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the bank"
vectors glove
vectors nothing
vectors {tmp}/missing.btv
# a text file of vectors named .btv: refused as no .btv, not converted
vectors {cases}/vectors_text_named.btv
vectors a b
# still the same sentence and set
tokens
vectors
