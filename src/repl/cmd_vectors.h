#ifndef BT_REPL_CMD_VECTORS_H
#define BT_REPL_CMD_VECTORS_H
/* The static vector sets of a session and its last `compare` (which the
 * window can draw: see bertology/vec_compare.h). Lives in Session.vec,
 * made on the first vectors command. */
#include "bertology/vec_compare.h"
#include "bertology/vectors.h"

enum { VEC_MAX_FILES = 8 };

typedef struct VecState {
    VecSet *model;                  /* E_word of the session's model */
    VecSet *files[VEC_MAX_FILES];   /* converted files loaded so far */
    int n_files;
    VecSet *current;                /* used by similar, analogy, vector, compare */
    VecCompare cmp;
    int have_cmp;
} VecState;

struct Session;
/* Loads a converted file and makes it the current set (--vectors FILE). */
int vectors_load(struct Session *s, const char *path, BtError *err);
void vectors_state_free(VecState *v);
/* The session's model was replaced: its embedding table is made again
 * from the new weights, and the last comparison (computed by the old
 * model, and pointing into its vocabulary) is dropped. */
void vectors_model_changed(struct Session *s);
/* The last successful `compare`, for the window; NULL if none. */
const VecCompare *vectors_last_compare(const struct Session *s);

#endif
