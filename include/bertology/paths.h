#ifndef BERTOLOGY_PATHS_H
#define BERTOLOGY_PATHS_H
#include <stddef.h>

/* The shipped default model: $BERTOLOGY_MODEL, else the source tree's
 * assets/models/default (running from a build dir), else the installed
 * copy (DATADIR/bertology/assets/models/default). Returns buf, or NULL if none exists. */
const char *paths_default_model(char *buf, size_t n);
/* Shipped data: the source tree's REL (running from a build dir), else the
 * installed copy under the data dir; the first for which found(path) is
 * true. Returns buf, or NULL with buf holding the places looked in. */
const char *paths_find_data(const char *rel, int (*found)(const char *path), char *buf, size_t n);
/* $XDG_STATE_HOME/bertology (or ~/.local/state/bertology), created if
 * needed. Returns buf, or NULL when no home can be found. */
const char *paths_state_dir(char *buf, size_t n);
/* $XDG_CACHE_HOME/bertology (or ~/.cache/bertology), created if needed. */
const char *paths_cache_dir(char *buf, size_t n);

#endif
