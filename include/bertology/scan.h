#ifndef BERTOLOGY_SCAN_H
#define BERTOLOGY_SCAN_H
/* Which heads matter: every head knocked out in turn (ablate.h), one
 * re-run each, and the change it makes to the log-probability of a word
 * at one position (the MLM head) and to the log-probability of IsNext
 * (the NSP head): the layers × heads grid of `scan`.
 *
 * The run scanned is a Trace's, with its switches and the knock-outs
 * already in force; each head is knocked out in addition to those. A
 * knock-out in layer l leaves the layers below it alone, so each re-run
 * starts at layer l (forward_from) and reads the MLM head at one row
 * only. It reads a Trace and knows nothing of the REPL or the window. */
#include "bertology/ablate.h"
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/trace.h"

typedef struct ScanResult {
    int L, nh;
    KnockoutKind kind;  /* how each head is knocked out: KO_HEAD_ZERO or KO_HEAD_MEAN */
    Ablation base;      /* the knock-outs already in force in the run scanned */
    int pos;            /* the position whose word is followed; -1: none (no MLM head) */
    int pos_id;         /* the token id the model reads at pos ([MASK] usually); -1: none */
    int word;           /* the token id followed there (the run's top guess unless chosen); -1: none */
    double base_word;   /* log p(word) at pos in the run scanned (natural log) */
    double *d_word;     /* (L, nh) log p(word) with that head knocked out as well, minus base_word;
                         * NaN for a head already knocked out; NULL without a word */
    int has_nsp;
    double base_nsp;    /* log P(IsNext) in the run scanned */
    double *d_nsp;      /* (L, nh) likewise for IsNext; NULL without an NSP head */
    int T, *ids;        /* (T) the token ids of the run scanned, */
    int causal, unscaled;   /* and its switches: to tell whether a scan is of the run now shown */
    double ms;          /* wall time of the scan */
    char *text;         /* the sentence, for titles: set by the caller (malloc'd) or NULL; scan_free frees it */
} ScanResult;

/* Scans base (a trace of m with B == 1, as a Pass leaves it): word at
 * pos (pos -1: no word, NSP only; word -1: base's top guess at pos).
 * Fails with r empty when m has neither head to read, has no layers,
 * pos or word is out of range, or the run scanned gives no finite
 * logits. */
int scan_run(const BertModel *m, const Trace *base, int pos, int word, KnockoutKind kind, ScanResult *r,
             BtError *err);
void scan_free(ScanResult *r);
/* 1 when r is a scan of the run tr (same tokens, switches and knock-outs). */
int scan_is_of(const ScanResult *r, const Trace *tr);

/* The change one more knock-out k makes to base: Δ log p(word) at pos
 * (NaN with pos -1) and Δ log P(IsNext) (NaN without NSP); either out
 * pointer may be NULL. The one-head cell of scan_run, or an FFN's. */
int scan_knockout(const BertModel *m, const Trace *base, int pos, int word, Knockout k, double *d_word,
                  double *d_nsp, BtError *err);

/* Where the grid is lowest (the head whose knock-out costs the word
 * most) and that value; -1s when no cell is finite. nsp: read d_nsp. */
double scan_worst(const ScanResult *r, int nsp, int *layer, int *head);

#endif
