# $BERTOLOGY_VECTORS chooses the first static set (converted if need be).
#! args: --no-window --plain
#! env: XDG_CACHE_HOME={tmp}/cache
#! env: BERTOLOGY_VECTORS={cases}/vectors_small.txt
similar queen 2
vectors
