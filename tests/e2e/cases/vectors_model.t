# Static vectors from the model's own input table (no GloVe in the cache):
# similar, analogy, vector, vectors, and compare, whose static cosine is 1
# while the contextual ones drop below 1 layer after layer.
#! args: --no-window --plain
#! env: XDG_CACHE_HOME={tmp}/cache
#! env: BERTOLOGY_VECTORS=
vectors
similar cat 3
similar Paris 4
similar bertology 3
analogy paris france city 3
vector cat
vector river full
compare bank "the bank of the river" "the bank raised its rates"
compare bank "bank of the river" "money in the bank"
compare money "the money" "the money"
compare cats "the cats sat" "two cats sat on the cats"
set causal on
compare bank "the bank of the river" "the bank raised its rates"
help compare
help vectors
