# A $BERTOLOGY_VECTORS that cannot be loaded: a note, then the model's table.
#! args: --no-window --plain
#! env: XDG_CACHE_HOME={tmp}/cache
#! env: BERTOLOGY_VECTORS={tmp}/nowhere.btv
similar cat 2
