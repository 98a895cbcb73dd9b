#ifndef BERTOLOGY_CENSUS_H
#define BERTOLOGY_CENSUS_H
/* The head census (after Clark et al. 2019, "What does BERT look at? An
 * analysis of BERT's attention"): for every attention head, how spread
 * its attention is and where it goes, averaged over the query rows of one
 * sentence or of every sentence of a file.
 *
 * For each query row of a head: its entropy in bits (0: all on one key;
 * log2 T: even over all), and the share of its attention on each target
 * below. A head's numbers are the means over every query row counted
 * (rows of all sentences pooled); a row with no previous (or next) token
 * counts 0 for that target. Targets overlap (the token before the first
 * word is [CLS]), so the shares need not sum to 1. A head's role is the
 * target with the largest share when that share is at least
 * CENSUS_DOMINANT, else "mixed". It reads Traces; the file's sentences
 * are run through the model by census_file. */
#include "bertology/error.h"
#include "bertology/i18n.h"   /* N_: the roles' words, which the window translates */
#include "bertology/model.h"
#include "bertology/pass.h"
#include "bertology/tokenizer.h"
#include "bertology/trace.h"

/* The targets, in one table: X(ID, name for JSON and lessons, label for tables, what it is).
 * label and what are marked N_(): the window and the REPL print them
 * translated, the command line's tables, JSON and CSV as they are. */
/* TRANSLATORS: a census role's label is a short word in a tile of the
 * window's census view ("self 93%"): the token itself, the previous and
 * the next token, punctuation; "what" is the role said in full. */
#define BT_CENSUS_TARGETS(X)                                                    \
    X(CLS, "cls", "[CLS]", N_("the [CLS] token"))                               \
    X(SEP, "sep", "[SEP]", N_("the [SEP] tokens"))                              \
    X(SELF, "self", N_("self"), N_("the query token itself"))                   \
    X(PREV, "prev", N_("prev"), N_("the token before the query"))               \
    X(NEXT, "next", N_("next"), N_("the token after the query"))                \
    X(PUNCT, "punct", N_("punct"), N_("punctuation tokens"))

#define BT_CENSUS_ENUM(ID, name, label, what) CENSUS_##ID,
typedef enum {
    BT_CENSUS_TARGETS(BT_CENSUS_ENUM)
    CENSUS_TARGETS,                 /* how many targets */
    CENSUS_MIXED = CENSUS_TARGETS   /* the role of a head with no dominant target */
} CensusRole;
#undef BT_CENSUS_ENUM

/* At least half a head's attention on one target makes it that target's head. */
#define CENSUS_DOMINANT 0.5

typedef struct {
    const char *name;   /* "cls" ... "punct", "mixed" */
    const char *label;  /* "[CLS]" ... "punct", "mixed" */
    const char *what;
} CensusRoleInfo;

/* The row of a role, 0 ≤ role ≤ CENSUS_MIXED; NULL out of range. */
const CensusRoleInfo *census_role_info(int role);

typedef struct Census {
    int L, nh;
    int sentences;      /* sentences counted */
    long rows;          /* query rows counted */
    double uniform;     /* mean over the rows of log2 T: the entropy of attention spread evenly */
    double *entropy;    /* (L, nh) mean row entropy, bits */
    double *share;      /* (L, nh, CENSUS_TARGETS) mean share of attention on each target */
    int *role;          /* (L, nh) CensusRole */
    int done;           /* census_end has turned the sums into means */
} Census;

/* An empty census for L layers of nh heads. */
int census_begin(Census *c, int L, int nh, BtError *err);
/* Counts every query row of sequence 0 of tr (a pass of a model of c's
 * sizes); tok names [CLS], [SEP] and punctuation. Fails on a trace of
 * other sizes or attention that is not finite. */
int census_add(Census *c, const Trace *tr, const Tokenizer *tok, BtError *err);
/* Means and roles; fails when nothing was counted. */
int census_end(Census *c, BtError *err);
void census_free(Census *c);
/* begin, add, end for one sentence's trace. */
int census_of_trace(Census *c, const Trace *tr, const Tokenizer *tok, BtError *err);
/* Every sentence of the file at path, one per line (blank lines skipped,
 * "A ||| B" a pair), run through m with opt, under the sentences file's
 * size cap (core/infile.c). A line that cannot be read (invalid UTF-8,
 * too long for the model without opt->truncate) fails naming the line. */
int census_file(Census *c, const BertModel *m, const char *path, const PassOptions *opt, BtError *err);

#endif
