#ifndef BERTOLOGY_PATHS_H
#define BERTOLOGY_PATHS_H
#include <stddef.h>

/* The shipped default model: $BERTOLOGY_MODEL, else the source tree's
 * assets/models/default (running from a build dir), else the installed
 * copy under the data dir. Returns buf, or NULL if none exists. */
const char *paths_default_model(char *buf, size_t n);
/* $XDG_STATE_HOME/bertology (or ~/.local/state/bertology), created if
 * needed. Returns buf, or NULL when no home can be found. */
const char *paths_state_dir(char *buf, size_t n);
/* $XDG_CACHE_HOME/bertology (or ~/.cache/bertology), created if needed. */
const char *paths_cache_dir(char *buf, size_t n);

#endif
