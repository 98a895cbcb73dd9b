# A GloVe text file given to `vectors` is converted once into the cache
# and then used by similar, analogy, vector and compare; words it lacks
# get close spellings.
#! args: --no-window --plain
#! rc: 1
#! env: XDG_CACHE_HOME={tmp}/cache
#! env: BERTOLOGY_VECTORS=
vectors {cases}/vectors_small.txt
vectors
similar king 3
analogy king man woman 2
similar Paris 2
vector queen
similar bnak
vector qeen
compare bank "the bank of the river" "the bank raised its rates"
compare cat "the cat sat" "a cat on the mat"
compare raised "the bank raised its rates" "the bank raised it"
vectors model
similar cat 2
vectors vectors_small
similar cat 2
vectors {cases}/vectors_small.txt
